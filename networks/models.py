from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from netzwerktimer.text import confusable_skeleton


class Topic(models.Model):
    """A Themenfeld such as "Künstliche Intelligenz" or "Medizintechnik"."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(
        _("English name"), max_length=100, blank=True, help_text=_("Shown in the English interface; empty: the name.")
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name

    @property
    def localized_name(self):
        """The name in the reader's language (feeds and the admin keep the German `name`)."""
        if self.name_en and (get_language() or "de").startswith("en"):
            return self.name_en
        return self.name


class NetworkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def alphabetical(self):
        """By short name as a reader expects ("at" beside "BioInstrumente"), whatever the database's collation."""
        return self.order_by(Lower("short_name"))

    def managed_by(self, user):
        """The networks a user may act for: all for a coordinator."""
        if user_is_coordinator(user):
            return self.all()
        return self.filter(managers=user)


class Network(models.Model):
    class Kind(models.TextChoices):
        CLUSTER = "cluster", _("Cluster")
        NETWORK = "network", _("Network")
        COMPETENCE_CENTRE = "competence_centre", _("Competence centre")
        INSTITUTION = "institution", _("Institution")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NETWORK)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    is_ccit_member = models.BooleanField(_("member of the Cross-Cluster-Initiative"), default=False)
    ccit_member_since = models.DateField(_("member since"), null=True, blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), related_name="networks", blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("managers"),
        related_name="managed_networks",
        blank=True,
        help_text=_("Staff users who maintain this network's events and feeds."),
    )

    objects = NetworkQuerySet.as_manager()

    class Meta:
        # By short name as a reader expects ("at" beside "BioInstrumente"), whatever the collation.
        ordering = ["-is_ccit_member", Lower("short_name")]
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        permissions = [("coordinate", _("Can coordinate all networks"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ccit_member_since__isnull=True) | models.Q(is_ccit_member=True),
                name="network_member_since_only_for_members",
            ),
            # No network can take another's name or short name, not even in other letter case.
            models.UniqueConstraint(
                Lower("short_name"),
                name="network_short_name_unique_ci",
                violation_error_message=_("Another network already has this short name."),
            ),
            models.UniqueConstraint(
                Lower("name"),
                name="network_name_unique_ci",
                violation_error_message=_("Another network already has this name."),
            ),
        ]

    def __str__(self):
        return self.short_name

    def get_absolute_url(self):
        return reverse("networks:detail", kwargs={"slug": self.slug})

    def clean(self):
        """No name or short name that can be mistaken for another network's (confusable_skeleton)."""
        super().clean()
        errors = {}
        others = Network.objects.exclude(pk=self.pk) if self.pk else Network.objects.all()
        taken = {}
        for other in others.only("name", "short_name"):
            for value in (other.name, other.short_name):
                taken.setdefault(confusable_skeleton(value), (other, value))
        for field in ("name", "short_name"):
            value = getattr(self, field) or ""
            skeleton = confusable_skeleton(value)
            if not skeleton or skeleton not in taken:
                continue
            other, other_value = taken[skeleton]
            same_field_value = getattr(other, field)
            if other_value == same_field_value and other_value.lower() == value.lower():
                continue  # the same text: the case-insensitive unique constraint says so
            errors[field] = ValidationError(
                _(
                    "“%(value)s” can be mistaken for “%(other)s”, the name of another network. "
                    "Please choose a name that looks different."
                ),
                code="confusable",
                params={"value": value, "other": other_value},
            )
        if errors:
            raise ValidationError(errors)


class ManagerInvitation(models.Model):
    """Who invited whom to manage which networks: the coordinator's record of the onboarding."""

    email = models.EmailField(_("e-mail address"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invitee"),
        related_name="manager_invitations",
        on_delete=models.CASCADE,
    )
    networks = models.ManyToManyField(Network, verbose_name=_("networks"), related_name="manager_invitations")
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
        verbose_name = _("manager invitation")
        verbose_name_plural = _("manager invitations")

    def __str__(self):
        return self.email


class ManagerPreference(models.Model):
    """The language a manager reads the portal's e-mails in (German unless chosen otherwise)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, related_name="manager_preference", on_delete=models.CASCADE)
    language = models.CharField(_("language of e-mails"), max_length=5, choices=settings.LANGUAGES, default="de")

    class Meta:
        verbose_name = _("e-mail language")
        verbose_name_plural = _("e-mail languages")

    def __str__(self):
        return f"{self.user} · {self.language}"


def mail_language(user):
    """The language of e-mails to `user`: the one chosen, else the site's.

    select_related("manager_preference") on the users saves a query per user.
    """
    preference = getattr(user, "manager_preference", None)
    return preference.language if preference is not None else settings.LANGUAGE_CODE


COORDINATOR_PERMISSION = "networks.coordinate"


def user_is_coordinator(user):
    """Coordinators see and edit everything; managers only their networks."""
    return bool(user and user.is_active and user.has_perm(COORDINATOR_PERMISSION))
