import csv
import datetime
import io
import json

import pytest
from django.conf import settings
from django.utils import timezone
from pyld import jsonld

from events.models import Event, EventType
from netzwerktimer.dates import BERLIN
from opendata.serialise import CSV_HEADER
from tests.factories import EventFactory, EventTypeFactory, FeedSourceFactory, NetworkFactory, TopicFactory

pytestmark = pytest.mark.django_db

SITE = "http://localhost:8000"


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response):
    return list(csv.reader(io.StringIO(body(response).decode("utf-8"), newline="")))


def graph(response):
    return json.loads(body(response))["@graph"]


def days_from_now(days, hour=10):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=BERLIN)


@pytest.fixture
def calendar():
    """Published upcoming events of three kinds, a running and a cancelled one, and four that stay out."""
    # Types of the reference data (events/migrations/0003_reference_data.py) and one of a network's own.
    workshop = EventType.objects.get_or_create(slug="workshop", defaults={"name": "Workshop"})[0]
    tagung = EventType.objects.get_or_create(slug="tagung", defaults={"name": "Tagung"})[0]
    other = EventTypeFactory(name="Sprechstunde", slug="sprechstunde")
    shown = {
        "workshop": EventFactory(title="Workshop Photonik", event_type=workshop, starts_at=days_from_now(2)),
        "tagung": EventFactory(title="Tagung Maschinenbau", event_type=tagung, starts_at=days_from_now(3)),
        "other": EventFactory(title="Sprechstunde KI", event_type=other, starts_at=days_from_now(4)),
        "running": EventFactory(
            title="Messe läuft", starts_at=days_from_now(-1), ends_at=timezone.now() + datetime.timedelta(hours=5)
        ),
        "cancelled": EventFactory(
            title="Abgesagtes Forum", status=Event.Status.CANCELLED, starts_at=days_from_now(5), event_type=tagung
        ),
    }
    for event in shown.values():
        if event.ends_at < event.starts_at:
            event.ends_at = event.starts_at + datetime.timedelta(hours=2)
            event.save()
    hidden = {
        "draft": EventFactory(title="Entwurf", publication=Event.Publication.DRAFT, starts_at=days_from_now(2)),
        "past": EventFactory(
            title="Vorbei", starts_at=days_from_now(-3), ends_at=timezone.now() - datetime.timedelta(minutes=1)
        ),
        "imported_hidden": EventFactory(
            title="Importiert, aber zurückgezogen",
            source=FeedSourceFactory(),
            external_uid="uid-1@example.org",
            publication=Event.Publication.DRAFT,
            starts_at=days_from_now(3),
        ),
    }
    return shown, hidden


def in_start_order(events):
    return sorted(events, key=lambda event: (event.starts_at, event.pk))


# -- the page --


def test_opendata_page_names_licence_attribution_and_downloads(client, calendar):
    response = client.get("/opendata/")
    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="de">' in content
    assert (
        '<a href="https://creativecommons.org/licenses/by/4.0/deed.de" rel="license">'
        "Creative Commons Namensnennung 4.0 International (CC BY 4.0)</a>"
    ) in content
    assert "Netzwerk-Timer Thüringen, Cross-Cluster-Initiative Thüringen und die veranstaltenden Netzwerke" in content
    assert 'href="/opendata/events.jsonld"' in content
    assert 'href="/opendata/events.csv"' in content
    assert 'href="/opendata/dcat.jsonld"' in content
    assert '<link rel="alternate" type="application/ld+json" href="/opendata/dcat.jsonld"' in content
    assert "derzeit 5 Veranstaltungen" in content
    for name in CSV_HEADER:
        assert f"<code>{name}</code>" in content


def test_opendata_page_follows_the_licence_settings(client, settings, db):
    settings.OPENDATA_LICENCE_NAME = "Datenlizenz Deutschland – Namensnennung – Version 2.0"
    settings.OPENDATA_LICENCE_URL = "https://www.govdata.de/dl-de/by-2-0"
    settings.OPENDATA_ATTRIBUTION = "Quelle: Netzwerk-Timer"
    content = client.get("/opendata/").content.decode()
    assert (
        '<a href="https://www.govdata.de/dl-de/by-2-0" rel="license">'
        "Datenlizenz Deutschland – Namensnennung – Version 2.0</a>"
    ) in content
    assert "Quelle: Netzwerk-Timer" in content


def test_opendata_page_in_english(client, db):
    content = client.get("/opendata/?language=en").content.decode()
    assert '<html lang="en">' in content
    assert "<h1>Open data</h1>" in content
    assert "Licence and attribution" in content


