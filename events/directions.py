"""The way to an event's place as two plain links: a route on OpenStreetMap and a journey by bus and
train on bahn.de, both with the event's address as the destination (the reader fills in the start).

Nothing is embedded: the links open the other site, so the event page loads nothing from other
hosts and its CSP stays as it is.

- OpenStreetMap's directions page takes the destination as text (`to=`) and looks it up itself
  (Nominatim), as its route form does.
- bahn.de's journey planner (the DB Navigator on the web, buses, trams and trains of every German
  transport association, Thuringia's VMT included) reads its search from the fragment: `zo` is the
  destination as text (bahn.de resolves it to a stop or address); `sts=true` opens the search form
  filled in. A link with a station id (`zoid`) would need a lookup at bahn.de first.
"""

from urllib.parse import quote, urlencode

from events.models import Event

OSM_DIRECTIONS_URL = "https://www.openstreetmap.org/directions"
DB_JOURNEY_URL = "https://www.bahn.de/buchung/fahrplan/suche"


def destination_text(event):
    """The address to travel to ("Juri-Gagarin-Ring 1, 99084 Erfurt"), or "" when there is none to
    look up: an online event, or a place without street and city (a venue name alone is not found)."""
    if event.format == Event.Format.ONLINE or not (event.street or event.city):
        return ""
    town = " ".join(part for part in (event.postcode, event.city) if part)
    return ", ".join(part for part in (event.street, town) if part)


def route_url(destination):
    return f"{OSM_DIRECTIONS_URL}?{urlencode({'to': destination}, quote_via=quote)}"


def transit_url(destination):
    return f"{DB_JOURNEY_URL}#{urlencode({'sts': 'true', 'zo': destination}, quote_via=quote)}"


def event_directions(event):
    """{"route": …, "transit": …}: the two links to the event's address, or None without one."""
    destination = destination_text(event)
    if not destination:
        return None
    return {"route": route_url(destination), "transit": transit_url(destination)}
