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

// Regions that refresh themselves (polling, or an event from another region) never throw away what
// a person is typing: `data-keep-typing` marks them, and while a field in one has the focus or
// differs from what the server rendered, its refresh is skipped (and a reply that arrives
// meanwhile is not swapped in). The next refresh after the person is done brings it up to date.
const typingIn = (region) => {
  const active = document.activeElement;
  if (active && region.contains(active) && active.matches("input, textarea, select")) {
    return true;
  }
  for (const field of region.querySelectorAll("input:not([type=hidden]), textarea, select")) {
    if (field.type === "checkbox" || field.type === "radio") {
      if (field.checked !== field.defaultChecked) {
        return true;
      }
    } else if (field.tagName === "SELECT") {
      if (Array.from(field.options).some((option) => option.selected !== option.defaultSelected)) {
        return true;
      }
    } else if (field.value !== field.defaultValue) {
      return true;
    }
  }
  return false;
};

// The region's own refresh: it asked, and it is what would be replaced. (htmx fires beforeSwap
// on the target, so the element that asked is read from the request's configuration.)
const ownRefresh = (detail) => {
  const asker = detail.requestConfig ? detail.requestConfig.elt : detail.elt;
  const keeps = asker && asker.hasAttribute && asker.hasAttribute("data-keep-typing");
  return keeps && detail.target === asker ? asker : null;
};

document.addEventListener("htmx:confirm", (event) => {
  const region = ownRefresh(event.detail);
  if (region && typingIn(region)) {
    event.preventDefault();
  }
});

document.addEventListener("htmx:beforeSwap", (event) => {
  const region = ownRefresh(event.detail);
  if (region && typingIn(region)) {
    event.detail.shouldSwap = false;
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
