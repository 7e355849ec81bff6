import base64
import importlib
import io
import logging
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import segno
from PIL import Image
from pypdf import PdfReader

from events.models import Event
from programme.pdf import programme_html, qr_png
from programme.selectors import programme_events
from tests.factories import WeekFactory

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
URL = "/weeks/ccw-2031/programm.pdf"
TITLES_IN_ORDER = [
    "Tag der offenen Labore",
    "Wasserstoff-Frühstück",
    "KI-Sprechstunde",
    "Sensorik-Forum",
    "Photonik trifft KI",
]


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_programme_pdf_answers_a4_pdf(client, programme_week):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="programm-ccw-2031.pdf"'
    assert response.content.startswith(b"%PDF-")
    first = PdfReader(io.BytesIO(response.content)).pages[0]
    # A4: 210 × 297 mm in points.
    assert (round(float(first.mediabox.width)), round(float(first.mediabox.height))) == (595, 842)


def test_programme_pdf_has_one_entry_per_published_session_in_time_order(client, programme_week):
    text = pdf_text(client.get(URL).content)
    assert [text.count(title) for title in TITLES_IN_ORDER] == [1, 1, 1, 1, 1]
    positions = [text.index(title) for title in TITLES_IN_ORDER]
    assert positions == sorted(positions)
    for absent in ("Geheimer Entwurf", "Andere Woche", "Ohne Woche"):
        assert absent not in text
    assert "Cross-Cluster-Woche 2031" in text
    assert "„Von der Idee zum Markterfolg“" in text
    assert "Mo., 13.10.2031 – Fr., 17.10.2031" in text
    assert "MONTAG, 13. OKTOBER 2031" in text
    assert "DIENSTAG, 14. OKTOBER 2031" in text


def test_programme_pdf_shows_time_place_organisers_and_links(client, programme_week):
    text = pdf_text(client.get(URL).content)
    assert "ganztägig" in text
    assert "08:30–10:00 Uhr" in " ".join(text.split())
    assert "Energiecampus, Erfurt" in text
    assert "Energienetz Thüringen, Zentrum Maschinenbau Ilmenau" in text
    assert "https://anmeldung.example.org/h2" in text
    assert "https://anmeldung.example.org/ki" in text
    # Without a registration link: the event's page.
    photonik = programme_week["sessions"][4]
    assert f"http://localhost:8000{photonik.get_absolute_url()}" in text
    assert "Volkshaus, Jena · und online" in text
    assert "bis 16.10.2031, 12:00 Uhr" in " ".join(text.split())


def test_programme_pdf_marks_a_cancelled_session_without_its_registration(client, programme_week):
    text = pdf_text(client.get(URL).content)
    assert "ABGESAGT · Referent erkrankt\nSensorik-Forum" in text
    assert "https://anmeldung.example.org/sensorik" not in text


def test_programme_pdf_marks_a_postponed_session(client, programme_week):
    event = programme_week["sessions"][2]
    event.status = Event.Status.POSTPONED
    event.save()
    assert "VERSCHOBEN\nKI-Sprechstunde" in pdf_text(client.get(URL).content)


def test_programme_html_carries_a_qr_code_of_each_link(programme_week):
    week = programme_week["week"]
    html = programme_html(week=week, events=programme_events(week), base_url="https://netzwerk-timer.de/")
    photonik = programme_week["sessions"][4]
    links = [
        "https://anmeldung.example.org/labore",
        "https://anmeldung.example.org/h2",
        "https://anmeldung.example.org/ki",
        f"https://netzwerk-timer.de{photonik.get_absolute_url()}",
    ]
    for link in links:
        png = segno.make(link, error="m", micro=False).png_data_uri(scale=1, border=0, dark="#1b2432")
        assert html.count(f'<img class="session__qr" src="{png}" alt="QR-Code: {link}">') == 1
    # The cancelled session has none: four codes for five sessions.
    assert html.count('class="session__qr"') == 4
    assert "anmeldung.example.org/sensorik" not in html


def test_qr_png_has_one_pixel_per_module():
    uri = qr_png("https://anmeldung.example.org/h2")
    assert uri.startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(uri.removeprefix("data:image/png;base64,"))))
    # Version 3 at error correction M: 29 × 29 modules, no quiet zone (the card's white margin is one).
    assert image.size == (29, 29)


def test_programme_pdf_embeds_the_qr_codes_as_images(client, programme_week):
    reader = PdfReader(io.BytesIO(client.get(URL).content))
    # The pages share one resource dictionary: each image is listed on every page.
    images = {image.name: image.image.size for page in reader.pages for image in page.images}
    assert sorted(images.values()) == [(29, 29), (29, 29), (29, 29), (33, 33)]


def test_programme_pdf_of_a_week_without_published_sessions_is_friendly(client, db):
    WeekFactory(title="Cross-Cluster-Woche 2040", slug="ccw-2040")
    response = client.get("/weeks/ccw-2040/programm.pdf")
    assert response.status_code == 200
    text = " ".join(pdf_text(response.content).split())
    assert "Cross-Cluster-Woche 2040" in text
    assert "Das Programm dieser Woche ist noch nicht veröffentlicht." in text


