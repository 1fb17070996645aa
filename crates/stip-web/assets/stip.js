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
  // A survey's answers are saved as a draft while they are typed: a moment after the last
  // change, and when the page is left. What the server said is announced politely.
  for (const form of document.querySelectorAll("form[data-autosave]")) {
    const status = document.getElementById("autosave-status");
    let timer = null;
    let sending = false;
    const save = async () => {
      timer = null;
      if (sending) { timer = setTimeout(save, 1000); return; }
      sending = true;
      const body = new URLSearchParams(new FormData(form));
      body.set("action", "autosave");
      try {
        // Not `form.action`: the buttons named "action" shadow it.
        const res = await fetch(form.getAttribute("action"), {
          method: "POST", body, credentials: "same-origin", keepalive: true,
          headers: { Accept: "application/json", "X-CSRF-Token": body.get("csrf") || "" },
        });
        const answer = res.headers.get("content-type")?.includes("json") ? await res.json() : {};
        if (status) {
          status.textContent = res.ok && answer.saved
            ? form.dataset.savedText.replace("%{at}", answer.at || "")
            : form.dataset.failedText;
        }
      } catch {
        if (status) status.textContent = form.dataset.failedText;
      } finally {
        sending = false;
      }
    };
    const later = () => { if (timer) clearTimeout(timer); timer = setTimeout(save, 1500); };
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("submit", () => { if (timer) clearTimeout(timer); timer = null; });
    window.addEventListener("pagehide", () => { if (timer) { clearTimeout(timer); save(); } });
  }
});
