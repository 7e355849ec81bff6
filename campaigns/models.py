"""The call for sessions of a Cross-Cluster week and the proposals the networks send in."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import CrossClusterWeek, Event, EventType
from networks.models import Network, Topic


def week_days(week):
    """Every day of the week, first to last."""
    count = (week.ends_on - week.starts_on).days + 1
    return [week.starts_on + datetime.timedelta(days=offset) for offset in range(count)]


class SessionCallQuerySet(models.QuerySet):
    def open(self, now=None):
        return self.filter(closed_at__isnull=True, deadline__gt=now or timezone.now())

    def in_progress(self, now=None):
        """Calls still open or whose programme is not published yet: what the pages keep in view."""
        now = now or timezone.now()
        return self.filter(Q(programme_published_at__isnull=True) | Q(closed_at__isnull=True, deadline__gt=now))


class SessionCall(models.Model):
    """The coordinator asks the networks for sessions of one week until a deadline."""

    class State(models.TextChoices):
        OPEN = "open", _("Open for proposals")
        CLOSED = "closed", _("Closed for proposals")
        PUBLISHED = "published", _("Programme published")

    week = models.OneToOneField(
        CrossClusterWeek, verbose_name=_("Cross-Cluster week"), related_name="session_call", on_delete=models.CASCADE
    )
    deadline = models.DateTimeField(
        _("deadline"), help_text=_("Managers can propose and edit sessions until this moment.")
    )
    introduction = models.TextField(
        _("invitation text"), blank=True, help_text=_("Shown to the managers above the proposal form.")
    )
    programme_published_at = models.DateTimeField(_("programme published"), null=True, blank=True, editable=False)
    # Proposals are possible until the deadline unless the coordinator closes the call earlier;
    # publishing the programme does not close it.
    closed_at = models.DateTimeField(_("closed early"), null=True, blank=True, editable=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)

    objects = SessionCallQuerySet.as_manager()

    class Meta:
        ordering = ["-week__starts_on"]
        verbose_name = _("call for sessions")
        verbose_name_plural = _("calls for sessions")

    def __str__(self):
        return str(self.week)

    def is_open_at(self, now=None):
        return self.closed_at is None and (now or timezone.now()) < self.deadline

    def state_at(self, now=None):
        if self.is_open_at(now):
            return self.State.OPEN
        if self.programme_published_at is not None:
            return self.State.PUBLISHED
        return self.State.CLOSED

    @property
    def state(self):
        return self.state_at()

    def get_state_display(self):
        return self.State(self.state).label

    @property
    def is_open(self):
        return self.is_open_at()

    @property
    def days(self):
        return week_days(self.week)


class SessionProposalQuerySet(models.QuerySet):
    def undecided(self):
        return self.filter(status=SessionProposal.Status.PROPOSED)

    def accepted(self):
        return self.filter(status=SessionProposal.Status.ACCEPTED)

    def in_programme(self):
        """Everything still in the plan: proposed and accepted, not declined."""
        return self.exclude(status=SessionProposal.Status.DECLINED)

    def for_networks(self, networks):
        """Proposals of the networks and those the networks are asked to co-host."""
        asked = SessionCoHost.objects.filter(network__in=networks).values("proposal_id")
        return self.filter(Q(network__in=networks) | Q(pk__in=asked))


class SessionProposal(models.Model):
    """A session a network would like to hold in the week; the coordinator decides."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    class Audience(models.TextChoices):
        COMPANIES = "companies", _("Companies and SMEs")
        STARTUPS = "startups", _("Start-ups and founders")
        RESEARCH = "research", _("Research and universities")
        SKILLED = "skilled", _("Students and skilled workers")
        PUBLIC_SECTOR = "public", _("Public administration and politics")
        EVERYONE = "everyone", _("Everyone interested")

    call = models.ForeignKey(
        SessionCall, verbose_name=_("call for sessions"), related_name="proposals", on_delete=models.CASCADE
    )
    network = models.ForeignKey(
        Network,
        verbose_name=_("proposing network"),
        related_name="session_proposals",
        on_delete=models.PROTECT,
        help_text=_("The network that organises the session and owns the event."),
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("short description"), max_length=2000)
    event_type = models.ForeignKey(EventType, verbose_name=_("event type"), related_name="+", on_delete=models.PROTECT)
    format = models.CharField(_("format"), max_length=10, choices=Event.Format.choices, default=Event.Format.ONSITE)
    preferred_days = models.JSONField(
        _("preferred days"), default=list, help_text=_("Days of the week that suit the session (ISO dates).")
    )
    day = models.DateField(_("day"), help_text=_("The day in the plan: the first preferred day until it is moved."))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    audience = models.CharField(_("target group"), max_length=20, choices=Audience.choices)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), related_name="+", blank=True)
    image = models.ForeignKey(
        "images.Image",
        verbose_name=_("image"),
        related_name="proposals",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        # Set through the image fields of the form (images.forms); the accepted event takes it.
        editable=False,
    )
    expected_participants = models.PositiveIntegerField(
        _("expected participants"), null=True, blank=True, validators=[MaxValueValidator(100000)]
    )
    status = models.CharField(_("decision"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decision_message = models.TextField(_("message to the proposer"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    event = models.OneToOneField(
        Event,
        verbose_name=_("event"),
        related_name="session_proposal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SessionProposalQuerySet.as_manager()

    class Meta:
        ordering = ["day", "start_time", "pk"]
        verbose_name = _("session proposal")
        verbose_name_plural = _("session proposals")
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="proposal_ends_after_start")
        ]

    def __str__(self):
        return self.title

    @property
    def preferred_dates(self):
        return [datetime.date.fromisoformat(value) for value in self.preferred_days]

    def clean(self):
        errors = {}
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("The session must end after it starts.")
        if self.call_id:
            days = set(self.call.days)
            try:
                preferred = self.preferred_dates
            except (TypeError, ValueError):
                preferred = None
            if not preferred:
                errors["preferred_days"] = _("Choose at least one day of the week.")
            elif not set(preferred) <= days:
                errors["preferred_days"] = _("Choose days within the week.")
            if self.day and self.day not in days:
                errors["day"] = _("The day must lie within the week (%(first)s – %(last)s).") % {
                    "first": self.call.week.starts_on.strftime("%d.%m.%Y"),
                    "last": self.call.week.ends_on.strftime("%d.%m.%Y"),
                }
        if errors:
            raise ValidationError(errors)


class SessionCoHost(models.Model):
    """A network asked to co-host a proposal: it is "requested" until one of its managers confirms."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")

    proposal = models.ForeignKey(
        SessionProposal, verbose_name=_("session proposal"), related_name="co_hosts", on_delete=models.CASCADE
    )
    network = models.ForeignKey(
        Network, verbose_name=_("co-hosting network"), related_name="session_co_hosts", on_delete=models.CASCADE
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.REQUESTED)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = [Lower("network__short_name")]
        verbose_name = _("co-hosting network")
        verbose_name_plural = _("co-hosting networks")
        constraints = [models.UniqueConstraint(fields=["proposal", "network"], name="cohost_once_per_proposal")]

    def __str__(self):
        return f"{self.network} ({self.get_state_display()})"

    @property
    def is_confirmed(self):
        return self.state == self.State.CONFIRMED
