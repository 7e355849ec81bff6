"""What outreach keeps: e-mail subscriptions of a filter, and what they were sent.

A subscription stores only the address, the filter, a random token (for the confirm and
unsubscribe links), when it was requested (to purge unconfirmed ones), confirmed and last sent.
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Event


def new_token():
    return secrets.token_urlsafe(32)


class DigestSubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)


class DigestSubscription(models.Model):
    """The weekly e-mail of one filter to one address (double opt-in)."""

    email = models.EmailField(_("e-mail address"))
    filter_query = models.CharField(_("filter"), max_length=2000, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)

    objects = DigestSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("e-mail subscription")
        verbose_name_plural = _("e-mail subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["email", "filter_query"], name="digest_unique_email_filter"),
        ]
        indexes = [models.Index(fields=["filter_query"], name="digest_filter_idx")]

    def __str__(self):
        return f"{self.email} · {self.filter_query or '–'}"


class DigestSentEvent(models.Model):
    """An event that was in a subscription's mail, as it was sent: later changes are reported once."""

    subscription = models.ForeignKey(DigestSubscription, related_name="sent_events", on_delete=models.CASCADE)
    event = models.ForeignKey(Event, related_name="+", on_delete=models.CASCADE)
    starts_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Event.Status.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event"], name="digest_sent_unique_event"),
        ]

    def __str__(self):
        return f"{self.subscription_id} · {self.event_id}"
