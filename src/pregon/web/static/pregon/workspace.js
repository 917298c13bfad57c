// Workspace pages: let HTMX show a refused form in place, and move focus where it helps.
// (A static file, as the Content-Security-Policy allows no inline script.)
(function () {
  "use strict";
  // While settling a swap HTMX copies the old element's style attribute onto the new one; an
  // empty one is an inline style, which the Content-Security-Policy blocks (and logs).
  if (window.htmx) {
    window.htmx.config.attributesToSettle = ["class", "width", "height"];
  }
  // HTMX 2 does not swap 4xx responses by default; the workspace answers a refused form with
  // 400, 409 or 422 and the form, with its errors, to put in place of the old one.
  var SHOWN = { 400: true, 409: true, 422: true };
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (SHOWN[event.detail.xhr.status]) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  // After a swap, focus the first field in error, or else the section's heading, so that
  // keyboard and screen-reader users are not left on an element that no longer exists.
  document.addEventListener("htmx:afterSwap", function (event) {
    var root = document.getElementById(event.detail.target.id) || document;
    var invalid = root.querySelector("[aria-invalid='true']");
    var heading = root.querySelector("h2[tabindex='-1']");
    var target = invalid || heading;
    if (target) {
      target.focus();
    }
  });
})();
