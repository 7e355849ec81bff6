"""A network manager writes an event in the admin, as a person does: typing and pasting in Chromium."""

import datetime
import json
import re

import pytest

from events.models import Event, EventType
from tests.browser.conftest import BERLIN, log_in
from tests.factories import EventFactory, NetworkFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WORD_PARAGRAPH = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{margin:0}</style>'
    "<!--[if gte mso 9]><xml><o:OfficeDocumentSettings/></xml><![endif]--></head><body>"
    '<p class=MsoNormal style="margin:0cm;font-family:Calibri"><b><span lang=DE>Ablauf:</span></b>'
    '<span lang=DE> Begrüßung „Innovation“ – Kaffee ☕ &amp; Gespräche<o:p></o:p></span></p>'
    '<p class=MsoNormal><a href="https://anmeldung.example.org/form?a=1&amp;b=2" onclick="track()">'
    "Zur Anmeldung</a><script>alert('x')</script></p></body></html>"
)


@pytest.fixture
def desk(transactional_db):
    """A manager of one network, and another network's manager and event on the same afternoon."""
    network = NetworkFactory(name="Optik-Netz Jena e.V.", short_name="Optik-Netz", slug="optik-netz")
    other = NetworkFactory(name="Zentrum Maschinenbau Ilmenau", short_name="ZMI", slug="zmi")
    manager = UserFactory(username="anna", is_staff=True)
    network.managers.add(manager)
    other_manager = UserFactory(username="bernd", is_staff=True)
    other.managers.add(other_manager)
    # Reference data, present unless an earlier transactional test flushed it.
    EventType.objects.get_or_create(slug="fachforum", defaults={"name": "Fachforum"})
    return {"network": network, "other": other, "manager": manager, "other_manager": other_manager}


@pytest.fixture
def admin_page(browser, live_server):
    """A page whose CSP violations the test reads itself: pasted Word markup brings style
    attributes and an onclick, which the browser blocks (as it should) while the editor
    parses them. Everything else must run without a violation."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(live_server.url) else route.abort(),
    )
    page.csp_violations = []
    page.on("console", lambda msg: "Content Security Policy" in msg.text and page.csp_violations.append(msg.text))
    yield page
    context.close()



def paste_html(page, selector, html):
    """What a browser does on Ctrl+V of a Word paragraph: a paste event carrying text/html."""
    page.locator(selector).evaluate(
        """(el, html) => {
            const data = new DataTransfer();
            data.setData('text/html', html);
            data.setData('text/plain', html.replace(/<[^>]+>/g, ''));
            el.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        html,
    )


def type_new_event(page, live_server, *, title, day):
    page.goto(live_server.url + "/admin/events/event/add/")
    page.locator("#id_title").press_sequentially(title)
    page.locator("#id_event_type").select_option(label="Fachforum")
    editor = page.locator(".field-description [contenteditable=true]")
    editor.click()
    page.keyboard.type("Forschung & Entwicklung für <kleine> Firmen, \"heute\" – mit Umlauten äöüß 🚀")
    page.keyboard.press("Enter")
    page.keyboard.type("Zweiter Absatz.")
    page.keyboard.press("Enter")
    assert page.csp_violations == []
    paste_html(page, ".field-description [contenteditable=true]", WORD_PARAGRAPH)
    blocked_in_paste = ("Applying inline style", "Executing inline event handler")
    assert [v for v in page.csp_violations if not v.startswith(blocked_in_paste)] == []
    page.csp_violations.clear()
    for field, value in [("starts_at_0", day), ("starts_at_1", "14:00"), ("ends_at_0", day), ("ends_at_1", "16:30")]:
        page.locator(f"#id_{field}").fill("")
        page.locator(f"#id_{field}").press_sequentially(value)
    page.locator("#id_city").press_sequentially("Jena")


