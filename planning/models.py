"""Series of events and tentative holds: planning on top of events.Event, never public by themselves."""

import datetime
import hashlib
import itertools
import json
import re

from dateutil import rrule
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from events.models import Event, EventType, Region
from networks.models import Network, Topic
from netzwerktimer.dates import ONE_DAY, all_day_bounds, local_datetime, local_midnight

# More dates than this are refused: a series is for a year or two of dates, not for ever.
MAX_SERIES_DATES = 150

# The Event fields a series writes on its dates; a date whose fields differ from what the
# series last wrote was edited by hand and keeps its values on a series edit.
SERIES_CONTENT_FIELDS = (
    "title",
    "description",
    "event_type_id",
    "format",
    "venue_name",
    "street",
    "postcode",
    "city",
    "region",
    "online_url",
    "registration_url",
    "is_free",
    "fee_text",
    "language",
    "audience",
    "contact_name",
    "contact_email",
)
SERIES_TIMING_FIELDS = ("starts_at", "ends_at", "is_all_day")

_SKIP_SEPARATORS = re.compile(r"[\n,;]+")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_skip_dates(text):
    """Dates written as 24.12.2026 (or 24.12.26, or ISO 2026-12-24), one per line or comma separated."""
    dates, bad = [], []
    for raw in _SKIP_SEPARATORS.split(text or ""):
        item = raw.strip()
        if not item:
            continue
        german, iso = _GERMAN_DATE.match(item), _ISO_DATE.match(item)
        try:
            if german:
                day, month, year = (int(part) for part in german.groups())
                dates.append(datetime.date(year + 2000 if year < 100 else year, month, day))
            elif iso:
                dates.append(datetime.date(*(int(part) for part in iso.groups())))
            else:
                bad.append(item)
        except ValueError:
            bad.append(item)
    if bad:
        raise ValidationError(
            _("These are not dates (write them as 24.12.2026): %(values)s"),
            params={"values": ", ".join(bad)},
            code="invalid_skip_dates",
        )
    return sorted(set(dates))


