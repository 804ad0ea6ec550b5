// Leaflet maps: search results (data in #carte-data) or one fiche (data-* attributes).
(function () {
  "use strict";
  const element = document.getElementById("carte");
  if (!element || typeof L === "undefined") return;
  const map = L.map(element, { scrollWheelZoom: false });
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19,
    attribution: "&copy; contributeurs OpenStreetMap",
  }).addTo(map);
  const data = document.getElementById("carte-data");
  if (data) {
    const carte = JSON.parse(data.textContent);
    const bounds = [carte.centre];
    carte.features.forEach((feature) => {
      const [lon, lat] = feature.geometry.coordinates;
      const p = feature.properties;
      const popup = document.createElement("div");
      const link = document.createElement("a");
      link.href = p.url;
      link.textContent = p.nom;
      popup.appendChild(link);
      popup.appendChild(document.createElement("br"));
      popup.appendChild(document.createTextNode(p.rubrique_libelle + " — " + p.distance_km.toLocaleString("fr-FR") + " km"));
      // AVIP: its own colour on the map, and always said in words too.
      const label = p.avip ? p.nom + " (AVIP)" : p.nom;
      if (p.avip) {
        popup.appendChild(document.createElement("br"));
        popup.appendChild(document.createTextNode("Label AVIP : places pour parents en recherche d'emploi ou en formation"));
      }
      const options = { title: label, alt: label };
      // A MAM has its own marker colour too (its kind is in the popup's words).
      if (p.avip) options.icon = new L.Icon.Default({ className: "mf-marker-avip" });
      else if (p.rubrique === "MAM") options.icon = new L.Icon.Default({ className: "mf-marker-mam" });
      L.marker([lat, lon], options).bindPopup(popup).addTo(map);
      bounds.push([lat, lon]);
    });
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
  } else {
    const lat = parseFloat(element.dataset.lat);
    const lon = parseFloat(element.dataset.lon);
    map.setView([lat, lon], 15);
    L.marker([lat, lon], { title: element.dataset.nom, alt: element.dataset.nom }).addTo(map);
  }
})();
