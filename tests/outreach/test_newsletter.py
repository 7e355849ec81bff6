import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from tests.factories import EventFactory
from tests.outreach.conftest import soon

pytestmark = pytest.mark.django_db


def test_newsletter_block_is_e_mail_safe_html_with_the_filtered_events(client, programme):
    response = client.get(reverse("outreach:newsletter_html"), {"network": "optik", "weeks": "1"})
    html = response.content.decode()
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert html.startswith('<table role="presentation"')
    assert ("Laser-Tag" in html, "Linsen-Forum" in html, "Ferne Tagung" in html, "Windkraft" in html) == (
        True,
        True,
        False,
        False,
    )
    assert "<style" not in html and "class=" not in html
    assert f'<a href="http://localhost:8000{programme["laser"].get_absolute_url()}" style="color:#0d5c63;">' in html
    # Inline styles are allowed on this response only; it may be framed only by the portal.
    csp = response.headers["Content-Security-Policy"]
    assert "style-src 'unsafe-inline'" in csp
    assert "frame-ancestors 'self'" in csp
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_newsletter_block_as_plain_text_for_the_next_weeks(client, programme):
    EventFactory(
        title="Abgesagt", owner=programme["laser"].owner, starts_at=soon(5), ends_at=soon(5, 12), status="cancelled"
    )
    response = client.get(reverse("outreach:newsletter_text"), {"network": "optik", "weeks": "4"})
    text = response.content.decode()
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    start = timezone.localtime(programme["fern"].starts_at)
    assert f"{start:%d.%m.%Y}, 10:00–12:00 Uhr\nFerne Tagung\nOptik · Jena\nhttp://localhost:8000/events/" in text
    assert "Abgesagt" not in text
    assert text.startswith("Netzwerk-Timer: Optik\n")
    assert Event.objects.filter(status="cancelled").count() == 1


def test_newsletter_bad_weeks_fall_back_to_four(client, programme):
    response = client.get(reverse("outreach:newsletter_text"), {"network": "optik", "weeks": "999"})
    assert "Ferne Tagung" in response.content.decode()


def test_newsletter_builder_shows_preview_code_and_fetch_addresses(client, programme):
    response = client.get(reverse("outreach:newsletter_builder"), {"network": "optik", "weeks": "2"})
    html = response.content.decode()
    assert '<iframe src="http://localhost:8000/newsletter/block.html?network=optik&amp;weeks=2"' in html
    assert '<a href="http://localhost:8000/newsletter/block.txt?network=optik&amp;weeks=2">' in html
    assert "&lt;table role=&quot;presentation&quot;" in html
    assert "<h1>Für Ihren Newsletter</h1>" in html
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_newsletter_builder_escapes_hostile_titles_in_the_code_boxes(client, optik):
    EventFactory(title="</textarea><script>alert(1)</script>", owner=optik, starts_at=soon(2), ends_at=soon(2, 12))
    html = client.get(reverse("outreach:newsletter_builder"), {"network": "optik"}).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
