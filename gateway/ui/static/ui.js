// consentgate workspace: the little JavaScript the pages use. Everything works without it;
// served from the gateway (the Content-Security-Policy allows no inline or foreign script).
"use strict";

// A form with data-confirm asks before it is sent (revoking a voice, suspending one).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
