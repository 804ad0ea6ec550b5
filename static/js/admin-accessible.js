// Back office: the autocomplete fields (select2) get the names a screen reader needs; select2 draws
// its own controls, which carry no label of the field they stand for.
(function () {
  "use strict";
  function labelOf(select) {
    const label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/\s*:\s*$/, "").trim() : select.name;
  }
  function name(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2")) return;
      const text = labelOf(select);
      container.querySelectorAll(".select2-selection, .select2-selection__rendered").forEach(function (el) {
        el.setAttribute("aria-label", text);
      });
      container.querySelectorAll(".select2-search__field").forEach(function (el) {
        el.setAttribute("aria-label", "Rechercher : " + text);
      });
    });
  }
  // The "Supprimer ?" column of a table of lines (Django adds that checkbox without a label).
  function nameDeleteBoxes(root) {
    root.querySelectorAll('input[type="checkbox"][name$="-DELETE"]:not([aria-label])').forEach(function (box) {
      if (!box.id || !document.querySelector('label[for="' + box.id + '"]')) box.setAttribute("aria-label", "Supprimer cette ligne");
    });
  }
  function nameDropdownSearch() {
    document.querySelectorAll(".select2-dropdown .select2-search__field").forEach(function (el) {
      if (!el.hasAttribute("aria-label")) el.setAttribute("aria-label", "Rechercher");
    });
  }
  // A read-only table of lines scrolls sideways on a phone (Django's responsive.css) but holds nothing
  // to focus: the keyboard reaches it as a named region (RGAA 12.13, axe scrollable-region-focusable).
  function focusableTables(root) {
    root.querySelectorAll(".inline-group").forEach(function (group) {
      // Only what the keyboard can reach counts: an inline's hidden template row ("empty form") does not.
      const focusable = group.querySelectorAll("a[href], input:not([type=hidden]), select, textarea, button");
      if (Array.prototype.some.call(focusable, function (el) { return el.getClientRects().length > 0; })) return;
      const heading = group.querySelector("h2");
      group.setAttribute("tabindex", "0");
      group.setAttribute("role", "region");
      if (heading) {
        heading.id = heading.id || group.id + "-titre";
        group.setAttribute("aria-labelledby", heading.id);
      }
    });
  }
  window.addEventListener("load", function () {
    name(document);
    nameDeleteBoxes(document);
    focusableTables(document);
    if (window.django && django.jQuery) {
      django.jQuery(document).on("select2:open", nameDropdownSearch);
      django.jQuery(document).on("formset:added", function (event) { name(event.target); nameDeleteBoxes(event.target); });
      // A multiple selection redraws its search field at each change.
      django.jQuery(document).on("change", "select.admin-autocomplete", function () { name(document); });
    }
  });
})();
