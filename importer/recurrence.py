"""Recurring events, expanded over the import window in time proportional to what lies inside it.

recurring-ical-events (on dateutil) generates every occurrence of a rule from its DTSTART on: a
daily rule from 1970 costs 20,000 occurrences before the first one that matters, a SECONDLY one
more than a billion. So before the library sees a series, its master's DTSTART is moved forward
("rebased") by whole periods of the rule to just before the window. A rule yields the same
occurrences from a period boundary on whatever period it started in, once the parts that dateutil
takes from DTSTART (the weekday of a WEEKLY rule, the day of a MONTHLY one, the time of day...)
are written into the rule. A COUNT is reduced by the occurrences skipped, which is exact for rules
with the same number of occurrences in every period; the others are expanded from their start as
long as that stays cheap (MAX_GENERATED), and skipped with a warning otherwise.

Occurrence keys (RECURRENCE-ID) stay those of the original series: rebasing moves whole periods,
so every occurrence keeps its original start, and overrides, EXDATE and RDATE still match.
"""

import copy
import datetime
import math

import dateutil.rrule
import icalendar
import recurring_ical_events.util
from django.utils.translation import gettext_noop

from importer.messages import in_english, message, moment
from netzwerktimer.dates import BERLIN

FREQUENCIES = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY")
_STEPS = {
    "WEEKLY": datetime.timedelta(weeks=1),
    "DAILY": datetime.timedelta(days=1),
    "HOURLY": datetime.timedelta(hours=1),
    "MINUTELY": datetime.timedelta(minutes=1),
    "SECONDLY": datetime.timedelta(seconds=1),
}
# Upper bounds, for estimates: days in a period, and periods in a year.
_DAYS_PER_PERIOD = {"YEARLY": 366, "MONTHLY": 31, "WEEKLY": 7}
_PERIODS_PER_YEAR = {
    "YEARLY": 1,
    "MONTHLY": 12,
    "WEEKLY": 53,
    "DAILY": 366,
    "HOURLY": 366 * 24,
    "MINUTELY": 366 * 24 * 60,
    "SECONDLY": 366 * 24 * 3600,
}
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# The parts that select days: without any of them, dateutil takes the day from DTSTART.
_DAY_PARTS = ("BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY")
# Parts that can make the number of occurrences differ from one period to the next (RFC 5545 3.3.10:
# "limit" rather than "expand" for the frequency, or depending on the calendar).
_LIMITING = {
    "WEEKLY": ("BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYSETPOS"),
    "DAILY": ("BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYSETPOS", "BYDAY"),
    "HOURLY": ("BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYSETPOS", "BYDAY", "BYHOUR"),
    "MINUTELY": ("BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYSETPOS", "BYDAY", "BYHOUR", "BYMINUTE"),
    "SECONDLY": (
        "BYMONTH",
        "BYMONTHDAY",
        "BYYEARDAY",
        "BYWEEKNO",
        "BYSETPOS",
        "BYDAY",
        "BYHOUR",
        "BYMINUTE",
        "BYSECOND",
    ),
}
_RANGES = {"BYHOUR": range(24), "BYMINUTE": range(60), "BYSECOND": range(61)}
# Occurrences a series that cannot be rebased may cost before the window (about a second).
MAX_GENERATED = 100_000
_TIME_PARTS = {"BYHOUR": "HOURLY", "BYMINUTE": "MINUTELY", "BYSECOND": "SECONDLY"}


class SeriesRefused(ValueError):
    """A series that is skipped with this message (importer.messages)."""

    def __init__(self, message):
        super().__init__(in_english(message))
        self.message = message


class SeriesTooCostly(SeriesRefused):
    """A series whose expansion would cost too much."""


def _first(value, default=None):
    if isinstance(value, list):
        return value[0] if value else default
    return default if value is None else value


def _rules(component):
    value = component.get("RRULE")
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _as_datetime(value):
    if isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.combine(value, datetime.time())


