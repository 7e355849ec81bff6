"""iCalendar writers side by side: the same 10,000 events written by our writer, by icalendar and by vobject.

No database and no HTTP: each writer gets the same in-memory events and produces a whole calendar,
so the figures compare serialising alone. icalendar is what Indico and pretix write with, vobject
what pretalx and django-scheduler use. Goal (issue #30): ours at least 5× each of them.
"""

import datetime
import statistics
import time
import zoneinfo

EVENTS = 10_000
RUNS = 5
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
DESCRIPTION = "<p>Vorträge und Austausch für Unternehmen; Anmeldung bis Freitag.</p><p>Mit Imbiss.</p>"


def _setup():
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netzwerktimer.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def sample_events(count=EVENTS):
    """FeedEvents as the feed's query gives them: times, texts with umlauts and commas, place, topics."""
    from feeds.ical import FeedEvent

    start = datetime.datetime(2027, 1, 4, 9, 0, tzinfo=BERLIN)
    stamp = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)
    return [
        FeedEvent(
            id=number,
            title=f"Fachforum Digitalisierung {number}: Wasserstoff, KI & Fertigung",
            url=f"https://netzwerk-timer.example/events/{number}-fachforum/",
            starts_at=start + datetime.timedelta(days=number % 365, hours=number % 8),
            ends_at=start + datetime.timedelta(days=number % 365, hours=number % 8 + 2),
            revision=number % 5,
            created_at=stamp,
            updated_at=stamp,
            description=DESCRIPTION,
            venue_name="Technologie- und Gründerzentrum",
            street="Wildenbruchstraße 15",
            postcode="07745",
            city="Jena",
            registration_url="https://anmeldung.example.org/forum",
            organiser_name="OptoNet e.V.",
            organiser_email="info@optonet.example",
            topics=["Digitalisierung", "Künstliche Intelligenz"],
        )
        for number in range(count)
    ]


def write_ours(events):
    from feeds.ical import render_calendar

    return render_calendar(events, name="Netzwerk-Timer")


def write_icalendar(events):
    import icalendar

    from events.sanitize import html_to_text
    from feeds.ical import event_uid

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Netzwerk-Timer//DE")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Netzwerk-Timer")
    for event in events:
        item = icalendar.Event()
        item.add("uid", event_uid(event.id))
        item.add("sequence", event.revision)
        item.add("dtstamp", event.updated_at)
        item.add("last-modified", event.updated_at)
        item.add("created", event.created_at)
        item.add("dtstart", event.starts_at)
        item.add("dtend", event.ends_at)
        item.add("summary", event.title)
        item.add("status", "CONFIRMED")
        description = f"{html_to_text(event.description)}\nAnmeldung: {event.registration_url}\n\n{event.url}"
        item.add("description", description)
        item.add("url", event.url)
        item.add("location", event.location)
        item.add("categories", event.topics)
        organizer = icalendar.vCalAddress(f"mailto:{event.organiser_email}")
        organizer.params["cn"] = event.organiser_name
        item.add("organizer", organizer)
        item.add("class", "PUBLIC")
        item.add("transp", "OPAQUE")
        calendar.add_component(item)
    return calendar.to_ical()


def write_vobject(events):
    import vobject
    from dateutil import tz

    from events.sanitize import html_to_text
    from feeds.ical import event_uid

    calendar = vobject.iCalendar()
    calendar.add("prodid").value = "-//Netzwerk-Timer//DE"
    calendar.add("x-wr-calname").value = "Netzwerk-Timer"
    for event in events:
        item = calendar.add("vevent")
        item.add("uid").value = event_uid(event.id)
        item.add("sequence").value = str(event.revision)
        # vobject knows UTC only as dateutil's.
        item.add("dtstamp").value = event.updated_at.astimezone(tz.UTC)
        item.add("last-modified").value = event.updated_at.astimezone(tz.UTC)
        item.add("created").value = event.created_at.astimezone(tz.UTC)
        item.add("dtstart").value = event.starts_at
        item.add("dtend").value = event.ends_at
        item.add("summary").value = event.title
        item.add("status").value = "CONFIRMED"
        description = f"{html_to_text(event.description)}\nAnmeldung: {event.registration_url}\n\n{event.url}"
        item.add("description").value = description
        item.add("url").value = event.url
        item.add("location").value = event.location
        item.add("categories").value = event.topics
        organizer = item.add("organizer")
        organizer.value = f"mailto:{event.organiser_email}"
        organizer.cn_param = event.organiser_name
        item.add("class").value = "PUBLIC"
        item.add("transp").value = "OPAQUE"
    return calendar.serialize().encode()


WRITERS = {"ours (feeds.ical)": write_ours, "icalendar": write_icalendar, "vobject": write_vobject}


def measure(events, runs=RUNS):
    """Median seconds and output size per writer, each writer timed in turn within every run."""
    times = {name: [] for name in WRITERS}
    sizes = {}
    for _ in range(runs):
        for name, writer in WRITERS.items():
            start = time.perf_counter()
            output = writer(events)
            times[name].append(time.perf_counter() - start)
            sizes[name] = len(output)
    return {name: statistics.median(values) for name, values in times.items()}, sizes


def run():
    _setup()
    events = sample_events()
    medians, sizes = measure(events)
    ours = medians["ours (feeds.ical)"]
    rows = [
        f"| {name} | {seconds * 1000:.0f} | {EVENTS / seconds:,.0f} | {seconds / ours:.1f}× "
        f"| {sizes[name] / 2**20:.1f} |"
        for name, seconds in medians.items()
    ]
    return "\n".join(
        [
            "## iCalendar writers side by side (bench/bench_writers.py)",
            "",
            f"The same {EVENTS:,} events (title, times in Europe/Berlin, HTML description, place, topics, organiser) "
            f"written as one calendar by each writer, in one process, no database; median of {RUNS} runs, "
            "each writer timed in turn within every run. icalendar is the writer of Indico and pretix, vobject "
            "that of pretalx and django-scheduler. Goal: ours at least 5× faster than each.",
            "",
            "| writer | median ms | events/s | time relative to ours | MiB |",
            "|---|---:|---:|---:|---:|",
            *rows,
        ]
    )


if __name__ == "__main__":
    print(run())
