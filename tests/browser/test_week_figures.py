"""Figures after the week as people enter and read them: the coordinator types the published
figures of a week before the portal, a manager types participants and a result note, and the
past week page shows figures, the day-by-day chart and the results."""

import datetime

import pytest

from events.models import CrossClusterWeek, Event, EventType
from netzwerktimer.dates import BERLIN
from tests.browser.conftest import ARTIFACTS, log_in
from tests.factories import CoordinatorFactory, EventFactory, NetworkFactory, UserFactory, WeekFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_week_admin_coordinator_types_the_published_figures_of_2019(
    page, live_server, transactional_db, screenshot, axe_audit
):
    CoordinatorFactory(username="koordination")
    log_in(page, live_server, "koordination")
    page.goto(live_server.url + "/admin/events/crossclusterweek/add/")

    page.locator("#id_title").press_sequentially("Cross-Cluster-Woche 2019")
    page.locator("#id_motto").press_sequentially("Erste   Schritte")
    page.locator("#id_starts_on").press_sequentially("16.09.2019")
    page.locator("#id_ends_on").press_sequentially("20.09.2019")
    page.locator("#id_description").press_sequentially("Vor dem Portal.")
    page.locator("#id_description").press("Enter")
    page.locator("#id_description").press_sequentially("Nur die Zahlen sind überliefert.")
    page.locator("#id_published_events").press_sequentially("13")
    page.locator("#id_published_participants_qualifier").select_option(label="über")
    page.locator("#id_published_participants").press_sequentially("500")
    page.locator("#id_figures_source").press_sequentially("Pressemitteilung vom 28.09.2019")
    assert page.get_by_text("Veröffentlichte Zahlen (Wochen vor dem Portal)").is_visible()
    assert axe_audit(page) == []
    page.locator('input[name="_save"]').click()
    page.wait_for_url(live_server.url + "/admin/events/crossclusterweek/")

    week = CrossClusterWeek.objects.get(title="Cross-Cluster-Woche 2019")
    assert (week.slug, week.motto) == ("cross-cluster-woche-2019", "Erste Schritte")
    assert week.description == "Vor dem Portal.\nNur die Zahlen sind überliefert."
    assert (week.published_events, week.published_participants, week.published_participants_qualifier) == (
        13,
        500,
        "more_than",
    )

    page.goto(live_server.url + week.get_absolute_url())
    figures = page.locator(".figures__list")
    assert figures.locator("div").all_inner_texts() == [
        "Durchgeführte Veranstaltungen\n13",
        "Teilnehmende\nüber 500",
    ]
    assert page.get_by_role("heading", name="Veröffentlichte Zahlen").is_visible()
    screenshot(page, "pre-portal-week")


def test_event_admin_manager_types_participants_and_a_two_line_result_note(page, live_server, transactional_db):
    network = NetworkFactory(short_name="Optik-Netz", slug="optik-netz")
    manager = UserFactory(username="anna", is_staff=True)
    network.managers.add(manager)
    starts_at = datetime.datetime(2026, 11, 10, 10, tzinfo=BERLIN)
    event = EventFactory(
        owner=network, title="Photonik trifft Medizin", starts_at=starts_at, ends_at=starts_at.replace(hour=12)
    )
    log_in(page, live_server, "anna")
    page.goto(live_server.url + f"/admin/events/event/{event.pk}/change/")

    assert page.get_by_role("heading", name="Nach der Veranstaltung").is_visible()
    page.locator("#id_participants_count").press_sequentially("42")
    note = page.locator("#id_result_note")
    note.press_sequentially("Drei gemeinsame Projektideen.")
    note.press("Enter")
    note.press_sequentially("Folgetreffen im März in Jena.")
    with page.expect_navigation():
        page.get_by_role("button", name="Speichern", exact=True).first.click()
    assert page.locator(".errornote").count() == 0

    event.refresh_from_db()
    assert event.participants_count == 42
    assert event.result_note == "Drei gemeinsame Projektideen.\nFolgetreffen im März in Jena."

    page.goto(live_server.url + event.get_absolute_url())
    assert page.locator(".result-note p").inner_text() == "Drei gemeinsame Projektideen.\nFolgetreffen im März in Jena."


