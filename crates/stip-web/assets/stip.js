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
  if (filters && window.matchMedia("(min-width: 40rem)").matches) filters.open = true;
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
});
