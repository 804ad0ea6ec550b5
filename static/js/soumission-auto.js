// A list whose choice changes the page (data-soumission-auto): its form is sent when the choice changes.
// Without JavaScript the form's own button (in <noscript>) does it. A file, not an onchange="" attribute:
// the Content-Security-Policy refuses inline scripts.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    const select = event.target;
    if (select instanceof HTMLSelectElement && select.hasAttribute("data-soumission-auto") && select.form) {
      select.form.submit();
    }
  });
})();
