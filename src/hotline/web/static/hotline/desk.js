// Keyboard-first desk: "/" focuses the search box; arrows move through results; Enter opens one.
(function () {
  "use strict";
  let selected = -1;

  function rows() {
    const list = document.querySelector("[data-keyboard-list]");
    return list ? Array.from(list.querySelectorAll("tbody tr[data-href]")) : [];
  }

  function select(index) {
    const all = rows();
    if (!all.length) return;
    selected = Math.max(0, Math.min(index, all.length - 1));
    all.forEach((row, i) => row.classList.toggle("selected", i === selected));
    all[selected].scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("keydown", (event) => {
    const typing = ["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName);
    if (event.key === "/" && !typing) {
      const box = document.getElementById("id_q");
      if (box) { event.preventDefault(); box.focus(); box.select(); }
    } else if (event.key === "ArrowDown" && rows().length) {
      event.preventDefault(); select(selected + 1);
    } else if (event.key === "ArrowUp" && rows().length) {
      event.preventDefault(); select(selected - 1);
    } else if (event.key === "Enter" && selected >= 0 && rows()[selected]) {
      event.preventDefault(); window.location = rows()[selected].dataset.href;
    } else if (event.key === "Escape" && typing) {
      document.activeElement.blur();
    }
  });

  document.addEventListener("click", (event) => {
    const row = event.target.closest("tr[data-href]");
    if (row && !event.target.closest("a")) window.location = row.dataset.href;
  });

  document.addEventListener("htmx:afterSwap", () => { selected = -1; });
})();

// Work-order desk: single-key shortcuts, Enter to submit a description, and the editing flag
// the screen-pop poller sends so that a ringing call never navigates away from unsaved input.
(function () {
  "use strict";

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const typing = ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName) || target.isContentEditable;
    if (target.matches && target.matches("textarea[data-enter-submits]") && event.key === "Enter"
        && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      // Shift+Enter keeps a new line; Enter while an input method composes picks a candidate.
      event.preventDefault();
      target.form.requestSubmit();
      return;
    }
    if (typing || event.ctrlKey || event.altKey || event.metaKey) return;
    const shortcut = document.querySelector(`[data-shortcut="${CSS.escape(event.key.toLowerCase())}"]`);
    if (shortcut) { event.preventDefault(); shortcut.click(); }
  });

  document.addEventListener("input", (event) => {
    const form = event.target.closest && event.target.closest("form");
    if (form && form.method.toLowerCase() === "post") document.body.dataset.editing = "1";
  });
})();
