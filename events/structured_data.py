"""schema.org `Event` as JSON-LD: the one translation of an event into schema.org, for the event page
(search engines, calendar tools) and the open-data distribution (opendata/)."""

from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from events.accessibility import FEATURES, StepFree, accessibility_lines, has_feature
from events.models import Event
from events.sanitize import html_to_text, http_url
from netzwerktimer.text import normalise_data, normalise_line

EVENT_STATUS = {
    Event.Status.SCHEDULED: "https://schema.org/EventScheduled",
    Event.Status.CANCELLED: "https://schema.org/EventCancelled",
    Event.Status.POSTPONED: "https://schema.org/EventPostponed",
}
ATTENDANCE_MODE = {
    Event.Format.ONSITE: "https://schema.org/OfflineEventAttendanceMode",
    Event.Format.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Event.Format.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}
LANGUAGES = {"de": "de", "en": "en", "de-en": ["de", "en"]}

# schema.org's two kinds of event, by the words in the event type's slug. Types are edited in the
# admin, so a word finds new types too ("fachtagung", "webinar"); the first kind that matches wins,
# and an event without a type, or of a type no word names, is a plain Event.
SCHEMA_TYPES = (
    ("EducationEvent", ("seminar", "workshop", "schulung", "kurs", "training", "vortrag", "webinar")),
    (
        "BusinessEvent",
        ("tagung", "messe", "treffen", "forum", "stammtisch", "arbeitskreis", "konferenz", "kongress", "auftakt"),
    ),
)


def schema_type(event_type):
    """The schema.org kind of an EventType (or None): EducationEvent, BusinessEvent or Event."""
    if event_type is not None:
        for kind, words in SCHEMA_TYPES:
            if any(word in event_type.slug for word in words):
                return kind
    return "Event"


def _moment(event, value):
    local = timezone.localtime(value)
    return local.date().isoformat() if event.is_all_day else local.isoformat()


def _place(event):
    address = {
        "@type": "PostalAddress",
        "streetAddress": event.street,
        "postalCode": event.postcode,
        "addressLocality": event.city,
        "addressRegion": "Thüringen",
        "addressCountry": "DE",
    }
    place = {
        "@type": "Place",
        "name": event.venue_name or event.city,
        "address": {key: value for key, value in address.items() if value},
    }
    features = _amenity_features(event)
    if features:
        place["amenityFeature"] = features
    return place


# The details that belong to the place rather than the programme (interpreters, captions and
# simple language are the event's and go into its description).
PLACE_FEATURES = ("wc", "hoerschleife")
STEP_FREE_VALUES = {StepFree.YES: True, StepFree.NO: False, StepFree.PARTLY: "teilweise"}


def _amenity_features(event):
    """The physical accessibility of the place as schema.org's amenityFeature: one
    LocationFeatureSpecification per detail, which is what tourism vocabularies read (schema.org has
    no property for physical access to an event). Step-free access with its answer (yes true, no
    false, partly the word), the toilet and the induction loop when offered, the note as text. What
    is not said is left out rather than written as false. The names are the portal's German labels,
    the same in every interface language.
    """

    def feature(name, value):
        return {"@type": "LocationFeatureSpecification", "name": str(name), "value": value}

    with translation.override("de"):
        features = []
        if event.step_free:
            features.append(feature(FEATURES["stufenlos"][0], STEP_FREE_VALUES[event.step_free]))
        features += [feature(FEATURES[code][0], True) for code in PLACE_FEATURES if has_feature(event, code)]
        if event.accessibility_note:
            name = capfirst(Event._meta.get_field("accessibility_note").verbose_name)
            features.append(feature(name, event.accessibility_note))
    return features


def _description(event):
    """The description as text, and the accessibility details in words as its last line."""
    text = html_to_text(event.description)
    lines = accessibility_lines(event)
    if lines:
        details = _("Accessibility: %(details)s") % {"details": " · ".join(lines)}
        text = f"{text}\n\n{details}" if text else details
    return text


def _virtual_location(event, page_url):
    if event.status != Event.Status.SCHEDULED:
        # No access or registration link for a cancelled or postponed event: its page says what is known.
        return {"@type": "VirtualLocation", "url": page_url}
    url = http_url(event.online_url) or http_url(event.registration_url) or page_url
    return {"@type": "VirtualLocation", "url": url}


def event_json_ld(event, page_url, absolute):
    """The JSON-LD dict; `absolute` turns a path into a full URL.

    Every string passes normalise_data: rows stored before text was normalised on entry
    may hold controls, separators or surrogates.
    """
    if event.format == Event.Format.ONLINE:
        location = _virtual_location(event, page_url)
    elif event.format == Event.Format.HYBRID:
        location = [_place(event), _virtual_location(event, page_url)]
    else:
        location = _place(event)
    data = {
        "@context": "https://schema.org",
        "@type": schema_type(event.event_type),
        "@id": page_url,
        "name": normalise_line(event.title),
        "description": _description(event),
        "url": page_url,
        "startDate": _moment(event, event.starts_at),
        "endDate": _moment(event, event.ends_at),
        "eventStatus": EVENT_STATUS[event.status],
        "eventAttendanceMode": ATTENDANCE_MODE[event.format],
        "location": location,
        "organizer": [
            {
                "@type": "Organization",
                "name": network.name,
                "url": http_url(network.website) or absolute(network.get_absolute_url()),
            }
            for network in event.organisers
        ],
        "inLanguage": LANGUAGES.get(event.language, event.language),
        "isAccessibleForFree": event.is_free,
    }
    if event.image is not None and event.image.renditions:
        data["image"] = {
            "@type": "ImageObject",
            "url": event.image.absolute_url(1200),
            "width": event.image.rendition(1200)["width"],
            "height": event.image.rendition(1200)["height"],
            "caption": event.image.alt_text,
        }
        if event.image.credit:
            data["image"]["creditText"] = event.image.credit
    if event.is_all_day:
        data["endDate"] = event.last_day.isoformat()
    if event.topics.all():
        data["keywords"] = ", ".join(topic.name for topic in event.topics.all())
    if event.audience:
        data["audience"] = {"@type": "Audience", "audienceType": event.audience}
    offer = {
        "@type": "Offer",
        "url": http_url(event.registration_url) or page_url,
        "availability": "https://schema.org/InStock",
    }
    if event.is_free:
        offer.update(price=0, priceCurrency="EUR")
    elif event.fee_text:
        offer["description"] = event.fee_text
    if event.registration_deadline:
        offer["validThrough"] = timezone.localtime(event.registration_deadline).isoformat()
    data["offers"] = offer
    return normalise_data(data)
