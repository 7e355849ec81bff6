"""Real headless Chromium (Playwright) against pytest-django's live server."""

import datetime
import os
import shutil
from pathlib import Path

import pytest

from netzwerktimer.dates import BERLIN
from tests.factories import EventFactory, EventTypeFactory, NetworkFactory, TopicFactory, WeekFactory

# Playwright's sync API runs an event loop in this thread; Django's async-unsafe
# check would refuse the factories' database access otherwise.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

IN_CI = os.environ.get("CI", "").lower() == "true"
ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _missing(reason):
    if IN_CI:
        pytest.fail(f"{reason} (a failure in CI, never a skip)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _missing("Chromium not found at /usr/bin/chromium")
    if not AXE.exists():
        _missing("axe-core not installed (npm ci)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site_url(settings, live_server):
    """Absolute links come from SITE_URL (netzwerktimer.links): in the browser tests it is the live server."""
    settings.SITE_URL = live_server.url
    return live_server.url


@pytest.fixture
def page(browser, live_server, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    page = context.new_page()
    # Nothing but the live server: any other host is blocked.
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(live_server.url) else route.abort(),
    )
    # The Content-Security-Policy allows no inline script or style: every page must get along with it.
    csp_violations = []
    page.on("console", lambda msg: "Content Security Policy" in msg.text and csp_violations.append(msg.text))
    page.csp_violations = csp_violations  # axe_audit takes back what axe itself causes
    yield page
    context.close()
    assert csp_violations == [], csp_violations


@pytest.fixture
def page_without_js(browser, live_server, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def axe_audit():
    def audit(page):
        # Evaluated through the DevTools protocol, not as a <script> tag, so the page's CSP stays in force.
        violations = getattr(page, "csp_violations", [])
        before = len(violations)
        page.evaluate(AXE.read_text())
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', "
            "'best-practice']})"
        )
        # axe sets inline styles on some admin pages while it measures (the CSP blocks them, which
        # does not change its result); those are its own, not the page's.
        page.evaluate("() => new Promise(requestAnimationFrame)")
        del violations[before:]
        return [
            (v["id"], v["impact"], [node["target"] for node in v["nodes"]][:3])
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return audit


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.wait_for_load_state("load")
        for width in (375, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})

    return take


@pytest.fixture
def calendar_data(transactional_db):
    """A small, German calendar: networks, topics, a Cross-Cluster week and a dozen events."""
    today = datetime.date.today()
    optonet = NetworkFactory(
        name="Optik-Netz Jena e.V.",
        short_name="Optik-Netz",
        slug="optik-netz",
        website="https://optik-netz.example.org",
        description="Kompetenznetz für Optik und Photonik in Jena und Umgebung.",
        contact_name="Dr. Anna Beispiel",
        contact_email="kontakt@optik-netz.example.org",
    )
    maschinenbau = NetworkFactory(name="Zentrum Maschinenbau Ilmenau", short_name="ZMI", slug="zmi")
    energie = NetworkFactory(
        name="Energienetz Thüringen", short_name="Energienetz", slug="energienetz", is_ccit_member=False
    )
    ki = TopicFactory(name="KI und Daten", slug="ki-daten")
    photonik = TopicFactory(name="Photonik", slug="photonik")
    wasserstoff = TopicFactory(name="Wasserstoff", slug="wasserstoff")
    workshop = EventTypeFactory(name="Praxis-Workshop", slug="praxis-workshop")
    forum = EventTypeFactory(name="Forum am Abend", slug="forum-abend")
    week = WeekFactory(
        title="Cross-Cluster-Woche Test",
        slug="ccw-test",
        motto="Von der Idee zum Markterfolg",
        starts_on=today + datetime.timedelta(days=2),
        ends_on=today + datetime.timedelta(days=6),
    )

    def at(days, hour, minute=0):
        day = today + datetime.timedelta(days=days)
        return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)

    rows = [
        ("Laser in der Medizintechnik", optonet, [photonik], forum, "onsite", 1, 10, 2, {}),
        ("KI-Sprechstunde für den Mittelstand", maschinenbau, [ki], workshop, "online", 2, 9, 2, {"week": week}),
        ("Photonik trifft KI", optonet, [photonik, ki], forum, "hybrid", 3, 14, 3, {"week": week}),
        ("Wasserstoff im Maschinenbau", energie, [wasserstoff], forum, "onsite", 3, 9, 8, {"week": week}),
        ("Netzwerkabend Energiewende", energie, [wasserstoff], workshop, "onsite", 5, 18, 3, {}),
        ("Digitale Zwillinge in der Fertigung", maschinenbau, [ki], workshop, "online", 8, 13, 2, {}),
        ("Abgesagt: Sensorik-Tag", optonet, [photonik], forum, "onsite", 9, 10, 6, {"status": "cancelled"}),
        ("Verschoben: Batterietag", energie, [wasserstoff], forum, "onsite", 10, 10, 6, {"status": "postponed"}),
    ]
    events = {}
    for title, owner, topics, kind, fmt, days, hour, hours, extra in rows:
        events[title] = EventFactory(
            title=title,
            owner=owner,
            topics=topics,
            event_type=kind,
            format=fmt,
            starts_at=at(days, hour),
            ends_at=at(days, hour) + datetime.timedelta(hours=hours),
            registration_url="https://anmeldung.example.org/",
            description="<p>Impulse aus der Praxis und Zeit für Gespräche mit Thüringer Unternehmen.</p>",
            **extra,
        )
    events["Photonik trifft KI"].co_organisers.add(maschinenbau)
    optonet.topics.set([photonik, ki])
    return {"events": events, "week": week, "networks": [optonet, maschinenbau, energie]}


@pytest.fixture(scope="session", autouse=True)
def _node_available():
    if not shutil.which("node") and IN_CI:
        pytest.fail("node is needed in CI")


# -- helpers the browser tests share: a manager logs in as a person does, types as a person does --

PASSWORD = "correct-horse-battery"  # every UserFactory user's (tests.factories)


def log_in(page, live_server, username):
    """The admin's login form, typed key by key; lands on the start page."""
    page.goto(live_server.url + "/admin/login/?next=/admin/")
    page.locator("#id_username").press_sequentially(username)
    page.locator("#id_password").press_sequentially(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/admin/")


def log_out(page):
    page.get_by_role("button", name="Abmelden").click()


def type_into(page, selector, text):
    """Replace a field's text by typing, as a person does (select all, delete, type)."""
    field = page.locator(selector)
    field.click()
    field.press("Control+a")
    field.press("Delete")
    field.press_sequentially(text)


def two_networks_and_a_week(*, weeks_ahead, week_slug):
    """Optik-Netz (manager anna) and ZMI (manager ben), the coordinator, a Cross-Cluster week starting
    on a Monday `weeks_ahead` weeks from now, a workshop type and the topic Optik und Photonik."""
    from django.contrib.auth.models import Group, Permission
    from django.utils import timezone

    from events.models import EventType
    from networks.models import Topic
    from tests.factories import CoordinatorFactory, UserFactory

    optik = NetworkFactory(name="Optik-Netz Jena e.V.", short_name="Optik-Netz", slug="optik-netz")
    zmi = NetworkFactory(name="Zentrum Maschinenbau Ilmenau", short_name="ZMI", slug="zmi")
    optik.managers.add(UserFactory(username="anna", email="anna@optik-netz.example"))
    zmi.managers.add(UserFactory(username="ben", email="ben@zmi.example"))
    coordinate = Permission.objects.get(codename="coordinate", content_type__app_label="networks")
    # A transactional test before this one may have flushed the group that the migration creates.
    Group.objects.get_or_create(name="Koordination")[0].permissions.add(coordinate)
    CoordinatorFactory(username="koordination", email="koordination@cci.example")
    monday = timezone.localdate() + datetime.timedelta(weeks=weeks_ahead)
    monday -= datetime.timedelta(days=monday.weekday())
    week = WeekFactory(
        title="Cross-Cluster-Woche Thüringen",
        slug=week_slug,
        starts_on=monday,
        ends_on=monday + datetime.timedelta(days=4),
    )
    EventType.objects.get_or_create(name="Workshop", defaults={"slug": "workshop"})
    Topic.objects.get_or_create(slug="optik-photonik", defaults={"name": "Optik und Photonik"})
    return {"optik": optik, "zmi": zmi, "week": week, "monday": monday}
