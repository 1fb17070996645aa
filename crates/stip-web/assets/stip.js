// Stip's progressive enhancement: everything works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Ask before a destructive form is sent.
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
  // Bring a form's error summary or conflict notice into view and focus, so a screen reader reads it.
  const notice = document.getElementById("error-summary") || document.getElementById("conflict");
  if (notice) notice.focus();
});
