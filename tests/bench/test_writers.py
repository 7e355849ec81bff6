"""The writers' benchmark compares like with like: every writer's calendar holds the same events."""

import icalendar

from bench import bench_writers


def _read(calendar_bytes):
    calendar = icalendar.Calendar.from_ical(calendar_bytes)
    return [
        (
            str(item["UID"]),
            item["DTSTART"].dt,
            item["DTEND"].dt,
            str(item["SUMMARY"]),
            str(item["LOCATION"]),
            [str(c) for c in item["CATEGORIES"].cats],
            str(item["ORGANIZER"]),
            str(item["DESCRIPTION"]),
        )
        for item in calendar.walk("VEVENT")
    ]


def test_every_writer_writes_the_same_events(settings):
    events = bench_writers.sample_events(25)
    ours = _read(bench_writers.write_ours(events))
    assert len(ours) == 25
    assert ours[3][3] == "Fachforum Digitalisierung 3: Wasserstoff, KI & Fertigung"
    assert ours[3][4] == "Technologie- und Gründerzentrum, Wildenbruchstraße 15, 07745 Jena"
    for name, writer in bench_writers.WRITERS.items():
        theirs = _read(writer(events))
        # Same events, times, texts, places, topics and organiser; the description only as far as
        # our writer adds nothing (it names the status of cancelled events, none here).
        assert theirs == ours, name


def test_measure_times_each_writer(settings):
    medians, sizes = bench_writers.measure(bench_writers.sample_events(5), runs=1)
    assert set(medians) == set(bench_writers.WRITERS) == set(sizes)
    assert all(seconds > 0 for seconds in medians.values())
