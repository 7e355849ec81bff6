import datetime
import json
import re

import pytest
from django.utils import timezone

from events.models import Event
from netzwerktimer.dates import BERLIN
from tests.factories import EventFactory, EventTypeFactory, NetworkFactory, TopicFactory, WeekFactory

pytestmark = pytest.mark.django_db


def at(year, month, day, hour=14, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def titles(response):
    return [event.title for event in response.context["object_list"]]


def json_ld(response):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    return json.loads(match.group(1))


def test_list_shows_upcoming_published_events_only(client):
    EventFactory(title="Kommende Tagung")
    EventFactory(title="Entwurf", publication=Event.Publication.DRAFT)
    EventFactory(
        title="Vergangen",
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=3) + datetime.timedelta(hours=2),
    )
    client.cookies["django_language"] = "en"
    response = client.get("/")
    assert response.status_code == 200
    assert titles(response) == ["Kommende Tagung"]
    assert "1 event found" in response.content.decode()


def test_list_groups_by_day_with_german_dates(client):
    EventFactory(title="Fachforum Photonik", starts_at=at(2030, 6, 4), ends_at=at(2030, 6, 4, 16))
    content = client.get("/").content.decode()
    assert "Di., 04.06.2030" in content
    assert "14:00–16:00 Uhr" in content


def test_list_in_english_uses_english_dates(client):
    EventFactory(title="Fachforum Photonik", starts_at=at(2030, 6, 4), ends_at=at(2030, 6, 4, 16))
    client.cookies["django_language"] = "en"
    content = client.get("/").content.decode()
    assert '<html lang="en">' in content
    assert "Tue, 4 Jun 2030" in content
    assert "Upcoming events" in content


def test_list_filters_by_network_including_co_organised(client):
    optonet = NetworkFactory(slug="optonet-test")
    EventFactory(title="Eigene", owner=optonet)
    EventFactory(title="Gemeinsam", co_organisers=[optonet])
    EventFactory(title="Fremde")
    assert titles(client.get("/?network=optonet-test")) == ["Eigene", "Gemeinsam"]


def test_list_filters_by_topic_type_format_region_and_free(client):
    ki = TopicFactory(slug="ki-test")
    workshop = EventTypeFactory(slug="workshop-test")
    EventFactory(title="Treffer", topics=[ki], event_type=workshop, format="online", region="online", is_free=True)
    EventFactory(title="Anderes Thema", event_type=workshop, format="online", region="online")
    EventFactory(
        title="Kostenpflichtig", topics=[ki], event_type=workshop, format="online", region="online", is_free=False
    )
    response = client.get("/?topic=ki-test&type=workshop-test&format=online&region=online&free=1")
    assert titles(response) == ["Treffer"]


def test_list_filters_by_week_and_date_range(client):
    week = WeekFactory(slug="ccw-test")
    EventFactory(title="In der Woche", week=week, starts_at=at(2031, 9, 16), ends_at=at(2031, 9, 16, 16))
    EventFactory(title="Später", starts_at=at(2031, 10, 1), ends_at=at(2031, 10, 1, 16))
    assert titles(client.get("/?week=ccw-test")) == ["In der Woche"]
    assert titles(client.get("/?from=2031-09-20&to=2031-10-05")) == ["Später"]


def test_list_free_text_search_finds_german_word_forms(client):
    EventFactory(title="Workshop Künstliche Intelligenz", description="<p>Maschinen lernen aus Daten.</p>")
    EventFactory(title="Netzwerkabend Logistik", description="<p>Austausch.</p>")
    assert titles(client.get("/?q=Maschine")) == ["Workshop Künstliche Intelligenz"]


def test_list_subscribe_box_carries_the_filter_query(client):
    NetworkFactory(slug="thzm-test")
    content = client.get("/?network=thzm-test&format=online&page=2").content.decode()
    # In the canonical order of the page cache (netzwerktimer/caching.py): names sorted.
    assert 'value="http://localhost:8000/calendar.ics?format=online&amp;network=thzm-test"' in content


