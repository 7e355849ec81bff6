// Progressive enhancement of the filter form: results update in place and the
// address follows. Without JavaScript the form submits normally.
(function () {
  "use strict";
  // On narrow screens the filter starts folded, so that the results come first;
  // it stays open when the address carries a filter (a shared link shows what it filters).
  var panel = document.querySelector("[data-filter-panel]");
  var narrow = window.matchMedia("(max-width: 59.99rem)");
  if (panel && !panel.hasAttribute("data-has-errors") && !panel.hasAttribute("data-active") && narrow.matches) {
    panel.open = false;
  }
  if (panel && narrow.addEventListener) {
    // Back on a wide screen, the sidebar shows the filter again.
    narrow.addEventListener("change", function () {
      if (!narrow.matches) panel.open = true;
    });
  }

  // On a wide screen the sidebar is sticky and scrolls itself; it must end at the bottom of
  // the screen wherever it starts (below the heading and chips until the page scrolls), or
  // its sticky buttons sit below the fold. --filters-top says where it starts.
  var sidebar = document.querySelector(".filters");
  var fitting = false;
  function fitSidebar() {
    fitting = false;
    if (!sidebar) return;
    var top = Math.max(sidebar.getBoundingClientRect().top, 16);
    sidebar.style.setProperty("--filters-top", Math.round(top) + "px");
  }
  function scheduleFit() {
    if (fitting) return;
    fitting = true;
    window.requestAnimationFrame(fitSidebar);
  }
  if (sidebar) {
    fitSidebar();
    window.addEventListener("scroll", scheduleFit, { passive: true });
    window.addEventListener("resize", scheduleFit);
  }

  var form = document.querySelector("[data-filter-form]");
  if (!form || !window.fetch || !window.DOMParser || !window.history.replaceState) return;

  var live = document.createElement("p");
  live.className = "visually-hidden";
  live.setAttribute("role", "status");
  form.parentNode.insertBefore(live, form);

  var controller = null;
  var timer = null;

  function targetUrl() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (value !== "") params.append(name, value);
    });
    var query = params.toString();
    return form.getAttribute("action") + (query ? "?" + query : "");
  }

  function update() {
    var url = targetUrl();
    var results = document.getElementById("results");
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    if (results) results.setAttribute("aria-busy", "true");
    fetch(url, { headers: { "X-Requested-With": "fetch" }, signal: controller && controller.signal })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-swap]").forEach(function (old) {
          var fresh = old.id && doc.getElementById(old.id);
          if (fresh) old.replaceWith(document.importNode(fresh, true));
        });
        if (doc.title) document.title = doc.title;
        var count = document.querySelector("[data-count]");
        if (count) live.textContent = count.textContent.trim();
        window.history.replaceState(null, "", url);
      })
      .catch(function (error) {
        if (error.name !== "AbortError") window.location.href = url;
      });
  }

  // A chip's × clears its value in the form, so that form, results and address agree.
  function removeFilter(chip) {
    var name = chip.getAttribute("data-remove-param");
    var value = chip.getAttribute("data-remove-value");
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!chip.hasAttribute("data-remove-all") && field.name !== name) return;
      if (!field.name) return;
      if (field.type === "checkbox") {
        if (!value || field.value === value) field.checked = false;
      } else if (field.tagName === "SELECT") {
        field.selectedIndex = 0;
      } else if (field.type !== "submit" && field.type !== "button") {
        field.value = "";
      }
    });
    update();
  }

  document.addEventListener("click", function (event) {
    var chip = event.target.closest && event.target.closest("[data-remove-param], [data-remove-all]");
    if (!chip) return;
    event.preventDefault();
    removeFilter(chip);
  });

  form.addEventListener("change", function (event) {
    if (event.target.type === "search") return;
    update();
  });
  form.addEventListener("input", function (event) {
    if (event.target.type !== "search") return;
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 350);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    update();
    // On a narrow screen the results are below the long form: the button
    // ("12 Veranstaltungen anzeigen") folds the filter and goes to them.
    if (panel && narrow.matches) {
      panel.open = false;
      var heading = document.getElementById("results-heading");
      var results = document.getElementById("results");
      if (results) results.scrollIntoView({ block: "start" });
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus({ preventScroll: true });
      }
    }
  });
})();
