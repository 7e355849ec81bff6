"""The occurrences of a recurring series inside the import window (recurring-ical-events, bounded)."""

import datetime
import itertools

import icalendar
import recurring_ical_events
from django.utils.translation import gettext_noop
from recurring_ical_events.util import convert_to_datetime

from importer import recurrence
from importer.messages import message
from importer.parse.component import event_from_component, prop_text, recurrence_key, utc
from importer.parse.result import (
    BERLIN,
    MAX_OCCURRENCES_PER_SERIES,
    MAX_THIS_AND_FUTURE_SPAN,
    check_deadline,
    event_label,
    midnight,
)


def _margin(components):
    """How long before the window an occurrence may start and still reach into it: the length of the
    series' components plus how far their overrides move them, and up to an hour for a change of
    summer time (the library keeps wall-clock lengths)."""
    margin = datetime.timedelta(seconds=1)
    for component in components:
        try:
            start = utc(component["DTSTART"].dt)
            if component.get("DTEND") is not None:
                length = max(utc(component["DTEND"].dt) - start, datetime.timedelta(0))
            elif component.get("DURATION") is not None:
                length = max(component["DURATION"].dt, datetime.timedelta(0))
            else:
                length = datetime.timedelta(days=1)
            margin += length + min(length, datetime.timedelta(hours=1))
            if component.get("RECURRENCE-ID") is not None:
                margin += abs(start - utc(component["RECURRENCE-ID"].dt))
        except Exception:  # noqa: S112 (a broken value: the library decides, and refuses the event)
            continue
    return margin


def _this_and_future_moves(components):
    """For each RANGE=THISANDFUTURE override (by its RECURRENCE-ID key): how far it moves the later occurrences."""
    moves = {}
    for component in components:
        rid = component.get("RECURRENCE-ID")
        if rid is None or str(rid.params.get("RANGE", "")).upper() != "THISANDFUTURE":
            continue
        try:
            start = component["DTSTART"].dt
            try:
                moves[recurrence_key(rid.dt)] = start - rid.dt
            except TypeError:  # a date and a time, or a floating and a zoned time
                moves[recurrence_key(rid.dt)] = utc(start) - utc(rid.dt)
        except Exception:  # noqa: S112 (no DTSTART: the library refuses the event)
            continue
    return moves


def _occurrence_key(occurrence, moves):
    """The RECURRENCE-ID key of one occurrence: its original start.

    recurring-ical-events gives every occurrence after a RANGE=THISANDFUTURE override that override's
    RECURRENCE-ID; RFC 5545 (3.8.4.4) keeps each its own, which is its start moved back.
    """
    start = occurrence["DTSTART"].dt
    rid_prop = occurrence.get("RECURRENCE-ID")
    if rid_prop is None:
        return recurrence_key(start)
    key = recurrence_key(rid_prop.dt)
    move = moves.get(key)
    if move is None:
        return key
    try:
        return recurrence_key(start - move)
    except TypeError:
        return recurrence_key(utc(start) - move)


