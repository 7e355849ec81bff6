// German slugs in the admin: "Thüringen" becomes "thueringen", as German readers
// expect, not "thuringen" (Django's URLify drops the umlaut's dots). Wraps the
// function that prepopulate.js calls while the name is typed.
(function () {
  "use strict";
  var urlify = window.URLify;
  if (!urlify) return;
  var GERMAN = { "ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS" };
  window.URLify = function (text, length, allowUnicode) {
    var german = String(text).replace(/[äöüÄÖÜßẞ]/g, function (letter) { return GERMAN[letter]; });
    return urlify(german, length, allowUnicode);
  };
})();