def test_week_page_past_with_figures_chart_and_results(page, live_server, transactional_db, screenshot, axe_audit):
    week = WeekFactory(
        title="Cross-Cluster-Woche 2025",
        slug="ccw-rueckblick",
        motto="Cross-Clustern von der Idee zum Markterfolg",
        starts_on=datetime.date(2025, 10, 13),
        ends_on=datetime.date(2025, 10, 17),
    )
    optik = NetworkFactory(name="Optik-Netz Jena e.V.", short_name="Optik-Netz", slug="optik-netz")
    zmi = NetworkFactory(name="Zentrum Maschinenbau Ilmenau", short_name="ZMI", slug="zmi")
    energie = NetworkFactory(name="Energie-Netz Thüringen", short_name="Energie-Netz", slug="energie-netz")
    forum, _ = EventType.objects.get_or_create(slug="fachforum", defaults={"name": "Fachforum"})
    rows = [
        (
            13,
            9,
            "Auftakt der Woche",
            optik,
            [zmi, energie],
            "hybrid",
            140,
            "Fünf neue Kontakte je Netzwerk.\nFolien online.",
        ),
        (13, 14, "Sensorik im Mittelstand", zmi, [], "onsite", 35, ""),
        (14, 10, "KI in der Produktion", zmi, [optik], "online", 88, "Zwei gemeinsame Förderanträge geplant."),
        (15, 10, "CO2-Fußabdruck berechnen", energie, [], "online", 52, ""),
        (16, 10, "Photonik trifft Medizin", optik, [], "onsite", 27, ""),
        (16, 14, "Lieferkettengesetz kompakt", energie, [zmi], "online", None, ""),
    ]
    for day, hour, title, owner, co, fmt, participants, note in rows:
        starts_at = datetime.datetime(2025, 10, day, hour, tzinfo=BERLIN)
        EventFactory(
            week=week,
            title=title,
            owner=owner,
            co_organisers=co,
            event_type=forum,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
            format=fmt,
            participants_count=participants,
            result_note=note,
            city="Jena" if fmt != "online" else "",
        )
    EventFactory(
        week=week,
        title="Abgesagt",
        owner=zmi,
        status=Event.Status.CANCELLED,
        starts_at=datetime.datetime(2025, 10, 17, 10, tzinfo=BERLIN),
        ends_at=datetime.datetime(2025, 10, 17, 12, tzinfo=BERLIN),
    )

    page.goto(live_server.url + "/weeks/ccw-rueckblick/")

    assert page.locator(".figures__list").first.locator("div").all_inner_texts() == [
        "Durchgeführte Veranstaltungen\n6",
        "Beteiligte Netzwerke\n3",
        "Teilnehmende\n342",
    ]
    days = page.locator('table[aria-labelledby="week-days-heading"] tbody tr')
    assert days.all_inner_texts() == [
        "Mo, 13.10.\t2\t175",
        "Di, 14.10.\t1\t88",
        "Mi, 15.10.\t1\t52",
        "Do, 16.10.\t2\t27",
        "Fr, 17.10.\t0\t–",
    ]
    assert page.get_by_role("img", name="Veranstaltungen und Teilnehmende nach Tag: Veranstaltungen").is_visible()
    assert page.get_by_role("img", name="Veranstaltungen und Teilnehmende nach Tag: Teilnehmende").is_visible()
    assert page.locator(".results__note").all_inner_texts() == [
        "Fünf neue Kontakte je Netzwerk.\nFolien online.",
        "Zwei gemeinsame Förderanträge geplant.",
    ]
    assert axe_audit(page) == []
    screenshot(page, "past-week")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "past-week.png"), full_page=True)
