// Helper: typing annual resources shows the monthly amount (the server does the same without JS).
(function () {
  "use strict";
  const annual = document.getElementById("id_ressources_annuelles");
  const monthly = document.getElementById("id_ressources_mensuelles");
  if (!annual || !monthly) return;
  annual.addEventListener("input", () => {
    const value = parseFloat(annual.value.replace(",", "."));
    if (!isNaN(value) && value >= 0) monthly.value = (Math.round(value / 12 * 100) / 100).toFixed(2);
  });
})();
