"""The kept VEVENT blocks (feeds/services.py): rendered once per revision, never stale."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from events.services import event_cancel, event_postpone, event_revisions_raise, event_save
from feeds import ical
from feeds.models import EventBlock
from tests.factories import EventFactory, ImageFactory, NetworkFactory, TopicFactory

BERLIN = timezone.get_default_timezone()
FEED = "/calendar.ics"


@pytest.fixture(autouse=True)
def _empty_cache(settings, tmp_path):
    settings.FEEDS_FILE_DIR = tmp_path / "feeds"
    settings.FEEDS_STAMP_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def calendar(db):
    year = timezone.localdate().year + 1
    network = NetworkFactory(name="Optik-Netz Jena e.V.", contact_email="info@optik.example.org")
    topic = TopicFactory(name="Photonik")
    event = EventFactory(
        title="Fachforum Photonik",
        owner=network,
        topics=[topic],
        starts_at=datetime.datetime(year, 6, 4, 14, tzinfo=BERLIN),
        ends_at=datetime.datetime(year, 6, 4, 16, tzinfo=BERLIN),
        registration_url="https://anmeldung.example.org/forum",
    )
    other = EventFactory(
        title="Zweites Forum",
        owner=network,
        topics=[topic],
        starts_at=datetime.datetime(year, 7, 4, 14, tzinfo=BERLIN),
        ends_at=datetime.datetime(year, 7, 4, 16, tzinfo=BERLIN),
    )
    return {"network": network, "topic": topic, "event": event, "other": other}


def kept_feed(client):
    """The feed as a cold request builds it: no stored file or body, the kept blocks used."""
    cache.clear()
    response = client.get(FEED)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def fresh_feed(client):
    """The feed rendered from scratch, without any kept block."""
    EventBlock.objects.all().delete()
    return kept_feed(client)


def edit(event, **values):
    """What the admin's save_model does with a changed form: the fields set, then event_save."""
    event = Event.objects.get(pk=event.pk)
    for name, value in values.items():
        setattr(event, name, value)
    event_save(event=event, changed_fields=list(values))


def later(event, hours):
    return {"starts_at": event.starts_at + datetime.timedelta(hours=hours)}


CHANGES = {
    "title": lambda c: edit(c["event"], title="Fachforum Photonik; neu"),
    "slug": lambda c: edit(c["event"], slug="photonik-neu"),
    "description": lambda c: edit(c["event"], description="<p>Neue Beschreibung</p>"),
    "starts_at": lambda c: edit(c["event"], **later(c["event"], 1)),
    "ends_at": lambda c: edit(c["event"], ends_at=c["event"].ends_at + datetime.timedelta(hours=3)),
    "is_all_day": lambda c: edit(c["event"], is_all_day=True),
    "format": lambda c: edit(c["event"], format=Event.Format.HYBRID, online_url="https://meet.example.org/x"),
    "venue_name": lambda c: edit(c["event"], venue_name="Volkshaus"),
    "street": lambda c: edit(c["event"], street="Carl-Zeiß-Platz 15"),
    "postcode": lambda c: edit(c["event"], postcode="07743"),
    "city": lambda c: edit(c["event"], city="Weimar"),
    "registration_url": lambda c: edit(c["event"], registration_url="https://anmeldung.example.org/neu"),
    "owner": lambda c: edit(c["event"], owner=NetworkFactory(name="Anderes Netz")),
    "step_free": lambda c: edit(c["event"], step_free="yes"),
    "accessible_toilet": lambda c: edit(c["event"], accessible_toilet=True),
    "induction_loop": lambda c: edit(c["event"], induction_loop=True),
    "sign_language": lambda c: edit(c["event"], sign_language=True),
    "live_captions": lambda c: edit(c["event"], live_captions=True),
    "simple_language": lambda c: edit(c["event"], simple_language=True),
    "accessibility_note": lambda c: edit(c["event"], accessibility_note="Rampe am Seiteneingang"),
    "image": lambda c: edit(c["event"], image=ImageFactory()),
    "cancelled": lambda c: event_cancel(event=Event.objects.get(pk=c["event"].pk), reason="Krankheit"),
    "postponed": lambda c: event_postpone(event=Event.objects.get(pk=c["event"].pk), reason="Raum fehlt"),
}


def topics_in_admin(c):
    # The admin form saves the event (event_save), then its many-to-many fields.
    event = Event.objects.get(pk=c["event"].pk)
    event_save(event=event, changed_fields=["topics"])
    event.topics.set([TopicFactory(name="Quantentechnologie")])