def event_fingerprint(event, topic_ids):
    """The series-controlled content of an event as stored, as one hash."""
    values = {name: getattr(event, name) for name in SERIES_CONTENT_FIELDS}
    values.update({name: getattr(event, name) for name in SERIES_TIMING_FIELDS})
    values["starts_at"] = event.starts_at.astimezone(datetime.UTC).isoformat()
    values["ends_at"] = event.ends_at.astimezone(datetime.UTC).isoformat()
    values["topics"] = sorted(topic_ids)
    payload = json.dumps(values, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


# "jeden ersten Dienstag im Monat": whole phrases, since German declines the ordinal with "jeden".
MONTHLY_WEEKDAY_TEXTS = {
    1: _("every first %(weekday)s of the month"),
    2: _("every second %(weekday)s of the month"),
    3: _("every third %(weekday)s of the month"),
    4: _("every fourth %(weekday)s of the month"),
    -1: _("every last %(weekday)s of the month"),
}


class EventSeries(models.Model):
    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly (every n weeks on a weekday)")
        MONTHLY_WEEKDAY = "monthly_weekday", _("Monthly on the n-th or last weekday")
        MONTHLY_DAY = "monthly_day", _("Monthly on a day of the month")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    class WeekOfMonth(models.IntegerChoices):
        FIRST = 1, _("first")
        SECOND = 2, _("second")
        THIRD = 3, _("third")
        FOURTH = 4, _("fourth")
        LAST = -1, _("last")

    owner = models.ForeignKey(
        Network, verbose_name=_("organising network"), related_name="event_series", on_delete=models.PROTECT
    )
    # Content the series writes on each of its dates (see SERIES_CONTENT_FIELDS).
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    event_type = models.ForeignKey(
        EventType, verbose_name=_("event type"), related_name="+", on_delete=models.SET_NULL, null=True, blank=True
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), related_name="+", blank=True)
    format = models.CharField(_("format"), max_length=10, choices=Event.Format.choices, default=Event.Format.ONSITE)
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=30, choices=Region.choices, blank=True)
    online_url = models.URLField(_("online access link"), max_length=500, blank=True)
    registration_url = models.URLField(_("registration link"), max_length=500, blank=True)
    is_free = models.BooleanField(_("free of charge"), default=True)
    fee_text = models.CharField(_("fee"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=Event.Language.choices, default=Event.Language.GERMAN
    )
    audience = models.CharField(_("audience"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    image = models.ForeignKey(
        "images.Image",
        verbose_name=_("image"),
        related_name="series",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        # Set through the image fields of the form (images.forms); every date of the series shows it.
        editable=False,
    )

    # Timing: local wall-clock times in Europe/Berlin.
    first_date = models.DateField(_("first date"), help_text=_("The series starts on or after this day."))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    is_all_day = models.BooleanField(_("all day"), default=False, help_text=_("Whole days; times are ignored."))

    # The rule.
    frequency = models.CharField(_("repeats"), max_length=20, choices=Frequency.choices, default=Frequency.WEEKLY)
    interval = models.PositiveSmallIntegerField(
        _("interval"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=_("1 = every week (or month), 2 = every second week (or month), …"),
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        choices=Weekday.choices,
        null=True,
        blank=True,
        help_text=_("For weekly and monthly-on-a-weekday series; empty: the weekday of the first date."),
    )
    week_of_month = models.SmallIntegerField(
        _("which weekday of the month"),
        choices=WeekOfMonth.choices,
        null=True,
        blank=True,
        help_text=_("For monthly series on a weekday, e.g. the second Tuesday."),
    )
    day_of_month = models.PositiveSmallIntegerField(
        _("day of the month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("For monthly series on a date; empty: the day of the first date. Months without it are left out."),
    )
    until = models.DateField(_("until"), null=True, blank=True, help_text=_("Last possible day of the series."))
    count = models.PositiveSmallIntegerField(
        _("number of dates"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Instead of an end date: how many dates (skipped dates not counted)."),
    )
    skip_dates = models.TextField(
        _("skip dates"),
        blank=True,
        help_text=_("Dates without an event, e.g. 22.12.2026, one per line or separated by commas."),
    )

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-first_date", "pk"]
        verbose_name = _("event series")
        verbose_name_plural = pgettext_lazy("plural", "event series")
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(count__isnull=True), name="series_until_or_count"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("admin:planning_eventseries_change", args=[self.pk])

    def clean(self):
        errors = {}
        if self.until is None and self.count is None:
            errors["until"] = _("Give a last day or a number of dates.")
        if self.until is not None and self.count is not None:
            errors["count"] = _("Give either a last day or a number of dates, not both.")
        if self.until and self.first_date and self.until < self.first_date:
            errors["until"] = _("The last day cannot be before the first date.")
        if self.count is not None and self.count > MAX_SERIES_DATES:
            errors["count"] = _("A series can have at most %(max)d dates.") % {"max": MAX_SERIES_DATES}
        if not self.is_all_day:
            if self.start_time is None:
                errors["start_time"] = _("Give a start time, or mark the series as all day.")
            if self.end_time is None:
                errors["end_time"] = _("Give an end time, or mark the series as all day.")
            elif self.start_time is not None and self.end_time <= self.start_time:
                errors["end_time"] = _("The end time must be after the start time.")
        if self.frequency == self.Frequency.MONTHLY_WEEKDAY and self.week_of_month is None:
            errors["week_of_month"] = _("Choose which weekday of the month (first, second, …, last).")
        try:
            parse_skip_dates(self.skip_dates)
        except ValidationError as error:
            errors["skip_dates"] = error
        if errors:
            raise ValidationError(errors)
        if not self.occurrences():
            raise ValidationError(_("This rule gives no dates."))

    @property
    def rule_text(self):
        """The rule as a manager says it: "jeden ersten Dienstag im Monat", "alle 2 Wochen am Montag"."""
        weekday_number = self.first_date.weekday() if self.weekday is None else self.weekday
        weekday = self.Weekday(weekday_number).label
        interval = self.interval or 1
        if self.frequency == self.Frequency.WEEKLY:
            if interval == 1:
                return _("every %(weekday)s") % {"weekday": weekday}
            return _("every %(n)s weeks on %(weekday)s") % {"n": interval, "weekday": weekday}
        if self.frequency == self.Frequency.MONTHLY_WEEKDAY:
            which = MONTHLY_WEEKDAY_TEXTS.get(self.week_of_month)
            text = which % {"weekday": weekday} if which else weekday
            if interval == 1:
                return text
            return _("%(rule)s, every %(n)s months") % {"rule": text, "n": interval}
        day = self.day_of_month or self.first_date.day
        if interval == 1:
            return _("every month on the %(day)s.") % {"day": day}
        return _("every %(n)s months on the %(day)s.") % {"n": interval, "day": day}

    def rule(self):
        """The dateutil rule of the series (its dates without skip dates)."""
        start = datetime.datetime.combine(self.first_date, datetime.time.min)
        weekday = self.first_date.weekday() if self.weekday is None else self.weekday
        kwargs = {"dtstart": start, "interval": self.interval or 1}
        if self.until:
            kwargs["until"] = datetime.datetime.combine(self.until, datetime.time.min)
        if self.frequency == self.Frequency.WEEKLY:
            return rrule.rrule(rrule.WEEKLY, byweekday=rrule.weekday(weekday), **kwargs)
        if self.frequency == self.Frequency.MONTHLY_WEEKDAY:
            return rrule.rrule(rrule.MONTHLY, byweekday=rrule.weekday(weekday, self.week_of_month), **kwargs)
        day = self.day_of_month or self.first_date.day
        return rrule.rrule(rrule.MONTHLY, bymonthday=day, **kwargs)

    def occurrences(self):
        """The local days of the series, skip dates left out; more than MAX_SERIES_DATES is an error."""
        skipped = set(parse_skip_dates(self.skip_dates))
        days = (moment.date() for moment in self.rule())
        days = (day for day in days if day not in skipped)
        limit = self.count if self.count is not None else MAX_SERIES_DATES + 1
        result = list(itertools.islice(days, min(limit, MAX_SERIES_DATES + 1)))
        if len(result) > MAX_SERIES_DATES:
            raise ValidationError(
                ngettext_lazy(
                    "This rule gives more than %(max)d date; choose an earlier last day or fewer dates.",
                    "This rule gives more than %(max)d dates; choose an earlier last day or fewer dates.",
                    MAX_SERIES_DATES,
                ),
                params={"max": MAX_SERIES_DATES},
                code="too_many_dates",
            )
        return result

    def times_for(self, day):
        """(starts_at, ends_at) of the date on `day`; all-day dates end at the next midnight, as iCal does."""
        if self.is_all_day:
            return all_day_bounds(day, day)
        return local_datetime(day, self.start_time), local_datetime(day, self.end_time)

    def skip_dates_display(self):
        return "\n".join(date_format(day, "d.m.Y") for day in parse_skip_dates(self.skip_dates))


class SeriesDate(models.Model):
    """One date of a series: a real event with its own page and iCal UID."""

    series = models.ForeignKey(EventSeries, verbose_name=_("series"), related_name="dates", on_delete=models.CASCADE)
    # Empty when the event was deleted by hand: the series then leaves that day alone.
    event = models.OneToOneField(
        Event,
        verbose_name=_("event"),
        related_name="series_date",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    original_date = models.DateField(_("date in the series"))
    written_fingerprint = models.CharField(
        _("content as written by the series"),
        max_length=64,
        editable=False,
        help_text=_("Differs from the event's content when the date was edited by hand."),
    )

    class Meta:
        ordering = ["original_date"]
        verbose_name = _("series date")
        verbose_name_plural = _("series dates")
        constraints = [
            models.UniqueConstraint(fields=["series", "original_date"], name="series_date_unique_per_day"),
        ]

    def __str__(self):
        return f"{self.series} – {date_format(self.original_date, 'SHORT_DATE_FORMAT')}"


class DateHoldQuerySet(models.QuerySet):
    def open(self):
        """Holds not yet turned into a published event (a draft still holds the date)."""
        return self.exclude(converted_event__publication=Event.Publication.PUBLISHED)

    def touching(self, first_day, last_day):
        """Holds touching the local days first_day..last_day."""
        return self.filter(
            starts_at__lt=local_midnight(last_day + ONE_DAY),
            ends_at__gt=local_midnight(first_day),
        )


class DateHold(models.Model):
    """ "Termin vormerken": a date a network reserves with a working title. Only managers see it."""

    network = models.ForeignKey(Network, verbose_name=_("network"), related_name="date_holds", on_delete=models.CASCADE)
    title = models.CharField(_("working title"), max_length=255)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    is_all_day = models.BooleanField(_("all day"), default=False, help_text=_("Whole days; times are ignored."))
    note = models.TextField(_("note"), blank=True, help_text=_("Only managers and the coordinator see it."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
    )
    converted_event = models.ForeignKey(
        Event,
        verbose_name=_("draft event"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = DateHoldQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("tentative hold")
        verbose_name_plural = _("tentative holds")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="hold_ends_not_before_start"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("admin:planning_datehold_change", args=[self.pk])

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The end cannot be before the start.")})


class PlanningMonth(DateHold):
    """The planning month view's entry in the admin's app list (a proxy, no table)."""

    class Meta:
        proxy = True
        verbose_name = _("planning month")
        verbose_name_plural = _("planning month")
