"""The start page ("Übersicht") in Chromium: a manager acts from it alone; the coordinator sees all networks."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.models import Event
from importer.messages import message
from importer.models import ImportRun
from tests.browser.conftest import log_in, log_out, two_networks_and_a_week
from tests.browser.test_campaign import propose
from tests.factories import (
    CoOrganiserInvitationFactory,
    EventFactory,
    FeedSourceFactory,
    ImportRunFactory,
    SessionCallFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def desk(transactional_db):
    world = two_networks_and_a_week(weeks_ahead=5, week_slug="ccw-th")
    optik, zmi, monday = world["optik"], world["zmi"], world["monday"]
    SessionCallFactory(week=world["week"], deadline=timezone.now() + datetime.timedelta(days=14))
    EventFactory(owner=optik, title="Lasertag Jena", publication="draft")
    EventFactory(
        owner=optik, title="Photonik ohne Ort", publication="draft", venue_name="", city="", postcode="", region=""
    )
    EventFactory(owner=optik, title="Optik-Stammtisch")
    CoOrganiserInvitationFactory(event=EventFactory(owner=zmi, title="Fertigung 4.0"), network=optik)
    EventFactory(owner=zmi, title="ZMI-Entwurf", publication="draft")
    source = FeedSourceFactory(
        network=optik, name="Optik-Kalender", url="https://optik-netz.example.org/kalender.ics", consecutive_failures=3
    )
    ImportRunFactory(
        source=source,
        outcome=ImportRun.Outcome.FAILED,
        failure_kind=ImportRun.FailureKind.CONTENT,
        message=message("The address sent no calendar (HTTP {status}).", status=404),
    )
    return {"monday": monday}


def test_manager_acts_from_the_start_page_alone(page, live_server, desk, screenshot, axe_audit):
    log_in(page, live_server, "anna")
    drafts = page.locator("section[aria-labelledby=start-drafts]")
    expect(drafts).to_contain_text("Noch fehlt: ein Ort: Veranstaltungsort oder Stadt")
    expect(page.locator("section[aria-labelledby=start-feeds]")).to_contain_text(
        "Bei den letzten 3 Importen fehlgeschlagen: The address sent no calendar (HTTP 404)."
    )
    assert "ZMI-Entwurf" not in page.content()
    screenshot(page, "start-manager")
    assert axe_audit(page) == []

    # Publish the complete draft from its row.
    drafts.get_by_role("button", name="„Lasertag Jena“ veröffentlichen").click()
    expect(page.locator(".messagelist")).to_contain_text("Veröffentlicht: „Lasertag Jena“")
    assert Event.objects.get(title="Lasertag Jena").publication == "published"
    assert page.url == live_server.url + "/admin/"

    # The incomplete one asks first and lists what is missing.
    drafts.get_by_role("link", name="Veröffentlichen …").click()
    expect(page.locator(".nwt-gaps")).to_contain_text("Ein Ort: Veranstaltungsort oder Stadt")
    page.get_by_label("Trotzdem veröffentlichen; ich ergänze die fehlenden Angaben später").check()
    page.get_by_role("button", name="Trotzdem veröffentlichen").click()
    page.wait_for_url(live_server.url + "/admin/")
    assert Event.objects.get(title="Photonik ohne Ort").publication == "published"

    # Answer the co-organiser invitation.
    answers = page.locator("section[aria-labelledby=start-answers]")
    expect(answers).to_contain_text("ZMI lädt Optik-Netz ein, „Fertigung 4.0“ mitzuveranstalten.")
    answers.get_by_role("button", name="Annehmen").click()
    expect(page.locator(".messagelist")).to_contain_text("1 Einladung angenommen.")
    assert [n.short_name for n in Event.objects.get(title="Fertigung 4.0").co_organisers.all()] == ["Optik-Netz"]

    # Open the failing feed.
    page.locator("section[aria-labelledby=start-feeds]").get_by_role("link", name="Optik-Kalender").click()
    expect(page.locator("#id_name")).to_have_value("Optik-Kalender")
    page.goto(live_server.url + "/admin/")

    # Propose a session to the open call.
    page.locator("section[aria-labelledby=start-calls]").get_by_role("link", name="Sitzung vorschlagen").click()
    assert "/admin/campaigns/sessionproposal/add/?call=" in page.url
    propose(
        page,
        live_server,
        title="Licht für die Medizin",
        description="Anwendungen aus Jena.",
        event_type="Workshop",
        fmt="Präsenz",
        day=desk["monday"],
        start="10:00",
        end="12:00",
        audience="Unternehmen und KMU",
        topic="Optik und Photonik",
    )
    page.goto(live_server.url + "/admin/")
    expect(page.locator("section[aria-labelledby=start-calls]")).to_contain_text("Licht für die Medizin: Vorgeschlagen")
    log_out(page)


def test_coordinator_sees_the_same_across_networks(page, live_server, desk, screenshot, axe_audit):
    log_in(page, live_server, "koordination")
    drafts = page.locator("section[aria-labelledby=start-drafts]")
    expect(drafts).to_contain_text("Lasertag Jena")
    expect(drafts).to_contain_text("ZMI-Entwurf")
    expect(page.locator("section[aria-labelledby=start-answers]")).to_contain_text("Fertigung 4.0")
    expect(page.locator("section[aria-labelledby=start-feeds]")).to_contain_text("Optik-Kalender")
    expect(page.locator("section[aria-labelledby=start-calls]")).to_contain_text("Programmplanung")
    expect(page.locator("section[aria-labelledby=start-week]")).to_contain_text("Cross-Cluster-Woche Thüringen")
    screenshot(page, "start-coordinator")
    assert axe_audit(page) == []
