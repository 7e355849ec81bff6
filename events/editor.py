"""The rich-text editor for descriptions (django-prose-editor, self-hosted) and what it needs under the CSP."""

from django_prose_editor.widgets import AdminProseEditorWidget
from js_asset import Media

# What the editor offers; events.sanitize keeps the same tags when the description is saved.
DESCRIPTION_EDITOR_CONFIG = {
    "extensions": {
        "Bold": True,
        "Italic": True,
        "Underline": True,
        "BulletList": True,
        "OrderedList": True,
        "Heading": {"levels": [3, 4]},
        "Blockquote": True,
        "ListItem": True,
        "HardBreak": True,
        "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
        "History": True,
    }
}


# The editor (Tiptap) injects one small base stylesheet as a <style> element; its hash is
# allowed on the pages with the editor, nothing else inline. A new editor version with other
# CSS shows up as a CSP violation in the browser tests, which fail on any.
EDITOR_CSP_UPDATE = {"style-src": ["'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"]}


class DescriptionEditor(AdminProseEditorWidget):
    """The rich-text editor (django-prose-editor, self-hosted); a plain textarea without JavaScript."""

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, config=DESCRIPTION_EDITOR_CONFIG, preset="configurable")


class DescriptionEditorAdminMixin:
    """For admins whose form uses DescriptionEditor: the editor's import map is an inline
    script and carries the request's CSP nonce; its base style is allowed by its hash."""

    def render_change_form(self, request, context, *args, **kwargs):
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        response = super().render_change_form(request, context, *args, **kwargs)
        response._csp_update = EDITOR_CSP_UPDATE
        return response
