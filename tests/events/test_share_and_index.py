"""Share cards, canonical addresses, hreflang, sitemap.xml, robots.txt and the event's JSON-LD."""

import io
import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.utils import timezone
from PIL import Image as PillowImage

from tests.factories import EventFactory, EventTypeFactory, ImageFactory, NetworkFactory, WeekFactory

pytestmark = pytest.mark.django_db

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


class HeadReader(HTMLParser):
    """Reads <meta> and <link> as a link-preview service does (property or name → content)."""

    def __init__(self):
        super().__init__()
        self.meta, self.links, self.json_ld, self._in_json_ld = {}, [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            self.meta.setdefault(attrs.get("property") or attrs.get("name"), attrs["content"])
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = True

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld.append(json.loads(data))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False


def read_head(response):
    reader = HeadReader()
    reader.feed(response.content.decode())
    return reader


def fetch_image(client, address):
    parts = urlsplit(address)
    response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def link(head, rel, hreflang=None):
    return [
        item["href"]
        for item in head.links
        if item.get("rel") == rel and (hreflang is None or item.get("hreflang") == hreflang)
    ]


def test_event_share_tags_read_like_a_link_preview_with_image(client):
    image = ImageFactory(alt_text="Podium mit drei Sprecherinnen", size=(1600, 900))
    event = EventFactory(title="Fachforum Wasserstoff", description="<p>Vorträge und Austausch.</p>", image=image)
    head = read_head(client.get(event.get_absolute_url()))
    page = f"{settings.SITE_URL}{event.get_absolute_url()}"
    assert head.meta["og:title"] == "Fachforum Wasserstoff"
    assert head.meta["twitter:title"] == "Fachforum Wasserstoff"
    assert head.meta["og:description"] == "Vorträge und Austausch."
    assert head.meta["og:url"] == page
    assert head.meta["og:locale"] == "de_DE"
    assert head.meta["og:image:alt"] == "Podium mit drei Sprecherinnen"
    assert head.meta["twitter:image:alt"] == "Podium mit drei Sprecherinnen"
    assert head.meta["twitter:card"] == "summary_large_image"
    assert (head.meta["og:image:width"], head.meta["og:image:height"]) == ("1200", "675")
    response, body = fetch_image(client, head.meta["og:image"])
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert PillowImage.open(io.BytesIO(body)).size == (1200, 675)


def test_event_share_tags_without_image_point_to_generated_picture(client):
    event = EventFactory(title="Werkstattgespräch KI", owner=NetworkFactory(name="Netzwerk Automotive"))
    head = read_head(client.get(event.get_absolute_url()))
    assert head.meta["og:image"] == f"{settings.SITE_URL}/events/{event.pk}/share.png?v={event.revision}"
    assert head.meta["og:image:alt"].startswith("Werkstattgespräch KI – ")
    assert head.meta["og:image:alt"].endswith(" – Netzwerk Automotive")
    response, body = fetch_image(client, head.meta["og:image"])
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert PillowImage.open(io.BytesIO(body)).size == (1200, 630)


def test_share_picture_rendered_once_per_revision(client, django_assert_max_num_queries):
    event = EventFactory()
    first = client.get(f"/events/{event.pk}/share.png").content
    with django_assert_max_num_queries(3):
        assert client.get(f"/events/{event.pk}/share.png").content == first
    event.title = "Ganz neuer Titel"
    event.save()
    assert client.get(f"/events/{event.pk}/share.png").content != first


def test_share_picture_of_draft_not_found(client):
    event = EventFactory(publication="draft")
    assert client.get(f"/events/{event.pk}/share.png").status_code == 404


@pytest.mark.parametrize("path", ["/", "/month/2030/11/", "/networks/", "/weeks/{week}/", "/networks/{network}/"])
def test_share_tags_on_list_month_week_and_network_pages(client, path):
    week, network = WeekFactory(), NetworkFactory()
    response = client.get(path.format(week=week.slug, network=network.slug))
    head = read_head(response)
    assert head.meta["og:title"]
    assert head.meta["og:image:alt"]
    image_response, _body = fetch_image(client, head.meta["og:image"])
    assert image_response.status_code == 200
    assert image_response["Content-Type"] == "image/png"


def test_english_page_has_british_locale_and_english_canonical(client):
    event = EventFactory()
    head = read_head(client.get(event.get_absolute_url() + "?language=en"))
    page = f"{settings.SITE_URL}{event.get_absolute_url()}"
    assert head.meta["og:locale"] == "en_GB"
    assert link(head, "canonical") == [f"{page}?language=en"]
    assert link(head, "alternate", "de") == [page]
    assert link(head, "alternate", "en") == [f"{page}?language=en"]
    assert link(head, "alternate", "x-default") == [page]


def test_filtered_list_canonical_is_the_canonical_query(client):
    NetworkFactory(slug="zeta")
    NetworkFactory(slug="alpha")
    head = read_head(client.get("/?network=zeta&utm_source=x&network=alpha&page=1"))
    assert link(head, "canonical") == [f"{settings.SITE_URL}/?network=alpha&network=zeta"]


def test_preview_has_no_canonical_and_is_not_indexed(manager_client, network):
    event = EventFactory(owner=network, publication="draft")
    head = read_head(manager_client.get(f"/vorschau/{event.pk}/"))
    assert link(head, "canonical") == []
    assert head.meta["robots"] == "noindex, nofollow"
    assert "og:title" not in head.meta


def sitemap_urls(client):
    """Every <url> of every section of the index, checked against the sitemap schema's structure."""
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    assert index.tag == f"{{{SITEMAP_NS}}}sitemapindex"
    urls = []
    for entry in index:
        assert entry.tag == f"{{{SITEMAP_NS}}}sitemap"
        assert entry[0].tag == f"{{{SITEMAP_NS}}}loc"
        section = ElementTree.fromstring(client.get(urlsplit(entry[0].text).path).content)
        assert section.tag == f"{{{SITEMAP_NS}}}urlset"
        for url in section:
            assert url.tag == f"{{{SITEMAP_NS}}}url"
            tags = [child.tag.split("}")[1] for child in url]
            assert tags[0] == "loc"
            assert set(tags) <= {"loc", "lastmod", "changefreq", "priority", "link"}
            loc = url.find(f"{{{SITEMAP_NS}}}loc").text
            assert len(loc) <= 2048
            lastmod = url.find(f"{{{SITEMAP_NS}}}lastmod")
            if lastmod is not None:
                assert re.fullmatch(r"\d{4}-\d{2}-\d{2}(T[\d:.]+([+-]\d{2}:\d{2}|Z))?", lastmod.text)
            alternates = {item.get("hreflang"): item.get("href") for item in url.findall(f"{{{XHTML_NS}}}link")}
            urls.append((loc, alternates, lastmod.text if lastmod is not None else None))
    return urls


def test_sitemap_lists_published_items_in_both_languages_with_alternates(client):
    published = EventFactory(title="Öffentlich")
    draft = EventFactory(publication="draft")
    week = WeekFactory()
    hidden_week = WeekFactory(is_published=False)
    network = NetworkFactory()
    urls = sitemap_urls(client)
    locations = {loc for loc, _alternates, _lastmod in urls}
    event_url = f"{settings.SITE_URL}{published.get_absolute_url()}"
    assert event_url in locations
    assert f"{event_url}?language=en" in locations
    assert f"{settings.SITE_URL}{week.get_absolute_url()}" in locations
    assert f"{settings.SITE_URL}{network.get_absolute_url()}?language=en" in locations
    assert f"{settings.SITE_URL}/" in locations
    assert not any(str(draft.pk) in urlsplit(loc).path.split("/") for loc in locations)
    assert not any(hidden_week.slug in loc for loc in locations)
    assert not any("vorschau" in loc or "/admin/" in loc for loc in locations)
    alternates = next(alt for loc, alt, _lastmod in urls if loc == event_url)
    assert alternates == {"de": event_url, "en": f"{event_url}?language=en", "x-default": event_url}
    lastmod = next(lastmod for loc, _alt, lastmod in urls if loc == event_url)
    assert lastmod == timezone.localdate(published.updated_at).isoformat()  # the sitemap writes Berlin dates


def test_robots_txt_names_sitemap_and_keeps_admin_previews_and_filter_feeds_out(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in lines
    for path in ("/admin/", "/vorschau/", "/calendar.ics?", "/feed.atom?"):
        assert f"Disallow: {path}" in lines


def test_event_json_ld_with_image_venue_and_registration_has_every_property(client):
    image = ImageFactory(alt_text="Saal mit Publikum")
    event = EventFactory(
        title="Tagung Photonik",
        image=image,
        venue_name="Volkshaus",
        street="Carl-Zeiß-Platz 15",
        postcode="07743",
        city="Jena",
        registration_url="https://anmeldung.example.org/photonik",
        event_type=EventTypeFactory(),
    )
    data = read_head(client.get(event.get_absolute_url())).json_ld[0]
    expected = {
        "name",
        "startDate",
        "endDate",
        "location",
        "eventStatus",
        "eventAttendanceMode",
        "image",
        "description",
        "organizer",
        "offers",
    }
    assert expected - set(data) == set()
    assert data["name"] == "Tagung Photonik"
    assert data["location"]["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "Carl-Zeiß-Platz 15",
        "postalCode": "07743",
        "addressLocality": "Jena",
        "addressRegion": "Thüringen",
        "addressCountry": "DE",
    }
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["image"]["url"] == image.absolute_url(1200)
    assert data["image"]["caption"] == "Saal mit Publikum"
    assert data["description"] == "Vorträge und Austausch für Unternehmen."
    assert data["organizer"][0]["name"] == event.owner.name
    assert data["offers"]["url"] == "https://anmeldung.example.org/photonik"
    assert data["offers"]["availability"] == "https://schema.org/InStock"


def test_event_json_ld_online_event_has_virtual_location(client):
    event = EventFactory(format="online", online_url="https://meet.example.org/raum", venue_name="", city="")
    data = read_head(client.get(event.get_absolute_url())).json_ld[0]
    assert data["location"] == {"@type": "VirtualLocation", "url": "https://meet.example.org/raum"}
