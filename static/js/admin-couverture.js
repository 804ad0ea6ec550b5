// Back office: communes covered (filled green) and not covered (red ring) by the online information
// service, for the département chosen above the map; the table gives the same figures.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    const element = document.getElementById("carte-couverture");
    const choice = document.getElementById("carte-departement");
    if (!element || !choice || typeof L === "undefined") return;
    const map = L.map(element).setView([46.6, 2.4], 6);
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", { maxZoom: 19, attribution: "© contributeurs OpenStreetMap" }).addTo(map);
    const layer = L.layerGroup().addTo(map);
    function show(departement) {
      fetch(element.dataset.url + "?departement=" + encodeURIComponent(departement), { credentials: "same-origin" })
        .then((response) => response.json())
        .then((data) => {
          layer.clearLayers();
          const bounds = [];
          data.communes.forEach(([code, nom, lat, lon, population, couverte]) => {
            const radius = Math.max(3, Math.min(14, Math.sqrt(population) / 12));
            L.circleMarker([lat, lon], couverte
              ? { radius: radius, color: "#18753c", fillColor: "#18753c", fillOpacity: 0.6, weight: 1 }
              : { radius: radius, color: "#ce0500", fillOpacity: 0, weight: 2 })
              .bindTooltip(nom + " (" + code + ") — " + population.toLocaleString("fr-FR") + " hab. — " + (couverte ? "couverte" : "non couverte"))
              .addTo(layer);
            bounds.push([lat, lon]);
          });
          element.dataset.communes = String(data.communes.length);
          if (bounds.length) map.fitBounds(bounds, { padding: [16, 16] });
        });
    }
    choice.addEventListener("change", () => show(choice.value));
    if (choice.value) show(choice.value);
  });
})();
