// Console behaviour that needs a script, served from static/ (the CSP allows no inline script).
// Everything else is htmx attributes, <details> and the popover API.
"use strict";

// Copy the just-created progress link: its token is shown once and never stored.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) {
    return;
  }
  const field = document.querySelector(button.dataset.copy);
  if (!field) {
    return;
  }
  field.focus();
  field.select();
  const copied = () => {
    if (button.dataset.copied) {
      button.textContent = button.dataset.copied;
    }
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(copied, () => {});
  } else {
    copied(); // the text is selected: Ctrl/Cmd+C finishes the job
  }
});

// The phone menu: the toggle shows once a script runs, and the narrow layout hides the menu until
// it is opened (app.css, `.topbar--menu`); without a script the menu simply stays open.
(() => {
  const toggle = document.querySelector(".menu-toggle");
  const topbar = toggle && toggle.closest(".topbar");
  if (!toggle || !topbar) {
    return;
  }
  toggle.hidden = false;
  topbar.classList.add("topbar--menu");
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    topbar.classList.toggle("topbar--menu-open", open);
  });
})();
