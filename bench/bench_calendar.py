"""Server time of the public calendar pages with 100,000 events in PostgreSQL.

Measured in-process with Django's test Client (no network, no browser): the time from
request to rendered response, including every SQL query and the template rendering.
"""

import os
import statistics
import time

EVENT_COUNT = 100_000
WARMUP = 5
REPETITIONS = 30
GOAL_MS = 50
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/netzwerktimer_bench_calendar"


def _ensure_database(url):
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    with psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"] or "postgres",
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        exists = conn.execute("select 1 from pg_database where datname = %s", [config["NAME"]]).fetchone()
        if not exists:
            conn.execute(f'create database "{config["NAME"]}"')


def _setup_django():
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    _ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netzwerktimer.settings")
    # DEBUG only for the development static files storage (no collectstatic needed).
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    return url


def _measure(client, path):
    from django.db import connection, reset_queries

    for _ in range(WARMUP):
        assert client.get(path).status_code == 200
    times = []
    for _ in range(REPETITIONS):
        reset_queries()
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    queries = len(connection.queries)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9) - 1], queries


def run():
    url = _setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from events.models import Event

    call_command("migrate", verbosity=0)
    existing = Event.objects.count()
    if existing < EVENT_COUNT:
        call_command("generate_events", EVENT_COUNT - existing, seed=existing)
    with connection.cursor() as cursor:
        # As autovacuum would after a bulk load: statistics, and the visibility map
        # for index-only counts.
        cursor.execute("VACUUM ANALYZE events_event, events_event_topics, events_event_co_organisers")
    today = timezone.localdate()
    pages = [
        ("Upcoming list `/`", "/"),
        ("Filtered list", "/?network=optonet&topic=ki&format=online"),
        ("Free-text search", "/?q=Wasserstoff"),
        ("Month grid", f"/month/{today.year}/{today.month:02d}/"),
        ("Filtered month", f"/month/{today.year}/{today.month:02d}/?network=optonet&topic=ki&format=online"),
        ("Archive, one network", "/archive/?network=optonet"),
        ("Network profile", "/networks/optonet/"),
    ]
    client = Client(HTTP_HOST="127.0.0.1")
    rows = []
    for label, path in pages:
        median, p90, queries = _measure(client, path)
        verdict = "yes" if median < GOAL_MS else "**no**"
        rows.append(f"| {label} | `{path}` | {median:.1f} | {p90:.1f} | {queries} | {verdict} |")
        print(rows[-1], flush=True)
    db_name = url.rsplit("/", 1)[-1]
    return (
        "## Public calendar pages\n\n"
        f"{Event.objects.count():,} events in PostgreSQL (`{db_name}`, made by `manage.py generate_events`, "
        "spread over 7 years back and 3 years ahead). Server time measured in-process with Django's test "
        f"Client (request to rendered response, DEBUG=1 for the static files storage), {WARMUP} warm-up "
        f"requests, then {REPETITIONS} timed requests per page. Goal: median under {GOAL_MS} ms.\n\n"
        "| Page | Path | Median ms | p90 ms | SQL queries | Under goal |\n"
        "|---|---|---:|---:|---:|---|\n" + "\n".join(rows) + "\n"
    )


if __name__ == "__main__":
    print(run())
