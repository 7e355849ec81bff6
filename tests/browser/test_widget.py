"""The widget on a foreign website: a plain page served from another port, with its own strict CSP."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

OPTIK_TITLES = ["Laser in der Medizintechnik", "Photonik trifft KI", "Abgesagt: Sensorik-Tag"]


def foreign_page(portal):
    return f"""<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Optik-Netz Jena e.V.</title>
<link rel="stylesheet" href="/site.css"></head>
<body><main><h1>Optik-Netz Jena e.V.</h1>
<h2>Unsere Termine (iframe)</h2>
<iframe src="{portal}/widget/?network=optik-netz&amp;number=5&amp;layout=detailed&amp;lang=de&amp;subscribe=1"
        title="Termine des Optik-Netzes" width="100%" height="520"></iframe>
<h2>Unsere Termine (Skript)</h2>
<div data-netzwerk-timer="network=optik-netz" data-number="5" data-layout="compact" data-lang="de"
     data-subscribe="1"></div>
<script src="{portal}/static/js/widget.js" async></script>
</main></body></html>"""


SITE_CSS = (
    b"body { font-family: Georgia, serif; color: #402040; max-width: 50rem; margin: 2rem auto; }\n"
    b"a { color: #8a1d5a; }"
)


@pytest.fixture
def foreign_site(live_server):
    html = foreign_page(live_server.url).encode()
    # The foreign site's own policy: only the portal may provide scripts, data and frames.
    csp = f"default-src 'none'; style-src 'self'; script-src {live_server.url}; connect-src {live_server.url}; "
    csp += f"frame-src {live_server.url}"

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body, kind = (SITE_CSS, "text/css") if self.path == "/site.css" else (html, "text/html; charset=utf-8")
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Content-Security-Policy", csp)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def two_origin_page(browser, live_server, foreign_site, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: route.continue_()
        if route.request.url.startswith((live_server.url, foreign_site))
        else route.abort(),
    )
    problems = []
    page.on("console", lambda msg: msg.type in ("error", "warning") and problems.append(msg.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page, problems
    context.close()


def test_widget_renders_on_a_foreign_site_as_iframe_and_as_script(
    two_origin_page, foreign_site, live_server, calendar_data, screenshot
):
    page, problems = two_origin_page
    page.goto(foreign_site + "/")
    frame = page.frame_locator("iframe")
    assert frame.locator(".nwt-widget__event > a").all_text_contents() == [
        f"{title} (öffnet in neuem Tab)" for title in OPTIK_TITLES
    ]
    script_links = page.locator("[data-netzwerk-timer] .nwt-widget__event > a")
    script_links.first.wait_for()
    assert script_links.all_text_contents() == [f"{title} (öffnet in neuem Tab)" for title in OPTIK_TITLES]
    laser = calendar_data["events"]["Laser in der Medizintechnik"]
    assert script_links.first.get_attribute("href") == live_server.url + laser.get_absolute_url()
    assert script_links.first.get_attribute("target") == "_blank"
    assert frame.locator(".nwt-widget__event > a").first.get_attribute("target") == "_blank"
    # The script form takes on the site's colours; it adds no styles of its own.
    color = script_links.first.evaluate("a => getComputedStyle(a).color")
    assert color == "rgb(138, 29, 90)"
    assert page.context.cookies() == []
    screenshot(page, "widget-foreign-site")
    assert problems == []


def test_widget_link_opens_the_event_page_in_a_new_tab(two_origin_page, foreign_site, calendar_data):
    page, problems = two_origin_page
    page.goto(foreign_site + "/")
    link = page.frame_locator("iframe").locator(".nwt-widget__event > a").first
    with page.context.expect_page() as new_tab:
        link.click()
    event_page = new_tab.value
    event_page.wait_for_load_state()
    assert event_page.locator("h1").inner_text() == "Laser in der Medizintechnik"
    assert problems == []


def test_widget_without_javascript_shows_the_events(page_without_js, live_server, calendar_data):
    page_without_js.goto(live_server.url + "/widget/?network=optik-netz")
    assert page_without_js.locator(".nwt-widget__event > a").count() == 3


def test_widget_page_has_no_serious_accessibility_violations(page, live_server, calendar_data, axe_audit):
    page.goto(live_server.url + "/widget/?network=optik-netz&layout=detailed")
    assert axe_audit(page) == []


def test_widget_builder_previews_and_copies_the_code(page, live_server, calendar_data, axe_audit, screenshot):
    page.goto(live_server.url + "/networks/optik-netz/")
    page.get_by_role("link", name="Auf Ihrer Website einbinden").click()
    page.get_by_label("Anzahl der Veranstaltungen").select_option("3")
    page.get_by_label("Ausführlich").check()
    page.get_by_role("button", name="Vorschau und Code aktualisieren").click()
    page.wait_for_url("**/widget/builder/?network=optik-netz&number=3&layout=detailed*")
    preview = page.frame_locator("iframe.builder__frame")
    assert preview.locator(".nwt-widget__event").count() == 3
    assert 'data-number="3" data-layout="detailed"' in page.locator("#code-script").input_value()
    assert axe_audit(page) == []
    screenshot(page, "widget-builder")


def test_e_mail_subscription_confirmation_and_weekly_mail(
    page, browser, live_server, calendar_data, settings, mailoutbox, axe_audit, screenshot
):
    from outreach.services import digests_send_weekly

    settings.SITE_URL = live_server.url
    page.goto(live_server.url + "/networks/optik-netz/")
    page.get_by_role("link", name="Per E-Mail erhalten").click()
    assert axe_audit(page) == []
    screenshot(page, "digest-subscribe")
    page.get_by_label("Ihre E-Mail-Adresse").fill("anna@example.org")
    page.get_by_role("button", name="Abonnieren").click()
    assert page.locator("h1").inner_text() == "Bitte sehen Sie in Ihr Postfach"
    (confirmation,) = mailoutbox
    confirm_url = next(line for line in confirmation.body.splitlines() if "/email/confirm/" in line).split()[-1]
    page.goto(confirm_url)
    page.get_by_role("button", name="Ja, bestätigen").click()
    assert page.locator("h1").inner_text() == "Abo bestätigt"
    assert axe_audit(page) == []
    screenshot(page, "digest-confirmed")
    assert digests_send_weekly() == 1
    (html, _kind) = mailoutbox[1].alternatives[0]
    # The mail in a blank page of its own: mail HTML needs inline styles, which the portal's CSP forbids.
    mail_context = browser.new_context(java_script_enabled=False)
    mail = mail_context.new_page()
    mail.route("**/*", lambda route: route.abort())
    mail.set_content(html)
    assert mail.locator("h2").all_text_contents() == ["Neu"]
    assert mail.locator("a", has_text="Laser in der Medizintechnik").count() == 1
    screenshot(mail, "digest-weekly-mail")
    mail_context.close()


def test_newsletter_builder_previews_the_block_without_csp_violations(
    page, live_server, calendar_data, axe_audit, screenshot
):
    page.goto(live_server.url + "/?network=optik-netz")
    page.get_by_role("link", name="Für Ihren Newsletter").click()
    page.get_by_label("Veranstaltungen der nächsten Wochen").select_option("2")
    page.get_by_role("button", name="Vorschau und Code aktualisieren").click()
    page.wait_for_url("**/newsletter/?network=optik-netz&weeks=2")
    preview = page.frame_locator("iframe.builder__frame")
    assert preview.locator("a").first.text_content() == "Laser in der Medizintechnik"
    assert "<table role=\"presentation\"" in page.locator("#code-html").input_value()
    assert axe_audit(page) == []
    screenshot(page, "newsletter-builder")
