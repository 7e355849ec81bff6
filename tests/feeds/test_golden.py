"""The machine outputs of the demo data, byte for byte, against files written before a refactor.

The demo calendar (events/demo.py, `manage.py load_demo`) is loaded on a fixed day with a
frozen clock and event ids from 1, so every byte of the output is fixed: the calendar, a
filtered calendar, one event, the Atom feed and the JSON API must stay exactly as they were.
After a deliberate change of an output, write the files anew with
`NWT_WRITE_GOLDEN=1 pytest tests/feeds/test_golden.py` and review the difference.
"""

import datetime
import os
from pathlib import Path

import pytest
from django.core.management.color import no_style
from django.db import connection
from django.utils import timezone

from events.demo import load_demo
from events.models import Event

GOLDEN = Path(__file__).parent / "golden"
NOW = datetime.datetime(2026, 5, 4, 7, 30, tzinfo=datetime.UTC)  # a Monday, 09:30 in Berlin
OUTPUTS = {
    "calendar.ics": "/calendar.ics",
    "calendar-ki-online.ics": "/calendar.ics?topic=ki&format=online&format=hybrid&utm_source=golden",
    "event.ics": "/events/3.ics",
    "feed.atom": "/feed.atom",
    "api-events.json": "/api/events/?page_size=200",
}


@pytest.fixture
def demo_calendar(db, settings, monkeypatch, tmp_path):
    settings.SITE_URL = "https://netzwerk-timer.de"
    settings.SITE_DOMAIN = "netzwerk-timer.de"
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    settings.FEEDS_STAMP_SECONDS = 0
    settings.FEEDS_FILE_DIR = tmp_path / "feeds"
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    with connection.cursor() as cursor:  # event ids from 1, whatever tests ran before
        for sql in connection.ops.sequence_reset_by_name_sql(no_style(), [{"table": "events_event", "column": "id"}]):
            cursor.execute(sql)
    load_demo(today=timezone.localdate(NOW))
    assert Event.objects.order_by("pk").values_list("pk", flat=True)[0] == 1


@pytest.mark.parametrize("name", OUTPUTS)
def test_demo_output_is_byte_identical_to_the_golden_file(client, demo_calendar, name):
    response = client.get(OUTPUTS[name])
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    path = GOLDEN / name
    if os.environ.get("NWT_WRITE_GOLDEN"):
        path.write_bytes(body)
    assert body == path.read_bytes()
