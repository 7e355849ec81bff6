import datetime
import os
import re
import threading

import icalendar
import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from events import filters
from events.models import Event, EventType
from feeds.delivery import FeedFiles, RecentStamps, body_key, render_lock
from feeds.selectors import feed_digest, feed_events, subscription_filter
from networks.models import Topic
from tests.factories import EventFactory, NetworkFactory, TopicFactory, WeekFactory
from tests.feeds.ical_parsing import PARSERS

BERLIN = timezone.get_default_timezone()


@pytest.fixture(autouse=True)
def _empty_cache(settings, tmp_path):
    settings.FEEDS_FILE_DIR = tmp_path / "feeds"
    settings.FEEDS_STAMP_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


def berlin(*args):
    return datetime.datetime(*args, tzinfo=BERLIN)


@pytest.fixture
def catalogue(db):
    """Events in January (CET) and July (CEST) next year, all-day, cancelled, online, a draft, an old one."""
    year = timezone.localdate().year + 1
    ki = Topic.objects.get(slug="ki")  # reference data: "Künstliche Intelligenz"
    health = Topic.objects.get(slug="medizintechnik")
    owner = NetworkFactory(name="Netzwerk Künstliche Intelligenz Thüringen e.V.", short_name="KI-Netz", slug="ki-netz")
    other = NetworkFactory(short_name="Mednetz", slug="mednetz")
    week = WeekFactory(title="Cross-Cluster-Woche Test", slug="ccw")
    workshop = EventType.objects.get(slug="workshop")
    events = {
        "january": EventFactory(
            title="Winterforum; KI, Daten \\ Recht",
            starts_at=berlin(year, 1, 20, 9, 30),
            ends_at=berlin(year, 1, 20, 17, 0),
            owner=owner,
            topics=[ki],
            event_type=workshop,
        ),
        "july": EventFactory(
            title="Sommerakademie Medizintechnik – Überblick für Unternehmen aus Thüringen und Sachsen-Anhalt",
            starts_at=berlin(year, 7, 14, 14, 0),
            ends_at=berlin(year, 7, 14, 18, 30),
            owner=other,
            co_organisers=[owner],
            topics=[health, ki],
            week=week,
        ),
        "all_day": EventFactory(
            title="Zweitägiger Kongress",
            starts_at=berlin(year, 3, 30),
            ends_at=berlin(year, 4, 1),
            is_all_day=True,
            owner=owner,
        ),
        "online": EventFactory(
            title="Online-Seminar KI",
            format=Event.Format.ONLINE,
            online_url="https://meet.example.org/ki",
            venue_name="",
            city="",
            region="online",
            starts_at=berlin(year, 7, 1, 10, 0),
            ends_at=berlin(year, 7, 1, 11, 0),
            owner=owner,
            topics=[ki],
        ),
        "cancelled": EventFactory(
            title="Abgesagtes Treffen",
            status=Event.Status.CANCELLED,
            starts_at=berlin(year, 1, 5, 18, 0),
            ends_at=berlin(year, 1, 5, 20, 0),
            owner=other,
        ),
        "recent": EventFactory(
            title="Vor zehn Tagen",
            starts_at=timezone.now() - datetime.timedelta(days=10, hours=2),
            ends_at=timezone.now() - datetime.timedelta(days=10),
            owner=other,
        ),
    }
    EventFactory(title="Entwurf", publication=Event.Publication.DRAFT, owner=owner)
    EventFactory(
        title="Längst vorbei",
        starts_at=timezone.now() - datetime.timedelta(days=40, hours=2),
        ends_at=timezone.now() - datetime.timedelta(days=40),
        owner=owner,
    )
    return events


FEEDS = {
    "full": ("", {"january", "july", "all_day", "online", "cancelled", "recent"}),
    "filtered": ("topic=ki&format=online", {"online"}),
    "network": ("network=ki-netz", {"january", "july", "all_day", "online"}),
    "week": ("week=ccw", {"july"}),
    "empty": ("q=Quantenkryptographie", set()),
}


