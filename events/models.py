import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import connection, models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.accessibility import AccessibilityDetails
from events.paths import event_path
from events.sanitize import html_to_text, sanitize_html
from networks.models import Network, Topic
from netzwerktimer.language import in_reader_language
from netzwerktimer.text import german_slug

# How long an event lasts; indexed (event_duration_idx), so the longest is one index step.
DURATION = models.F("ends_at") - models.F("starts_at")
RESULT_NOTE_LENGTH = 1000


class Region(models.TextChoices):
    """The districts and district-free cities of Thuringia, plus two pseudo-regions."""

    ERFURT = "erfurt", "Erfurt"
    GERA = "gera", "Gera"
    JENA = "jena", "Jena"
    SUHL = "suhl", "Suhl"
    WEIMAR = "weimar", "Weimar"
    ALTENBURGER_LAND = "altenburger-land", "Altenburger Land"
    EICHSFELD = "eichsfeld", "Eichsfeld"
    GOTHA = "gotha", "Gotha"
    GREIZ = "greiz", "Greiz"
    HILDBURGHAUSEN = "hildburghausen", "Hildburghausen"
    ILM_KREIS = "ilm-kreis", "Ilm-Kreis"
    KYFFHAEUSERKREIS = "kyffhaeuserkreis", "Kyffhäuserkreis"
    NORDHAUSEN = "nordhausen", "Nordhausen"
    SAALE_HOLZLAND_KREIS = "saale-holzland-kreis", "Saale-Holzland-Kreis"
    SAALE_ORLA_KREIS = "saale-orla-kreis", "Saale-Orla-Kreis"
    SAALFELD_RUDOLSTADT = "saalfeld-rudolstadt", "Saalfeld-Rudolstadt"
    SCHMALKALDEN_MEININGEN = "schmalkalden-meiningen", "Schmalkalden-Meiningen"
    SOEMMERDA = "soemmerda", "Sömmerda"
    SONNEBERG = "sonneberg", "Sonneberg"
    UNSTRUT_HAINICH_KREIS = "unstrut-hainich-kreis", "Unstrut-Hainich-Kreis"
    WARTBURGKREIS = "wartburgkreis", "Wartburgkreis"
    WEIMARER_LAND = "weimarer-land", "Weimarer Land"
    OUTSIDE = "ausserhalb", _("Outside Thuringia")
    ONLINE = "online", _("Online")

    @classmethod
    def for_format(cls, event_format, region=""):
        """An online event's region is "online" (the region filter finds it there); others keep theirs."""
        return cls.ONLINE if event_format == "online" else region


