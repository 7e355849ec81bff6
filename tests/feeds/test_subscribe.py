from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import RequestFactory

from feeds.subscribe import subscription
from tests.factories import NetworkFactory


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://www.netzwerk-timer.de"


def test_subscription_links_for_a_network(db, site):
    NetworkFactory(short_name="KI-Netz", slug="ki-netz")
    links = subscription("network=ki-netz")
    assert links.name == "Netzwerk-Timer: KI-Netz"
    assert links.https == "https://www.netzwerk-timer.de/calendar.ics?network=ki-netz"
    assert links.webcal == "webcal://www.netzwerk-timer.de/calendar.ics?network=ki-netz"
    for url, host in ((links.outlook_com, "outlook.live.com"), (links.microsoft_365, "outlook.office.com")):
        parts = urlsplit(url)
        assert (parts.scheme, parts.netloc, parts.path) == ("https", host, "/calendar/0/addfromweb")
        assert parse_qs(parts.query) == {"url": [links.https], "name": ["Netzwerk-Timer: KI-Netz"]}
    google = urlsplit(links.google)
    assert (google.netloc, parse_qs(google.query)) == ("calendar.google.com", {"cid": [links.webcal]})


def test_subscription_without_filter_and_without_page(db, site):
    assert subscription("").https == "https://www.netzwerk-timer.de/calendar.ics"
    assert subscription("page=3&topic=ki").https == "https://www.netzwerk-timer.de/calendar.ics?topic=ki"


def test_subscription_with_bad_filter_still_links(db, site):
    links = subscription("network=gibt-es-nicht")
    assert links.name == "Netzwerk-Timer"
    assert links.https == "https://www.netzwerk-timer.de/calendar.ics?network=gibt-es-nicht"


def test_subscribe_box_markup_works_without_javascript(db, site):
    request = RequestFactory().get("/")
    html = render_to_string("events/_subscribe_box.html", {"ics_query": "topic=ki&format=online"}, request=request)
    assert '<label for="subscribe-url">' in html
    assert (
        'id="subscribe-url" type="url" '
        'value="https://www.netzwerk-timer.de/calendar.ics?topic=ki&amp;format=online" readonly' in html
    )
    assert 'href="webcal://www.netzwerk-timer.de/calendar.ics?topic=ki&amp;format=online"' in html
    assert "https://outlook.live.com/calendar/0/addfromweb?url=" in html
    assert "https://outlook.office.com/calendar/0/addfromweb?url=" in html
    assert "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2F" in html
    assert "Künstliche Intelligenz · online" in html
    # The copy button needs JavaScript: the stylesheet hides it until subscribe.js marks the page
    # (a class on <html>, so that boxes swapped in later need no set-up of their own).
    assert '<button type="button" class="subscribe-copy-button" data-copy-target="subscribe-url"\n' in html
    assert "<script" not in html
    stylesheet = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    assert ".subscribe-copy-button { display: none; }" in stylesheet
    assert ".can-copy .subscribe-copy-button { display: inline-block; }" in stylesheet
