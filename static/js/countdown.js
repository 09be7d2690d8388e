// Live SLA countdowns: every <time data-due="ISO 8601"> ticks once a second, with no reload.
// The server renders each one already filled in (templatetags/ops.py `countdown`), so this only
// keeps it current: the remaining time, then — once past due — the time overdue, in red; a queue
// row holding a countdown that runs out is marked breached. Served from static/ (no inline script).
"use strict";

(() => {
  const pad = (n) => String(n).padStart(2, "0");

  function clockText(seconds, daysLabel) {
    const days = Math.floor(seconds / 86400);
    const rest = seconds % 86400;
    const clock = `${pad(Math.floor(rest / 3600))}:${pad(Math.floor((rest % 3600) / 60))}:${pad(rest % 60)}`;
    return days ? `${days} ${daysLabel} ${clock}` : clock;
  }

  function render(el, now) {
    const due = Date.parse(el.dataset.due);
    if (Number.isNaN(due)) {
      return;
    }
    const remaining = Math.round((due - now) / 1000);
    const late = remaining < 0;
    const soon = !late && remaining < Number(el.dataset.soon || 3600);
    const value = el.querySelector(".countdown__value");
    const label = el.querySelector(".countdown__label");
    if (value) {
      value.textContent = clockText(Math.abs(remaining), el.dataset.days || "d");
    }
    if (late !== el.classList.contains("countdown--late")) {
      el.classList.toggle("countdown--late", late);
      if (label) {
        label.textContent = late ? el.dataset.late : el.dataset.left;
      }
      const row = el.closest("[data-sla-row]");
      if (late && row) {
        row.classList.add("row--breached");
      }
    }
    el.classList.toggle("countdown--soon", soon);
  }

  function tick() {
    const now = Date.now();
    document.querySelectorAll("time[data-due]").forEach((el) => render(el, now));
  }

  tick();
  window.setInterval(tick, 1000);
  // A region swapped in by htmx shows the current time at once, not up to a second later.
  document.addEventListener("htmx:afterSettle", tick);
})();
