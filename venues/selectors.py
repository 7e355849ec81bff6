"""The saved venues a user may pick: those of the networks the user acts for (networks.permissions)."""

from events.accessibility import FIELDS as ACCESSIBILITY_FIELDS
from networks.permissions import networks_for_user
from venues.models import Venue


def venues_for_user(user):
    """A coordinator's: all; a manager's: those of the own networks; anyone else's: none."""
    return Venue.objects.filter(network__in=networks_for_user(user)).select_related("network")


def venue_choice(venue):
    """What the picker copies into the event form: the field values under the event's field names."""
    return {
        "id": venue.pk,
        "name": venue.name,
        "label": ", ".join(part for part in (venue.name, venue.city) if part),
        "network": venue.network.short_name,
        "venue_name": venue.name,
        "street": venue.street,
        "postcode": venue.postcode,
        "city": venue.city,
        "region": venue.region,
        **{field: getattr(venue, field) for field in ACCESSIBILITY_FIELDS},
    }


def venue_choices_for_user(user):
    return [venue_choice(venue) for venue in venues_for_user(user).order_by("network__short_name", "name", "pk")]
