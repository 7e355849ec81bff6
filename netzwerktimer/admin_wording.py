"""The portal's own German for Django's admin buttons.

Django's German says "Sichern"; the event form's buttons said "Speichern", so a manager met
both words for one action. These msgids keep our wording in locale/ (LOCALE_PATHS comes
before Django's own catalogues): "Speichern" on every form.
"""

from django.utils.translation import gettext_noop

SUBMIT_BUTTONS = [
    gettext_noop("Save"),
    gettext_noop("Save as new"),
    gettext_noop("Save and add another"),
    gettext_noop("Save and continue editing"),
    gettext_noop("Save and view"),
]
