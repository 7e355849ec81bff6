"""Accessibility details of an event's place and programme: one set of fields, shared by the event
and by a network's saved venues (venues.Venue), read in words wherever they are shown.

Step-free access has four answers ("not known" is the honest default of every event written before
the details existed and of every import); the other details are yes-or-not-said. A filter asks for
features (FEATURES); a person who needs two of them needs both, so chosen features combine with AND.
"""

import operator

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StepFree(models.TextChoices):
    UNKNOWN = "", _("not known")
    YES = "yes", _("yes")
    PARTLY = "partly", _("partly")
    NO = "no", _("no")


# What a filter may ask for: its code in the URL, its label (a chip, a checkbox), and the field and
# value a row has when it offers the feature.
FEATURES = {
    "stufenlos": (pgettext_lazy("accessibility", "Step-free access"), "step_free", StepFree.YES),
    "wc": (pgettext_lazy("accessibility", "Accessible toilet"), "accessible_toilet", True),
    "hoerschleife": (pgettext_lazy("accessibility", "Induction loop"), "induction_loop", True),
    "dgs": (pgettext_lazy("accessibility", "Sign-language interpretation (DGS)"), "sign_language", True),
    "untertitel": (pgettext_lazy("accessibility", "Live captions"), "live_captions", True),
    "leichte-sprache": (pgettext_lazy("accessibility", "Simple language"), "simple_language", True),
}

# The model fields of the details, in the order forms show them (a saved venue copies these).
FIELDS = (
    "step_free",
    "accessible_toilet",
    "induction_loop",
    "sign_language",
    "live_captions",
    "simple_language",
    "accessibility_note",
)


class AccessibilityDetails(models.Model):
    step_free = models.CharField(
        _("step-free access"), max_length=10, choices=StepFree.choices, default=StepFree.UNKNOWN, blank=True
    )
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    induction_loop = models.BooleanField(
        _("induction loop"), default=False, help_text=_("A hearing loop for people with hearing aids.")
    )
    sign_language = models.BooleanField(_("sign-language interpretation (DGS)"), default=False)
    live_captions = models.BooleanField(_("live captions"), default=False)
    simple_language = models.BooleanField(_("material in simple language"), default=False)
    accessibility_note = models.CharField(
        _("note on accessibility"),
        max_length=300,
        blank=True,
        help_text=_("For example: Rampe am Seiteneingang, Aufzug bis 2. OG."),
    )

    class Meta:
        abstract = True

    def accessibility_lines(self):
        """The details in words, one line each, in the reader's language; empty when nothing is known."""
        return accessibility_lines(self)

    def has_feature(self, code):
        return has_feature(self, code)


def has_feature(details, code):
    """Whether details (an event, a venue, a feed's plain row) offer the feature with this code."""
    _label, field, value = FEATURES[code]
    return getattr(details, field) == value


_details = operator.attrgetter(*FIELDS)


def has_accessibility_details(details):
    """Whether anything is known of the details (a step-free answer, a feature, a note).

    Every unknown value is falsy ("", False), so one attrgetter answers: the feeds ask it of every event.
    """
    return any(_details(details))


def accessibility_lines(details):
    """The details in words, one line each, in the active language; empty when nothing is known.

    Reads the fields only, so the feeds' plain rows use it as the model does.
    """
    lines = []
    if details.step_free:
        lines.append(_("Step-free access: %(answer)s") % {"answer": StepFree(details.step_free).label})
    features = [code for code, (_label, field, _value) in FEATURES.items() if field != "step_free"]
    lines += [str(FEATURES[code][0]) for code in features if has_feature(details, code)]
    if details.accessibility_note:
        lines.append(details.accessibility_note)
    return lines


def accessibility_query(codes):
    """The rows that have every feature in codes (unknown codes are the filter's to refuse)."""
    query = Q()
    for code in codes:
        _label, field, value = FEATURES[code]
        query &= Q(**{field: value})
    return query