def test_footer_links_the_opendata_page(client, db):
    assert '<a href="/opendata/">Offene Daten</a>' in client.get("/").content.decode()


# -- JSON-LD --


def test_events_jsonld_lists_exactly_the_published_upcoming_events(client, calendar):
    shown, _hidden = calendar
    response = client.get("/opendata/events.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    document = json.loads(body(response))
    assert document["@context"] == "https://schema.org"
    expected = [SITE + event.get_absolute_url() for event in in_start_order(shown.values())]
    assert [item["url"] for item in document["@graph"]] == expected
    assert [item["@id"] for item in document["@graph"]] == expected


def test_events_jsonld_types_events_by_their_kind(client, calendar):
    shown, _hidden = calendar
    types = {item["name"]: item["@type"] for item in graph(client.get("/opendata/events.jsonld"))}
    assert types == {
        "Workshop Photonik": "EducationEvent",
        "Tagung Maschinenbau": "BusinessEvent",
        "Sprechstunde KI": "Event",
        "Messe läuft": "Event",
        "Abgesagtes Forum": "BusinessEvent",
    }


def test_events_jsonld_carries_status_times_place_and_accessibility(client):
    owner = NetworkFactory(name="Optik-Netz Jena e.V.", website="https://optik.example.org")
    partner = NetworkFactory(name="Zentrum Maschinenbau")
    event = EventFactory(
        title="Barrierefreie Tagung",
        owner=owner,
        co_organisers=[partner],
        starts_at=datetime.datetime(2030, 6, 4, 14, tzinfo=BERLIN),
        ends_at=datetime.datetime(2030, 6, 4, 16, tzinfo=BERLIN),
        street="Carl-Zeiß-Platz 15",
        registration_url="https://anmeldung.example.org/tagung",
        is_free=False,
        fee_text="49 € netto",
        step_free="partly",
        induction_loop=True,
        accessibility_note="Rampe am Seiteneingang",
        status=Event.Status.CANCELLED,
        topics=[TopicFactory(name="Photonik")],
    )
    [item] = graph(client.get("/opendata/events.jsonld"))
    assert "@context" not in item
    assert item["startDate"] == "2030-06-04T14:00:00+02:00"
    assert item["endDate"] == "2030-06-04T16:00:00+02:00"
    assert item["eventStatus"] == "https://schema.org/EventCancelled"
    assert item["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert item["isAccessibleForFree"] is False
    assert item["offers"]["url"] == "https://anmeldung.example.org/tagung"
    assert item["offers"]["description"] == "49 € netto"
    assert item["inLanguage"] == "de"
    assert item["description"] == (
        "Vorträge und Austausch für Unternehmen.\n\n"
        "Barrierefreiheit: Stufenloser Zugang: teilweise · Induktive Höranlage · Rampe am Seiteneingang"
    )
    assert item["keywords"] == "Photonik"
    assert [org["name"] for org in item["organizer"]] == ["Optik-Netz Jena e.V.", "Zentrum Maschinenbau"]
    assert item["organizer"][0]["url"] == "https://optik.example.org"
    assert item["url"] == SITE + event.get_absolute_url()
    assert item["location"]["address"]["streetAddress"] == "Carl-Zeiß-Platz 15"
    assert item["location"]["amenityFeature"] == [
        {"@type": "LocationFeatureSpecification", "name": "Stufenloser Zugang", "value": "teilweise"},
        {"@type": "LocationFeatureSpecification", "name": "Induktive Höranlage", "value": True},
        {
            "@type": "LocationFeatureSpecification",
            "name": "Hinweis zur Barrierefreiheit",
            "value": "Rampe am Seiteneingang",
        },
    ]


def test_events_jsonld_is_german_whatever_the_reader_chose(client):
    EventFactory(step_free="yes")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    [item] = graph(client.get("/opendata/events.jsonld"))
    assert item["location"]["amenityFeature"] == [
        {"@type": "LocationFeatureSpecification", "name": "Stufenloser Zugang", "value": True}
    ]


# -- CSV --


def test_events_csv_lists_exactly_the_published_upcoming_events(client, calendar):
    shown, _hidden = calendar
    response = client.get("/opendata/events.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8; header=present"
    rows = csv_rows(response)
    assert tuple(rows[0]) == CSV_HEADER
    assert [int(row[0]) for row in rows[1:]] == [event.pk for event in in_start_order(shown.values())]
    statuses = {row[CSV_HEADER.index("title")]: row[CSV_HEADER.index("status")] for row in rows[1:]}
    assert statuses["Abgesagtes Forum"] == "cancelled"


def test_events_csv_header_is_stable(client, db):
    rows = csv_rows(client.get("/opendata/events.csv"))
    assert rows == [
        [
            "id", "url", "title", "description", "starts_at", "ends_at", "all_day", "status", "status_reason",
            "format", "venue", "street", "postcode", "city", "region", "online_url", "registration_url",
            "registration_deadline", "is_free", "fee", "language", "audience", "organiser", "co_organisers",
            "topics", "type", "week", "image_url", "step_free", "accessible_toilet", "induction_loop",
            "sign_language", "live_captions", "simple_language", "accessibility_note", "updated_at",
        ]
    ]  # fmt: skip


def test_events_csv_row_reads_as_documented(client):
    owner = NetworkFactory(name="Optik-Netz Jena e.V.")
    event = EventFactory(
        title="Fachforum Größenwachstum in Thüringen",
        owner=owner,
        co_organisers=[NetworkFactory(name="Zentrum Maschinenbau"), NetworkFactory(name="Energienetz")],
        topics=[TopicFactory(name="Photonik"), TopicFactory(name="KI und Daten")],
        event_type=EventType.objects.get_or_create(slug="fachforum", defaults={"name": "Fachforum"})[0],
        starts_at=datetime.datetime(2030, 6, 4, 14, tzinfo=BERLIN),
        ends_at=datetime.datetime(2030, 6, 4, 16, tzinfo=BERLIN),
        region="saale-holzland-kreis",
        step_free="yes",
        live_captions=True,
        accessibility_note="Aufzug bis 2. OG",
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    row = dict(zip(CSV_HEADER, csv_rows(client.get("/opendata/events.csv"))[1], strict=True))
    assert row["id"] == str(event.pk)
    assert row["url"] == SITE + event.get_absolute_url()
    assert row["title"] == "Fachforum Größenwachstum in Thüringen"
    assert row["starts_at"] == "2030-06-04T14:00:00+02:00"
    assert row["ends_at"] == "2030-06-04T16:00:00+02:00"
    assert row["all_day"] == "false"
    assert row["region"] == "Saale-Holzland-Kreis"
    assert row["organiser"] == "Optik-Netz Jena e.V."
    assert sorted(row["co_organisers"].split(" | ")) == ["Energienetz", "Zentrum Maschinenbau"]
    assert sorted(row["topics"].split(" | ")) == ["KI und Daten", "Photonik"]
    assert row["type"] == "Fachforum"
    assert (row["step_free"], row["live_captions"], row["induction_loop"]) == ("yes", "true", "false")
    assert row["accessibility_note"] == "Aufzug bis 2. OG"
    assert row["is_free"] == "true"


def test_events_csv_keeps_umlauts_without_byte_order_mark(client):
    EventFactory(title="Größere Zusammenkunft in Gößnitz", city="Gößnitz")
    raw = body(client.get("/opendata/events.csv"))
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert "Größere Zusammenkunft in Gößnitz".encode() in raw
    assert raw.endswith(b"\r\n")


@pytest.mark.parametrize("text", ['=HYPERLINK("http://böse.example")', "+49 361", "-1+1", "@SUM(A1)"])
def test_events_csv_writes_formulas_as_text(client, text):
    EventFactory(title=text, venue_name=text, fee_text=text)
    row = dict(zip(CSV_HEADER, csv_rows(client.get("/opendata/events.csv"))[1], strict=True))
    assert (row["title"], row["venue"], row["fee"]) == ("'" + text,) * 3


def test_events_csv_writes_a_quoted_line_break_in_one_field(client):
    EventFactory(title="Eins, zwei", description='<p>Erste Zeile</p><p>Zweite "Zeile"</p>')
    rows = csv_rows(client.get("/opendata/events.csv"))
    assert len(rows) == 2
    assert rows[1][CSV_HEADER.index("title")] == "Eins, zwei"
    assert 'Zweite "Zeile"' in rows[1][CSV_HEADER.index("description")]


# -- DCAT --


def no_fetching(url, options=None):
    raise AssertionError(f"pyld tried to fetch {url}")


def test_dcat_parses_as_json_ld_without_fetching_a_context(client, calendar):
    response = client.get("/opendata/dcat.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    expanded = jsonld.expand(json.loads(response.content), {"documentLoader": no_fetching})
    nodes = {node["@id"]: node for node in expanded}
    dcat, dct = "http://www.w3.org/ns/dcat#", "http://purl.org/dc/terms/"
    dataset = nodes[f"{SITE}/opendata/#events"]
    assert dataset["@type"] == [dcat + "Dataset"]
    distributions = [nodes[ref["@id"]] for ref in dataset[dcat + "distribution"]]
    assert [node[dcat + "downloadURL"] for node in distributions] == [
        [{"@id": f"{SITE}/opendata/events.jsonld"}],
        [{"@id": f"{SITE}/opendata/events.csv"}],
    ]
    assert [node[dct + "format"] for node in distributions] == [
        [{"@id": "http://publications.europa.eu/resource/authority/file-type/JSON_LD"}],
        [{"@id": "http://publications.europa.eu/resource/authority/file-type/CSV"}],
    ]
    assert [node[dcat + "mediaType"] for node in distributions] == [
        [{"@id": "https://www.iana.org/assignments/media-types/application/ld+json"}],
        [{"@id": "https://www.iana.org/assignments/media-types/text/csv"}],
    ]
    licence = [{"@id": "http://dcat-ap.de/def/licenses/cc-by/4.0"}]
    assert dataset[dct + "license"] == licence
    assert all(node[dct + "license"] == licence for node in distributions)
    assert dataset[dcat + "theme"][0] == {"@id": "http://publications.europa.eu/resource/authority/data-theme/ECON"}
    titles = {value["@language"] for value in dataset[dct + "title"]}
    assert titles == {"de", "en"}
    shown, _hidden = calendar
    latest = max(Event.objects.filter(pk__in=[e.pk for e in shown.values()]).values_list("updated_at", flat=True))
    assert dataset[dct + "modified"] == [
        {"@type": "http://www.w3.org/2001/XMLSchema#dateTime", "@value": timezone.localtime(latest).isoformat()}
    ]
    assert nodes[f"{SITE}/opendata/#catalog"][dcat + "dataset"] == [{"@id": f"{SITE}/opendata/#events"}]


def test_dcat_without_events_names_no_modification(client, db):
    document = json.loads(client.get("/opendata/dcat.jsonld").content)
    assert [node for node in document["@graph"] if "dct:modified" in node] == []
    assert len(document["@graph"][1]["dcat:distribution"]) == 2


def test_dcat_names_a_contact_only_when_one_is_set(client, settings, db):
    assert "dcat:contactPoint" not in json.loads(client.get("/opendata/dcat.jsonld").content)["@graph"][1]
    settings.OPENDATA_CONTACT_EMAIL = "daten@example.org"
    dataset = json.loads(client.get("/opendata/dcat.jsonld").content)["@graph"][1]
    assert dataset["dcat:contactPoint"]["vcard:hasEmail"] == {"@id": "mailto:daten@example.org"}


# -- delivery --


@pytest.mark.parametrize("path", ["/opendata/events.jsonld", "/opendata/events.csv", "/opendata/dcat.jsonld"])
def test_distribution_answers_304_while_nothing_changed(client, calendar, path):
    first = client.get(path)
    body(first)
    assert "public" in first["Cache-Control"]
    assert first["Access-Control-Allow-Origin"] == "*"
    again = client.get(path, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    shown, _hidden = calendar
    shown["workshop"].title = "Workshop Photonik, neu"
    shown["workshop"].save()
    assert client.get(path, headers={"if-none-match": first["ETag"]}).status_code == 200


@pytest.mark.parametrize("count", [2, 12])
@pytest.mark.parametrize(
    ("path", "budget"),
    [("/opendata/", 3), ("/opendata/events.jsonld", 5), ("/opendata/events.csv", 5), ("/opendata/dcat.jsonld", 2)],
)
def test_opendata_queries_do_not_grow_with_the_events(client, django_assert_max_num_queries, count, path, budget):
    networks = [NetworkFactory(), NetworkFactory()]
    topic = TopicFactory()
    for number in range(count):
        EventFactory(
            starts_at=days_from_now(number + 1), co_organisers=networks, topics=[topic], event_type=EventTypeFactory()
        )
    with django_assert_max_num_queries(budget):
        response = client.get(path)
        body(response)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path", ["/opendata/", "/opendata/events.jsonld", "/opendata/events.csv", "/opendata/dcat.jsonld"]
)
@pytest.mark.parametrize(
    "query", ["page=abc", "from=2030-13-45", "language=xx", "%ff=%fe", "a=" + "x" * 3000, "&".join(["x=1"] * 1200)]
)
def test_opendata_never_fails_on_odd_query_strings(client, calendar, path, query):
    response = client.get(f"{path}?{query}")
    body(response)
    assert response.status_code == 200


def test_distribution_head_renders_nothing(client, calendar, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.head("/opendata/events.csv")
        assert body(response) == b""
    assert response.status_code == 200
    assert response["ETag"] == client.get("/opendata/events.csv")["ETag"]


def test_distributions_refuse_post(client, db):
    assert client.post("/opendata/events.csv").status_code == 405