def test_list_paginates_and_out_of_range_page_shows_last_page(client):
    for day in range(25):
        EventFactory(
            starts_at=at(2030, 3, 1) + datetime.timedelta(days=day),
            ends_at=at(2030, 3, 1, 16) + datetime.timedelta(days=day),
        )
    assert len(client.get("/").context["object_list"]) == 20
    response = client.get("/?page=99")
    assert response.status_code == 200
    assert response.context["page_obj"].number == 2
    assert client.get("/?page=abc").context["page_obj"].number == 1


def test_filtered_list_counts_and_pages_the_matching_events_in_order(client):
    network = NetworkFactory(slug="seiten-test")
    for day in reversed(range(23)):  # created last to first: the order must come from the dates
        EventFactory(
            title=f"Treffen {day:02d}",
            owner=network,
            starts_at=at(2030, 3, 1) + datetime.timedelta(days=day),
            ends_at=at(2030, 3, 1, 16) + datetime.timedelta(days=day),
        )
    EventFactory(title="Fremd", starts_at=at(2030, 3, 2), ends_at=at(2030, 3, 2, 16))
    first = client.get("/?network=seiten-test")
    assert first.context["paginator"].count == 23
    assert titles(first) == [f"Treffen {day:02d}" for day in range(20)]
    assert "23 Veranstaltungen gefunden" in first.content.decode()
    last = client.get("/?network=seiten-test&page=99")
    assert last.context["page_obj"].number == 2
    assert titles(last) == ["Treffen 20", "Treffen 21", "Treffen 22"]


def test_filtered_archive_pages_newest_first(client):
    network = NetworkFactory(slug="archiv-test")
    now = timezone.now()
    for day in reversed(range(1, 23)):
        EventFactory(
            title=f"Vorbei {day:02d}",
            owner=network,
            starts_at=now - datetime.timedelta(days=day, hours=2),
            ends_at=now - datetime.timedelta(days=day),
        )
    response = client.get("/archive/?network=archiv-test&page=2")
    assert response.context["paginator"].count == 22
    assert titles(response) == ["Vorbei 21", "Vorbei 22"]


def test_archive_lists_past_events_newest_first(client):
    now = timezone.now()
    EventFactory(title="Älter", starts_at=now - datetime.timedelta(days=30), ends_at=now - datetime.timedelta(days=30))
    EventFactory(title="Jünger", starts_at=now - datetime.timedelta(days=3), ends_at=now - datetime.timedelta(days=3))
    EventFactory(title="Kommend")
    assert titles(client.get("/archive/")) == ["Jünger", "Älter"]


def test_month_shows_events_in_their_days_and_multi_day_across_days(client):
    EventFactory(title="Zweitagestagung", starts_at=at(2030, 11, 12, 9), ends_at=at(2030, 11, 13, 17))
    EventFactory(title="Dezember-Event", starts_at=at(2030, 12, 10), ends_at=at(2030, 12, 10, 16))
    response = client.get("/month/2030/11/")
    assert response.status_code == 200
    days = {day.date: [e.title for e in day.events] for week in response.context["weeks"] for day in week}
    assert days[datetime.date(2030, 11, 12)] == ["Zweitagestagung"]
    assert days[datetime.date(2030, 11, 13)] == ["Zweitagestagung"]
    assert days[datetime.date(2030, 11, 14)] == []
    assert response.context["weeks"][0][0].date == datetime.date(2030, 10, 28)
    content = response.content.decode()
    assert 'href="/month/2030/10/"' in content
    assert 'href="/month/2030/12/"' in content
    assert "Dezember-Event" not in content
    assert "<caption>" in content


def test_month_keeps_filters_in_month_links(client):
    NetworkFactory(slug="medways-test")
    content = client.get("/month/2030/11/?network=medways-test").content.decode()
    assert 'href="/month/2030/12/?network=medways-test"' in content


