"""Importer: a 10,000-event feed into PostgreSQL, then re-imports of the unchanged feed.

Goals (issue): first import under 10 s; unchanged re-import under 2 s with zero event rows written.
Two re-imports are measured: the normal one (the content hash matches, the feed is not parsed again)
and a forced one that parses all 10,000 events and compares every fingerprint.
"""

import datetime
import os
import statistics
import time
import uuid

RUNS = 5
EVENTS = 10_000
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/netzwerktimer_bench_import"


def _setup(default_db=DEFAULT_DB):
    """Django on the benchmark's own, migrated database (BENCH_DATABASE_URL overrides it)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netzwerktimer.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", default_db)
    from bench.bench_feeds import ensure_database

    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def feed(count):
    from django.utils import timezone

    today = timezone.localdate()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Bench//Netzwerk-Timer//DE", "X-WR-TIMEZONE:Europe/Berlin"]
    for i in range(count):
        day = (today + datetime.timedelta(days=1 + i % 360)).strftime("%Y%m%d")
        hour = 8 + i % 10
        lines += [
            "BEGIN:VEVENT",
            f"UID:bench-{i}@netzwerk-timer.test",
            "DTSTAMP:20260101T000000Z",
            f"DTSTART;TZID=Europe/Berlin:{day}T{hour:02d}0000",
            f"DTEND;TZID=Europe/Berlin:{day}T{hour + 1:02d}3000",
            f"SUMMARY:Fachforum Digitalisierung {i}",
            "DESCRIPTION:Vorträge und Austausch für Unternehmen.\\nAnmeldung: https://example.org/anmeldung",
            "LOCATION:Technologie- und Gründerzentrum\\, Wildenbruchstraße 15\\, 07745 Jena",
            f"URL:https://example.org/veranstaltungen/{i}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def _event_writes(queries):
    count = 0
    for query in queries:
        sql = query["sql"]
        if sql.startswith(
            ('INSERT INTO "events_event"', 'COPY "events_event"', 'UPDATE "events_event"', 'DELETE FROM "events_event"')
        ):
            count += 1
    return count


def _timed(function):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        run = function()
        elapsed = time.perf_counter() - start
    return elapsed, run, _event_writes(queries.captured_queries), len(queries)


def run():
    _setup()
    from events.models import Event
    from importer.models import FeedSource, ImportRun
    from importer.services import source_import
    from networks.models import Network

    body = feed(EVENTS)
    results = {"first": [], "same": [], "forced": []}
    rows = {}
    for _ in range(RUNS):
        tag = uuid.uuid4().hex[:8]
        network = Network.objects.create(name=f"Bench {tag}", short_name=f"B{tag}", slug=f"bench-{tag}")
        source = FeedSource.objects.create(network=network, name="Bench", url=f"https://bench.example/{tag}.ics")
        first = _timed(lambda source=source: source_import(source=source, body=body))
        same = _timed(lambda source=source: source_import(source=source, body=body))
        forced = _timed(lambda source=source: source_import(source=source, body=body, force=True))
        assert first[1].created_count == EVENTS, first[1].message
        assert same[1].outcome == ImportRun.Outcome.NOT_MODIFIED
        assert (forced[1].unchanged_count, forced[1].updated_count) == (EVENTS, 0), forced[1].message
        for key, value in (("first", first), ("same", same), ("forced", forced)):
            results[key].append(value[0])
            rows[key] = (value[2], value[3])
        Event.objects.filter(source=source).delete()
        source.delete()
        network.delete()

    def line(label, key, goal):
        times = results[key]
        writes, queries = rows[key]
        return (
            f"| {label} | {statistics.median(times):.2f} | {min(times):.2f} | {max(times):.2f} | {goal} | "
            f"{writes} | {queries} |"
        )

    return "\n".join(
        [
            "## Importer (bench/bench_import.py)",
            "",
            f"A generated ICS feed with {EVENTS:,} events (one VEVENT each, Europe/Berlin times, location, "
            f"description, URL) imported through `importer.services.source_import` into PostgreSQL; "
            f"{RUNS} runs, seconds.",
            "",
            "| step | median s | min s | max s | goal | statements writing events_event | SQL statements |",
            "|---|---|---|---|---|---|---|",
            line("first import (10,000 created)", "first", "< 10 s"),
            line("re-import, unchanged feed (content hash matches)", "same", "< 2 s, 0 rows"),
            line("re-import, unchanged feed, forced full parse and compare", "forced", "(no goal; 0 rows)"),
            "",
            "The first import writes events with one COPY on PostgreSQL (netzwerktimer/bulk.py). The forced re-import "
            "parses the whole feed (icalendar) and compares each event's fingerprint; unchanged events "
            "are not written.",
        ]
    )


if __name__ == "__main__":
    print(run())
