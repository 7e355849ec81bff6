// Clash hints on the event form: while the dates are typed, ask the server which other
// networks' events and holds fall on that day and show the list under the date fields.
// Only a hint: nothing here blocks saving. Without JavaScript the list shows after saving.
(function () {
  "use strict";

  var FIELDS = ["id_starts_at_0", "id_starts_at_1", "id_ends_at_0", "id_ends_at_1", "id_is_all_day", "id_region", "id_owner", "id_network", "id_topics"];

  function value(id) {
    var element = document.getElementById(id);
    if (!element) return null;
    if (element.type === "checkbox") return element.checked ? "on" : "";
    if (element.classList.contains("checkbox-columns")) {
      return Array.prototype.map.call(element.querySelectorAll("input[type=checkbox]:checked"), function (box) { return box.value; });
    }
    if (element.multiple) {
      return Array.prototype.filter.call(element.options, function (o) { return o.selected; }).map(function (o) { return o.value; });
    }
    return element.value;
  }

  function query(container) {
    var params = new URLSearchParams();
    var names = {
      id_starts_at_0: "starts_at_0", id_starts_at_1: "starts_at_1", id_ends_at_0: "ends_at_0",
      id_ends_at_1: "ends_at_1", id_is_all_day: "is_all_day", id_region: "region", id_owner: "owner"
    };
    Object.keys(names).forEach(function (id) {
      var v = value(id);
      if (v) params.set(names[id], v);
    });
    // Events have an owner, holds a network: both are "the planning network", excluded from the hints.
    if (!params.get("owner") && value("id_network")) params.set("owner", value("id_network"));
    (value("id_topics") || []).forEach(function (pk) { if (pk) params.append("topics", pk); });
    if (container.dataset.exclude) params.set("exclude", container.dataset.exclude);
    return params.toString();
  }

  function placeContainer() {
    var container = document.getElementById("clash-hints");
    var anchor = document.querySelector(".field-is_all_day") || document.querySelector(".field-ends_at");
    // The read-only field sits last in the "Date and time" fieldset; move it right under the dates.
    if (container && anchor) {
      var row = container.closest(".form-row");
      if (row && row !== anchor && anchor.parentNode) anchor.parentNode.insertBefore(row, anchor.nextSibling);
    }
    return container;
  }

  function start() {
    var container = placeContainer();
    if (!container || !container.dataset.url || !document.getElementById("id_starts_at_0")) return;
    var last = null;
    var timer = null;
    var controller = null;

    function refresh() {
      var qs = query(container);
      if (qs === last) return;
      last = qs;
      if (controller) controller.abort();
      controller = new AbortController();
      container.classList.add("clash-hints__loading");
      container.setAttribute("aria-busy", "true");
      fetch(container.dataset.url + "?" + qs, {
        credentials: "same-origin",
        headers: { "X-Requested-With": "XMLHttpRequest" },
        signal: controller.signal
      })
        .then(function (response) {
          // A lapsed session answers with the login page (after a redirect): keep the old list.
          return response.ok && !response.redirected ? response.text() : Promise.reject(response.status);
        })
        .then(function (html) {
          container.innerHTML = html;
          container.classList.remove("clash-hints__loading");
          container.removeAttribute("aria-busy");
        })
        .catch(function (error) {
          if (error && error.name === "AbortError") return;
          container.classList.remove("clash-hints__loading");
          container.removeAttribute("aria-busy");
          last = null;
        });
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 300);
    }

    FIELDS.forEach(function (id) {
      var element = document.getElementById(id);
      if (!element) return;
      ["input", "change", "blur"].forEach(function (type) { element.addEventListener(type, later); });
    });
    // The calendar/clock shortcuts change values without native events.
    document.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest(".calendarbox, .clockbox, .datetimeshortcuts")) later();
    });
    if (value("id_starts_at_0")) refresh();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
