"""The Cross-Cluster week as a campaign, played in Chromium: call, proposals, co-host, planning, programme."""

import datetime
import json
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import SessionProposal
from events.models import Event, EventType
from networks.models import Topic
from tests.browser.conftest import ARTIFACTS, log_in, log_out, two_networks_and_a_week, type_into

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]



@pytest.fixture
def campaign_world(transactional_db):
    world = two_networks_and_a_week(weeks_ahead=4, week_slug="ccw-thueringen")
    EventType.objects.get_or_create(name="Fachforum", defaults={"slug": "fachforum"})
    Topic.objects.get_or_create(slug="ki", defaults={"name": "Künstliche Intelligenz"})
    return {"week": world["week"], "monday": world["monday"]}





def german(day):
    return day.strftime("%d.%m.%Y")


def propose(
    page,
    live_server,
    *,
    title,
    screenshot=None,
    axe_audit=None,
    description,
    event_type,
    fmt,
    day,
    start,
    end,
    audience,
    topic,
    co_host=None,
):
    page.goto(live_server.url + "/admin/campaigns/sessionproposal/add/")
    type_into(page, "#id_title", title)
    type_into(page, "#id_description", description)
    page.locator("#id_event_type").select_option(label=event_type)
    page.locator(".field-format").get_by_label(fmt, exact=True).check()
    page.locator(f".field-preferred_days input[value='{day.isoformat()}']").check()
    type_into(page, "#id_start_time", start)
    type_into(page, "#id_end_time", end)
    if co_host:
        page.locator(".field-co_host_networks").get_by_label(co_host, exact=True).check()
    page.locator("#id_audience").select_option(label=audience)
    page.locator(".field-topics").get_by_label(topic, exact=True).check()
    type_into(page, "#id_expected_participants", "40")
    if screenshot:
        screenshot(page, "campaign-proposal-form")
    if axe_audit:
        assert axe_audit(page) == []
    page.locator("input[name=_save]").click()
    page.wait_for_url(live_server.url + "/admin/campaigns/sessionproposal/")
    expect(page.locator(".messagelist")).to_contain_text(f"Danke: „{title}“ ist eingereicht.")


