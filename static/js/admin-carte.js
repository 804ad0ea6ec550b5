// Back office: the fiche's point on a map, adjustable by dragging the marker (fills latitude/longitude).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    const lat = document.getElementById("id_latitude");
    const lon = document.getElementById("id_longitude");
    if (!lat || !lon || typeof L === "undefined") return;
    const container = document.createElement("div");
    container.id = "carte-fiche";
    container.setAttribute("aria-label", "Carte : déplacez le point pour corriger la position");
    lon.closest(".form-row").after(container);
    const start = lat.value && lon.value ? [parseFloat(lat.value.replace(",", ".")), parseFloat(lon.value.replace(",", "."))] : [46.6, 2.4];
    const map = L.map(container).setView(start, lat.value ? 16 : 5);
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", { maxZoom: 19, attribution: "© contributeurs OpenStreetMap" }).addTo(map);
    const marker = L.marker(start, { draggable: true }).addTo(map);
    marker.on("dragend", function () {
      const p = marker.getLatLng();
      lat.value = p.lat.toFixed(6);
      lon.value = p.lng.toFixed(6);
    });
  });
})();
