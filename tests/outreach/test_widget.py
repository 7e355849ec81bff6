import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import EventFactory, NetworkFactory
from tests.outreach.conftest import soon

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(optik):
    other = NetworkFactory(short_name="Andere", slug="andere")
    return {
        "laser": EventFactory(title="Laser-Tag", owner=optik, starts_at=soon(2), ends_at=soon(2, 12)),
        "linsen": EventFactory(title="Linsen-Forum", owner=optik, starts_at=soon(4), ends_at=soon(4, 12), city="Jena"),
        "fremd": EventFactory(title="Fremdes Forum", owner=other, starts_at=soon(3), ends_at=soon(3, 12)),
        "alt": EventFactory(title="Vorbei", owner=optik, starts_at=soon(-5), ends_at=soon(-5, 12)),
    }


def test_widget_page_lists_the_filtered_upcoming_events_linked_in_a_new_tab(client, events):
    response = client.get(reverse("outreach:widget"), {"network": "optik"})
    html = response.content.decode()
    assert response.status_code == 200
    assert ("Laser-Tag" in html, "Linsen-Forum" in html, "Fremdes Forum" in html, "Vorbei" in html) == (
        True,
        True,
        False,
        False,
    )
    url = f"http://localhost:8000{events['laser'].get_absolute_url()}"
    assert f'<a href="{url}" target="_blank" rel="noopener">Laser-Tag' in html
    assert html.index("Laser-Tag") < html.index("Linsen-Forum")
    assert "<script" not in html


def test_widget_routes_may_be_framed_by_any_site(client, events):
    for name in ("outreach:widget", "outreach:widget_data"):
        response = client.get(reverse(name), {"network": "optik"})
        assert "frame-ancestors *" in response.headers["Content-Security-Policy"], name
        assert "X-Frame-Options" not in response.headers, name
        assert "'none'" not in response.headers["Content-Security-Policy"].split("frame-ancestors")[1].split(";")[0]


@pytest.mark.parametrize(
    "name", ["events:list", "outreach:widget_builder", "outreach:digest_subscribe", "networks:list"]
)
def test_other_pages_still_refuse_framing(client, events, name):
    response = client.get(reverse(name))
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_widget_sets_no_cookies_even_with_a_language_cookie(client, events):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("outreach:widget"), {"network": "optik"})
    assert (dict(response.cookies), response.headers["Content-Language"]) == ({}, "de")
    assert "Alle Veranstaltungen auf Netzwerk-Timer" in response.content.decode()


def test_widget_options_number_layout_language_and_subscribe_link(client, events):
    response = client.get(
        reverse("outreach:widget"),
        {"network": "optik", "number": "1", "layout": "detailed", "lang": "en", "subscribe": "0"},
    )
    html = response.content.decode()
    assert ("Laser-Tag" in html, "Linsen-Forum" in html) == (True, False)
    assert 'class="nwt-widget nwt-widget--detailed"' in html
    assert '<html lang="en">' in html
    assert "All events on Netzwerk-Timer" in html
    assert "Subscribe to these events" not in html
    assert response.headers["Content-Language"] == "en"


def test_widget_ignores_bad_options_and_unknown_filters(client, events):
    response = client.get(reverse("outreach:widget"), {"network": "gibt-es-nicht", "number": "x", "layout": "<b>"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "nwt-widget--compact" in html
    assert ("Laser-Tag" in html, "Fremdes Forum" in html) == (True, True)


def test_widget_data_is_open_json_in_the_widget_language(client, events):
    response = client.get(reverse("outreach:widget_data"), {"network": "optik", "number": "5", "lang": "de"})
    data = response.json()
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert [event["title"] for event in data["events"]] == ["Laser-Tag", "Linsen-Forum"]
    laser = data["events"][0]
    start = timezone.localtime(events["laser"].starts_at)
    assert (
        laser["when"]
        == f"{['Mo.', 'Di.', 'Mi.', 'Do.', 'Fr.', 'Sa.', 'So.'][start.weekday()]}, {start:%d.%m.%Y}, 10:00–12:00 Uhr"
    )
    assert laser["url"] == f"http://localhost:8000{events['laser'].get_absolute_url()}"
    assert data["subscribe_url"] == "http://localhost:8000/?network=optik#subscribe"
    assert data["labels"]["more"] == "Alle Veranstaltungen auf Netzwerk-Timer"


def test_widget_is_cached_like_the_public_pages_and_stays_framable(client, events, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 30
    url = reverse("outreach:widget")
    first = client.get(url, {"network": "optik"})
    events["laser"].title = "Umbenannt"
    events["laser"].save()
    second = client.get(url, {"network": "optik"})
    assert "Laser-Tag" in second.content.decode()
    assert second.content == first.content
    assert "frame-ancestors *" in second.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in second.headers
    english = client.get(url, {"network": "optik", "lang": "en"})
    assert "Umbenannt" in english.content.decode()


def test_widget_builder_shows_preview_and_both_snippets_for_the_filter(client, events):
    response = client.get(
        reverse("outreach:widget_builder"), {"network": "optik", "number": "10", "layout": "detailed", "lang": "en"}
    )
    html = response.content.decode()
    widget_url = (
        "http://localhost:8000/widget/?network=optik&amp;number=10&amp;layout=detailed&amp;lang=en&amp;subscribe=1"
    )
    assert f'<iframe src="{widget_url}"' in html
    # In the text areas the snippets are escaped once: what is copied is the plain code.
    assert f'&lt;iframe src="{widget_url}" title="Netzwerk-Timer: Optik"' in html
    assert (
        '&lt;div data-netzwerk-timer="network=optik" data-number="10" '
        'data-layout="detailed" data-lang="en" data-subscribe="1"&gt;&lt;/div&gt;'
    ) in html
    assert '&lt;script src="http://localhost:8000/static/js/widget.js" async&gt;' in html
    assert "<h1>Auf Ihrer Website einbinden</h1>" in html


def test_network_profile_and_list_link_to_builder_and_e_mail(client, events, optik):
    profile = client.get(optik.get_absolute_url()).content.decode()
    listing = client.get(reverse("events:list"), {"topic": "", "network": "optik"}).content.decode()
    for html in (profile, listing):
        assert (
            '<a class="button button--quiet" href="/widget/builder/?network=optik">Auf Ihrer Website einbinden</a>'
            in html
        )
        assert '<a class="button button--quiet" href="/email/?network=optik">Per E-Mail erhalten</a>' in html


def test_widget_script_is_small_and_self_contained():
    from django.conf import settings

    source = (settings.BASE_DIR / "static" / "js" / "widget.js").read_text()
    assert len(source.encode()) < 5000
    assert ("import " in source, "http://" in source, "https://" in source) == (False, False, False)


@pytest.mark.parametrize("name", ["outreach:widget", "outreach:widget_data", "outreach:newsletter_html"])
def test_widget_and_newsletter_queries_stay_within_budget(client, events, name, django_assert_max_num_queries):
    EventFactory.create_batch(10, owner=events["laser"].owner, starts_at=soon(3), ends_at=soon(3, 12))
    # The network of the filter, the events, their co-organisers and topics: whatever the number of events.
    with django_assert_max_num_queries(4):
        response = client.get(reverse(name), {"network": "optik", "number": "20"})
    assert response.status_code == 200
