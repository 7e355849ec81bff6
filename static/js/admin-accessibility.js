// What Django's admin and the description editor (django-prose-editor, Tiptap) leave short of
// WCAG 2.1 AA, and of German, mended where their scripts create it:
// - the editor's contenteditable textbox takes the name of its field's label (4.1.2);
// - the editor's toolbar speaks the page's language (German by default): button names and
//   tooltips, the block-type choice and the link dialog;
// - its icon buttons are named by their words, not by their icon font's ligature (2.5.3), and
//   say when they are unavailable (aria-disabled) instead of only looking faded;
// - the two-box choice (filter_horizontal) marks its search icon as an image (aria-prohibited-attr).
(function () {
  "use strict";

  var GERMAN = {
    "paragraph": "Absatzformat",
    "Paragraph": "Absatz",
    "Heading 3": "Überschrift 3",
    "Heading 4": "Überschrift 4",
    "unordered list": "Aufzählung",
    "ordered list": "Nummerierte Liste",
    "List properties": "Listeneigenschaften",
    "blockquote": "Zitat",
    "bold": "Fett",
    "italic": "Kursiv",
    "underline": "Unterstrichen",
    "insert link": "Link einfügen",
    "remove link": "Link entfernen",
    "undo": "Rückgängig",
    "redo": "Wiederholen",
    "Edit Link": "Link bearbeiten",
    "URL": "Adresse (URL)",
    "Title": "Titel",
    "Open in new window": "In neuem Fenster öffnen",
    "Update": "Übernehmen",
    "Insert": "Einfügen",
    "Cancel": "Abbrechen",
    "Toggle fullscreen": "Vollbild ein/aus"
  };
  var german = (document.documentElement.lang || "").toLowerCase().indexOf("de") === 0;

  function words(text) {
    return german && GERMAN[text] ? GERMAN[text] : text;
  }

  // The editor reads its dialog texts through gettext when it starts; this runs before it.
  if (german && typeof window.gettext === "function") {
    var gettext = window.gettext;
    window.gettext = function (text) {
      var translated = gettext(text);
      return translated === text ? words(text) : translated;
    };
  }

  function labelOf(field) {
    var label = field.id && document.querySelector('label[for="' + field.id + '"]');
    if (label && !label.id) label.id = field.id + "_label";
    return label || null;
  }

  function nameEditors() {
    document.querySelectorAll("textarea[data-django-prose-editor-configurable], textarea[data-django-prose-editor]")
      .forEach(function (textarea) {
        var editor = textarea.parentElement && textarea.parentElement.querySelector('[role="textbox"][contenteditable]');
        var label = editor && !editor.hasAttribute("aria-labelledby") && labelOf(textarea);
        if (label) editor.setAttribute("aria-labelledby", label.id);
      });
  }

  function mendToolbars() {
    document.querySelectorAll(".prose-menubar__button").forEach(function (button) {
      var current = button.getAttribute("aria-label") || button.title || "";
      var wanted = words(current);
      if (button.getAttribute("aria-label") !== wanted) button.setAttribute("aria-label", wanted);
      if (button.title !== wanted) button.title = wanted;
      // The icon's ligature ("format_bold") is drawn from an attribute (admin.css), not read as text.
      if (button.firstChild && button.firstChild.nodeType === Node.TEXT_NODE) {
        var icon = document.createElement("span");
        icon.setAttribute("aria-hidden", "true");
        icon.dataset.icon = button.firstChild.textContent;
        button.replaceChild(icon, button.firstChild);
      }
      var unavailable = button.classList.contains("disabled") ? "true" : "false";
      if (button.getAttribute("aria-disabled") !== unavailable) button.setAttribute("aria-disabled", unavailable);
    });
    document.querySelectorAll(".prose-menubar__option h3, .prose-menubar__option h4, .prose-menubar__option p")
      .forEach(function (option) {
        var translated = words(option.textContent);
        if (option.textContent !== translated) option.textContent = translated;
      });
  }

  function iconRoles() {
    document.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  function mendAll() {
    nameEditors();
    mendToolbars();
    iconRoles();
  }

  new MutationObserver(mendAll).observe(document.documentElement, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["class"]
  });
  document.addEventListener("DOMContentLoaded", mendAll);
})();
