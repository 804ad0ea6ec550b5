// Leaflet as this site serves it, for every map (public and back office): marker images found, controls in French.
(function () {
  "use strict";
  if (typeof L === "undefined") return;
  // Leaflet finds its marker images from the URL of marker-icon.png in leaflet.css; the manifest storage
  // renames it marker-icon.<hash>.png, and Leaflet then asked for "marker-icon.png" beside the page.
  // The folder is what it needs: the plain names are collected beside the hashed ones.
  const stripUrl = L.Icon.Default.prototype._stripUrl;
  L.Icon.Default.prototype._stripUrl = function (path) {
    const match = /^url\((['"])?(.*\/)marker-icon(\.[0-9a-f]+)?\.png\1\)$/.exec(path || "");
    return match ? match[2] : stripUrl.call(this, path);
  };
  L.Control.Zoom.prototype.options.zoomInTitle = "Zoomer";
  L.Control.Zoom.prototype.options.zoomOutTitle = "Dézoomer";
  L.Control.Attribution.prototype.options.prefix =
    '<a href="https://leafletjs.com" title="Bibliothèque de cartes interactives" hreflang="en">Leaflet</a>';
})();
