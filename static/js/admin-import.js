// An import's page while it runs: the progress region follows the worker, without reloading the page
// (the person keeps their place; screen readers hear the polite live region). Without JavaScript, the
// "Actualiser la page" link does the same.
(function () {
  "use strict";
  var region = document.getElementById("avancement");
  if (!region || !window.fetch) return;
  var url = region.getAttribute("data-url");
  function tick() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        document.getElementById("avancement-statut").textContent = data.statut_libelle;
        var etape = document.getElementById("avancement-etape");
        if (etape && data.etape) etape.textContent = data.etape;
        var lignes = document.getElementById("avancement-lignes");
        if (lignes) lignes.textContent = data.lignes_lues;
        var barre = document.getElementById("avancement-barre");
        if (barre) { barre.value = data.progression; barre.textContent = data.progression + " %"; }
        if (data.en_cours) { window.setTimeout(tick, 2000); return; }
        document.getElementById("avancement-fin").hidden = false;
      })
      .catch(function () { window.setTimeout(tick, 5000); });
  }
  window.setTimeout(tick, 1000);
})();
