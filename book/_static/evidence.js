// The {say} notes of book/_ext/evidence.py: a tap, a click, Enter or Space on the «fr» button
// keeps the document's words open (aria-expanded="true"); a second one, or Escape, closes them.
// Hover and keyboard focus show them too, through the stylesheet (site.css, "evidence notes").
(function () {
  "use strict";
  function toggle(button, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".say-toggle") : null;
    if (button) {
      toggle(button, button.getAttribute("aria-expanded") !== "true");
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = document.querySelectorAll('.say-toggle[aria-expanded="true"]');
    for (var i = 0; i < open.length; i++) toggle(open[i], false);
  });
})();
