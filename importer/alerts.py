"""Feed alerts: a network's managers hear once when a source starts failing, is flagged for review or
recovers; the coordinators get a weekly list of the sources that need attention."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from importer.models import FeedAlertState, FeedSource
from networks.models import COORDINATOR_PERMISSION, mail_language
from netzwerktimer.links import absolute_url
from netzwerktimer.mail import templated_message

logger = logging.getLogger(__name__)

FAILURES_FOR_ALERT = 2


def _source_state(source):
    if source.needs_review:
        return FeedAlertState.State.REVIEW
    if source.consecutive_failures >= FAILURES_FOR_ALERT:
        return FeedAlertState.State.FAILING
    if source.consecutive_failures == 0:
        return FeedAlertState.State.OK
    return None  # one failure: nothing to tell yet, keep the last state


def _source_url(source):
    return absolute_url(reverse("admin:importer_feedsource_change", args=[source.pk]))


def feed_alert_message(*, user, source, state, language):
    with translation.override(language):
        subjects = {
            "failing": _("Feed “%(name)s” fails"),
            "review": _("Feed “%(name)s” needs your review"),
            "ok": _("Feed “%(name)s” works again"),
        }
        subject = subjects[state] % {"name": source.name}
        last_run = source.runs.order_by("-started_at").first()
        context = {
            "user": user,
            "source": source,
            "state": state,
            "reason": source.review_reason_text if state == "review" else (last_run.message_text if last_run else ""),
            "source_url": _source_url(source),
        }
    return templated_message(
        to=user.email, subject=subject, template="importer/mail/feed_alert", context=context, language=language
    )


def feed_alert_update(*, source):
    """Tell the network's managers once when a source starts failing, is flagged for review or recovers.

    Called after every import; mails only on a change of state. Returns the number of mails sent.
    A mail that cannot be sent is logged: it never breaks the import.
    """
    state = _source_state(source)
    if state is None:
        return 0
    # The usual case, a run that changes nothing, costs this one query; no row means "working".
    known = FeedAlertState.objects.filter(source=source).values_list("state", flat=True).first()
    if (known or FeedAlertState.State.OK) == state:
        return 0
    with transaction.atomic():
        alert, _created = FeedAlertState.objects.select_for_update().get_or_create(source=source)
        if alert.state == state:
            return 0
        alert.state = state
        alert.save(update_fields=["state", "changed_at"])
        managers = source.network.managers.filter(is_active=True).exclude(email="").select_related("manager_preference")
        messages = [
            feed_alert_message(user=user, source=source, state=state, language=mail_language(user)) for user in managers
        ]
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:
        logger.exception("feed alert for source %s could not be sent", source.pk)
        return 0


def feed_alert_update_safely(*, source):
    """The import's hook: an alert must never make an import fail."""
    try:
        return feed_alert_update(source=source)
    except Exception:
        logger.exception("feed alert for source %s failed", source.pk)
        return 0


def sources_failing():
    """Active sources whose last import failed or that wait for a review (the coordinators' summary)."""
    return list(
        FeedSource.objects.active()
        .select_related("network")
        .filter(Q(consecutive_failures__gt=0) | Q(needs_review=True))
        .order_by("network__short_name", "name")
    )


def coordinator_summary_message(*, to, sources, language="de"):
    with translation.override(language):
        subject = ngettext(
            "Weekly summary: %(count)d feed source needs attention",
            "Weekly summary: %(count)d feed sources need attention",
            len(sources),
        ) % {"count": len(sources)}
        rows = [
            (source, source.review_reason_text if source.needs_review else "", _source_url(source))
            for source in sources
        ]
    return templated_message(
        to=to, subject=subject, template="importer/mail/coordinator_summary", context={"rows": rows}, language=language
    )


def coordinator_summary_send():
    """The weekly list of failing sources to every coordinator; no mail when none fails."""
    sources = sources_failing()
    if not sources:
        return 0
    app_label, codename = COORDINATOR_PERMISSION.split(".")
    permissions = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__permissions__in=permissions) | Q(user_permissions__in=permissions))
        .exclude(email="")
        .select_related("manager_preference")
        .distinct()
    )
    recipients = {user.email: mail_language(user) for user in users}
    for address in settings.OUTREACH_COORDINATOR_EMAILS:
        recipients.setdefault(address, settings.LANGUAGE_CODE)
    messages = [
        coordinator_summary_message(to=address, sources=sources, language=language)
        for address, language in sorted(recipients.items())
    ]
    return get_connection().send_messages(messages) or 0