def feed_url(query):
    url = reverse("feeds:calendar_ics")
    return f"{url}?{query}" if query else url


def expected(event):
    if event.is_all_day:
        return (
            f"{timezone.localtime(event.starts_at):%Y%m%d}",
            f"{timezone.localtime(event.ends_at):%Y%m%d}",
        )
    return int(event.starts_at.timestamp()), int(event.ends_at.timestamp())


def uid(event):
    return f"event-{event.pk}@netzwerk-timer.de"


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("kind", FEEDS)
def test_calendar_feed_parses_with_the_database_times(client, catalogue, kind, parser):
    query, names = FEEDS[kind]
    response = client.get(feed_url(query))
    assert response.status_code == 200

    parsed = PARSERS[parser](response.content)

    assert parsed["timezones"] == ["Europe/Berlin"]
    by_uid = {event["uid"]: event for event in parsed["events"]}
    assert set(by_uid) == {uid(catalogue[name]) for name in names}
    for name in names:
        event = catalogue[name]
        got = by_uid[uid(event)]
        assert (got["start"], got["end"]) == expected(event), (name, parser)
        assert got["sequence"] == event.revision


@pytest.mark.parametrize("parser", PARSERS)
def test_single_event_feed_parses_with_the_database_times(client, catalogue, parser):
    for name in ("january", "july", "all_day"):
        event = catalogue[name]
        response = client.get(reverse("feeds:event_ics", kwargs={"pk": event.pk}))
        parsed = PARSERS[parser](response.content)
        assert [(e["uid"], e["start"], e["end"]) for e in parsed["events"]] == [(uid(event), *expected(event))]


def test_calendar_feed_times_are_local_berlin_with_tzid(client, catalogue):
    body = client.get(feed_url("")).content.decode()
    year = catalogue["january"].starts_at.year
    assert f"DTSTART;TZID=Europe/Berlin:{year}0120T093000\r\nDTEND;TZID=Europe/Berlin:{year}0120T170000" in body
    assert f"DTSTART;TZID=Europe/Berlin:{year}0714T140000\r\nDTEND;TZID=Europe/Berlin:{year}0714T183000" in body
    assert f"DTSTART;VALUE=DATE:{year}0330\r\nDTEND;VALUE=DATE:{year}0401" in body


def test_calendar_feed_has_no_floating_times(client, catalogue):
    calendar = icalendar.Calendar.from_ical(client.get(feed_url("")).content)
    for vevent in calendar.walk("VEVENT"):
        for name in ("DTSTART", "DTEND"):
            value = vevent.decoded(name)
            if isinstance(value, datetime.datetime):
                assert value.tzinfo is not None
                assert vevent[name].params["TZID"] == "Europe/Berlin"
            else:
                assert vevent[name].params["VALUE"] == "DATE"
    for name in ("DTSTAMP", "LAST-MODIFIED", "CREATED"):
        assert all(vevent[name].to_ical().endswith(b"Z") for vevent in calendar.walk("VEVENT")), name


