// Gives the admin's scripted inputs the name of their field's label, for screen readers
// (WCAG 4.1.2; axe: aria-input-field-name, label). The rich-text editor (Tiptap, a
// contenteditable textbox) and the search box of the autocomplete fields (select2) are
// created by script next to the field the <label for> points to, which is hidden.
(function () {
  "use strict";

  function labelOf(field) {
    if (!field || !field.id) return null;
    var label = document.querySelector('label[for="' + field.id + '"]');
    if (label && !label.id) label.id = field.id + "_label";
    return label;
  }

  function name(target, field) {
    if (target.hasAttribute("aria-labelledby") || target.hasAttribute("aria-label")) return;
    var label = labelOf(field);
    if (label) target.setAttribute("aria-labelledby", label.id);
  }

  function nameAll() {
    document.querySelectorAll("textarea[data-django-prose-editor-configurable], textarea[data-django-prose-editor]")
      .forEach(function (textarea) {
        var editor = textarea.parentElement && textarea.parentElement.querySelector('[role="textbox"][contenteditable]');
        if (editor) name(editor, textarea);
      });
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var box = select.nextElementSibling;
      if (!box) return;
      box.querySelectorAll(".select2-search__field").forEach(function (input) { name(input, select); });
    });
  }

  new MutationObserver(nameAll).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", nameAll);
})();
