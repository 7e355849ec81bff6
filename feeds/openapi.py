"""The OpenAPI 3.1 document of the JSON API, maintained by hand next to feeds/api.py.

tests/feeds/test_api.py checks that every field of a real response is described
here and that every described field appears, so the two cannot drift apart.
"""

from django.utils import translation

from events.accessibility import FEATURES, StepFree
from events.models import Event, Region


def _string(description, fmt=None, nullable=False, enum=None):
    schema = {"type": ["string", "null"] if nullable else "string", "description": description}
    if fmt:
        schema["format"] = fmt
    if enum:
        schema["enum"] = [*enum, None] if nullable else list(enum)
    return schema


def _object(properties, description="", nullable=False):
    schema = {
        "type": ["object", "null"] if nullable else "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def _network():
    return _object(
        {
            "slug": _string("Identifier used by the `network` filter."),
            "name": _string("Full name."),
            "short_name": _string("Short name."),
            "url": _string("The network's page on the portal.", "uri"),
            "website": _string("The network's own website.", "uri", nullable=True),
        }
    )


def _filter_parameters():
    def query(name, description, schema, explode=False):
        parameter = {"name": name, "in": "query", "required": False, "description": description, "schema": schema}
        if explode:
            parameter.update(style="form", explode=True)
        return parameter

    slugs = {"type": "array", "items": {"type": "string"}}
    with translation.override("en"):
        features = ", ".join(f"`{code}` ({label})" for code, (label, _field, _value) in FEATURES.items())
    return [
        query("network", "Network slug (owner or co-organiser); repeatable.", slugs, explode=True),
        query("topic", "Topic slug; repeatable.", slugs, explode=True),
        query("type", "Event type slug; repeatable.", slugs, explode=True),
        query(
            "format",
            "Format; repeatable.",
            {"type": "array", "items": {"type": "string", "enum": list(Event.Format.values)}},
            explode=True,
        ),
        query("region", "Region slug.", {"type": "string", "enum": list(Region.values)}),
        query("week", "Cross-Cluster week slug.", {"type": "string"}),
        query("q", "Full-text search (title, description, place).", {"type": "string", "maxLength": 200}),
        query(
            "from",
            "Events that end on or after this day. Default: events that have not ended yet.",
            {"type": "string", "format": "date"},
        ),
        query("to", "Events that start on or before this day.", {"type": "string", "format": "date"}),
        query("free", "`on`: only events free of charge.", {"type": "string", "enum": ["on"]}),
        query(
            "access",
            f"Accessibility feature; repeatable, and an event must offer every one given: {features}.",
            {"type": "array", "items": {"type": "string", "enum": list(FEATURES)}},
            explode=True,
        ),
    ]


EVENT_PROPERTIES = {
    "id": {"type": "integer", "description": "The event's number."},
    "uid": _string("Stable, globally unique identifier; the iCalendar UID."),
    "title": _string("Title."),
    "status": _string("Status.", enum=Event.Status.values),
    "status_reason": _string("Why the event was cancelled, postponed or moved, if the organiser said.", nullable=True),
    "url": _string("The event's page.", "uri"),
    "ics_url": _string("The event as an iCalendar file.", "uri"),
    "starts_at": _string("Start, Europe/Berlin local time with offset (ISO 8601).", "date-time"),
    "ends_at": _string(
        "End, Europe/Berlin local time with offset. For all-day events exclusive: midnight after the last day.",
        "date-time",
    ),
    "is_all_day": {"type": "boolean", "description": "Whole days; use first_day and last_day."},
    "first_day": _string("First local day.", "date"),
    "last_day": _string("Last local day (inclusive).", "date"),
    "description_html": _string("Description as sanitised HTML (p, lists, strong, em, links)."),
    "description_text": _string("Description as plain text."),
    "format": _string("Format.", enum=Event.Format.values),
    "venue": _object(
        {
            "name": _string("Venue."),
            "street": _string("Street and number."),
            "postcode": _string("Postcode."),
            "city": _string("City."),
        },
        "Place; empty strings for online events.",
    ),
    "region": _object(
        {"slug": _string("Region slug.", enum=Region.values), "name": _string("Region name.")}, nullable=True
    ),
    "online_url": _string("Online access link.", "uri", nullable=True),
    "registration_url": _string("Registration link.", "uri", nullable=True),
    "registration_deadline": _string("Registration deadline with offset.", "date-time", nullable=True),
    "is_free": {"type": "boolean", "description": "Free of charge."},
    "fee_text": _string("Fee as text, e.g. “49 € netto”."),
    "language": _string("Language of the event.", enum=Event.Language.values),
    "audience": _string("Audience."),
    "event_type": _object({"slug": _string("Slug."), "name": _string("Name.")}, nullable=True),
    "week": _object(
        {"slug": _string("Slug."), "title": _string("Title."), "url": _string("Page of the week.", "uri")},
        "The Cross-Cluster week the event belongs to.",
        nullable=True,
    ),
    "organiser": {"$ref": "#/components/schemas/Network"},
    "co_organisers": {"type": "array", "items": {"$ref": "#/components/schemas/Network"}},
    "topics": {
        "type": "array",
        "items": _object({"slug": _string("Slug (the `topic` filter)."), "name": _string("Name.")}),
    },
    "image": _object(
        {
            "url": _string("JPEG, 1200 pixels wide or the image's own width if smaller.", "uri"),
            "alt_text": _string("Alternative text: what the picture shows."),
            "credit": _string("Credit line, e.g. “Foto: Maria Muster”.", nullable=True),
            "width": {"type": "integer", "description": "Width of the largest rendition."},
            "height": {"type": "integer", "description": "Height of the largest rendition."},
            "renditions": {
                "type": "array",
                "items": _object(
                    {
                        "width": {"type": "integer"},
                        "height": {"type": "integer"},
                        "webp": _string("WebP.", "uri"),
                        "jpeg": _string("JPEG.", "uri"),
                    }
                ),
            },
        },
        "The event's picture, re-encoded without metadata, in several widths.",
        nullable=True,
    ),
    "accessibility": _object(
        {
            "step_free": _string(
                "Step-free access: yes, partly or no; null when not known.",
                nullable=True,
                enum=[value for value in StepFree.values if value],
            ),
            "accessible_toilet": {"type": "boolean", "description": "An accessible toilet."},
            "induction_loop": {"type": "boolean", "description": "An induction loop for hearing aids."},
            "sign_language": {"type": "boolean", "description": "German Sign Language (DGS) interpretation."},
            "live_captions": {"type": "boolean", "description": "Live captions."},
            "simple_language": {"type": "boolean", "description": "Material in simple language (Leichte Sprache)."},
            "note": _string("A short note in the organiser's words, e.g. “Rampe am Seiteneingang”."),
            "features": {
                "type": "array",
                "items": {"type": "string", "enum": list(FEATURES)},
                "description": "The codes of the `access` filter the event matches.",
            },
        },
        "Accessibility details. `false` means “not said”, not “not available”.",
    ),
    "contact": _object({"name": _string("Contact person."), "email": _string("Contact e-mail.")}),
    "revision": {"type": "integer", "description": "Rises on every change (iCalendar SEQUENCE)."},
    "created_at": _string("Created, with offset.", "date-time"),
    "updated_at": _string("Last changed, with offset.", "date-time"),
}

ERRORS = _object(
    {
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "Messages by parameter.",
        }
    }
)


