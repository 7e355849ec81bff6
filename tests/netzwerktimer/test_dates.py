"""The portal's wall clock: Berlin days and times, all-day spans stored with an exclusive end."""

import datetime

from netzwerktimer.dates import BERLIN, all_day_bounds, last_day_shown, local_date, local_datetime, moved_to_day

UTC = datetime.UTC


def test_local_datetime_keeps_the_wall_clock_in_summer_and_winter():
    assert local_datetime(datetime.date(2026, 7, 1), datetime.time(18)).astimezone(UTC) == datetime.datetime(
        2026, 7, 1, 16, tzinfo=UTC
    )
    assert local_datetime(datetime.date(2026, 12, 1), datetime.time(18)).astimezone(UTC) == datetime.datetime(
        2026, 12, 1, 17, tzinfo=UTC
    )


def test_all_day_bounds_end_at_the_midnight_after_the_last_day_across_a_clock_change():
    start, end = all_day_bounds(datetime.date(2026, 3, 28), datetime.date(2026, 3, 29))

    assert start.astimezone(UTC) == datetime.datetime(2026, 3, 27, 23, tzinfo=UTC)
    assert end.astimezone(UTC) == datetime.datetime(2026, 3, 29, 22, tzinfo=UTC)


def test_last_day_shown_is_the_day_before_the_exclusive_end():
    _start, end = all_day_bounds(datetime.date(2026, 10, 24), datetime.date(2026, 10, 25))

    assert last_day_shown(end).date() == datetime.date(2026, 10, 25)
    assert last_day_shown(end).tzinfo == BERLIN


def test_moved_to_day_keeps_the_local_time_across_a_clock_change():
    winter = local_datetime(datetime.date(2026, 3, 20), datetime.time(18, 30))

    moved = moved_to_day(winter.astimezone(UTC), datetime.date(2026, 4, 3))

    assert moved == local_datetime(datetime.date(2026, 4, 3), datetime.time(18, 30))
    assert moved.astimezone(UTC).hour == 16


def test_local_date_reads_the_berlin_day_of_a_moment_late_in_utc():
    assert local_date(datetime.datetime(2026, 6, 30, 22, 30, tzinfo=UTC)) == datetime.date(2026, 7, 1)