class EventType(models.Model):
    """Tagung, Online-Seminar, Workshop, Fachforum, …"""

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(
        _("English name"), max_length=100, blank=True, help_text=_("Shown in the English interface; empty: the name.")
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("event type")
        verbose_name_plural = _("event types")

    def __str__(self):
        return self.name

    @property
    def localized_name(self):
        """The name in the reader's language (feeds and the admin keep the German `name`)."""
        return in_reader_language(self.name, self.name_en)


class CrossClusterWeekQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class CrossClusterWeek(models.Model):
    """The joint themed week that the networks run every autumn.

    Weeks from before the portal have no events in it; the coordinator enters the figures the
    initiative published then (`published_*`, with where they were published). On the week
    page and in the week's report they win over the portal's counts (see
    events.selectors.week_totals for the rule).
    """

    class Qualifier(models.TextChoices):
        """How exact a published figure is: "über 500 Teilnehmende" is 500 with MORE_THAN."""

        EXACT = "", _("exactly")
        AT_LEAST = "at_least", _("at least")
        MORE_THAN = "more_than", _("more than")
        ABOUT = "about", _("about")

    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(
        _("English title"), max_length=200, blank=True, help_text=_("Shown in the English interface; empty: the title.")
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    motto = models.CharField(_("motto"), max_length=300, blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    description = models.TextField(_("description"), blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    published_events = models.PositiveIntegerField(
        _("events held (published figure)"),
        null=True,
        blank=True,
        help_text=_(
            "For weeks from before the portal: the number of events the initiative published. "
            "Leave empty to count the events listed in the portal."
        ),
    )
    published_participants = models.PositiveIntegerField(
        _("participants (published figure)"),
        null=True,
        blank=True,
        help_text=_("The published number of participants, for example 500 for “über 500 Teilnehmende”."),
    )
    published_participants_qualifier = models.CharField(
        _("precision of the participants figure"),
        max_length=10,
        choices=Qualifier.choices,
        default=Qualifier.EXACT,
        blank=True,
        help_text=_("Choose “more than” when the source says “über 500”, “about” for “rund 800”."),
    )
    published_networks = models.PositiveIntegerField(
        _("networks that took part (published figure)"),
        null=True,
        blank=True,
        help_text=_("Leave empty to count the networks of the events listed in the portal."),
    )
    figures_source = models.CharField(
        _("source of the figures"),
        max_length=300,
        blank=True,
        help_text=_("Where the figures were published, for example “Pressemitteilung der CCIT vom 28.09.2020”."),
    )

    objects = CrossClusterWeekQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("Cross-Cluster week")
        verbose_name_plural = _("Cross-Cluster weeks")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="week_ends_not_before_start"),
            models.CheckConstraint(
                condition=Q(published_participants__isnull=False) | Q(published_participants_qualifier=""),
                name="week_qualifier_needs_participants",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:week", kwargs={"slug": self.slug})

    @property
    def localized_name(self):
        """The title in the reader's language (feeds keep the German `title`)."""
        return in_reader_language(self.title, self.title_en)

    @property
    def has_published_figures(self):
        return any(
            value is not None for value in (self.published_events, self.published_participants, self.published_networks)
        )

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The last day cannot be before the first day.")
        if self.published_participants is None and self.published_participants_qualifier:
            errors["published_participants"] = _("Please enter the number that “%(qualifier)s” refers to.") % {
                "qualifier": self.get_published_participants_qualifier_display()
            }
        if errors:
            raise ValidationError(errors)


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(publication=Event.Publication.PUBLISHED)

    def drafts(self):
        return self.filter(publication=Event.Publication.DRAFT)

    def upcoming(self, now=None):
        """Events that have not ended yet (running ones included)."""
        return self.filter(ends_at__gte=now or timezone.now())

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now())

    def not_ended_before(self, moment):
        """Events with ends_at >= moment, in a form PostgreSQL can page through quickly.

        Listings sort by starts_at. Alone, `ends_at >= moment` makes PostgreSQL walk the
        (publication, starts_at) index from the oldest event and discard the whole archive.
        The added bound is exact, not a guess: an event that ends at or after `moment`
        started at most the longest duration of any event before it. That longest duration
        is one step down the duration index (event_duration_idx).
        """
        queryset = self.filter(ends_at__gte=moment)
        if connection.vendor != "postgresql":
            return queryset
        # Grouped by a constant: one aggregate row over the whole table, usable as a subquery.
        longest = (
            Event.objects.order_by().annotate(one=models.Value(1)).values("one").annotate(longest=models.Max(DURATION))
        )
        longest = models.Subquery(longest.values("longest"))
        earliest_start = models.ExpressionWrapper(models.Value(moment) - longest, output_field=models.DateTimeField())
        return queryset.filter(starts_at__gte=earliest_start)

    def organised_by(self, networks):
        """Events where any of the networks is the owner or a co-organiser.

        `pk IN (subquery)` is not correlated, so PostgreSQL hashes the co-organised ids
        once (hashed SubPlan) and checks each candidate row in constant time; an EXISTS
        beside the OR would run once per row.
        """
        co_organised_ids = Event.co_organisers.through.objects.filter(network__in=networks).values("event_id")
        return self.filter(Q(owner__in=networks) | Q(pk__in=co_organised_ids))


class Event(AccessibilityDetails):
    class Format(models.TextChoices):
        ONSITE = "onsite", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")
        POSTPONED = "postponed", _("Postponed")

    class Publication(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Language(models.TextChoices):
        GERMAN = "de", _("German")
        ENGLISH = "en", _("English")
        GERMAN_ENGLISH = "de-en", _("German and English")

    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        blank=True,
        help_text=_("Readable part of the address; the event's number keeps the address unique."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Simple HTML: paragraphs, lists, bold, italic and links."),
    )
    image = models.ForeignKey(
        "images.Image",
        verbose_name=_("image"),
        related_name="events",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        # Set through the image fields of the forms (images.forms), never chosen from a list.
        editable=False,
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    is_all_day = models.BooleanField(_("all day"), default=False, help_text=_("Whole days; times are ignored."))
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, default=Format.ONSITE)
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=30, choices=Region.choices, blank=True)
    online_url = models.URLField(_("online access link"), max_length=500, blank=True)
    registration_url = models.URLField(_("registration link"), max_length=500, blank=True)
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    is_free = models.BooleanField(_("free of charge"), default=True)
    fee_text = models.CharField(_("fee"), max_length=200, blank=True, help_text=_("For example: 49 € net"))
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default=Language.GERMAN)
    audience = models.CharField(_("audience"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    publication = models.CharField(
        _("publication"),
        max_length=10,
        choices=Publication.choices,
        default=Publication.DRAFT,
        help_text=_("Drafts are visible only to the managers of the event, never on the website or in calendars."),
    )
    status_reason = models.CharField(
        _("reason"),
        max_length=300,
        blank=True,
        help_text=_("Shown with a cancellation or postponement on the event page and in calendars."),
    )
    owner = models.ForeignKey(
        Network,
        verbose_name=_("organising network"),
        related_name="owned_events",
        on_delete=models.PROTECT,
        help_text=_("The network responsible for this event."),
    )
    co_organisers = models.ManyToManyField(
        Network,
        verbose_name=_("co-organisers"),
        related_name="co_organised_events",
        blank=True,
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), related_name="events", blank=True)
    event_type = models.ForeignKey(
        EventType,
        verbose_name=_("event type"),
        related_name="events",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    week = models.ForeignKey(
        CrossClusterWeek,
        verbose_name=_("Cross-Cluster week"),
        related_name="events",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    participants_count = models.PositiveIntegerField(
        _("participants"), null=True, blank=True, help_text=_("Entered after the event.")
    )
    result_note = models.TextField(
        _("result note"),
        blank=True,
        max_length=RESULT_NOTE_LENGTH,
        validators=[MaxLengthValidator(RESULT_NOTE_LENGTH)],
        help_text=_(
            "Entered after the event, at most 1,000 characters: what came out of it, for example "
            "“Drei gemeinsame Projektideen, Folgetreffen im März”. Shown on the event page and the "
            "week page once the event is over."
        ),
    )
    revision = models.PositiveIntegerField(
        _("revision"), default=0, editable=False, help_text=_("Rises on every change (iCal SEQUENCE).")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    search_text = models.TextField(editable=False, blank=True)

    # Origin: empty for events entered by hand.
    source = models.ForeignKey(
        "importer.FeedSource",
        verbose_name=_("imported from"),
        related_name="events",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
    )
    external_uid = models.CharField(_("external UID"), max_length=500, blank=True, editable=False)
    recurrence_id = models.CharField(_("recurrence id"), max_length=40, blank=True, editable=False)
    fingerprint = models.CharField(_("content fingerprint"), max_length=64, blank=True, editable=False)
    missing_count = models.PositiveSmallIntegerField(
        _("missing from feed"), default=0, editable=False, help_text=_("Consecutive imports without this event.")
    )
    locally_edited_fields = models.JSONField(
        _("fields edited by hand"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Imported fields a manager changed; later imports keep these values."),
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_not_before_start"),
            models.UniqueConstraint(
                fields=["source", "external_uid", "recurrence_id"],
                condition=Q(source__isnull=False),
                name="event_unique_origin_per_source",
            ),
            models.CheckConstraint(
                condition=Q(source__isnull=True) | ~Q(external_uid=""),
                name="event_imported_has_uid",
            ),
        ]
        indexes = [
            models.Index(fields=["publication", "starts_at"], name="event_pub_start_idx"),
            # Covers counts, feed stamps and the filters on plain columns over upcoming
            # events without reading the (wide) table rows: an index-only scan.
            models.Index(
                fields=["publication", "ends_at", "starts_at"],
                include=["id", "owner", "format", "region", "event_type", "is_free", "updated_at", "revision"],
                name="event_listing_idx",
            ),
            models.Index(DURATION, name="event_duration_idx"),
            models.Index(fields=["owner", "starts_at"], name="event_owner_start_idx"),
            models.Index(fields=["region", "starts_at"], name="event_region_start_idx"),
            models.Index(fields=["format", "starts_at"], name="event_format_start_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Kept wherever the event is written from: the derived fields and a SEQUENCE that rises on every change.
        update_fields = kwargs.get("update_fields")
        self.fill_derived_fields()
        if self.pk is not None and not self._state.adding:
            self.revision += 1
        if update_fields is not None:
            kwargs["update_fields"] = set(update_fields) | {"revision", "search_text", "description", "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return event_path(self.pk, self.slug)

    def fill_derived_fields(self):
        """The row's own invariants: safe HTML, a slug and the search text.

        save() calls it; code that writes with bulk_create (which skips save()) calls it itself.
        """
        self.description = sanitize_html(self.description)
        if not self.slug:
            self.slug = german_slug(self.title)
        self.search_text = self.build_search_text()

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def is_draft(self):
        return self.publication == self.Publication.DRAFT

    @property
    def first_day(self):
        return timezone.localtime(self.starts_at).date()

    @property
    def last_day(self):
        """The last local day the event touches; an end at midnight belongs to the day before.

        All-day events store their end exclusively, as iCal does: the midnight after the last day.
        """
        if self.ends_at <= self.starts_at:
            return self.first_day
        return timezone.localtime(self.ends_at - datetime.timedelta(microseconds=1)).date()

    @property
    def is_multi_day(self):
        return self.last_day > self.first_day

    @property
    def is_imported(self):
        return self.source_id is not None

    @property
    def organisers(self):
        """Owner first, then co-organisers (uses a prefetch when there is one)."""
        others = [n for n in self.co_organisers.all() if n.pk != self.owner_id]
        return [self.owner, *others]

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The end cannot be before the start.")
        if errors:
            raise ValidationError(errors)

    @property
    def has_place(self):
        return bool(self.venue_name or self.street or self.postcode or self.city)

    def publication_gaps(self):
        """What a reader would miss if the event went public now, in words (empty: complete).

        On site needs a place; online needs the access link or a registration link through which
        it is sent (the event page says so).
        """
        gaps = []
        if self.format != self.Format.ONLINE and not self.has_place:
            gaps.append(_("a place: venue or city (the event takes place on site)"))
        if self.format != self.Format.ONSITE and not (self.online_url or self.registration_url):
            gaps.append(_("an online access link, or a registration link through which it is sent"))
        return gaps

    def build_search_text(self):
        # Called by fill_derived_fields, right after the description was sanitised.
        parts = [self.title, html_to_text(self.description, is_clean=True), self.venue_name, self.city, self.audience]
        return "\n".join(p for p in parts if p)


def location_text(event):
    """The event's place as one line, as calendars show it (iCal LOCATION, "add to my calendar"):
    venue, street, postcode and city; online the access link; hybrid the place "und online:" the
    link. Reads the fields only, so the feeds' plain rows use it as the model does."""
    town = " ".join(part for part in (event.postcode, event.city) if part)
    place = ", ".join(part for part in (event.venue_name, event.street, town) if part)
    if event.format == Event.Format.ONLINE:
        return event.online_url or place or "online"
    if event.format == Event.Format.HYBRID and event.online_url:
        return f"{place} und online: {event.online_url}" if place else event.online_url
    return place


class CoOrganiserInvitation(models.Model):
    """The owner's managers invite a network as co-organiser; it becomes one only when its managers accept.

    Until then the event is not on the invited network's profile or in its feed, and its
    managers see only the invitation (title, date, owner), not the event.
    """

    event = models.ForeignKey(
        Event, verbose_name=_("event"), related_name="co_organiser_invitations", on_delete=models.CASCADE
    )
    network = models.ForeignKey(
        Network, verbose_name=_("invited network"), related_name="co_organiser_invitations", on_delete=models.CASCADE
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("co-organiser invitation")
        verbose_name_plural = _("co-organiser invitations")
        constraints = [models.UniqueConstraint(fields=["event", "network"], name="invitation_once_per_network")]

    def __str__(self):
        return f"{self.network} → {self.event}"