def openapi_document(server_url):
    event_ref = {"$ref": "#/components/schemas/Event"}
    errors_ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}
    page = {
        "count": {"type": "integer", "description": "Events matching the filter."},
        "page": {"type": "integer"},
        "page_size": {"type": "integer"},
        "num_pages": {"type": "integer"},
        "next": _string("The next page.", "uri", nullable=True),
        "previous": _string("The previous page.", "uri", nullable=True),
        "results": {"type": "array", "items": event_ref},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Netzwerk-Timer API",
            "version": "1.0.0",
            "description": (
                "Public, read-only events of the Thuringian business networks. Same filters as the portal's "
                "listings and the iCalendar feed /calendar.ics. No authentication; CORS open to every origin."
            ),
        },
        "servers": [{"url": server_url or "/"}],
        "paths": {
            "/api/events/": {
                "get": {
                    "operationId": "listEvents",
                    "summary": "Published events, filtered and paginated, in order of their start.",
                    "parameters": [
                        *_filter_parameters(),
                        {
                            "name": "page",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "integer", "minimum": 1, "default": 1},
                        },
                        {
                            "name": "page_size",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "One page of events.",
                            "content": {"application/json": {"schema": _object(page)}},
                        },
                        "400": {"description": "Invalid filter or page parameters.", "content": errors_ref},
                        "404": {"description": "The page does not exist.", "content": errors_ref},
                    },
                }
            },
            "/api/events/{id}/": {
                "get": {
                    "operationId": "getEvent",
                    "summary": "One published event.",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                    "responses": {
                        "200": {"description": "The event.", "content": {"application/json": {"schema": event_ref}}},
                        "404": {"description": "No published event with this number.", "content": errors_ref},
                    },
                }
            },
        },
        "components": {
            "schemas": {"Event": _object(EVENT_PROPERTIES), "Network": _network(), "Errors": ERRORS},
        },
    }
