"""A network's usual places: name, address, region and accessibility details, kept once and copied
into an event's place fields by the picker on the event form (static/js/venue-picker.js). The event
keeps its own copy: changing a saved venue later changes no event."""

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from events.accessibility import AccessibilityDetails
from events.models import Region

# A saved venue is a place one goes to: "online" is no region of it.
VENUE_REGIONS = [(value, label) for value, label in Region.choices if value != Region.ONLINE]


class Venue(AccessibilityDetails):
    network = models.ForeignKey(
        "networks.Network", verbose_name=_("network"), related_name="venues", on_delete=models.CASCADE
    )
    name = models.CharField(_("venue"), max_length=200, help_text=_("As it should appear on the event page."))
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=30, choices=VENUE_REGIONS, blank=True)

    class Meta:
        verbose_name = _("saved venue")
        verbose_name_plural = _("saved venues")
        ordering = [Lower("name"), "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "network",
                name="venues_venue_name_unique_per_network",
                violation_error_message=_("Your network already has a saved venue of this name."),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def town(self):
        return " ".join(part for part in (self.postcode, self.city) if part)
