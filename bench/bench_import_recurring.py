"""Importer: a 1,000-event feed of which 50 are open-ended recurring series, timed and all-day,
starting 1990–2020 (the "Homeoffice" and birthday rules Google Calendar and Nextcloud export).

Goal (issue 14): no series costs more than the occurrences in the import window; every rule kind
expands in well under a second. Also measured: a 10,000,000-iteration Python loop in the same
process, as a yardstick of the machine's speed at the time of the run.
"""

import datetime
import random
import statistics
import time
import uuid

from bench import bench_import
from bench.run import reference_loop_seconds

RUNS = 5
EVENTS = 1_000
SERIES = 50
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/netzwerktimer_bench_import_recurring"
RULES = [
    "FREQ=DAILY",
    "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH",
    "FREQ=MONTHLY;BYDAY=-1FR",
    "FREQ=MONTHLY;BYMONTHDAY=15",
    "FREQ=YEARLY",
    "FREQ=DAILY;INTERVAL=3",
    "FREQ=WEEKLY",
]


def _setup():
    bench_import._setup(DEFAULT_DB)


def feed():
    from django.utils import timezone

    rng = random.Random(14)
    today = timezone.localdate()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Bench//Netzwerk-Timer//DE", "X-WR-TIMEZONE:Europe/Berlin"]
    for i in range(EVENTS):
        lines += ["BEGIN:VEVENT", f"UID:bench-{i}@netzwerk-timer.test", "DTSTAMP:20260101T000000Z"]
        if i < SERIES:
            start = datetime.date(rng.randint(1990, 2020), rng.randint(1, 12), rng.randint(1, 28))
            if i % 2:
                lines += [
                    f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
                    f"DTEND;VALUE=DATE:{start + datetime.timedelta(1):%Y%m%d}",
                ]
            else:
                hour = rng.randint(7, 18)
                lines += [
                    f"DTSTART;TZID=Europe/Berlin:{start:%Y%m%d}T{hour:02d}0000",
                    f"DTEND;TZID=Europe/Berlin:{start:%Y%m%d}T{hour:02d}4500",
                ]
            lines += [f"RRULE:{RULES[i % len(RULES)]}", f"SUMMARY:Serie {i}"]
        else:
            day = (today + datetime.timedelta(days=1 + i % 360)).strftime("%Y%m%d")
            hour = 8 + i % 10
            lines += [
                f"DTSTART;TZID=Europe/Berlin:{day}T{hour:02d}0000",
                f"DTEND;TZID=Europe/Berlin:{day}T{hour + 1:02d}3000",
                f"SUMMARY:Fachforum {i}",
                "LOCATION:Technologie- und Gründerzentrum\\, Wildenbruchstraße 15\\, 07745 Jena",
            ]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def run():
    _setup()
    from events.models import Event
    from importer.models import FeedSource, ImportRun
    from importer.parse import parse_ics
    from importer.services import source_import
    from networks.models import Network

    body = feed()
    loop = reference_loop_seconds()
    parse_times, first_times, forced_times, created = [], [], [], 0
    for _ in range(RUNS):
        start = time.perf_counter()
        parse_ics(body)
        parse_times.append(time.perf_counter() - start)
        tag = uuid.uuid4().hex[:8]
        network = Network.objects.create(name=f"Bench {tag}", short_name=f"B{tag}", slug=f"bench-{tag}")
        source = FeedSource.objects.create(network=network, name="Bench", url=f"https://bench.example/{tag}.ics")
        start = time.perf_counter()
        first = source_import(source=source, body=body)
        first_times.append(time.perf_counter() - start)
        assert first.outcome == ImportRun.Outcome.SUCCESS, first.message
        created = first.created_count
        start = time.perf_counter()
        forced = source_import(source=source, body=body, force=True)
        forced_times.append(time.perf_counter() - start)
        assert forced.outcome == ImportRun.Outcome.SUCCESS, forced.message
        Event.objects.filter(source=source).delete()
        source.delete()
        network.delete()

    def line(label, times):
        return f"| {label} | {statistics.median(times):.2f} | {min(times):.2f} | {max(times):.2f} |"

    return "\n".join(
        [
            "## Importer, open-ended recurring series (bench/bench_import_recurring.py)",
            "",
            f"A generated ICS feed with {EVENTS:,} events, of which {SERIES} are open-ended recurring series "
            "(half timed, half all-day, starting 1990–2020: daily, every weekday, every other Tuesday and "
            "Thursday, last Friday of the month, yearly…), imported through `importer.services.source_import` "
            f"into PostgreSQL; {RUNS} runs, seconds. The series expand to {created - (EVENTS - SERIES):,} "
            f"occurrences in the 12-month window ({created:,} events in all).",
            "",
            "| step | median s | min s | max s |",
            "|---|---|---|---|",
            line("parse only (`parse_ics`)", parse_times),
            line(f"first import ({created:,} created)", first_times),
            line("forced re-import (full parse and compare)", forced_times),
            "",
            f"10,000,000-iteration Python loop in the same run: {loop:.2f} s.",
        ]
    )


if __name__ == "__main__":
    print(run())
