// Copy button of the subscribe box. Without JavaScript the button stays hidden
// and the read-only field can be selected and copied by hand.
//
// One listener on the document and a class on <html> instead of per-button set-up:
// calendar.js replaces the results (and the subscribe box inside them) after every
// filter change, and the fresh buttons must work without being set up again.
(function () {
  "use strict";
  document.documentElement.classList.add("can-copy");

  function copy(button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    var status = button.parentNode.querySelector(".subscribe-copy-status");
    if (!field) return;
    function done() {
      if (status) status.textContent = button.getAttribute("data-copied-text");
    }
    function fallback() {
      document.execCommand("copy");
      done();
    }
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, fallback);
    } else {
      fallback();
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".subscribe-copy-button");
    if (button) copy(button);
  });
})();