def _explicit(rule, start, freq):
    """The rule with the parts dateutil would take from DTSTART written out (dateutil.rrule.__init__)."""
    rule = icalendar.vRecur({name: list(value) for name, value in rule.items()})
    if not any(name in rule for name in _DAY_PARTS):
        if freq == "YEARLY":
            rule.setdefault("BYMONTH", [start.month])
            rule["BYMONTHDAY"] = [start.day]
        elif freq == "MONTHLY":
            rule["BYMONTHDAY"] = [start.day]
        elif freq == "WEEKLY":
            rule["BYDAY"] = [_WEEKDAYS[start.weekday()]]
    moment = _as_datetime(start)
    index = FREQUENCIES.index(freq)
    if index < FREQUENCIES.index("HOURLY"):
        rule.setdefault("BYHOUR", [moment.hour])
    if index < FREQUENCIES.index("MINUTELY"):
        rule.setdefault("BYMINUTE", [moment.minute])
    if index < FREQUENCIES.index("SECONDLY"):
        rule.setdefault("BYSECOND", [moment.second])
    return rule


def _per_period(rule, freq):
    """Occurrences in every period when that number is the same for all periods, else None."""
    if any(name in rule for name in _LIMITING.get(freq, ("BYSETPOS",))) or freq not in _LIMITING:
        return None
    total = 1
    for name, allowed in _RANGES.items():
        values = rule.get(name)
        if values is None:
            continue
        try:
            values = {int(v) for v in values}
        except (TypeError, ValueError):
            return None
        if not values or not values <= set(allowed) or 60 in values:
            return None
        total *= len(values)
    if freq == "WEEKLY":
        days = rule.get("BYDAY") or []
        if not days or any(str(day).upper() not in _WEEKDAYS for day in days):
            return None
        total *= len({str(day).upper() for day in days})
    return total


def _local(moment, start):
    """The aware moment in the frame of DTSTART: a date or a floating time in Berlin, or a time in its zone."""
    if not isinstance(start, datetime.datetime):
        return moment.astimezone(BERLIN).date()
    if start.tzinfo is None:
        return moment.astimezone(BERLIN).replace(tzinfo=None)
    return moment.astimezone(start.tzinfo)