def test_manager_types_an_event_saves_a_draft_previews_and_publishes(
    admin_page, live_server, desk, screenshot, axe_audit
):
    page = admin_page
    log_in(page, live_server, "anna")
    day = (datetime.date.today() + datetime.timedelta(days=20)).strftime("%d.%m.%Y")
    type_new_event(page, live_server, title="Fachforum F&E <Zukunft>", day=day)
    screenshot(page, "admin-event-editor")
    assert axe_audit(page) == []
    # The editor, created by script, carries its field's name, as a screen reader announces it.
    assert page.get_by_role("textbox", name="Beschreibung").count() == 1
    # Its toolbar speaks German, by the buttons' words rather than their icons' names.
    assert page.get_by_role("button", name="Fett", exact=True).get_attribute("title") == "Fett"
    assert page.get_by_role("button", name="Rückgängig", exact=True).get_attribute("aria-disabled") == "false"
    assert page.get_by_role("button", name="format_bold").count() == 0
    page.get_by_role("button", name="Speichern", exact=True).first.click()
    page.wait_for_url(re.compile(r"/admin/events/event/\d+/change/$"))
    assert "Entwurf gespeichert" in page.locator(".messagelist").inner_text()

    event = Event.objects.get()
    assert event.publication == Event.Publication.DRAFT
    assert event.owner == desk["network"]
    assert event.title == "Fachforum F&E <Zukunft>"
    html = event.description
    assert "Forschung &amp; Entwicklung für &lt;kleine&gt; Firmen" in html
    assert 'href="https://anmeldung.example.org/form?a=1&amp;b=2"' in html
    assert "<strong>Ablauf:</strong>" in html and "Kaffee ☕ &amp; Gespräche" in html
    for gone in ("<script", "onclick", "alert(", "MsoNormal", "o:p", "style="):
        assert gone not in html

    # A draft is nowhere public; its preview is the real page with a banner.
    assert page.request.get(f"{live_server.url}/events/{event.pk}/").status == 404
    assert f"event-{event.pk}@" not in page.request.get(f"{live_server.url}/calendar.ics").text()
    assert page.request.get(f"{live_server.url}/api/events/{event.pk}/").status == 404
    page.get_by_role("link", name="Vorschau").first.click()
    page.wait_for_url(re.compile(rf"/vorschau/{event.pk}/$"))
    assert "Entwurf – nicht öffentlich" in page.locator(".preview-banner").inner_text()
    assert page.locator("h1").inner_text() == "Fachforum F&E <Zukunft>"
    screenshot(page, "admin-event-preview")

    page.get_by_role("link", name="Zurück zur Bearbeitung").click()
    page.get_by_role("button", name="Veröffentlichen").first.click()
    page.wait_for_url(re.compile(r"/admin/events/event/\d+/change/$"))
    assert "Veröffentlicht" in page.locator(".messagelist").inner_text()
    event.refresh_from_db()
    assert event.publication == Event.Publication.PUBLISHED

    # Public page: the text shows once, with its characters as typed.
    page.goto(f"{live_server.url}/events/{event.pk}/")
    prose = page.locator(".prose").inner_text()
    assert 'Forschung & Entwicklung für <kleine> Firmen, "heute" – mit Umlauten äöüß 🚀' in prose
    assert prose.count("Forschung & Entwicklung") == 1
    assert "Begrüßung „Innovation“ – Kaffee ☕ & Gespräche" in prose
    link = page.get_by_role("link", name="Zur Anmeldung")
    assert link.get_attribute("href") == "https://anmeldung.example.org/form?a=1&b=2"

    # Feed: DESCRIPTION as text, unescaped once (iCal escapes only , ; and \\).
    ics = page.request.get(f"{live_server.url}/calendar.ics").text()
    unfolded = ics.replace("\r\n ", "")
    assert "SUMMARY:Fachforum F&E <Zukunft>" in unfolded
    assert "Forschung & Entwicklung für <kleine> Firmen\\, \"heute\" – mit Umlauten äöüß 🚀" in unfolded
    assert "&amp;" not in unfolded

    data = json.loads(page.request.get(f"{live_server.url}/api/events/{event.pk}/").text())
    assert page.csp_violations == []
    assert data["title"] == "Fachforum F&E <Zukunft>"
    assert 'Forschung & Entwicklung für <kleine> Firmen, "heute"' in data["description_text"]
    assert "Forschung &amp; Entwicklung für &lt;kleine&gt; Firmen" in data["description_html"]
    assert "https://anmeldung.example.org/form?a=1&amp;b=2" in data["description_html"]


def test_draft_preview_is_hidden_from_other_managers_and_anonymous_users(browser, live_server, desk):
    draft = EventFactory(owner=desk["network"], title="Geheimer Entwurf", publication=Event.Publication.DRAFT)
    preview = f"{live_server.url}/vorschau/{draft.pk}/"
    for username, status in [("anna", 200), ("bernd", 404), (None, 404)]:
        context = browser.new_context()
        page = context.new_page()
        if username:
            log_in(page, live_server, username)
        response = page.goto(preview)
        assert response.status == status, username
        if status == 200:
            assert response.headers["cache-control"].startswith("max-age=0")
            assert "private" in response.headers["cache-control"]
        else:
            assert "Geheimer Entwurf" not in page.content()
        context.close()