def network_in_admin(client, network, **values):
    data = {
        "name": network.name,
        "short_name": network.short_name,
        "slug": network.slug,
        "kind": network.kind,
        "website": network.website,
        "description": network.description,
        "contact_name": network.contact_name,
        "contact_email": network.contact_email,
        "contact_phone": network.contact_phone,
        "is_active": "on",
        **values,
    }
    response = client.post(reverse("admin:networks_network_change", args=[network.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response


def topic_in_admin(client, topic, **values):
    data = {"name": topic.name, "slug": topic.slug, "name_en": topic.name_en, **values}
    response = client.post(reverse("admin:networks_topic_change", args=[topic.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response


@pytest.mark.parametrize("change", [*CHANGES, "topics"])
def test_feed_of_kept_blocks_equals_a_fresh_render_after_a_change_of(client, calendar, change):
    before = kept_feed(client)
    assert EventBlock.objects.count() == 2
    (topics_in_admin if change == "topics" else CHANGES[change])(calendar)
    kept = kept_feed(client)
    assert kept != before
    assert kept == fresh_feed(client)


@pytest.mark.parametrize(
    "values", [{"name": "Optik-Netzwerk Thüringen e.V."}, {"contact_email": "kontakt@optik.example.org"}]
)
def test_feed_of_kept_blocks_follows_the_network_changed_in_the_admin(client, calendar, coordinator, values):
    before = kept_feed(client)
    client.force_login(coordinator)
    network_in_admin(client, calendar["network"], **values)
    client.logout()
    kept = kept_feed(client)
    assert kept != before
    assert kept == fresh_feed(client)


def test_feed_of_kept_blocks_follows_a_topic_renamed_in_the_admin(client, calendar, coordinator):
    before = kept_feed(client)
    client.force_login(coordinator)
    topic_in_admin(client, calendar["topic"], name="Photonik und Optik")
    client.logout()
    kept = kept_feed(client)
    assert b"CATEGORIES:Photonik und Optik" in kept
    assert kept != before
    assert kept == fresh_feed(client)


def test_feed_of_kept_blocks_follows_a_picture_set_by_a_bulk_update(client, calendar):
    before = kept_feed(client)
    events = Event.objects.filter(pk=calendar["event"].pk)
    events.update(image=ImageFactory())
    event_revisions_raise(events=events)
    kept = kept_feed(client)
    assert kept != before
    assert kept == fresh_feed(client)


def test_feed_of_kept_blocks_matches_the_serializer_byte_for_byte(client, calendar):
    from events.filters import CALENDAR_TITLE
    from feeds.selectors import feed_events, subscription_filter

    first = kept_feed(client)
    again = kept_feed(client)
    found = subscription_filter({})
    assert first == again == ical.render_calendar(feed_events(found.qs), name=CALENDAR_TITLE)


def test_cold_feed_renders_only_the_changed_event_once(client, calendar, monkeypatch):
    rendered = []
    block = ical.event_block
    monkeypatch.setattr(ical, "event_block", lambda event: rendered.append(event.id) or block(event))
    kept_feed(client)
    assert sorted(rendered) == sorted([calendar["event"].pk, calendar["other"].pk])
    rendered.clear()
    with CaptureQueriesContext(connection) as queries:
        kept_feed(client)
    assert rendered == []
    assert not [q for q in queries.captured_queries if "feeds_eventblock" in q["sql"] and "INSERT" in q["sql"]]
    edit(calendar["other"], title="Zweites Forum, verschoben")
    kept_feed(client)
    assert rendered == [calendar["other"].pk]
    assert (
        EventBlock.objects.get(pk=calendar["other"].pk).revision == Event.objects.get(pk=calendar["other"].pk).revision
    )


def test_filtered_feed_uses_and_keeps_the_same_blocks(client, calendar):
    kept_feed(client)
    bodies = dict(EventBlock.objects.values_list("pk", "body"))
    response = client.get(FEED + f"?network={calendar['network'].slug}")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    for body in bodies.values():
        assert body.encode() in content
    assert dict(EventBlock.objects.values_list("pk", "body")) == bodies


def test_deleted_event_takes_its_block_along(calendar, client):
    kept_feed(client)
    calendar["other"].delete()
    assert list(EventBlock.objects.values_list("pk", flat=True)) == [calendar["event"].pk]