def test_calendar_feed_headers_and_calendar_properties(client, catalogue):
    response = client.get(feed_url("topic=ki&format=online"), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Content-Encoding" not in response
    assert response["Content-Length"] == str(len(response.content))
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//Netzwerk-Timer//Veranstaltungskalender//DE"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "Netzwerk-Timer: Künstliche Intelligenz · online"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Berlin"
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT1H"
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in response.content.decode()


def test_calendar_feed_name_says_the_filter(client, catalogue):
    cases = {
        "": "Netzwerk-Timer",
        "network=ki-netz": "Netzwerk-Timer: KI-Netz",
        "network=mednetz&network=ki-netz&topic=ki": "Netzwerk-Timer: KI-Netz / Mednetz · Künstliche Intelligenz",
        "week=ccw": "Netzwerk-Timer: Cross-Cluster-Woche Test",
        "type=workshop&region=jena&free=on": "Netzwerk-Timer: Workshop · Jena · kostenfrei",
        "format=hybrid&format=onsite&q=Daten": "Netzwerk-Timer: vor Ort / hybrid · „Daten“",
    }
    for query, name in cases.items():
        calendar = icalendar.Calendar.from_ical(client.get(feed_url(query)).content)
        assert str(calendar["X-WR-CALNAME"]) == name, query


def test_calendar_feed_vtimezone_has_rrules_in_both_parts(client, catalogue):
    calendar = icalendar.Calendar.from_ical(client.get(feed_url("")).content)
    (vtimezone,) = calendar.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "Europe/Berlin"
    assert [c.name for c in vtimezone.subcomponents] == ["DAYLIGHT", "STANDARD"]
    daylight, standard = vtimezone.subcomponents
    assert dict(daylight["RRULE"]) == {"FREQ": ["YEARLY"], "BYMONTH": [3], "BYDAY": ["-1SU"]}
    assert dict(standard["RRULE"]) == {"FREQ": ["YEARLY"], "BYMONTH": [10], "BYDAY": ["-1SU"]}
    assert "RDATE" not in daylight and "RDATE" not in standard


def test_calendar_feed_vtimezone_agrees_with_zoneinfo_around_every_transition(client, catalogue):
    calendar = icalendar.Calendar.from_ical(client.get(feed_url("")).content)
    ours = calendar.walk("VTIMEZONE")[0].to_tz()
    moment = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    while moment.year < 2036:
        assert moment.astimezone(ours).utcoffset() == moment.astimezone(BERLIN).utcoffset(), moment
        moment += datetime.timedelta(hours=7)


def test_calendar_feed_event_properties(client, catalogue, settings):
    settings.SITE_URL = "https://www.netzwerk-timer.de"
    event = catalogue["july"]
    calendar = icalendar.Calendar.from_ical(client.get(feed_url("week=ccw")).content)
    (vevent,) = calendar.walk("VEVENT")
    page = f"https://www.netzwerk-timer.de{event.get_absolute_url()}"
    assert str(vevent["UID"]) == uid(event)
    assert str(vevent["URL"]) == page
    assert str(vevent["SUMMARY"]) == event.title
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert str(vevent["DESCRIPTION"]) == f"Vorträge und Austausch für Unternehmen.\n\n{page}"
    assert str(vevent["LOCATION"]) == "Technologie- und Gründerzentrum, 07745 Jena"
    assert vevent["CATEGORIES"].cats == ["Künstliche Intelligenz", "Medizintechnik"]
    assert str(vevent["ORGANIZER"]) == "mailto:noreply@netzwerk-timer.de"
    assert vevent["ORGANIZER"].params["CN"] == event.owner.name
    assert vevent.decoded("DTSTAMP") == event.updated_at.replace(microsecond=0)
    assert vevent.decoded("LAST-MODIFIED") == event.updated_at.replace(microsecond=0)


def test_calendar_feed_online_event_location_is_the_link(client, catalogue):
    calendar = icalendar.Calendar.from_ical(client.get(feed_url("format=online")).content)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["LOCATION"]) == "https://meet.example.org/ki"


def test_calendar_feed_lines_are_crlf_folded_at_75_octets_and_whole_utf8(client, catalogue):
    body = client.get(feed_url("")).content
    assert body.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert b"\r" not in body.replace(b"\r\n", b"")
    for line in body.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # a split multi-byte sequence would raise here
    assert b"\r\n " in body  # the long July title was folded


def test_calendar_feed_change_raises_sequence_and_keeps_uid(client, catalogue):
    event = catalogue["january"]
    before = icalendar.Calendar.from_ical(client.get(feed_url("")).content)
    old = {str(e["UID"]): int(e["SEQUENCE"]) for e in before.walk("VEVENT")}

    event.title = "Winterforum (neuer Raum)"
    event.save()

    after = icalendar.Calendar.from_ical(client.get(feed_url("")).content)
    new = {str(e["UID"]): (int(e["SEQUENCE"]), str(e["SUMMARY"])) for e in after.walk("VEVENT")}
    assert set(new) == set(old)
    assert new[uid(event)] == (old[uid(event)] + 1, "Winterforum (neuer Raum)")


