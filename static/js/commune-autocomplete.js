// Commune autocomplete (ARIA combobox). Without JavaScript the form still works: the server
// resolves the typed text and asks to choose when several communes match.
(function () {
  "use strict";
  const input = document.getElementById("commune");
  const hidden = document.getElementById("code_insee");
  const list = document.getElementById("commune-suggestions");
  if (!input || !hidden || !list) return;
  let items = [];
  let active = -1;
  let timer = null;
  let controller = null;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }
  function choose(index) {
    const commune = items[index];
    if (!commune) return;
    input.value = commune.libelle;
    hidden.value = commune.code_insee;
    close();
  }
  function highlight(index) {
    const options = list.querySelectorAll("li");
    options.forEach((li, i) => li.setAttribute("aria-selected", i === index ? "true" : "false"));
    active = index;
    if (options[index]) input.setAttribute("aria-activedescendant", options[index].id);
  }
  function render() {
    list.innerHTML = "";
    items.forEach((commune, i) => {
      const li = document.createElement("li");
      li.id = "commune-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.textContent = commune.libelle;
      li.addEventListener("mousedown", (event) => { event.preventDefault(); choose(i); });
      list.appendChild(li);
    });
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", items.length ? "true" : "false");
  }
  async function fetchSuggestions() {
    const q = input.value.trim();
    if (q.length < 2) { items = []; render(); return; }
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const response = await fetch(input.dataset.autocompleteUrl + "?q=" + encodeURIComponent(q), { signal: controller.signal });
      if (!response.ok) return;
      items = (await response.json()).communes;
      render();
    } catch (error) { /* aborted or offline: the server resolves the text on submit */ }
  }
  input.addEventListener("input", () => {
    hidden.value = "";
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 150);
  });
  input.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown") { event.preventDefault(); highlight(Math.min(active + 1, items.length - 1)); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight(Math.max(active - 1, 0)); }
    else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(active); }
    else if (event.key === "Escape") { close(); }
  });
  input.addEventListener("blur", () => setTimeout(close, 100));
})();
