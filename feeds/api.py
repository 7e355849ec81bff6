"""Read-only JSON API of the public events, for networks that show them on their own sites.

Plain Django views: one resource, read-only, filtered by the shared EventFilterSet;
the OpenAPI document (feeds/openapi.py) is maintained by hand and a test checks
it against real responses.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from events.accessibility import FEATURES, has_feature
from events.filters import EventFilter
from events.models import Region
from events.sanitize import html_to_text
from events.selectors import events_public
from feeds import ical
from feeds.openapi import openapi_document
from images.models import absolute_media_url
from netzwerktimer.links import absolute_url as absolute
from netzwerktimer.text import normalise_data, normalise_line

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
PAGE_PARAMETERS = ("page", "page_size")


def json_response(data, status=200):
    # normalise_data: rows stored before text was normalised on entry may hold controls,
    # separators or surrogates (which UTF-8 cannot encode: the response would fail).
    response = JsonResponse(normalise_data(data), status=status, json_dumps_params={"ensure_ascii": False})
    # Public data without credentials: any site may fetch it from the browser.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def local_iso(value):
    return timezone.localtime(value).isoformat() if value else None


def network_data(network):
    return {
        "slug": network.slug,
        "name": network.name,
        "short_name": network.short_name,
        "url": absolute(network.get_absolute_url()),
        "website": network.website or None,
    }


def image_data(image):
    if image is None or not image.renditions:
        return None
    return {
        "url": image.absolute_url(1200),
        "alt_text": image.alt_text,
        "credit": image.credit or None,
        "width": image.width,
        "height": image.height,
        "renditions": [
            {
                "width": rendition["width"],
                "height": rendition["height"],
                "webp": absolute_media_url(default_storage.url(rendition["webp"])),
                "jpeg": absolute_media_url(default_storage.url(rendition["jpeg"])),
            }
            for rendition in image.renditions
        ],
    }


def accessibility_data(event):
    return {
        "step_free": event.step_free or None,
        "accessible_toilet": event.accessible_toilet,
        "induction_loop": event.induction_loop,
        "sign_language": event.sign_language,
        "live_captions": event.live_captions,
        "simple_language": event.simple_language,
        "note": normalise_line(event.accessibility_note),
        "features": [code for code in FEATURES if has_feature(event, code)],
    }


def event_data(event):
    """Every field a consumer needs; times in Europe/Berlin with their offset (ISO 8601)."""
    return {
        "id": event.pk,
        "uid": ical.event_uid(event.pk),
        "title": normalise_line(event.title),
        "status": event.status,
        "status_reason": event.status_reason or None,
        "url": absolute(event.get_absolute_url()),
        "ics_url": absolute(reverse("feeds:event_ics", kwargs={"pk": event.pk})),
        "starts_at": local_iso(event.starts_at),
        "ends_at": local_iso(event.ends_at),
        "is_all_day": event.is_all_day,
        "first_day": event.first_day.isoformat(),
        "last_day": event.last_day.isoformat(),
        "description_html": event.description,
        "description_text": html_to_text(event.description),
        "format": event.format,
        "venue": {
            "name": normalise_line(event.venue_name),
            "street": event.street,
            "postcode": event.postcode,
            "city": event.city,
        },
        "region": {"slug": event.region, "name": str(Region(event.region).label)} if event.region else None,
        "online_url": event.online_url or None,
        "registration_url": event.registration_url or None,
        "registration_deadline": local_iso(event.registration_deadline),
        "is_free": event.is_free,
        "fee_text": event.fee_text,
        "language": event.language,
        "audience": event.audience,
        "event_type": {"slug": event.event_type.slug, "name": event.event_type.name} if event.event_type else None,
        "week": (
            {"slug": event.week.slug, "title": event.week.title, "url": absolute(event.week.get_absolute_url())}
            if event.week
            else None
        ),
        "organiser": network_data(event.owner),
        "co_organisers": [network_data(n) for n in event.organisers[1:]],
        "topics": [{"slug": t.slug, "name": t.name} for t in event.topics.all()],
        "image": image_data(event.image),
        "accessibility": accessibility_data(event),
        "contact": {"name": event.contact_name, "email": event.contact_email},
        "revision": event.revision,
        "created_at": local_iso(event.created_at),
        "updated_at": local_iso(event.updated_at),
    }


def positive_int(value, default):
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        return None
    return number if number >= 1 else None


def page_url(request, page):
    query = request.GET.copy()
    query["page"] = page
    return absolute(request.path) + "?" + urlencode(sorted(query.lists()), doseq=True)


@require_safe
def event_list(request):
    found = EventFilter.from_request(
        request, queryset=events_public(), default_from=timezone.now(), page_parameters=PAGE_PARAMETERS
    )
    if found.truncated:
        message = _("The address has too many parameters: at most %(max)d.")
        return json_response(
            {"errors": {"__all__": [message % {"max": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}]}}, status=400
        )
    errors = {} if found.is_valid() else {k: [str(m) for m in v] for k, v in found.form.errors.items()}
    page_number = positive_int(request.GET.get("page"), 1)
    page_size = positive_int(request.GET.get("page_size"), PAGE_SIZE)
    if page_number is None:
        errors["page"] = [_("A whole number of at least 1.")]
    if page_size is None or page_size > MAX_PAGE_SIZE:
        errors["page_size"] = [_("A whole number from 1 to %(max)d.") % {"max": MAX_PAGE_SIZE}]
    if errors:
        return json_response({"errors": errors}, status=400)
    paginator = Paginator(found.qs, page_size)
    if page_number > paginator.num_pages:
        return json_response({"errors": {"page": [_("This page does not exist.")]}}, status=404)
    page = paginator.page(page_number)
    return json_response(
        {
            "count": paginator.count,
            "page": page_number,
            "page_size": page_size,
            "num_pages": paginator.num_pages,
            "next": page_url(request, page_number + 1) if page.has_next() else None,
            "previous": page_url(request, page_number - 1) if page.has_previous() else None,
            "results": [event_data(event) for event in page.object_list],
        }
    )


# The page cache keys the list by its canonical filter (netzwerktimer/caching.py).
event_list.canonical_query = EventFilter.canonicaliser(PAGE_PARAMETERS)


@require_safe
def event_detail(request, pk):
    event = events_public().filter(pk=pk).first()
    if event is None:
        return json_response({"errors": {"id": [_("No published event with this number.")]}}, status=404)
    return json_response(event_data(event))


@require_safe
def schema(request):
    response = json_response(openapi_document(absolute("")))
    response["Content-Type"] = "application/vnd.oai.openapi+json"
    return response
