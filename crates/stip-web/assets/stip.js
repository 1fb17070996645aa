// Stip's progressive enhancement: everything works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Ask before a destructive form is sent.
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
  // Bring a form's error summary, conflict or "saved" notice into view and focus, so a screen
  // reader reads it.
  const notice = document.getElementById("error-summary") || document.getElementById("conflict")
    || document.getElementById("saved");
  if (notice) notice.focus();
  // The filters are open on wide screens; on a phone they wait behind their button, so the
  // results come first.
  const filters = document.getElementById("filters");
  if (filters && "openWide" in filters.dataset && window.matchMedia("(min-width: 40rem)").matches) filters.open = true;
  // After filtering, focus the number of results, so a screen reader says what was found.
  const count = document.getElementById("result-count");
  if (filters) {
    filters.querySelector("form").addEventListener("submit", () => {
      sessionStorage.setItem("stip-filtered", "1");
    });
  }
  if (count && !notice && sessionStorage.getItem("stip-filtered")) {
    sessionStorage.removeItem("stip-filtered");
    count.focus();
  }
  // An institution typed by name: in a large network the page offers no names, so suggest
  // the ones that match as the name is typed (the server also takes a part of a name).
  for (const input of document.querySelectorAll("input[data-suggest]")) {
    const list = document.getElementById(input.getAttribute("list"));
    if (!list || list.options.length > 0) continue;
    let all = null;
    const load = () => all || (all = fetch(input.dataset.suggest, { headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : []))
      .catch(() => []));
    input.addEventListener("focus", load, { once: true });
    input.addEventListener("input", async () => {
      const typed = input.value.trim().toLowerCase();
      const institutions = await load();
      list.replaceChildren(...(typed.length < 2 ? [] : institutions
        .filter((i) => i.name.toLowerCase().includes(typed) || i.brin.toLowerCase().startsWith(typed))
        .slice(0, 20)
        .map((i) => { const o = document.createElement("option"); o.value = i.name; o.label = i.brin; return o; })));
    });
  }
});
