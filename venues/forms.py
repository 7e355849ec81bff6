from django import forms

from events.forms import NormalisedTextMixin
from venues.models import Venue


class VenueAdminForm(NormalisedTextMixin, forms.ModelForm):
    """A saved venue as a manager types it; text normalised as on the event form."""

    class Meta:
        model = Venue
        fields = "__all__"  # noqa: DJ007 (the admin's fieldsets choose the fields)
