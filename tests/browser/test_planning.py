"""Series, clash hints and holds in the admin, typed as a manager types them, in real Chromium."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from events.models import Event
from networks.models import Topic
from netzwerktimer.dates import BERLIN
from planning.models import DateHold, EventSeries
from tests.browser.conftest import log_in, type_into
from tests.factories import EventFactory, NetworkFactory, TopicFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def desk(transactional_db):
    network = NetworkFactory(name="Optik-Netz Jena e.V.", short_name="Optik-Netz", slug="optik-netz")
    other = NetworkFactory(name="Zentrum Maschinenbau Ilmenau", short_name="ZMI", slug="zmi")
    user = UserFactory(username="anna", is_staff=True)
    network.managers.add(user)
    return {"network": network, "other": other, "user": user}


def test_series_monthly_second_tuesday_across_dst_through_the_form(page, live_server, desk, screenshot):
    log_in(page, live_server, "anna")
    page.goto(live_server.url + "/admin/planning/eventseries/add/")
    type_into(page, "#id_title", "Stammtisch Photonik")
    page.locator(".field-description [contenteditable=true]").click()
    page.keyboard.type("Forschung & Entwicklung")
    page.keyboard.press("Enter")
    page.keyboard.type("am Abend")
    type_into(page, "#id_first_date", "01.01.2027")
    type_into(page, "#id_start_time", "18:00")
    type_into(page, "#id_end_time", "20:00")
    page.locator("#id_frequency").select_option("monthly_weekday")
    assert page.locator(".field-day_of_month").is_hidden()
    page.locator("#id_weekday").select_option("1")
    page.locator("#id_week_of_month").select_option("2")
    type_into(page, "#id_count", "6")
    type_into(page, "#id_skip_dates", "09.02.2027")
    type_into(page, "#id_city", "Jena")
    screenshot(page, "series-form")
    page.locator("input[name=_continue]").first.click()
    page.wait_for_url(re.compile(r"/admin/planning/eventseries/\d+/change/"))
    assert "Termine: 6 angelegt, 0 geändert" in page.locator(".messagelist").inner_text()
    rows = page.locator("table.series-dates tbody tr td:first-child").all_inner_texts()
    assert rows == [
        "Di., 12.01.2027, 18:00–20:00 Uhr",
        "Di., 09.03.2027, 18:00–20:00 Uhr",
        "Di., 13.04.2027, 18:00–20:00 Uhr",
        "Di., 11.05.2027, 18:00–20:00 Uhr",
        "Di., 08.06.2027, 18:00–20:00 Uhr",
        "Di., 13.07.2027, 18:00–20:00 Uhr",
    ]
    series = EventSeries.objects.get()
    events = [sd.event for sd in series.dates.select_related("event")]
    assert [e.starts_at.astimezone(datetime.UTC).hour for e in events] == [17, 17, 16, 16, 16, 16]
    assert {e.publication for e in events} == {Event.Publication.DRAFT}
    assert events[0].description == "<p>Forschung &amp; Entwicklung</p><p>am Abend</p>"
    screenshot(page, "series-change")
    page.locator("table.series-dates a").first.click()
    page.wait_for_url(re.compile(rf"/admin/events/event/{events[0].pk}/change/"))


def test_clash_hint_names_other_networks_event_on_the_same_afternoon(page, live_server, desk, screenshot):
    day = datetime.date.today() + datetime.timedelta(days=10)
    # A reference topic (networks.reference_data): present whenever the rollback restored the migrations' rows.
    photonik, _created = Topic.objects.get_or_create(slug="optik-photonik", defaults={"name": "Optik und Photonik"})
    TopicFactory(name="Wasserstoff")
    other_event = EventFactory(
        title="Laserforum Mittelstand",
        owner=desk["other"],
        starts_at=datetime.datetime.combine(day, datetime.time(14), tzinfo=BERLIN),
        ends_at=datetime.datetime.combine(day, datetime.time(16), tzinfo=BERLIN),
        topics=[photonik],
    )
    EventFactory(
        title="Eigenes Forum",
        owner=desk["network"],
        starts_at=datetime.datetime.combine(day, datetime.time(15), tzinfo=BERLIN),
        ends_at=datetime.datetime.combine(day, datetime.time(16), tzinfo=BERLIN),
    )
    log_in(page, live_server, "anna")
    page.goto(live_server.url + "/admin/events/event/add/")
    hints = page.locator("#clash-hints")
    assert "Datum und Uhrzeit eingeben" in hints.inner_text()
    type_into(page, "#id_title", "Photonik am Nachmittag")
    type_into(page, "#id_starts_at_0", day.strftime("%d.%m.%Y"))
    type_into(page, "#id_starts_at_1", "15:00")
    type_into(page, "#id_ends_at_0", day.strftime("%d.%m.%Y"))
    type_into(page, "#id_ends_at_1", "17:00")
    page.locator("#id_title").click()
    link = hints.get_by_role("link", name="Laserforum Mittelstand")
    link.wait_for()
    assert link.get_attribute("href") == other_event.get_absolute_url()
    text = hints.inner_text()
    assert "Zur gleichen Zeit: 1 Eintrag eines anderen Netzwerks" in text
    assert "(ZMI)" in text
    assert "Eigenes Forum" not in text
    hints.scroll_into_view_if_needed()
    screenshot(page, "clash-hint")
    # Later the same day: the hint goes away, saving is never blocked.
    type_into(page, "#id_starts_at_1", "18:00")
    type_into(page, "#id_ends_at_1", "19:00")
    page.locator("#id_title").click()
    expect(hints).to_contain_text("Kein anderes Netzwerk")
    assert "Laserforum" not in hints.inner_text()
    # Ticking the topic they share brings it back as a same-day hint.
    page.locator(".field-topics").get_by_label("Optik und Photonik", exact=True).check()
    expect(hints).to_contain_text("Am selben Tag")
    expect(hints.get_by_role("link", name="Laserforum Mittelstand")).to_be_visible()


def test_hold_created_through_the_form_never_appears_publicly(page, live_server, desk, browser, screenshot, axe_audit):
    day = datetime.date.today() + datetime.timedelta(days=5)
    EventFactory(title="Öffentliches Forum", owner=desk["network"])
    log_in(page, live_server, "anna")
    page.goto(live_server.url + "/admin/planning/datehold/add/")
    type_into(page, "#id_title", "Geheimer Wasserstofftag")
    type_into(page, "#id_starts_at_0", day.strftime("%d.%m.%Y"))
    type_into(page, "#id_starts_at_1", "09:00")
    type_into(page, "#id_ends_at_0", day.strftime("%d.%m.%Y"))
    type_into(page, "#id_ends_at_1", "12:00")
    type_into(page, "#id_note", "Raum im TGZ angefragt")
    assert axe_audit(page) == []
    page.locator("input[name=_save]").click()
    page.wait_for_url(live_server.url + "/admin/planning/datehold/")
    hold = DateHold.objects.get()
    assert (hold.title, hold.network, hold.created_by) == ("Geheimer Wasserstofftag", desk["network"], desk["user"])
    page.goto(f"{live_server.url}/admin/planning/monat/{day.year}/{day.month}/")
    assert page.get_by_role("link", name="Geheimer Wasserstofftag").is_visible()
    screenshot(page, "planning-month")
    assert axe_audit(page) == []

    public = browser.new_context()
    try:
        visitor = public.new_page()
        for path in ["/", "/?q=Wasserstofftag", f"/month/{day.year}/{day.month}/", "/networks/optik-netz/"]:
            visitor.goto(live_server.url + path)
            assert "Geheimer Wasserstofftag" not in visitor.content(), path
        for path in ["/calendar.ics", "/api/events/", "/feed.atom"]:
            response = visitor.request.get(live_server.url + path)
            assert response.status == 200, path
            assert "Geheimer Wasserstofftag" not in response.text(), path
            assert "Öffentliches Forum" in response.text(), path
        assert visitor.goto(f"{live_server.url}/admin/planning/monat/{day.year}/{day.month}/").url.startswith(
            live_server.url + "/admin/login/"
        )
    finally:
        public.close()

    # One click turns it into a draft of the network.
    page.goto(f"{live_server.url}/admin/planning/datehold/{hold.pk}/change/")
    page.get_by_role("button", name="In Entwurf umwandeln").click()
    page.wait_for_url(re.compile(r"/admin/events/event/\d+/change/"))
    hold.refresh_from_db()
    assert (hold.converted_event.title, hold.converted_event.publication) == ("Geheimer Wasserstofftag", "draft")
