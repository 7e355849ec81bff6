import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from events.models import Event, EventType
from importer.demo_feeds import SCHEME as DEMO_SCHEME
from importer.messages import as_text
from networks.models import Network, Topic


class FeedSourceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


# Sources the management commands make from bundled demo files and local paths; never fetched.
LOCAL_SCHEMES = (DEMO_SCHEME, "file:")


class FeedSource(models.Model):
    """A network's own calendar that the importer pulls on a schedule."""

    class Kind(models.TextChoices):
        ICS = "ics", _("iCalendar (ICS)")
        JSONLD = "jsonld", _("Web page with schema.org Event (JSON-LD)")

    network = models.ForeignKey(
        Network, verbose_name=_("network"), related_name="feed_sources", on_delete=models.PROTECT
    )
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("address (URL)"), max_length=1000)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ICS)
    is_active = models.BooleanField(_("active"), default=True)
    interval = models.DurationField(_("import interval"), default=datetime.timedelta(hours=6))

    default_topics = models.ManyToManyField(Topic, verbose_name=_("default topics"), related_name="+", blank=True)
    default_event_type = models.ForeignKey(
        EventType,
        verbose_name=_("default event type"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    default_format = models.CharField(_("default format"), max_length=10, choices=Event.Format.choices, blank=True)

    # State the importer keeps between runs.
    last_fetched_at = models.DateTimeField(_("last fetched"), null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(_("last successful import"), null=True, blank=True, editable=False)
    last_http_status = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True, editable=False)
    etag = models.CharField(_("ETag"), max_length=500, blank=True, editable=False)
    last_modified = models.CharField(_("Last-Modified"), max_length=100, blank=True, editable=False)
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True, editable=False)
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0, editable=False)
    needs_review = models.BooleanField(
        _("needs review"),
        default=False,
        help_text=_("Set when an import would have cancelled more than half of the future events."),
    )
    # An importer message (importer.messages): shown in the reader's language.
    review_reason = models.JSONField(_("review reason"), default=str, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = FeedSourceQuerySet.as_manager()

    class Meta:
        ordering = [Lower("network__short_name"), Lower("name")]
        verbose_name = _("feed source")
        verbose_name_plural = _("feed sources")
        constraints = [
            models.UniqueConstraint(fields=["network", "url"], name="feedsource_unique_url_per_network"),
        ]

    def __str__(self):
        return f"{self.network.short_name}: {self.name}"

    def clean(self):
        # The importer fetches http(s) only (and checks every address it resolves to); say so at once.
        fetched = self.url.lower().startswith(("http://", "https://", "webcal://"))
        if self.url and not fetched and not self.is_local:
            raise ValidationError({"url": _("Only http and https addresses can be imported.")})

    @property
    def is_local(self):
        """A bundled demo feed or a file read by `import_feed`: only the management commands make these.

        Their address cannot be typed into the admin (its URL field takes web addresses only), so the
        admin shows it read-only; the other settings of such a source stay editable.
        """
        return self.url.startswith(LOCAL_SCHEMES)

    @property
    def review_reason_text(self):
        return as_text(self.review_reason)

    def is_due(self, now=None):
        now = now or timezone.now()
        return self.last_fetched_at is None or self.last_fetched_at + self.interval <= now


class ImportRun(models.Model):
    """One attempt to import a feed source, whatever came of it."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCESS = "success", _("Success")
        NOT_MODIFIED = "not_modified", _("Not modified")
        FAILED = "failed", _("Failed")

    class FailureKind(models.TextChoices):
        NETWORK = "network", _("Network or server error (retried)")
        REFUSED = "refused", _("Address refused")
        CONTENT = "content", _("Not a readable feed")
        BUSY = "busy", _("Another import was running")
        INTERRUPTED = "interrupted", _("Interrupted")
        TOO_LONG = "too_long", _("Took too long")
        INTERNAL = "internal", _("Internal error")

    source = models.ForeignKey(FeedSource, verbose_name=_("feed source"), related_name="runs", on_delete=models.CASCADE)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices, default=Outcome.RUNNING)
    # Importer messages (importer.messages), translated when they are shown.
    message = models.JSONField(_("message"), default=str, blank=True)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    cancelled_count = models.PositiveIntegerField(_("cancelled"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    linked_count = models.PositiveIntegerField(_("linked with existing events"), default=0)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    failure_kind = models.CharField(_("kind of failure"), max_length=15, choices=FailureKind.choices, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        indexes = [models.Index(fields=["source", "-started_at"], name="importrun_source_started_idx")]

    def __str__(self):
        started = date_format(timezone.localtime(self.started_at), "SHORT_DATETIME_FORMAT")
        return f"{self.source} · {started} · {self.get_outcome_display()}"

    def end(self, outcome, message, *, kind="", status=None):
        """Set how the run ended: the one place an outcome is decided (unsaved; the caller saves).

        A failed run changed nothing, so its counts are zero, and it keeps the failure's kind and
        HTTP status; a successful or unmodified run keeps its counts and the status it was served with.
        """
        self.outcome = outcome
        self.message = message
        self.failure_kind = kind
        if outcome == self.Outcome.FAILED:
            self.http_status = status
            self.created_count = self.updated_count = self.unchanged_count = self.cancelled_count = 0
            self.skipped_count = self.linked_count = 0
        self.finished_at = timezone.now()

    @property
    def message_text(self):
        """The message in the active language."""
        return as_text(self.message)

    @property
    def warning_texts(self):
        return [as_text(warning) for warning in self.warnings]


class ImportLink(models.Model):
    """A feed item that is an event already on the portal, linked to it instead of created twice.

    The feed's key (source, UID, recurrence id) points to the existing event: one of the importing
    network's own (typed in, from another source, co-organised; it then follows the feed where its
    manager has not changed it) or another network's (never changed; the link grants no rights).
    The importing network's managers, the event's owner and the coordinator can undo a wrong match:
    the link then stays as "rejected", so that later imports create the event on its own.
    """

    class State(models.TextChoices):
        LINKED = "linked", _("Linked")
        REJECTED = "rejected", _("Undone (imported separately)")

    source = models.ForeignKey(
        FeedSource, verbose_name=_("feed source"), related_name="links", on_delete=models.CASCADE
    )
    external_uid = models.CharField(_("external UID"), max_length=500)
    recurrence_id = models.CharField(_("recurrence id"), max_length=40, blank=True)
    event = models.ForeignKey(
        Event,
        verbose_name=_("matched event"),
        related_name="import_links",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.LINKED)
    title = models.CharField(_("title in the feed"), max_length=255, blank=True)
    fingerprint = models.CharField(_("content fingerprint"), max_length=64, blank=True)
    # The feed's values when last read: a field of the network's own event follows the feed only while
    # it still holds the feed's previous value (the manager's edits win).
    feed_values = models.JSONField(_("values in the feed"), default=dict, blank=True, editable=False)
    missing_count = models.PositiveSmallIntegerField(_("missing from feed"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("link with an existing event")
        verbose_name_plural = _("links with existing events")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_uid", "recurrence_id"], name="importlink_unique_origin_per_source"
            ),
        ]

    def __str__(self):
        return f"{self.source} · {self.title or self.external_uid}"


class FeedAlertState(models.Model):
    """The state of a feed source the network's managers were last told about by e-mail."""

    class State(models.TextChoices):
        OK = "ok", _("Working")
        FAILING = "failing", _("Failing")
        REVIEW = "review", _("Flagged for review")

    source = models.OneToOneField(FeedSource, related_name="alert_state", on_delete=models.CASCADE)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OK)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("feed alert state")
        verbose_name_plural = _("feed alert states")

    def __str__(self):
        return f"{self.source} · {self.get_state_display()}"
