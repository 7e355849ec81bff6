"""Small feeds the tests write themselves, with dates relative to today."""

import contextlib
import datetime
import threading

from django.utils import timezone


def day(offset):
    """YYYYMMDD of today + offset days (Europe/Berlin)."""
    return (timezone.localdate() + datetime.timedelta(days=offset)).strftime("%Y%m%d")


def vevent(uid, summary, start, end=None, *extra):
    lines = ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20260101T000000Z", f"SUMMARY:{summary}", start]
    if end:
        lines.append(end)
    lines.extend(extra)
    lines.append("END:VEVENT")
    return "\r\n".join(lines)


def calendar(*events, header=()):
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//Netzwerk-Timer//DE", *header, *events, "END:VCALENDAR"]
    return ("\r\n".join(lines) + "\r\n").encode()


def simple_feed(count, offset=10, prefix="ev"):
    """count one-hour events at 10:00 Berlin on consecutive days from today + offset."""
    return calendar(
        *[
            vevent(
                f"{prefix}{i}@test",
                f"Veranstaltung {i}",
                f"DTSTART;TZID=Europe/Berlin:{day(offset + i)}T100000",
                f"DTEND;TZID=Europe/Berlin:{day(offset + i)}T110000",
                "LOCATION:TGZ\\, Wildenbruchstraße 15\\, 07745 Jena",
            )
            for i in range(count)
        ]
    )


def finishes(function, seconds=20):
    """Runs function in a thread; True when it returned (or raised) within the time."""
    done = threading.Event()

    def run():
        with contextlib.suppress(Exception):  # raising is an answer too: what matters is not waiting forever
            function()
        done.set()

    threading.Thread(target=run, daemon=True).start()
    return done.wait(seconds)
