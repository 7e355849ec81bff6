from django.contrib import admin
from django.http import JsonResponse
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.accessibility import FIELDS as ACCESSIBILITY_FIELDS
from networks.admin import NetworkScopedAdmin
from venues.forms import VenueAdminForm
from venues.models import Venue
from venues.selectors import venue_choices_for_user


@admin.register(Venue)
class VenueAdmin(NetworkScopedAdmin):
    """A network's usual places; its managers keep them, the coordinator sees all.

    The event form offers them through static/js/venue-picker.js, which loads the user's venues from
    `choices/` (admin:venues_venue_choices) beside this admin's own pages: the events app names the
    script as a file and never imports this app.
    """

    form = VenueAdminForm
    list_display = ["name", "street", "town", "region", "network"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter), "region"]
    list_select_related = ["network"]
    search_fields = ["name", "street", "city"]
    radio_fields = {"step_free": admin.HORIZONTAL}
    fieldsets = [
        (_("Place"), {"fields": ["network", "name", "street", "postcode", "city", "region"]}),
        (
            _("Accessibility"),
            {
                "fields": list(ACCESSIBILITY_FIELDS),
                "description": _(
                    "What people with a disability need to know before they come. Only tick what is certain; "
                    "an event copies these details when you choose the venue and may change them."
                ),
            },
        ),
    ]

    @admin.display(description=_("postcode and city"), ordering="city")
    def town(self, obj):
        return obj.town

    def get_urls(self):
        choices = self.admin_site.admin_view(self.choices_view)
        return [path("choices/", choices, name="venues_venue_choices"), *super().get_urls()]

    def choices_view(self, request):
        """The user's saved venues for the picker on the event form, with the picker's words."""
        return JsonResponse(
            {
                "venues": venue_choices_for_user(request.user),
                "texts": {
                    "label": gettext("Use a saved venue"),
                    "empty": gettext("– choose a venue –"),
                    "help": gettext(
                        "Fills in the place and the accessibility details below. "
                        "You can change them afterwards for this event; nothing is saved until you save the event."
                    ),
                    "filled": gettext("“%(name)s” filled in. Check the details below and change them if needed."),
                },
            }
        )