def test_month_limits_events_per_day_with_a_more_link(client):
    for hour in range(6):
        EventFactory(starts_at=at(2030, 11, 12, 8 + hour), ends_at=at(2030, 11, 12, 9 + hour))
    response = client.get("/month/2030/11/")
    day = next(d for week in response.context["weeks"] for d in week if d.date == datetime.date(2030, 11, 12))
    assert len(day.events) == 4
    assert day.more == 2
    assert "from=2030-11-12&amp;to=2030-11-12" in response.content.decode()


@pytest.mark.parametrize("path", ["/month/2030/13/", "/month/2030/0/", "/month/99999/1/", "/month/0/1/"])
def test_month_unknown_month_is_404(client, path):
    assert client.get(path).status_code == 404


def test_month_without_date_redirects_to_current_month(client):
    today = timezone.localdate()
    response = client.get("/month/?topic=ki")
    assert response.status_code == 302
    assert response["Location"] == f"/month/{today.year}/{today.month}/?topic=ki"


def test_event_page_shows_fields_links_and_json_ld(client):
    owner = NetworkFactory(name="Optonetz Test e.V.", short_name="Optonetz", slug="optonet-test")
    partner = NetworkFactory(name="Medtech Test e.V.", short_name="Medtech", slug="medways-test")
    event = EventFactory(
        title="Photonik trifft Medizintechnik",
        starts_at=at(2030, 6, 4),
        ends_at=at(2030, 6, 4, 16),
        owner=owner,
        co_organisers=[partner],
        format="hybrid",
        online_url="https://meet.example.org/raum",
        registration_url="https://anmeldung.example.org/photonik",
        is_free=True,
        language="de",
    )
    response = client.get(event.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "Di., 04.06.2030, 14:00–16:00 Uhr" in content
    assert f'href="/events/{event.pk}.ics"' in content
    assert "https://outlook.live.com/calendar/0/action/compose?" in content
    assert "https://outlook.office.com/calendar/0/action/compose?" in content
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in content
    assert "dates=20300604T120000Z%2F20300604T140000Z" in content
    assert 'href="https://anmeldung.example.org/photonik"' in content
    assert 'href="/networks/optonet-test/"' in content
    assert 'href="/networks/medways-test/"' in content
    data = json_ld(response)
    assert data["@type"] == "Event"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert [loc["@type"] for loc in data["location"]] == ["Place", "VirtualLocation"]
    assert [org["name"] for org in data["organizer"]] == ["Optonetz Test e.V.", "Medtech Test e.V."]
    assert {org["@type"] for org in data["organizer"]} == {"Organization"}
    assert data["offers"]["price"] == 0
    assert data["inLanguage"] == "de"
    assert data["startDate"] == "2030-06-04T14:00:00+02:00"


def test_event_page_shows_cancellation_prominently(client):
    event = EventFactory(status=Event.Status.CANCELLED, format="online")
    response = client.get(event.get_absolute_url())
    assert 'class="status-banner status-banner--cancelled"' in response.content.decode()
    data = json_ld(response)
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert data["location"]["@type"] == "VirtualLocation"


def test_event_page_wrong_slug_redirects_and_draft_is_404(client):
    event = EventFactory(title="Netzwerkforum Energie")
    response = client.get(f"/events/{event.pk}/falscher-slug/")
    assert response.status_code == 301
    assert response["Location"] == f"/events/{event.pk}/netzwerkforum-energie/"
    assert client.get(f"/events/{event.pk}/").status_code == 200
    draft = EventFactory(publication=Event.Publication.DRAFT)
    assert client.get(f"/events/{draft.pk}/").status_code == 404


def test_event_page_all_day_json_ld_uses_dates(client):
    event = EventFactory(is_all_day=True, starts_at=at(2030, 9, 16, 0), ends_at=at(2030, 9, 18, 0))
    data = json_ld(client.get(event.get_absolute_url()))
    assert (data["startDate"], data["endDate"]) == ("2030-09-16", "2030-09-17")


def test_week_page_shows_programme_networks_and_figures(client):
    week = WeekFactory(
        slug="ccw-test",
        motto="Virtuell vernetzen",
        starts_on=datetime.date(2020, 9, 16),
        ends_on=datetime.date(2020, 9, 25),
    )
    thzm = NetworkFactory(name="Zentrum für Testmaschinenbau")
    EventFactory(
        title="Auftakt",
        week=week,
        owner=thzm,
        starts_at=at(2020, 9, 16, 9, 30),
        ends_at=at(2020, 9, 16, 11, 30),
        participants_count=120,
    )
    EventFactory(
        title="Sensorik", week=week, starts_at=at(2020, 9, 17), ends_at=at(2020, 9, 17, 16), participants_count=45
    )
    EventFactory(title="Ohne Zahlen", week=week, starts_at=at(2020, 9, 18), ends_at=at(2020, 9, 18, 16))
    response = client.get("/weeks/ccw-test/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "„Virtuell vernetzen“" in content
    assert response.context["figures"] == {"events": 3, "cancelled": 0, "participants": 165, "reported_events": 2}
    assert "Zentrum für Testmaschinenbau" in content
    assert content.index("Auftakt") < content.index("Sensorik") < content.index("Ohne Zahlen")
    assert 'value="http://localhost:8000/calendar.ics?week=ccw-test"' in content


def test_week_list_separates_archive(client):
    WeekFactory(title="Woche Zukunft")
    response = client.get("/weeks/")
    assert [w.title for w in response.context["current_weeks"]] == ["Woche Zukunft"]
    assert "Cross-Cluster-Woche 2024" in [w.title for w in response.context["past_weeks"]]


# Bad input: every case gives the page with a message, never a 500.


def test_bad_unknown_slug_is_reported_and_other_filters_still_apply(client):
    client.cookies["django_language"] = "en"
    ki = TopicFactory(slug="ki-test")
    EventFactory(title="KI", topics=[ki])
    EventFactory(title="Anderes")
    response = client.get("/?network=gibt-es-nicht&topic=ki-test")
    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["filter"].form.errors["network"] == ["Unknown value “gibt-es-nicht”."]
    assert response.context["invalid_parameters"] == ["network"]
    assert titles(response) == ["KI"]
    assert 'value="http://localhost:8000/calendar.ics?topic=ki-test"' in content


def test_bad_from_garbage_falls_back_to_today(client):
    client.cookies["django_language"] = "en"
    EventFactory(title="Kommend")
    response = client.get("/?from=garbage")
    assert response.status_code == 200
    assert response.context["invalid_parameters"] == ["from"]
    assert response.context["filter"].form.errors["from"] == ["Enter a valid date."]
    assert titles(response) == ["Kommend"]


def test_bad_to_before_from_is_reported_and_ignored(client):
    EventFactory(title="Im Juni", starts_at=at(2030, 6, 4), ends_at=at(2030, 6, 4, 16))
    response = client.get("/?from=2030-06-01&to=2030-05-01")
    assert response.status_code == 200
    assert response.context["filter"].form.errors["to"] == ["Das Enddatum darf nicht vor dem Anfangsdatum liegen."]
    assert titles(response) == ["Im Juni"]


@pytest.mark.parametrize(
    "query",
    [
        "from=0001-01-01",
        "to=9999-12-31",
        "from=9999-12-31",
        "to=0001-01-01",
        "from=2030-02-30",
        "q=" + "x" * 5000,
        "network=" + "a" * 5000,
        "network=%00",
        "q=%00",
        "region=mond",
        "format=teleport",
        "week=ccw-1999",
        "type=gibt-es-nicht",
        "free=vielleicht",
        "page=-1",
        "page=99999999999999999999",
        "&".join(["network=thzm"] * 200),
        "&".join([f"topic=t{i}" for i in range(500)]),
        "q=%27%3B+drop+table+events_event%3B--",
        "q=%E2%80%AE%F0%9F%98%80",
        "from=2030-06-01&from=garbage",
    ],
)
def test_bad_input_never_fails(client, query):
    EventFactory()
    for path in ("/", "/archive/", "/month/2030/6/"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 200, (path, query)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("from=0001-01-01", "from", "Please enter a date between 1900-01-01 and 2999-12-31."),
        ("to=9999-12-31", "to", "Please enter a date between 1900-01-01 and 2999-12-31."),
        ("q=" + "x" * 201, "q", "Ensure this value has at most 200 characters (it has 201)."),
        ("&".join(["format=online"] * 31), "format", "Too many values: at most 30."),
        ("region=mond", "region", "Select a valid choice. mond is not one of the available choices."),
        ("network=%00", "network", "Null characters are not allowed."),
    ],
)
def test_bad_input_message_in_form(client, query, field, message):
    client.cookies["django_language"] = "en"
    response = client.get(f"/?{query}")
    assert response.context["filter"].form.errors[field] == [message]
    assert "Some filter values could not be used and were ignored" in response.content.decode()


def test_bad_input_form_marks_the_invalid_field(client):
    content = client.get("/?from=garbage").content.decode()
    assert re.search(r'<input type="date" name="from" value="garbage"[^>]*aria-invalid="true"', content)


def test_list_subscribe_box_drops_empty_parameters_of_a_plain_form_submit(client):
    NetworkFactory(slug="thzm-test")
    content = client.get("/?q=&from=&to=&network=thzm-test&region=&week=").content.decode()
    assert 'value="http://localhost:8000/calendar.ics?network=thzm-test"' in content


def test_event_page_json_ld_cannot_close_the_script_element(client):
    event = EventFactory(title="Gefährlich </script><script>alert(1)</script>")
    content = client.get(event.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in content
    assert json_ld(client.get(event.get_absolute_url()))["name"] == "Gefährlich </script><script>alert(1)</script>"


def test_list_form_keeps_the_chosen_values(client):
    NetworkFactory(slug="thzm-test")
    week = WeekFactory(slug="ccw-form")
    content = client.get(f"/?network=thzm-test&format=online&region=jena&week={week.slug}&free=1").content.decode()
    assert re.search(r'<input type="checkbox" name="network" value="thzm-test" id="id_network_\d+" checked>', content)
    assert '<input type="checkbox" name="format" value="online" id="id_format_1" checked>' in content
    assert '<input type="checkbox" name="format" value="onsite" id="id_format_0">' in content
    assert '<option value="jena" selected>Jena</option>' in content
    assert '<option value="ccw-form" selected>' in content
    assert re.search(r'<input type="checkbox" name="free"[^>]*checked', content)


def test_event_page_postponed_and_all_day(client):
    event = EventFactory(
        status=Event.Status.POSTPONED, is_all_day=True, starts_at=at(2030, 9, 16, 0), ends_at=at(2030, 9, 18, 0)
    )
    response = client.get(event.get_absolute_url())
    content = response.content.decode()
    assert 'class="status-banner status-banner--postponed"' in content
    assert "Mo., 16.09.2030 – Di., 17.09.2030" in content
    assert json_ld(response)["eventStatus"] == "https://schema.org/EventPostponed"


def test_event_page_calendar_links_for_all_day_events_use_exclusive_end_dates(client):
    event = EventFactory(is_all_day=True, starts_at=at(2030, 9, 16, 0), ends_at=at(2030, 9, 18, 0))
    content = client.get(event.get_absolute_url()).content.decode()
    assert "dates=20300916%2F20300918" in content
    assert "startdt=2030-09-16&amp;enddt=2030-09-18&amp;allday=true" in content


def test_bad_more_parameters_than_django_parses_still_gives_the_page(client):
    client.cookies["django_language"] = "en"
    NetworkFactory(slug="thzm-test")
    for path in ("/", "/archive/", "/month/2030/6/"):
        response = client.get(path + "?" + "&".join(["network=thzm-test"] * 1500))
        content = response.content.decode()
        assert response.status_code == 200
        assert "The address had too many parameters; only the first ones were read." in content
        assert response.context["filter"].form.errors["network"] == ["Too many values: at most 30."]
