"""The e-mails of the call for sessions: one per decision to the proposing network's managers."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from campaigns.models import SessionCall, SessionProposal
from networks.models import Network, mail_language

logger = logging.getLogger(__name__)

SUBJECTS = {
    "accepted": lambda title: _("Your session “%(title)s” is in the programme") % {"title": title},
    "declined": lambda title: _("Your session “%(title)s” is not in the programme") % {"title": title},
    "moved": lambda title: _("Your session “%(title)s” has a new time") % {"title": title},
}


def manager_addresses(network):
    return sorted({user.email for user in network.managers.filter(is_active=True).exclude(email="")})


def decision_message(*, proposal, kind, to):
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "proposal": proposal,
            "kind": kind,
            "week": proposal.call.week,
            "proposal_url": settings.SITE_URL + reverse("admin:campaigns_sessionproposal_change", args=[proposal.pk]),
            "event_url": settings.SITE_URL + reverse("admin:events_event_change", args=[proposal.event_id])
            if proposal.event_id
            else "",
        }
        subject = SUBJECTS[kind](proposal.title)
        body = render_to_string("campaigns/mail/decision.txt", context)
    return EmailMessage(subject=" ".join(subject.split()), body=body, from_email=None, to=to)


def call_opened_messages_send(*, call_id):
    """Tell every manager of an active network that a call is open: one mail each, in their language."""
    call = SessionCall.objects.select_related("week").filter(pk=call_id).first()
    if call is None:
        return 0
    managers = (
        get_user_model()
        .objects.filter(managed_networks__is_active=True, is_active=True)
        .exclude(email="")
        .select_related("manager_preference")
        .distinct()
        .order_by("email")
    )
    propose_url = settings.SITE_URL + reverse("admin:campaigns_sessionproposal_add") + f"?call={call.pk}"
    messages = []
    for user in managers:
        with translation.override(mail_language(user)):
            deadline = formats.date_format(timezone.localtime(call.deadline), "DATETIME_FORMAT")
            subject = _("Call for sessions: %(week)s") % {"week": call.week.localized_name}
            body = render_to_string(
                "campaigns/mail/call_opened.txt",
                {
                    "call": call,
                    "week": call.week,
                    "deadline": deadline,
                    "propose_url": propose_url,
                    "start_url": settings.SITE_URL + reverse("admin:index"),
                },
            )
        messages.append(EmailMessage(subject=" ".join(subject.split()), body=body, from_email=None, to=[user.email]))
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:
        logger.exception("call opened mail for call %s could not be sent", call_id)
        return 0


def co_host_request_messages_send(*, proposal_id, network_ids):
    """Ask the managers of the newly asked networks to confirm co-hosting."""
    proposal = SessionProposal.objects.select_related("call__week", "network").filter(pk=proposal_id).first()
    if proposal is None:
        return 0
    messages = []
    for network in Network.objects.filter(pk__in=network_ids).alphabetical():
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("%(network)s asks you to co-host “%(title)s”") % {
                "network": proposal.network,
                "title": proposal.title,
            }
            body = render_to_string(
                "campaigns/mail/co_host_request.txt",
                {
                    "proposal": proposal,
                    "guest": network,
                    "week": proposal.call.week,
                    "proposal_url": settings.SITE_URL
                    + reverse("admin:campaigns_sessionproposal_change", args=[proposal.pk]),
                },
            )
        messages += [
            EmailMessage(subject=" ".join(subject.split()), body=body, from_email=None, to=[address])
            for address in manager_addresses(network)
        ]
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:
        logger.exception("co-host request for proposal %s could not be sent", proposal_id)
        return 0


def decision_messages_send(*, proposal_id, kind):
    """Tell the managers of the proposing network; a mail that cannot be sent is logged, the decision stays."""
    proposal = (
        SessionProposal.objects.select_related("call__week", "network", "event_type").filter(pk=proposal_id).first()
    )
    if proposal is None:
        return 0
    addresses = manager_addresses(proposal.network)
    if not addresses:
        return 0
    messages = [decision_message(proposal=proposal, kind=kind, to=[address]) for address in addresses]
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:
        logger.exception("decision mail for proposal %s could not be sent", proposal_id)
        return 0
