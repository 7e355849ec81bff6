// The saved venues of the manager's networks (the venues app) on the event form: a choice at the
// top of the place fields. Choosing a venue fills in the place and the accessibility details; they
// stay ordinary fields, which the manager may change for this event, and nothing is saved until the
// event is. Without saved venues (or without JavaScript) the form is as it always was.
//
// The venues are loaded from the venues admin beside the event admin on the same admin site
// (<admin>/venues/venue/choices/, admin:venues_venue_choices): the events app names this file and
// never imports the venues app. The words come with the venues, in the user's language.
(function () {
  "use strict";

  var PLACE_FIELDS = ["venue_name", "street", "postcode", "city", "region"];
  var CHECKBOXES = ["accessible_toilet", "induction_loop", "sign_language", "live_captions", "simple_language"];

  function choicesUrl() {
    var match = window.location.pathname.match(/^(.*\/)events\/event\/(?:add|.+\/change)\/$/);
    return match ? match[1] + "venues/venue/choices/" : null;
  }

  function setValue(field, value) {
    if (!field || field.value === value) return;
    field.value = value;
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function setChecked(field, checked) {
    if (!field || field.checked === checked) return;
    field.checked = checked;
    field.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function fill(form, venue) {
    PLACE_FIELDS.forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (name === "region" && field && !field.querySelector('option[value="' + CSS.escape(venue.region) + '"]')) return;
      setValue(field, venue[name] || "");
    });
    form.querySelectorAll('input[type=radio][name="step_free"]').forEach(function (radio) {
      setChecked(radio, radio.value === (venue.step_free || ""));
    });
    CHECKBOXES.forEach(function (name) {
      setChecked(form.elements.namedItem(name), Boolean(venue[name]));
    });
    setValue(form.elements.namedItem("accessibility_note"), venue.accessibility_note || "");
  }

  function option(venue) {
    var element = document.createElement("option");
    element.value = String(venue.id);
    element.textContent = venue.label;
    return element;
  }

  function build(form, anchorRow, data) {
    var texts = data.texts;
    var row = document.createElement("div");
    row.className = "form-row field-saved-venue";
    var inner = document.createElement("div");
    var flex = document.createElement("div");
    flex.className = "flex-container";
    var label = document.createElement("label");
    label.htmlFor = "id_saved_venue";
    label.textContent = texts.label + ":";
    var select = document.createElement("select");
    select.id = "id_saved_venue";
    // No name: not a field of the event, the browser sends nothing of it when the event is saved.
    select.setAttribute("aria-describedby", "id_saved_venue_helptext");
    var empty = document.createElement("option");
    empty.value = "";
    empty.textContent = texts.empty;
    select.appendChild(empty);
    var networks = [];
    data.venues.forEach(function (venue) {
      if (networks.indexOf(venue.network) < 0) networks.push(venue.network);
    });
    if (networks.length > 1) {
      networks.forEach(function (network) {
        var group = document.createElement("optgroup");
        group.label = network;
        data.venues.forEach(function (venue) {
          if (venue.network === network) group.appendChild(option(venue));
        });
        select.appendChild(group);
      });
    } else {
      data.venues.forEach(function (venue) { select.appendChild(option(venue)); });
    }
    flex.appendChild(label);
    flex.appendChild(select);
    inner.appendChild(flex);
    var help = document.createElement("div");
    help.className = "help";
    help.id = "id_saved_venue_helptext";
    help.textContent = texts.help;
    inner.appendChild(help);
    var status = document.createElement("div");
    status.className = "help venue-picker-status";
    status.setAttribute("role", "status");
    inner.appendChild(status);
    row.appendChild(inner);
    anchorRow.parentNode.insertBefore(row, anchorRow);

    select.addEventListener("change", function () {
      var venue = data.venues.filter(function (v) { return String(v.id) === select.value; })[0];
      if (!venue) {
        status.textContent = "";
        return;
      }
      fill(form, venue);
      status.textContent = texts.filled.replace("%(name)s", venue.name);
    });
  }

  function start() {
    var url = choicesUrl();
    var venueName = document.getElementById("id_venue_name");
    if (!url || !venueName || !venueName.form) return;
    var fieldset = venueName.closest("fieldset");
    var firstRow = fieldset && fieldset.querySelector(".form-row");
    if (!firstRow) return;
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        // A lapsed session answers with the login page (after a redirect): no picker.
        return response.ok && !response.redirected ? response.json() : Promise.reject(response.status);
      })
      .then(function (data) {
        if (data && data.venues && data.venues.length) build(venueName.form, firstRow, data);
      })
      .catch(function () {});
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
