// Stip's progressive enhancement: everything works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Ask before a destructive form is sent (also one a live page put in after loading).
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
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
  // A project picked by name: in a large network the page brings no suggestions, so the
  // projects whose title or text has what is typed are asked for as one types (only those the
  // person may see come back).
  for (const input of document.querySelectorAll("input[data-search]")) {
    const list = document.getElementById(input.getAttribute("list"));
    if (!list || list.options.length > 0) continue;
    let timer = null;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      const typed = input.value.trim();
      if (typed.length < 2) { list.replaceChildren(); return; }
      timer = setTimeout(() => {
        fetch(input.dataset.search + encodeURIComponent(typed), { headers: { Accept: "application/json" } })
          .then((r) => (r.ok ? r.json() : { items: [] }))
          .then((page) => list.replaceChildren(...(page.items || []).map((p) => {
            const o = document.createElement("option");
            o.value = `${p.title} — ${p.institution_name}`;
            return o;
          })))
          .catch(() => {});
      }, 200);
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
  // The projector's board: its type made smaller, step by step, until everything on it fits
  // the screen without scrolling (where the board scrolls at all: on a phone the page does).
  const fit = () => {
    for (const board of document.querySelectorAll("[data-fit]")) {
      board.style.fontSize = "";
      if (getComputedStyle(board).overflowY === "visible") continue;
      const over = () => board.scrollHeight > board.clientHeight + 1 || board.scrollWidth > board.clientWidth + 1;
      for (let size = 100; over() && size > 25; size -= 5) board.style.fontSize = `${size - 5}%`;
      // A name too long for its column (names never break inside a word) gets smaller type of
      // its own.
      for (const name of board.querySelectorAll("h2, .theme-name")) {
        name.style.fontSize = "";
        for (let size = 100; name.scrollWidth > name.clientWidth + 1 && size > 40; size -= 5) name.style.fontSize = `${size - 5}%`;
      }
    }
  };
  fit();
  window.addEventListener("resize", fit);
  // A live workshop: the page follows the workshop's events and takes the changed part of
  // itself from the server again (the server's HTML stays the one truth; without this file
  // the page works by reloading). Typed text, focus and open notes survive the swap; what
  // changed is announced politely.
  const live = document.getElementById("live");
  if (live && live.dataset.live && "EventSource" in window) {
    const status = document.getElementById("live-status");
    let pending = null;
    let said = new Set();
    // `kept`: a refresh after someone else's change keeps what this page last said to its
    // reader (a refused dot and why) until they act again.
    const swap = (html, kept = false) => {
      const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("live");
      if (!fresh) return;
      const notice = kept ? live.querySelector("#dot-refused") : null;
      if (notice && !fresh.querySelector("#dot-refused")) {
        const place = fresh.querySelector("#dots-left");
        // Said once already: kept in view, not said again.
        const copy = notice.cloneNode(true);
        copy.removeAttribute("data-say");
        if (place) place.after(copy);
      }
      const active = document.activeElement && live.contains(document.activeElement) ? document.activeElement : null;
      const activeId = active && active.id;
      const activeAction = active && active.form && !active.id ? active.form.getAttribute("action") + "|" + (active.form.querySelector("[name=theme]")?.value || "") : null;
      const selection = active && "selectionStart" in active ? [active.selectionStart, active.selectionEnd] : null;
      for (const field of live.querySelectorAll("textarea[id], input[type=text][id], select[id]")) {
        const twin = fresh.querySelector("#" + CSS.escape(field.id));
        if (twin && field.value && field.value !== field.defaultValue) twin.value = field.value;
      }
      for (const open of live.querySelectorAll("details[open]")) {
        const li = open.closest("[id]");
        const twin = li && fresh.querySelector("#" + CSS.escape(li.id) + " details");
        if (twin) twin.open = true;
      }
      const phaseBefore = document.getElementById("phase-now")?.textContent;
      live.replaceChildren(...fresh.childNodes);
      enhance();
      fit();
      // What the new part says of itself (a refused dot and why).
      for (const el of live.querySelectorAll("[data-say]")) said.add(el.dataset.say);
      let target = activeId ? document.getElementById(activeId) : null;
      if (!target && activeAction) {
        const [action, theme] = activeAction.split("|");
        for (const form of live.querySelectorAll("form")) {
          if (form.getAttribute("action") === action && (form.querySelector("[name=theme]")?.value || "") === theme) {
            target = form.querySelector("button:not([disabled])"); break;
          }
        }
      }
      if (target) {
        target.focus({ preventScroll: true });
        if (selection && "setSelectionRange" in target) { try { target.setSelectionRange(...selection); } catch {} }
      }
      const phaseNow = document.getElementById("phase-now")?.textContent;
      if (phaseBefore !== phaseNow) said.add((status?.dataset.sayPhase || "") + " " + phaseNow);
      if (status && said.size) status.textContent = [...said].join(" ");
      said = new Set();
    };
    const refresh = () => {
      pending = null;
      fetch(location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then((r) => (r.ok ? r.text() : null))
        .then((html) => { if (html) swap(html, true); })
        .catch(() => {});
    };
    const later = (name) => {
      // data-say-note_removed is dataset.sayNote_removed.
      const text = status?.dataset["say" + name[0].toUpperCase() + name.slice(1)];
      if (text && name !== "phase") said.add(text);
      if (!pending) pending = setTimeout(refresh, 120);
    };
    const stream = new EventSource(live.dataset.live);
    for (const name of ["joined", "phase", "note", "note_removed", "dot", "revealed", "priorities", "left", "totals", "grouped", "together"]) {
      stream.addEventListener(name, () => later(name));
    }
    // A form in the live part is sent in the background; the answer is the page as it is now.
    const enhance = () => {
      for (const form of live.querySelectorAll("form[data-live-form]")) {
        form.addEventListener("submit", async (event) => {
          event.preventDefault();
          // Sent once (a second press waits for the answer). Not by disabling the button: that
          // would take the keyboard focus away, which the swap puts back on the same button.
          if (form.dataset.sending) return;
          form.dataset.sending = "1";
          const body = new URLSearchParams(new FormData(form));
          try {
            const res = await fetch(form.getAttribute("action"), {
              method: "POST", body, credentials: "same-origin", headers: { Accept: "text/html" },
            });
            const html = await res.text();
            // A refused note comes back with its message; a sent one with an empty field.
            for (const t of form.querySelectorAll("textarea")) if (res.ok) { t.value = ""; t.defaultValue = ""; }
            swap(html);
            if (!res.ok) document.getElementById("error-summary")?.focus();
          } catch {
            delete form.dataset.sending;
            form.submit();
          }
        });
      }
    };
    enhance();
  }
});
