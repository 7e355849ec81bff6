"""A guard against a hang in dateutil's cached recurrence rules.

A cached rule (`cache=True`, as recurring-ical-events and dateutil's VTIMEZONE reader build them)
takes a lock while it generates the next dates and releases it afterwards, but not when generating
raises: a time zone rule `FREQ=YEARLY;BYDAY=-1SU;BYMONTH=100` raises ValueError once, and the next
question to the same rule waits for the lock forever, holding the worker. Reproduction (dateutil
2.9.0, rrule.py `rrulebase._iter_cached`):

    r = rrulestr("FREQ=YEARLY;BYDAY=-1SU;BYMONTH=100", dtstart=datetime(1601, 1, 1, 3), cache=True)
    r.before(datetime(2027, 1, 1))  # ValueError: not enough values to unpack
    r.before(datetime(2027, 1, 1))  # never returns

`install()` (ImporterConfig.ready) wraps the method so that the lock is released when it raises.
"""

import dateutil.rrule

_original_iter_cached = dateutil.rrule.rrulebase._iter_cached


def _iter_cached_releasing_the_lock(self):
    try:
        yield from _original_iter_cached(self)
    except Exception:
        # Raised while generating: the lock is ours (it is released before each date is yielded).
        if self._cache_lock.locked():
            self._cache_lock.release()
        raise


def install():
    dateutil.rrule.rrulebase._iter_cached = _iter_cached_releasing_the_lock
