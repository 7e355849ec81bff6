"""The event's picture in the widget's detailed layout and in e-mail-safe newsletter blocks."""

import pytest

from tests.factories import EventFactory, ImageFactory

pytestmark = pytest.mark.django_db


def test_newsletter_block_shows_image_with_absolute_address(client, settings):
    settings.SITE_URL = "https://netzwerk-timer.example"
    image = ImageFactory(alt_text="Roboterarm in einer Werkhalle", size=(1200, 600))
    EventFactory(title="Robotik-Tag", image=image)
    EventFactory(title="Ohne Bild")
    html = client.get("/newsletter/block.html").content.decode()
    name = image.rendition(240)["jpeg"]
    assert (
        f'<img src="https://netzwerk-timer.example/media/{name}" width="240" height="120" '
        'alt="Roboterarm in einer Werkhalle" style="display:block;width:100%;max-width:240px;height:auto;border:0">'
    ) in html
    assert html.count("<img ") == 1


def test_widget_detailed_layout_shows_picture_compact_does_not(client):
    EventFactory(title="Robotik-Tag", image=ImageFactory(alt_text="Roboterarm"))
    detailed = client.get("/widget/?layout=detailed").content.decode()
    compact = client.get("/widget/?layout=compact").content.decode()
    assert detailed.count('<source type="image/webp"') == 1
    assert 'alt="Roboterarm"' in detailed
    assert "<picture" not in compact


def test_widget_json_carries_small_image_with_alt_text(client, settings):
    settings.SITE_URL = "https://netzwerk-timer.example"
    image = ImageFactory(alt_text="Roboterarm", size=(1600, 900))
    EventFactory(title="Robotik-Tag", image=image)
    EventFactory(title="Ohne Bild")
    events = client.get("/widget/events.json").json()["events"]
    assert [event["image"] for event in events] == [
        {
            "url": f"https://netzwerk-timer.example/media/{image.rendition(480)['jpeg']}",
            "alt": "Roboterarm",
            "width": 480,
            "height": 270,
        },
        None,
    ]