def test_programme_pdf_of_an_unknown_or_unpublished_week_is_404(client, db):
    WeekFactory(slug="ccw-geheim", is_published=False)
    assert client.get("/weeks/gibt-es-nicht/programm.pdf").status_code == 404
    assert client.get("/weeks/ccw-geheim/programm.pdf").status_code == 404


def test_programme_pdf_in_english(client, programme_week):
    client.cookies["django_language"] = "en"
    text = pdf_text(client.get(URL).content)
    assert "all day" in text
    assert "Registration" in text
    assert "MONDAY, 13 OCTOBER 2031" in text


def _without_weasyprint(monkeypatch, error):
    real_import = importlib.import_module

    def import_module(name, *args, **kwargs):
        if name == "weasyprint":
            raise error
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(importlib, "import_module", import_module)


def test_programme_pdf_without_pango_answers_a_clear_503(client, programme_week, monkeypatch, caplog):
    # What cffi raises when WeasyPrint cannot load Pango.
    _without_weasyprint(monkeypatch, OSError("cannot load library 'libpango-1.0-0': No such file"))
    with caplog.at_level(logging.ERROR, logger="programme.views"):
        response = client.get(URL)
    assert response.status_code == 503
    assert response["Content-Type"] == "text/html; charset=utf-8"
    content = response.content.decode()
    assert "Programm als PDF nicht verfügbar" in content
    assert 'href="/weeks/ccw-2031/"' in content
    assert [record.getMessage() for record in caplog.records if record.name == "programme.views"] == [
        "Programme PDF of week ccw-2031 not available: WeasyPrint cannot be loaded: cannot load library "
        "'libpango-1.0-0': No such file (WeasyPrint needs Pango: libpango-1.0-0 libpangoft2-1.0-0)"
    ]


def test_programme_pdf_without_weasyprint_installed_answers_503(client, programme_week, monkeypatch):
    _without_weasyprint(monkeypatch, ImportError("No module named 'weasyprint'"))
    assert client.get(URL).status_code == 503


def test_portal_starts_without_weasyprint():
    code = (
        "import sys; sys.modules['weasyprint'] = None; import django; django.setup(); "
        "import netzwerktimer.urls, programme.views, programme.pdf; print('weasyprint' in sys.modules and "
        "sys.modules['weasyprint'] is not None)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "False"


def test_programme_pdf_opens_no_connection(client, programme_week, monkeypatch):
    """Only the portal's static files are read; a title or link never makes the server fetch anything."""
    attempts = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: attempts.append(address))
    event = programme_week["sessions"][0]
    event.title = 'Fachtag <img src="https://tracker.example.org/pixel.png">'
    event.save()
    assert client.get(URL).status_code == 200
    assert attempts == []


def test_programme_pdf_is_rendered_again_when_an_event_changes(client, programme_week, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 30
    first = client.get(URL)
    assert client.get(URL).content == first.content
    assert first["Cache-Control"] == "max-age=30, public, s-maxage=30, stale-while-revalidate=60"
    event = programme_week["sessions"][1]
    event.title = "Wasserstoff-Frühstück am Campus"
    event.save()
    assert "Wasserstoff-Frühstück am Campus" in pdf_text(client.get(URL).content)


def test_programme_pdf_from_the_cache_costs_two_queries(client, programme_week, settings, django_assert_num_queries):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 30
    client.get(URL)
    with django_assert_num_queries(2):  # the week, the stamp
        assert client.get(URL).status_code == 200


def test_programme_pdf_rendering_has_a_fixed_query_budget(client, programme_week, django_assert_max_num_queries):
    # The week, the stamp, the events with owner and type, their co-organisers.
    with django_assert_max_num_queries(4):
        assert client.get(URL).status_code == 200


def test_week_page_links_the_programme_pdf(client, programme_week):
    content = client.get("/weeks/ccw-2031/").content.decode()
    assert (
        f'<a class="button button--quiet button--wide" href="{URL}" type="application/pdf">Programm als PDF</a>'
        in content
    )


def test_programme_pdf_first_page_as_png(client, programme_week):
    """The screenshot of the first page, for a person to look at: tests/artifacts/programme-page1.png."""
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) not installed")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / "programme.pdf"
    pdf.write_bytes(client.get(URL).content)
    first_page_png = ["-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile"]
    subprocess.run(["pdftoppm", *first_page_png, str(pdf), str(ARTIFACTS / "programme-page1")], check=True)
    assert (ARTIFACTS / "programme-page1.png").stat().st_size > 10_000


def test_programme_pdf_is_one_cache_entry_whatever_the_host_port(
    client, programme_week, settings, django_assert_num_queries
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 30
    settings.ALLOWED_HOSTS = ["localhost"]
    first = client.get(URL, HTTP_HOST="localhost:8001")
    for port in (8002, 8003, 9999):
        with django_assert_num_queries(2):  # the week, the stamp: from the cache, not rendered again
            response = client.get(URL, HTTP_HOST=f"localhost:{port}")
        assert response.content == first.content
    text = pdf_text(first.content)
    assert "localhost:8001" not in text
    assert "Netzwerk-Timer Thüringen · http://localhost:8000/weeks/ccw-2031/" in text