def _periods_between(start, later, freq, interval):
    """Whole steps of the rule (INTERVAL periods each) from start to later, and where they lead."""
    if freq in _STEPS:
        step = _STEPS[freq] * interval
        if isinstance(start, datetime.datetime):
            elapsed = later.replace(tzinfo=None) - start.replace(tzinfo=None)
        else:
            elapsed = datetime.datetime.combine(later, datetime.time()) - _as_datetime(start)
            # A date can only move by whole days.
            if step % datetime.timedelta(days=1):
                days = datetime.timedelta(days=1)
                step_s, day_s = int(step.total_seconds()), int(days.total_seconds())
                multiple = day_s // math.gcd(step_s, day_s)
                steps = (elapsed // step) // multiple * multiple
                return steps, start + step * steps
        steps = elapsed // step
        return steps, start + step * steps
    months = (later.year - start.year) * 12 + later.month - start.month
    if freq == "YEARLY":
        steps = (later.year - start.year) // interval
        year = start.year + steps * interval
        month = 1
    else:
        steps = months // interval
        month_index = start.year * 12 + start.month - 1 + steps * interval
        year, month = divmod(month_index, 12)
        month += 1
    if steps <= 0:
        return 0, start
    if isinstance(start, datetime.datetime):
        return steps, datetime.datetime(year, month, 1, tzinfo=start.tzinfo)
    return steps, datetime.date(year, month, 1)


def _estimate(rule, freq, interval, start, until):
    """An upper bound of the occurrences dateutil generates from start to until."""
    years = max(_as_datetime(until).year - _as_datetime(start).year + 1, 1)
    periods = years * _PERIODS_PER_YEAR[freq] // interval + 1
    per_period = _per_period_upper(rule, freq)
    count = _first(rule.get("COUNT"))
    estimate = periods * per_period
    if count is not None:
        try:
            estimate = min(estimate, int(count))
        except (TypeError, ValueError):
            pass
    return estimate


def _shift(component, name, delta):
    prop = component.get(name)
    if prop is None or isinstance(prop, list):
        return
    component[name] = icalendar.vDDDTypes(prop.dt + delta)
    for key, value in prop.params.items():
        component[name].params.setdefault(key, value)


_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_CALENDAR_FILTERS = ("BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO")


def _ints(values):
    try:
        return [int(v) for v in values]
    except (TypeError, ValueError):
        return None


def _never(rule):
    """True when BYMONTH and BYMONTHDAY name no day that exists (FEB 30): dateutil would search to year 9999."""
    days = _ints(rule.get("BYMONTHDAY") or [])
    months = _ints(rule.get("BYMONTH") or list(range(1, 13)))
    if not days or months is None or days is None or any(not 1 <= m <= 12 for m in months):
        return False
    return not any(abs(day) <= _MONTH_DAYS[month - 1] for month in months for day in days if day)


_WEEK = 7 * 24 * 3600


def _never_in_a_week(rule, freq, interval, start):
    """True when a DAILY or finer rule filtered only by weekday and time never lands on an allowed one:
    its steps repeat every week (in wall-clock time), so one cycle tells. dateutil would search such
    a rule (FREQ=HOURLY;INTERVAL=42;BYDAY=SA) period by period up to the year 9999."""
    # Calendar filters (BYMONTH, BYMONTHDAY...) only limit these frequencies further: a rule whose
    # weekday and time never match never matches with them either.
    if freq not in ("DAILY", "HOURLY", "MINUTELY", "SECONDLY") or "BYSETPOS" in rule:
        return False
    limits = {"BYDAY": None, "BYHOUR": "HOURLY", "BYMINUTE": "MINUTELY", "BYSECOND": "SECONDLY"}
    allowed = {}
    for name, unit in limits.items():
        if name not in rule or (unit is not None and FREQUENCIES.index(freq) < FREQUENCIES.index(unit)):
            continue  # absent, or expanding rather than limiting for this frequency
        if name == "BYDAY":
            days = [str(day).upper() for day in rule[name]]
            if any(day not in _WEEKDAYS for day in days):
                return False
            allowed[name] = {_WEEKDAYS.index(day) for day in days}
        else:
            values = _ints(rule[name])
            if values is None:
                return False
            allowed[name] = set(values)
    if not allowed:
        return False
    step = int(_STEPS[freq].total_seconds()) * interval
    cycle = _WEEK // math.gcd(step, _WEEK)
    if cycle > 20_000:
        return False
    moment = _as_datetime(start).replace(tzinfo=None)
    for index in range(cycle):
        at = moment + datetime.timedelta(seconds=step * index)
        values = {"BYDAY": at.weekday(), "BYHOUR": at.hour, "BYMINUTE": at.minute, "BYSECOND": at.second}
        if all(values[name] in allowed[name] for name in allowed):
            return False
    return True


def _never_in_400_years(rule, freq, interval, start):
    """True when a YEARLY or MONTHLY rule whose filters may contradict each other (the first Monday of
    January that is the 29th) has no occurrence in a whole Gregorian cycle: dates and weekdays repeat
    every 400 years, so dateutil is asked about the 400 years before its last one, where it must stop."""
    if freq not in ("YEARLY", "MONTHLY"):
        return False
    filters = [name for name in ("BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYDAY") if name in rule]
    risky = len(filters) >= 2 or "BYSETPOS" in rule or "BYYEARDAY" in rule or "BYWEEKNO" in rule
    if not (risky or (freq == "MONTHLY" and interval > 1 and "BYMONTHDAY" in rule)):
        return False
    probe = icalendar.vRecur({name: list(value) for name, value in rule.items() if name not in ("COUNT", "UNTIL")})
    moment = _as_datetime(start).replace(tzinfo=None)
    if freq == "YEARLY":
        year, month = moment.year + (9599 - moment.year) // interval * interval, 1
    else:
        months = (9599 - moment.year) * 12 // interval * interval + moment.month - 1
        year, month = moment.year + months // 12, months % 12 + 1
    try:
        candidates = dateutil.rrule.rrulestr(probe.to_ical().decode(), dtstart=datetime.datetime(year, month, 1))
        return next(iter(candidates), None) is None
    except (ValueError, TypeError, OverflowError):
        return False  # the library decides (and refuses the event with its reason)


def _as_yearly(rule, freq, start):
    """A DAILY (or finer) rule with INTERVAL=1 whose days are chosen by calendar filters (BYMONTH,
    BYMONTHDAY...) as the equal YEARLY rule: dateutil then steps through years, not days, when the
    filters are rare, so that a rule such as "every day in February that is the 29th" stays cheap."""
    if freq not in ("DAILY", "HOURLY", "MINUTELY", "SECONDLY") or "BYSETPOS" in rule:
        return rule, freq
    if not any(name in rule for name in _CALENDAR_FILTERS):
        return rule, freq
    interval = _ints(rule.get("INTERVAL") or [1])
    if interval != [1]:
        return rule, freq
    moment = _as_datetime(start)
    yearly = icalendar.vRecur({name: list(value) for name, value in rule.items()})
    yearly["FREQ"] = ["YEARLY"]
    if not any(name in yearly for name in _DAY_PARTS):
        # Every day of the months (or weeks) the filters leave.
        yearly["BYMONTHDAY"] = list(range(1, 32))
    if freq != "DAILY":
        yearly.setdefault("BYHOUR", list(range(24)))
    else:
        yearly.setdefault("BYHOUR", [moment.hour])
    if freq in ("MINUTELY", "SECONDLY"):
        yearly.setdefault("BYMINUTE", list(range(60)))
    else:
        yearly.setdefault("BYMINUTE", [moment.minute])
    if freq == "SECONDLY":
        yearly.setdefault("BYSECOND", list(range(60)))
    else:
        yearly.setdefault("BYSECOND", [moment.second])
    return yearly, "YEARLY"


# A filter on the unit a rule steps through, and the next coarser frequency.
_FINER = {"SECONDLY": ("BYSECOND", "MINUTELY"), "MINUTELY": ("BYMINUTE", "HOURLY"), "HOURLY": ("BYHOUR", "DAILY")}


def _coarsened(rule, freq):
    """FREQ=MINUTELY;BYMINUTE=30 gives the dates of FREQ=HOURLY;BYMINUTE=30 when INTERVAL is 1: the
    filter limits a MINUTELY rule to the listed minutes and expands an HOURLY one to them (RFC 5545
    3.3.10), so dateutil may step through hours instead of testing every minute (60 times fewer steps;
    a COUNT of 100,000 from 1987 took 2 s). Repeated while the next unit is filtered too (BYHOUR:
    DAILY). Not with BYSETPOS, which counts within each period."""
    if "BYSETPOS" in rule or _ints(rule.get("INTERVAL") or [1]) != [1]:
        return rule, freq
    coarse = rule
    while freq in _FINER and _FINER[freq][0] in coarse:
        if coarse is rule:
            coarse = icalendar.vRecur({name: list(value) for name, value in rule.items()})
        freq = _FINER[freq][1]
        coarse["FREQ"] = [freq]
    return coarse, freq


def _per_period_upper(rule, freq):
    per_period = _DAYS_PER_PERIOD.get(freq, 1)
    for name, unit in _TIME_PARTS.items():
        values = rule.get(name)
        if values and FREQUENCIES.index(freq) < FREQUENCIES.index(unit):
            per_period *= len(values)
    return per_period


def rebase(master, *, not_after, window_end, window_start=None, most=None):
    """The series' master with DTSTART moved forward to the last period boundary at or before not_after
    (an aware datetime), its rule completed and its COUNT reduced; or the master itself when it starts
    late enough. Raises SeriesTooCostly for a series that can be neither rebased nor expanded cheaply.
    """
    rules = _rules(master)
    start_prop = master.get("DTSTART")
    if not rules or start_prop is None or isinstance(start_prop, list):
        return master
    start = start_prop.dt
    if not isinstance(start, datetime.date):
        return master
    later = _local(not_after, start)
    if len(rules) > 1:
        # Several rules (rare, but RFC 5545 allows them): one that can never match would still be
        # searched by dateutil up to the year 9999 when the library merges them, so it is left out.
        matching = [rule for rule in rules if not _gives_nothing(rule, start)]
        if not matching:
            return _without_rule(master, rules, start)
        master = copy.copy(master)
        master["RRULE"] = matching if len(matching) > 1 else matching[0]
        if len(matching) > 1:
            return _check_cost(master, matching, start, window_end)
        rules = matching
    rule = rules[0]
    parsed = _frequency(rule)
    if parsed is None:
        return master  # the library refuses it; the event is skipped with its reason
    freq, interval = parsed
    if _never_matches(rule, freq, interval, start):
        return _without_rule(master, [rule], start)
    original_freq = freq
    rule, freq = _coarsened(rule, freq)
    rule, freq = _as_yearly(rule, freq, start)
    count = _first(rule.get("COUNT"))
    explicit = _explicit(rule, start, freq)
    if count is not None:
        per_period = _per_period(explicit, freq)
        if per_period is None:
            return _check_cost(master, rules, start, window_end)
    if freq in _STEPS and window_start is not None and most:
        # A long event in a dense series (every second, 26 hours each): more occurrences reach into the
        # window than the cap keeps, so look back no further than `most` of them can lie.
        periods = -(-most // _per_period_upper(explicit, freq))
        later = max(later, _local(window_start - _STEPS[freq] * interval * periods, start))
    steps, new_start = _periods_between(start, later, freq, interval) if later > start else (0, start)
    if steps <= 0:
        if freq == original_freq:
            return master
        converted = copy.copy(master)
        converted["RRULE"] = rule
        return converted
    if count is not None:
        try:
            remaining = int(count) - steps * per_period
        except (TypeError, ValueError):
            return master
        explicit["COUNT"] = [remaining]
    rebased = copy.copy(master)
    delta = (
        _as_datetime(new_start).replace(tzinfo=None) - _as_datetime(start).replace(tzinfo=None)
        if freq in _STEPS
        else None
    )
    rebased["DTSTART"] = icalendar.vDDDTypes(new_start)
    for key, value in start_prop.params.items():
        rebased["DTSTART"].params.setdefault(key, value)
    end_prop = master.get("DTEND")
    if end_prop is not None and not isinstance(end_prop, list):
        end = end_prop.dt
        if type(end) is not type(start):
            return _check_cost(master, rules, start, window_end)
        if delta is None:
            duration = end - start
            rebased["DTEND"] = icalendar.vDDDTypes(new_start + duration)
            for key, value in end_prop.params.items():
                rebased["DTEND"].params.setdefault(key, value)
        else:
            _shift(rebased, "DTEND", delta)
    if count is not None and explicit["COUNT"][0] <= 0:
        # The series ended before the window: what remains is its start, RDATEs and overrides.
        return _without_rule(master, [rule], start)
    rebased["RRULE"] = explicit
    if not _is_occurrence(explicit, new_start):
        # DTSTART always counts as an occurrence; the new one must not when the rule does not give it.
        _exclude(rebased, master, new_start)
    return rebased


def _frequency(rule):
    """FREQ and INTERVAL of a rule, or None when they are not ours to read (the library then refuses
    the rule with its reason); an INTERVAL below 1 is refused here."""
    freq = str(_first(rule.get("FREQ"), "")).upper()
    try:
        interval = int(_first(rule.get("INTERVAL"), 1))
    except (TypeError, ValueError):
        return None
    _refuse_interval_below_one(rule, interval)
    return (freq, interval) if freq in FREQUENCIES else None


def _never_matches(rule, freq, interval, start):
    """True when no date can match the rule (FEB 30, a weekday its steps never reach, filters that
    contradict each other): dateutil would search it up to the year 9999."""
    if _never(rule) or _never_in_a_week(rule, freq, interval, start):
        return True
    yearly, yearly_freq = _as_yearly(rule, freq, start)
    return _never_in_400_years(_explicit(yearly, start, yearly_freq), yearly_freq, interval, start)


def _gives_nothing(rule, start):
    """_never_matches for one of several rules, which rebase has not read yet."""
    parsed = _frequency(rule)
    return parsed is not None and _never_matches(rule, *parsed, start)


def _without_rule(master, rules, start):
    """The series when its rules give no date: its start, its RDATEs and overrides. An UNTIL before
    DTSTART ends the series before its start, which then is no occurrence either, as
    recurring-ical-events reads such a rule when it expands it (its latest UNTIL); the importer must
    not answer differently depending on which of the two expanded the series."""
    remains = copy.copy(master)
    del remains["RRULE"]
    untils = [_first(rule.get("UNTIL")) for rule in rules]
    untils = [until for until in untils if isinstance(until, datetime.date)]
    # Compared with the library's own function: a floating DTSTART takes the UNTIL's zone, a date is its midnight.
    if untils and all(recurring_ical_events.util.compare_greater(start, until) for until in untils):
        _exclude(remains, master, start)
    return remains


def _exclude(rebased, master, moment):
    exdates = master.get("EXDATE")
    rebased["EXDATE"] = [*(exdates if isinstance(exdates, list) else [exdates] if exdates else [])]
    rebased["EXDATE"].append(icalendar.vDDDLists([moment]))


def _is_occurrence(rule, start):
    probe = icalendar.vRecur({name: list(value) for name, value in rule.items() if name not in ("COUNT", "UNTIL")})
    moment = _as_datetime(start).replace(tzinfo=None)
    try:
        first = next(iter(dateutil.rrule.rrulestr(probe.to_ical().decode(), dtstart=moment)), None)
    except (ValueError, TypeError, OverflowError):
        return True
    return first == moment


def _refuse_interval_below_one(rule, interval):
    """RFC 5545 3.3.10: INTERVAL is a positive integer. dateutil takes 0 and repeats DTSTART without
    end, every repetition kept in memory (a worker grew to 23 GB)."""
    if interval < 1:
        raise SeriesRefused(
            message(
                gettext_noop("the rule {rule!r} repeats every {interval} periods; INTERVAL must be 1 or more"),
                rule=rule.to_ical().decode()[:100],
                interval=interval,
            )
        )


def _check_cost(master, rules, start, window_end):
    for rule in rules:
        freq = str(_first(rule.get("FREQ"), "")).upper()
        if freq not in FREQUENCIES:
            continue
        try:
            interval = int(_first(rule.get("INTERVAL"), 1))
        except (TypeError, ValueError):
            continue
        _refuse_interval_below_one(rule, interval)
        if _estimate(rule, freq, interval, start, window_end) > MAX_GENERATED:
            raise SeriesTooCostly(
                message(
                    gettext_noop(
                        "the rule {rule!r} from {start} would need more than {count} repetitions to be read up to today"
                    ),
                    rule=rule.to_ical().decode()[:100],
                    start=moment(start.date() if isinstance(start, datetime.datetime) else start),
                    count=MAX_GENERATED,
                )
            )
    return master
