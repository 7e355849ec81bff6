from pathlib import Path

import pytest

from programme.fetcher import RefusedURL, StaticFilesFetcher

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fetcher():
    return StaticFilesFetcher(base_url="https://netzwerk-timer.de/")


def test_fetcher_serves_the_portal_static_files(fetcher):
    response = fetcher.fetch("https://netzwerk-timer.de/static/css/site.css")
    assert response.read() == (ROOT / "static" / "css" / "site.css").read_bytes()
    assert response.content_type == "text/css"
    assert fetcher.fetch("https://netzwerk-timer.de/static/img/logo.svg").content_type == "image/svg+xml"


def test_fetcher_serves_png_data_addresses(fetcher):
    response = fetcher.fetch("data:image/png;base64,iVBORw0KGgo=")
    assert response.read() == b"\x89PNG\r\n\x1a\n"
    assert response.content_type == "image/png"


@pytest.mark.parametrize(
    "url",
    [
        "https://tracker.example.org/pixel.png",
        "https://netzwerk-timer.de.example.org/static/css/site.css",
        "https://netzwerk-timer.de/weeks/",
        "https://netzwerk-timer.de/static/../netzwerktimer/settings.py",
        "https://netzwerk-timer.de/static/%2e%2e/netzwerktimer/settings.py",
        "https://netzwerk-timer.de/static/css/missing.css",
        "file:///etc/passwd",
        "data:text/css,body{}",
        "data:image/svg+xml;base64,PHN2Zz4=",
        "data:image/png;base64,not base64!",
    ],
)
def test_fetcher_refuses_everything_else(fetcher, url):
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
