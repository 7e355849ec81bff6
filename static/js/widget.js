// Netzwerk-Timer widget: <div data-netzwerk-timer="network=…"></div> plus this script.
// Renders the upcoming events as a plain list into the div; the page's own fonts and
// colours apply (no styles are added). No dependencies, no cookies, nothing else loaded.
(function () {
  "use strict";
  var script = document.currentScript;
  var origin = script ? new URL(script.src).origin : "";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function link(href, text, hint) {
    var a = el("a", "", text);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener";
    var hidden = el("span", "nwt-widget__hidden", " " + hint);
    // Visually hidden without a style sheet: only screen readers announce it.
    hidden.style.cssText = "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap";
    a.appendChild(hidden);
    return a;
  }

  function render(box, data, detailed) {
    var labels = data.labels;
    box.textContent = "";
    if (!data.events.length) {
      box.appendChild(el("p", "nwt-widget__empty", labels.empty));
    } else {
      var list = el("ul", "nwt-widget__list");
      data.events.forEach(function (event) {
        var item = el("li", "nwt-widget__event nwt-widget__event--" + event.status);
        item.appendChild(link(event.url, event.title, labels.new_tab));
        item.appendChild(document.createTextNode(" "));
        item.appendChild(el("span", "nwt-widget__when", (event.status_label ? event.status_label + " · " : "") + event.when));
        if (detailed && event.image) {
          var picture = el("img", "nwt-widget__image");
          picture.src = event.image.url;
          picture.alt = event.image.alt;
          picture.width = event.image.width;
          picture.height = event.image.height;
          picture.loading = "lazy";
          // Sized without a style sheet of ours: the embedding site's styles stay in charge of the rest.
          picture.style.cssText = "display:block;max-width:8rem;height:auto;margin:0.3rem 0";
          item.appendChild(picture);
        }
        if (detailed) {
          item.appendChild(document.createTextNode(" "));
          item.appendChild(el("span", "nwt-widget__details", [event.place, event.organisers].filter(Boolean).join(" · ")));
        }
        list.appendChild(item);
      });
      box.appendChild(list);
    }
    var footer = el("p", "nwt-widget__footer");
    footer.appendChild(link(data.list_url, labels.more, labels.new_tab));
    if (data.subscribe_url) {
      footer.appendChild(document.createTextNode(" · "));
      footer.appendChild(link(data.subscribe_url, labels.subscribe, labels.new_tab));
    }
    box.appendChild(footer);
  }

  function load(box) {
    if (box.getAttribute("data-nwt-loaded")) { return; }
    box.setAttribute("data-nwt-loaded", "1");
    var params = new URLSearchParams(box.getAttribute("data-netzwerk-timer") || "");
    ["number", "layout", "lang", "subscribe"].forEach(function (name) {
      var value = box.getAttribute("data-" + name);
      if (value !== null) { params.set(name, value); }
    });
    var detailed = params.get("layout") === "detailed";
    box.setAttribute("aria-busy", "true");
    fetch(origin + "/widget/events.json?" + params.toString(), { credentials: "omit" })
      .then(function (response) {
        if (!response.ok) { throw new Error("Netzwerk-Timer widget: HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) { render(box, data, detailed); })
      .catch(function (error) { box.textContent = ""; if (window.console) { console.warn(error.message); } })
      .then(function () { box.removeAttribute("aria-busy"); });
  }

  function init() {
    var boxes = document.querySelectorAll("[data-netzwerk-timer]");
    for (var i = 0; i < boxes.length; i++) { load(boxes[i]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