def test_campaign_from_call_to_published_programme(page, live_server, campaign_world, screenshot, axe_audit):
    week, monday = campaign_world["week"], campaign_world["monday"]
    tuesday, wednesday, thursday = (monday + datetime.timedelta(days=n) for n in (1, 2, 3))

    # The coordinator opens the week for proposals.
    log_in(page, live_server, "koordination")
    page.goto(live_server.url + "/admin/campaigns/sessioncall/add/")
    page.locator("#id_week").select_option(label="Cross-Cluster-Woche Thüringen")
    type_into(page, "#id_deadline_0", german(timezone.localdate() + datetime.timedelta(days=7)))
    type_into(page, "#id_deadline_1", "18:00")
    type_into(page, "#id_introduction", "Bitte schlagen Sie Ihre Sitzungen für die Woche vor.")
    assert axe_audit(page) == []
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("Der Aufruf für „Cross-Cluster-Woche Thüringen“ ist bis")
    expect(page.locator("#result_list")).to_contain_text("Offen für Vorschläge")
    log_out(page)

    # Optik-Netz proposes two sessions, one co-hosted with ZMI.
    log_in(page, live_server, "anna")
    propose(
        page,
        live_server,
        title="Laser in der Medizintechnik",
        description="Anwendungen aus Jena für Kliniken und Zulieferer.",
        event_type="Workshop",
        fmt="Hybrid",
        day=tuesday,
        start="10:00",
        end="12:00",
        audience="Unternehmen und KMU",
        topic="Optik und Photonik",
        co_host="ZMI",
        screenshot=screenshot,
        axe_audit=axe_audit,
    )
    propose(
        page,
        live_server,
        title="Photonik-Stammtisch am Abend",
        description="Forschung trifft Praxis.",
        event_type="Fachforum",
        fmt="Präsenz",
        day=wednesday,
        start="18:00",
        end="20:00",
        audience="Forschung und Hochschulen",
        topic="Optik und Photonik",
    )
    expect(page.locator("#result_list")).to_contain_text("ZMI (angefragt)")
    log_out(page)

    # ZMI's manager confirms co-hosting and proposes a session that clashes with Optik-Netz's.
    log_in(page, live_server, "ben")
    page.goto(live_server.url + "/admin/campaigns/sessionproposal/")
    page.get_by_role("link", name="Laser in der Medizintechnik").click()
    page.get_by_role("button", name="Bestätigen: ZMI veranstaltet mit").click()
    expect(page.locator(".messagelist")).to_contain_text("ZMI veranstaltet „Laser in der Medizintechnik“ mit.")
    propose(
        page,
        live_server,
        title="KI in der Fertigung",
        description="Was Sprachmodelle im Maschinenbau leisten.",
        event_type="Workshop",
        fmt="Online",
        day=tuesday,
        start="11:00",
        end="13:00",
        audience="Unternehmen und KMU",
        topic="Künstliche Intelligenz",
    )
    log_out(page)

    # The coordinator plans: exactly one clash, in words.
    log_in(page, live_server, "koordination")
    page.goto(live_server.url + "/admin/campaigns/sessioncall/")
    page.get_by_role("link", name="Programmplanung").click()
    expect(page.locator(".campaign-summary__clashes")).to_have_text("1 Überschneidung")
    clashes = page.locator(".campaign-clash").all_inner_texts()
    assert clashes == [
        f"„Laser in der Medizintechnik“ (Optik-Netz) und „KI in der Fertigung“ (ZMI) überschneiden sich am "
        f"{['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'][tuesday.weekday()]}, {tuesday.day}. "
        f"{_month(tuesday)}: gleiche Zielgruppe (Unternehmen und KMU)."
    ]
    assert page.locator(".campaign-card--clash").count() == 2
    assert page.locator(".campaign-card").count() == 3
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "planning-grid.png"), full_page=True)
    screenshot(page, "planning-grid")
    assert axe_audit(page) == []

    # Move the ZMI session to Thursday, accept two, decline one.
    page.get_by_role("link", name="„KI in der Fertigung“ verschieben oder ablehnen").click()
    screenshot(page, "campaign-decide")
    assert axe_audit(page) == []
    page.locator("#id_move-day").select_option(thursday.isoformat())
    type_into(page, "#id_move-start_time", "10:00")
    type_into(page, "#id_move-end_time", "12:00")
    type_into(page, "#id_move-message", "Am Donnerstag haben Sie den Saal für sich.")
    page.get_by_role("button", name="Sitzung verschieben").click()
    expect(page.locator(".messagelist")).to_contain_text("„KI in der Fertigung“ ist verschoben.")
    expect(page.locator(".campaign-summary__clashes")).to_have_text("0 Überschneidungen")
    page.get_by_role("button", name="„Laser in der Medizintechnik“ annehmen").click()
    expect(page.locator(".messagelist")).to_contain_text("„Laser in der Medizintechnik“ ist angenommen")
    page.get_by_role("button", name="„KI in der Fertigung“ annehmen").click()
    expect(page.locator(".messagelist")).to_contain_text("„KI in der Fertigung“ ist angenommen")
    page.get_by_role("link", name="„Photonik-Stammtisch am Abend“ verschieben oder ablehnen").click()
    page.get_by_role("button", name="Vorschlag ablehnen").click()  # the browser asks for the message first
    assert page.locator("#id_decline-message").evaluate("field => field.validity.valueMissing") is True
    type_into(page, "#id_decline-message", "Am Abend ist schon das Netzwerktreffen. Vielleicht im Frühjahr?")
    page.get_by_role("button", name="Vorschlag ablehnen").click()
    expect(page.locator(".messagelist")).to_contain_text("„Photonik-Stammtisch am Abend“ ist abgelehnt.")
    screenshot(page, "planning-grid-decided")

    assert sorted(Event.objects.drafts().values_list("title", flat=True)) == [
        "KI in der Fertigung",
        "Laser in der Medizintechnik",
    ]
    assert Event.objects.published().count() == 0

    page.get_by_role("button", name="Programm veröffentlichen").click()
    # Before the deadline the page says what publishing does (the call stays open) and asks.
    expect(page.locator("#content-main")).to_contain_text("Der Aufruf bleibt offen")
    assert axe_audit(page) == []
    page.get_by_role("button", name="Ja, das Programm jetzt veröffentlichen").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Das Programm ist veröffentlicht: 2 Sitzungen sind jetzt öffentlich."
    )

    # Exactly the two accepted sessions are public: week page, calendar, API.
    page.goto(live_server.url + f"/weeks/{week.slug}/")
    body = page.locator("main").inner_text()
    assert "Laser in der Medizintechnik" in body
    assert "KI in der Fertigung" in body
    assert "Photonik-Stammtisch am Abend" not in body
    ics = page.request.get(live_server.url + f"/calendar.ics?week={week.slug}").text()
    assert sorted(re.findall(r"^SUMMARY:(.*?)\r?$", ics, flags=re.M)) == [
        "KI in der Fertigung",
        "Laser in der Medizintechnik",
    ]
    api = json.loads(page.request.get(live_server.url + f"/api/events/?week={week.slug}").text())
    assert sorted(item["title"] for item in api["results"]) == ["KI in der Fertigung", "Laser in der Medizintechnik"]
    laser = Event.objects.get(title="Laser in der Medizintechnik")
    assert (laser.owner.short_name, [n.short_name for n in laser.co_organisers.all()]) == ("Optik-Netz", ["ZMI"])
    assert laser.week == week
    ki = Event.objects.get(title="KI in der Fertigung")
    assert timezone.localtime(ki.starts_at).date() == thursday
    assert timezone.localtime(ki.starts_at).strftime("%H:%M") == "10:00"

    # Opening the call told each manager; the proposers got an e-mail on each decision.
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("anna@optik-netz.example", "Aufruf für Sitzungen: Cross-Cluster-Woche Thüringen"),
        ("anna@optik-netz.example", "Ihre Sitzung „Laser in der Medizintechnik“ ist im Programm"),
        ("anna@optik-netz.example", "Ihre Sitzung „Photonik-Stammtisch am Abend“ ist nicht im Programm"),
        ("ben@zmi.example", "Aufruf für Sitzungen: Cross-Cluster-Woche Thüringen"),
        ("ben@zmi.example", "Ihre Sitzung „KI in der Fertigung“ hat einen neuen Termin"),
        ("ben@zmi.example", "Ihre Sitzung „KI in der Fertigung“ ist im Programm"),
        ("ben@zmi.example", "Optik-Netz bittet Sie, „Laser in der Medizintechnik“ mitzuveranstalten"),
    ]
    declined = next(m for m in mail.outbox if "nicht im Programm" in m.subject)
    assert "Am Abend ist schon das Netzwerktreffen. Vielleicht im Frühjahr?" in declined.body
    assert SessionProposal.objects.filter(status="declined").count() == 1


def _month(day):
    return [
        "Januar", "Februar", "März", "April", "Mai", "Juni",
        "Juli", "August", "September", "Oktober", "November", "Dezember",
    ][day.month - 1]  # fmt: skip