def test_calendar_feed_cancelled_event_stays_with_status_cancelled(client, catalogue):
    event = catalogue["january"]
    event.status = Event.Status.CANCELLED
    event.save()

    calendar = icalendar.Calendar.from_ical(client.get(feed_url("")).content)
    vevent = next(e for e in calendar.walk("VEVENT") if str(e["UID"]) == uid(event))
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert str(vevent["SUMMARY"]) == "Abgesagt: Winterforum; KI, Daten \\ Recht"
    assert int(vevent["SEQUENCE"]) == event.revision


def test_calendar_feed_postponed_event_says_so_in_the_title(client, catalogue):
    event = catalogue["july"]
    event.status = Event.Status.POSTPONED
    event.save()
    calendar = icalendar.Calendar.from_ical(client.get(feed_url("week=ccw")).content)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == f"Verschoben: {event.title}"


def test_calendar_feed_never_shows_drafts(client, catalogue):
    body = client.get(feed_url("")).content.decode()
    assert "Entwurf" not in body
    assert "Längst vorbei" not in body


def test_calendar_feed_answers_304_to_its_etag(client, catalogue):
    first = client.get(feed_url("network=ki-netz"))
    etag = first["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)

    again = client.get(feed_url("network=ki-netz"), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag

    since = client.get(feed_url("network=ki-netz"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_calendar_feed_etag_changes_when_an_event_of_the_feed_changes(client, catalogue):
    etag = client.get(feed_url("network=ki-netz"))["ETag"]
    catalogue["january"].save()
    response = client.get(feed_url("network=ki-netz"), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_calendar_feed_head_matches_get(client, catalogue):
    get = client.get(feed_url("topic=ki"))
    head = client.head(feed_url("topic=ki"))
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    for header in ("Content-Type", "Content-Length", "ETag", "Last-Modified", "Cache-Control"):
        assert head[header] == get[header], header


def test_calendar_feed_refuses_post(client, catalogue):
    assert client.post(feed_url("")).status_code == 405


def test_calendar_feed_warm_request_is_served_from_the_cache(client, catalogue, django_assert_max_num_queries):
    cold = client.get(feed_url("topic=ki"))
    # Warm: the filter's slug lookup, the aggregate stamp and the names stamp; no event rows.
    with django_assert_max_num_queries(3):
        warm = client.get(feed_url("topic=ki"))
    assert warm.content == cold.content


def test_calendar_feed_cache_follows_a_network_rename(client, catalogue):
    client.get(feed_url("network=ki-netz"))
    network = catalogue["january"].owner
    network.name = "KI-Netzwerk Thüringen"
    network.save()
    vevent = next(
        e
        for e in icalendar.Calendar.from_ical(client.get(feed_url("network=ki-netz")).content).walk("VEVENT")
        if str(e["UID"]) == uid(catalogue["january"])
    )
    assert vevent["ORGANIZER"].params["CN"] == "KI-Netzwerk Thüringen"


def test_calendar_feed_cold_render_has_a_constant_query_count(client, catalogue, django_assert_max_num_queries):
    # The first render: stamp (1), names (1), event rows with their kept blocks (1), topics of the
    # events without one (1) and the upsert of their new blocks (1), however many events.
    with django_assert_max_num_queries(5):
        client.get(feed_url(""))
    for _ in range(20):
        EventFactory(topics=[TopicFactory()])
    cache.clear()
    with django_assert_max_num_queries(5):
        response = client.get(feed_url(""))
    assert len(icalendar.Calendar.from_ical(response.content).walk("VEVENT")) == 26
    # Cold again with every block kept: stamp, names and the rows with their blocks.
    cache.clear()
    with django_assert_max_num_queries(3):
        again = client.get(feed_url(""))
    assert again.content == response.content


def test_cold_calendar_feed_canonicalises_its_filter_once_and_reads_it_once(client, catalogue, monkeypatch):
    calls = {"canonical": 0, "filterset": 0}
    canonical, filterset_init = filters.canonical_query, filters.EventFilterSet.__init__

    def counted_canonical(*args, **kwargs):
        calls["canonical"] += 1
        return canonical(*args, **kwargs)

    def counted_filterset(self, *args, **kwargs):
        calls["filterset"] += 1
        filterset_init(self, *args, **kwargs)

    monkeypatch.setattr(filters, "canonical_query", counted_canonical)
    monkeypatch.setattr(filters.EventFilterSet, "__init__", counted_filterset)
    response = client.get(feed_url("utm_source=x&topic=ki&network=ki-netz&from=1999-01-01"))
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    uids = {str(vevent["UID"]) for vevent in calendar.walk("VEVENT")}
    assert uid(catalogue["january"]) in uids and uid(catalogue["all_day"]) not in uids  # the filter applies
    assert calls == {"canonical": 1, "filterset": 1}


def test_calendar_feed_works_when_the_cache_is_down(client, catalogue, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }
    response = client.get(feed_url("network=ki-netz"))
    assert response.status_code == 200
    assert len(icalendar.Calendar.from_ical(response.content).walk("VEVENT")) == 4


@pytest.mark.parametrize(
    "query",
    [
        "network=gibt-es-nicht",
        "topic=unbekannt&topic=ki",
        "type=%00",
        "format=teleport",
        "region=mars",
        "week=ccw-1999",
        "from=gestern",
        "to=2027-02-30",
        "from=2030-01-02&to=2030-01-01",
        "q=" + "x" * 500,
        "&".join(["network=ki-netz"] * 40),
    ],
)
def test_calendar_feed_bad_input_gives_an_empty_valid_calendar(client, catalogue, query):
    response = client.get(feed_url(query))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    for parse in (PARSERS["icalendar"], PARSERS["vobject"]):
        parsed = parse(response.content)
        assert parsed["events"] == []
        assert parsed["timezones"] == ["Europe/Berlin"]


def test_event_feed_is_one_event_with_its_own_name(client, catalogue):
    event = catalogue["cancelled"]
    response = client.get(reverse("feeds:event_ics", kwargs={"pk": event.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="netzwerk-timer-{event.pk}.ics"'
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Netzwerk-Timer: Abgesagtes Treffen"
    (vevent,) = calendar.walk("VEVENT")
    assert (str(vevent["STATUS"]), str(vevent["SUMMARY"])) == ("CANCELLED", "Abgesagt: Abgesagtes Treffen")


def test_event_feed_answers_304_and_head_like_get(client, catalogue):
    url = reverse("feeds:event_ics", kwargs={"pk": catalogue["january"].pk})
    get = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=get["ETag"]).status_code == 304
    head = client.head(url)
    assert (head.status_code, head["Content-Length"], head["ETag"]) == (200, get["Content-Length"], get["ETag"])


def test_event_feed_of_a_draft_or_unknown_event_is_404(client, catalogue):
    draft = Event.objects.get(title="Entwurf")
    assert client.get(reverse("feeds:event_ics", kwargs={"pk": draft.pk})).status_code == 404
    assert client.get(reverse("feeds:event_ics", kwargs={"pk": 999999})).status_code == 404


def test_calendar_feed_large_feed_is_sent_from_a_file_with_the_same_bytes(
    client, catalogue, settings, django_assert_max_num_queries
):
    small = client.get(feed_url("topic=ki"))
    settings.FEEDS_FILE_MIN_BYTES = 0
    large = client.get(feed_url("topic=ki"))
    assert large.streaming
    assert b"".join(large.streaming_content) == small.content
    for header in ("Content-Type", "Content-Length", "ETag", "Last-Modified", "Cache-Control"):
        assert large[header] == small[header], header
    assert [p.suffix for p in settings.FEEDS_FILE_DIR.iterdir()] == [".ics"]
    with django_assert_max_num_queries(3):
        again = client.get(feed_url("topic=ki"))
    assert b"".join(again.streaming_content) == small.content
    head = client.head(feed_url("topic=ki"))
    assert (head.status_code, head["Content-Length"], head["ETag"]) == (200, small["Content-Length"], small["ETag"])
    assert client.get(feed_url("topic=ki"), HTTP_IF_NONE_MATCH=small["ETag"]).status_code == 304


def test_feed_files_remove_the_oldest_beyond_their_budget(settings, tmp_path):
    settings.FEEDS_FILE_DIR = tmp_path
    files = FeedFiles(max_bytes=10)
    first = files.put("a", b"1234")
    os.utime(first, (1, 1))
    files.put("b", b"5678")
    files.put("c", b"9012")
    assert (files.get("a"), files.get("b").read_bytes(), files.get("c").read_bytes()) == (None, b"5678", b"9012")


def rendering_elsewhere(query, *, then):
    """Hold the render lock of a feed as another server process would, then do `then(digest)` after 0.3 s."""
    digest, _ = feed_digest(subscription_filter(QueryDict(query)))
    cache.add(render_lock(digest), True, 30)
    timer = threading.Timer(0.3, then, args=[digest])
    timer.start()
    return timer


def test_a_feed_rendered_by_another_process_is_awaited_not_rendered_again(client, catalogue):
    marker = b"BEGIN:VCALENDAR\r\nX-RENDERED-BY:the other process\r\nEND:VCALENDAR\r\n"
    timer = rendering_elsewhere("topic=ki", then=lambda digest: cache.set(body_key(digest), marker, 60))
    response = client.get(feed_url("topic=ki"))
    timer.join()
    assert response.status_code == 200
    assert response.content == marker


def test_a_feed_whose_other_renderer_gave_up_is_rendered_here(client, catalogue):
    timer = rendering_elsewhere("topic=ki", then=lambda digest: cache.delete(render_lock(digest)))
    response = client.get(feed_url("topic=ki"))
    timer.join()
    titles = [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")]
    assert titles and response.status_code == 200


def test_small_calendar_feed_with_a_recent_stamp_is_answered_from_the_cache_alone(
    client, catalogue, settings, django_assert_num_queries
):
    settings.FEEDS_STAMP_SECONDS = 60
    first = client.get(feed_url("topic=ki"))
    assert not first.streaming  # small: kept in the shared cache, not as a file
    with django_assert_num_queries(0):
        again = client.get(feed_url("topic=ki"))
    assert (again.content, again["ETag"]) == (first.content, first["ETag"])


def test_calendar_feed_reuses_a_recent_stamp_for_a_few_seconds(client, catalogue, settings, django_assert_num_queries):
    settings.FEEDS_STAMP_SECONDS = 60
    settings.FEEDS_FILE_MIN_BYTES = 0
    first = client.get(feed_url("network=ki-netz"))
    # Kept in the shared cache, so every server process sees it, not only this one.
    assert RecentStamps().get("network=ki-netz")[0][:32] == first["ETag"].strip('"')
    catalogue["january"].save()
    with django_assert_num_queries(0):
        assert client.get(feed_url("network=ki-netz"), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        warm = client.get(feed_url("network=ki-netz"))
    assert warm["ETag"] == first["ETag"]
    cache.clear()  # what the passing seconds do
    assert client.get(feed_url("network=ki-netz"))["ETag"] != first["ETag"]


@pytest.mark.parametrize("name", ["full", "network", "filtered", "week"])
def test_feed_events_are_the_same_read_through_the_id_subquery(catalogue, name):
    query, expected = FEEDS[name]
    queryset = subscription_filter(QueryDict(query)).qs
    direct = [(event.id, event.topics) for event in feed_events(queryset)]
    through_ids = [(event.id, event.topics) for event in feed_events(queryset, filtered=True)]
    assert through_ids == direct
    assert {event_id for event_id, _ in direct} == {catalogue[key].pk for key in expected}
