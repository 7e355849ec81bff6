// Series form: show only the rule fields that the chosen repetition uses. Without
// JavaScript all fields show, each with its help text.
(function () {
  "use strict";

  var USED = {
    weekly: ["interval", "weekday"],
    monthly_weekday: ["interval", "weekday", "week_of_month"],
    monthly_day: ["interval", "day_of_month"]
  };
  var RULE_FIELDS = ["weekday", "week_of_month", "day_of_month"];

  function start() {
    var frequency = document.getElementById("id_frequency");
    if (!frequency) return;
    function update() {
      var used = USED[frequency.value] || RULE_FIELDS;
      RULE_FIELDS.forEach(function (name) {
        var row = document.querySelector(".field-" + name);
        if (row) row.hidden = used.indexOf(name) === -1;
      });
    }
    frequency.addEventListener("change", update);
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
