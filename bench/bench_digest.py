"""The weekly e-mail run (outreach.services.digests_send_weekly) over 100,000 events.

SUBSCRIPTIONS confirmed subscriptions spread over FILTERS distinct filters; mails go to
Django's locmem backend, so the time is the portal's work (queries, rendering, records),
not an SMTP server's. Each timed run starts from "nothing sent yet" (every subscription
gets a mail). The query count is measured twice for one filter, with few and with many
subscriptions: it must not grow with the subscriptions of a filter.

BENCH_DIGEST_SUBSCRIPTIONS overrides the number of subscriptions (default 10,000).
"""

import os
import statistics
import time

EVENT_COUNT = 100_000
SUBSCRIPTIONS = int(os.environ.get("BENCH_DIGEST_SUBSCRIPTIONS", "10000"))
FILTERS = 50
REPETITIONS = 3
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/netzwerktimer_bench_digest"


def _setup_django():
    from bench.bench_calendar import _ensure_database

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    _ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netzwerktimer.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def _filters():
    from networks.models import Network, Topic

    networks = list(Network.objects.active().values_list("slug", flat=True))
    topics = list(Topic.objects.values_list("slug", flat=True))
    filters = [f"network={slug}" for slug in networks]
    filters += [f"topic={slug}" for slug in topics]
    filters += [f"format=online&network={slug}" for slug in networks]
    return sorted(set(filters))[:FILTERS]


def _reset():
    from outreach.models import DigestSentEvent, DigestSubscription

    DigestSentEvent.objects.all().delete()
    DigestSubscription.objects.update(last_sent_at=None)


def _subscribe(filters, count):
    from django.utils import timezone

    from outreach.models import DigestSubscription

    DigestSubscription.objects.all().delete()
    now = timezone.now()
    DigestSubscription.objects.bulk_create(
        [
            DigestSubscription(
                email=f"person{i}@example.org", filter_query=filters[i % len(filters)], confirmed_at=now
            )
            for i in range(count)
        ],
        batch_size=2000,
    )


def _queries(filter_query, count):
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from outreach.services import digests_send_weekly

    _subscribe([filter_query], count)
    with CaptureQueriesContext(connection) as queries:
        sent = digests_send_weekly()
    mail.outbox = []
    return sent, len(queries)


def run():
    _setup_django()
    from django.core import mail
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from events.models import Event
    from outreach.models import DigestSentEvent
    from outreach.services import digests_send_weekly

    call_command("migrate", verbosity=0)
    existing = Event.objects.count()
    if existing < EVENT_COUNT:
        call_command("generate_events", EVENT_COUNT - existing, seed=existing)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    filters = _filters()
    few = _queries(filters[0], 10)
    many = _queries(filters[0], 1000)

    _subscribe(filters, SUBSCRIPTIONS)
    times, sent_counts = [], []
    for _ in range(REPETITIONS):
        _reset()
        mail.outbox = []
        start = time.perf_counter()
        sent_counts.append(digests_send_weekly())
        times.append(time.perf_counter() - start)
    records = DigestSentEvent.objects.count()
    start = time.perf_counter()
    again = digests_send_weekly()
    repeat_seconds = time.perf_counter() - start
    mail.outbox = []
    median = statistics.median(times)
    return (
        "## Weekly e-mail run (bench/bench_digest.py)\n\n"
        f"{EVENT_COUNT:,} events in PostgreSQL (`manage.py generate_events`), {SUBSCRIPTIONS:,} confirmed "
        f"subscriptions over {len(filters)} distinct filters, mails to Django's locmem backend (rendering and "
        f"records, no SMTP); median of {REPETITIONS} runs, each from \"nothing sent yet\". "
        f"Measured {timezone.localdate():%d.%m.%Y}, load average {os.getloadavg()[0]:.1f} at the end.\n\n"
        "| Measure | Value |\n|---|---:|\n"
        f"| Weekly run, median | {median:.1f} s |\n"
        f"| Per mail | {median / max(sent_counts[0], 1) * 1000:.2f} ms |\n"
        f"| Mails sent per run | {sent_counts[0]:,} |\n"
        f"| Events recorded as sent | {records:,} |\n"
        f"| Second run the same day (mails, seconds) | {again} mails, {repeat_seconds:.2f} s |\n"
        f"| SQL queries, one filter with 10 subscriptions | {few[1]} ({few[0]} mails) |\n"
        f"| SQL queries, one filter with 1,000 subscriptions | {many[1]} ({many[0]} mails) |\n\n"
        "The query count depends on the number of distinct filters, not on the number of subscriptions "
        "per filter (each filter: its subscriptions, its events, what was sent, one insert, one update).\n"
    )