def test_event_list_shows_upcoming_first_and_all_day_without_midnight(page, live_server, desk, screenshot):
    network = desk["network"]
    today = datetime.date.today()

    def local(days, hour=0):
        day = today + datetime.timedelta(days=days)
        return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=BERLIN)

    EventFactory(owner=network, title="Vergangen", starts_at=local(-10, 9), ends_at=local(-10, 11))
    EventFactory(owner=network, title="Später", starts_at=local(30, 9), ends_at=local(30, 11))
    EventFactory(owner=network, title="Bald", starts_at=local(2, 9), ends_at=local(2, 11))
    EventFactory(owner=network, title="Ganztägig", is_all_day=True, starts_at=local(5), ends_at=local(6))
    log_in(page, live_server, "anna")
    page.goto(live_server.url + "/admin/events/event/")
    titles = page.locator("#result_list tbody th a").all_inner_texts()
    assert titles == ["Bald", "Ganztägig", "Später", "Vergangen"]
    all_day_row = page.locator("#result_list tbody tr", has_text="Ganztägig")
    assert "00:00" not in all_day_row.inner_text()
    assert page.locator("#result_list img[alt='False'], #result_list img[alt='True']").count() == 0
    assert "Manuell erfasst" in all_day_row.inner_text()
    # Every column fits at 1280 px: the table does not scroll sideways in its box.
    widths = page.evaluate("() => { const box = document.querySelector('#changelist .results'); "
                           "return [box.scrollWidth, box.clientWidth]; }")
    assert widths[0] <= widths[1]
    screenshot(page, "admin-event-list")


def test_manager_cancels_takes_back_postpones_and_copies_by_typing(page, live_server, desk, screenshot):
    start = datetime.datetime.combine(datetime.date.today() + datetime.timedelta(days=14), datetime.time(18))
    event = EventFactory(
        owner=desk["network"],
        title="Stammtisch Optik",
        starts_at=start.replace(tzinfo=BERLIN),
        ends_at=(start + datetime.timedelta(hours=2)).replace(tzinfo=BERLIN),
    )
    log_in(page, live_server, "anna")
    change = f"{live_server.url}/admin/events/event/{event.pk}/change/"

    page.goto(change)
    page.get_by_role("link", name="Absagen …").click()
    page.locator("#id_reason").press_sequentially("Der Referent ist erkrankt & der Raum belegt.")
    screenshot(page, "admin-event-cancel")
    page.get_by_role("button", name="Ja, Veranstaltung absagen").click()
    page.wait_for_url(change)
    event.refresh_from_db()
    assert (event.status, event.status_reason) == ("cancelled", "Der Referent ist erkrankt & der Raum belegt.")
    public = page.request.get(f"{live_server.url}/events/{event.pk}/").text()
    assert "Der Referent ist erkrankt &amp; der Raum belegt." in public

    page.get_by_role("link", name="Absage zurücknehmen …").click()
    page.get_by_role("button", name="Ja, die Veranstaltung findet statt").click()
    page.wait_for_url(change)
    event.refresh_from_db()
    assert event.status == "scheduled"

    new_day = (start + datetime.timedelta(days=7)).date()
    page.get_by_role("link", name="Verschieben …").click()
    page.locator("#id_starts_at_0").press_sequentially(new_day.strftime("%d.%m.%Y"))
    page.locator("#id_starts_at_1").press_sequentially("19:00")
    page.locator("#id_reason").press_sequentially("Größerer Raum")
    page.get_by_role("button", name="Verschieben").click()
    page.wait_for_url(change)
    event.refresh_from_db()
    assert event.starts_at.astimezone(BERLIN).replace(tzinfo=None) == datetime.datetime.combine(
        new_day, datetime.time(19)
    )

    page.get_by_role("link", name="Als Vorlage für neuen Termin").click()
    copy_day = new_day + datetime.timedelta(days=28)
    page.locator("#id_starts_on").press_sequentially(copy_day.strftime("%d.%m.%Y"))
    page.get_by_role("button", name="Entwurf anlegen").click()
    page.wait_for_url(re.compile(r"/admin/events/event/\d+/change/$"))
    copy = Event.objects.exclude(pk=event.pk).get()
    assert copy.publication == "draft" and copy.first_day == copy_day
    assert "Neuer Entwurf" in page.locator(".messagelist").inner_text()