def occurrences(uid, components, timezones, window_start, window_end, cancelled_calendar, warnings, deadline=None):
    """The occurrences of one series in the window, at most MAX_OCCURRENCES_PER_SERIES, in start order.

    The master is rebased to just before the window (importer.recurrence), and the library is asked
    with between() over the window, cut after the cap's worth of occurrences: the cost stays
    proportional to the occurrences in the window and the cap, whatever the rule's start or step.
    """
    first = midnight(window_start)
    stop = midnight(window_end + datetime.timedelta(days=1))
    not_after = first - _margin(components)
    moves = _this_and_future_moves(components)
    # A THISANDFUTURE change moves later dates by up to `longest`: dates from `longest` before the
    # window land in it, and the cap's worth counted from `longest` into it all land before `longest`
    # after the last of them.
    longest = max((abs(_as_timedelta(move)) for move in moves.values()), default=datetime.timedelta(0))
    calendar = icalendar.Calendar()
    calendar.add("PRODID", "-//Netzwerk-Timer//importer//DE")
    calendar.add("VERSION", "2.0")
    for tz in timezones:
        calendar.add_component(tz)
    for component in components:
        if component.get("RECURRENCE-ID") is None:
            component = recurrence.rebase(
                component,
                not_after=not_after,
                window_end=stop,
                window_start=first - longest,
                most=MAX_OCCURRENCES_PER_SERIES,
            )
        calendar.add_component(component)
    masters = [c for c in components if c.get("RECURRENCE-ID") is None]
    master_title = prop_text(masters[0], "SUMMARY")[:255] if masters else ""
    query = recurring_ical_events.of(calendar)
    check_deadline(deadline)
    if longest:
        stop = _stop_for_moved_series(query, first, stop, longest)
    else:
        stop = _stop_at_the_cap(query, first, stop)
    # The library's between() copies every occurrence into a component; only those kept are copied
    # here (a rule every 42 seconds moved by a day had 4,800 copied to keep 500). Same occurrences,
    # same order: between() is this list mapped through as_component (recurring-ical-events 3.8).
    found = query._occurrences_between(query.to_datetime(first), query.to_datetime(stop))  # noqa: SLF001
    found.sort(key=lambda o: utc(o.start))
    events = []
    seen = set()
    for found_occurrence in found:
        occurrence = found_occurrence.as_component(query.keep_recurrence_attributes)
        key = _occurrence_key(occurrence, moves)
        if key in seen:
            continue
        if len(events) >= MAX_OCCURRENCES_PER_SERIES:
            warnings.append(
                message(
                    gettext_noop("{label}: more than {count} dates in 12 months; the rest were left out."),
                    label=event_label(master_title or prop_text(components[0], "SUMMARY")),
                    count=MAX_OCCURRENCES_PER_SERIES,
                )
            )
            break
        seen.add(key)
        events.append(
            event_from_component(
                occurrence,
                uid,
                key,
                cancelled_calendar=cancelled_calendar,
                warnings=warnings,
                fallback_title=master_title,
            )
        )
    return events


def _stop_at_the_cap(query, first, stop):
    """Where the window can end for this series: just after the cap's worth of occurrences of any of its
    rules (dateutil generates them lazily from the rebased start), or the window's end."""
    for series in query.series:
        zone = getattr(series.recurrence, "tzinfo", None)
        start, end = convert_to_datetime(first, zone), convert_to_datetime(stop, zone)
        for rule in getattr(series.recurrence, "rrules", []):
            within = itertools.takewhile(lambda moment, end=end: moment < end, rule.xafter(start, inc=True))
            upcoming = list(itertools.islice(within, MAX_OCCURRENCES_PER_SERIES + 1))
            if len(upcoming) > MAX_OCCURRENCES_PER_SERIES:
                stop = min(stop, utc(upcoming[-1]).astimezone(BERLIN) + datetime.timedelta(seconds=1))
    return stop


def _stop_for_moved_series(query, first, stop, longest):
    """_stop_at_the_cap for a series whose RANGE=THISANDFUTURE changes move later dates by up to `longest`,
    or SeriesTooCostly when the library would generate more than MAX_THIS_AND_FUTURE_SPAN dates.

    Dates from `longest` before the window may land in it, and the cap's worth counted from `longest`
    into it all land before `longest` after the last of them; recurring-ical-events then widens the
    span by the move on both sides (rather than shifting it): a series every second moved by two days
    would cost over half a million occurrences. So the dates the library will generate, from `longest`
    before the window to `longest` after where it will stop, are counted first, lazily and at most
    MAX_THIS_AND_FUTURE_SPAN of them.
    """
    for series in query.series:
        zone = getattr(series.recurrence, "tzinfo", None)
        start = convert_to_datetime(first - longest, zone)
        into_window = convert_to_datetime(first + longest, zone)
        for rule in getattr(series.recurrence, "rrules", []):
            end = convert_to_datetime(stop, zone) + longest
            counted = capped = 0
            for at in rule.xafter(start, inc=True):
                if at >= end:
                    break
                counted += 1
                if counted > MAX_THIS_AND_FUTURE_SPAN:
                    raise recurrence.SeriesTooCostly(
                        message(
                            gettext_noop(
                                "its change for this and all following dates would need more than {count} "
                                "further repetitions to be read"
                            ),
                            count=MAX_THIS_AND_FUTURE_SPAN,
                        )
                    )
                if at >= into_window:
                    capped += 1
                    if capped == MAX_OCCURRENCES_PER_SERIES + 1:
                        cut = utc(at).astimezone(BERLIN) + datetime.timedelta(seconds=1) + longest
                        stop = min(stop, cut)
                        end = min(end, convert_to_datetime(stop, zone) + longest)
    return stop


def _as_timedelta(move):
    return move if isinstance(move, datetime.timedelta) else datetime.timedelta(0)
