"""Writes on events that the admin (and later other callers) share."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import CoOrganiserInvitation, Event
from images.services import image_discard_if_unused
from networks.models import user_is_coordinator
from netzwerktimer.dates import moved_to_day

# The fields an import writes; a manager's edit of one of them is kept on later imports
# (the importer leaves every field listed in Event.locally_edited_fields alone).
IMPORTED_FIELDS = (
    "title",
    "description",
    "starts_at",
    "ends_at",
    "is_all_day",
    "status",
    "format",
    "venue_name",
    "street",
    "postcode",
    "city",
    "region",
    "online_url",
    "registration_url",
)


def event_record_local_edits(*, event, changed_fields):
    """Remember which imported fields a manager changed by hand (no-op for hand-entered events)."""
    if not event.is_imported:
        return
    edited = set(event.locally_edited_fields) | {f for f in changed_fields if f in IMPORTED_FIELDS}
    event.locally_edited_fields = sorted(edited)


def event_revisions_raise(*, events):
    """Raise the revision (iCal SEQUENCE) and the change time of events changed without Event.save().

    events: a queryset. For the writes that change what an event shows past save(), its topics
    or its picture by a bulk update: the kept feed blocks (feeds.EventBlock) and the feed's
    stamp follow the revision, so without this they would keep the old output.
    """
    return events.update(revision=F("revision") + 1, updated_at=timezone.now())


def _save_changes(event, changed):
    """Save the changed fields; for an imported event they are kept on later imports."""
    if event.is_imported:
        event_record_local_edits(event=event, changed_fields=changed)
        changed = [*changed, "locally_edited_fields"]
    event.save(update_fields=changed)
    return event


def event_save(*, event, changed_fields=(), publish=False):
    """The event form's save: "Speichern" keeps a draft a draft; with publish ("Veröffentlichen")
    a complete draft goes public in the same write (one that lacks something stays a draft, and
    the publish page lists what is missing). One write, so the SEQUENCE rises once."""
    if changed_fields:
        event_record_local_edits(event=event, changed_fields=changed_fields)
    if publish and event.is_draft and not event.publication_gaps():
        event.publication = Event.Publication.PUBLISHED
    event.save()
    return event


@transaction.atomic
def event_publish(*, event, despite_gaps=False):
    """Make a draft public: on the website, in the feeds and in every subscribed calendar.

    A draft that lacks what readers need (Event.publication_gaps: a place, an access link) is
    refused with the list, unless the manager has seen the list and confirmed (despite_gaps).
    """
    if event.publication == Event.Publication.PUBLISHED:
        return event
    gaps = event.publication_gaps()
    if gaps and not despite_gaps:
        raise ValidationError([_("Still missing: %(gap)s.") % {"gap": gap} for gap in gaps], code="incomplete")
    event.publication = Event.Publication.PUBLISHED
    event.full_clean()
    event.save(update_fields=["publication"])
    return event


@transaction.atomic
def event_cancel(*, event, reason=""):
    """Cancel an event; it stays visible (and in feeds) as cancelled, with the reason if one is given."""
    if event.status == Event.Status.CANCELLED and event.status_reason == reason:
        return event
    event.status = Event.Status.CANCELLED
    event.status_reason = reason
    return _save_changes(event, ["status", "status_reason"])


@transaction.atomic
def event_reinstate(*, event):
    """Take a cancellation or postponement back: the event takes place as planned."""
    if event.status == Event.Status.SCHEDULED:
        return event
    event.status = Event.Status.SCHEDULED
    event.status_reason = ""
    return _save_changes(event, ["status", "status_reason"])


@transaction.atomic
def event_postpone(*, event, starts_at=None, ends_at=None, reason=""):
    """Postpone an event.

    With a new start the same event moves (its duration kept unless a new end is given):
    subscribers see the new time, because the iCal SEQUENCE rises. Without one it is
    marked postponed until the new date is known.
    """
    if starts_at is None:
        event.status = Event.Status.POSTPONED
        event.status_reason = reason
        return _save_changes(event, ["status", "status_reason"])
    if ends_at is None:
        ends_at = starts_at + (event.ends_at - event.starts_at)
    event.starts_at, event.ends_at = starts_at, ends_at
    event.status = Event.Status.SCHEDULED
    event.status_reason = reason
    event.full_clean()
    return _save_changes(event, ["starts_at", "ends_at", "status", "status_reason"])


@transaction.atomic
def event_duplicate(*, event, starts_on=None, owner=None, by=None):
    """A draft copy of the event, without import origin and participants, for the next edition.

    starts_on: the new first day; the copy keeps the local times and the length.
    owner: the network that owns the copy (default: the event's owner), the copier's own.
    The event's other organisers are not put on the copy: they are invited, as when a manager
    adds co-organisers by hand, and appear only once their managers accept. A copy of a
    Cross-Cluster week session is in no week unless the coordinator makes it.
    Returns the copy; `copy.invited` lists the networks that were invited.
    """
    copy = Event.objects.get(pk=event.pk)
    topics = list(event.topics.all())
    owner = owner or event.owner
    organisers = [event.owner, *event.co_organisers.all()]
    copy.owner = owner
    copy.pk = None
    copy._state.adding = True
    if starts_on is None:
        copy.title = _("%(title)s (copy)") % {"title": event.title}
    else:
        days = starts_on - timezone.localtime(event.starts_at).date()
        copy.starts_at = moved_to_day(event.starts_at, starts_on)
        copy.ends_at = moved_to_day(event.ends_at, timezone.localtime(event.ends_at).date() + days)
    copy.slug = ""
    copy.publication = Event.Publication.DRAFT
    copy.status = Event.Status.SCHEDULED
    copy.status_reason = ""
    copy.participants_count = None
    copy.result_note = ""
    copy.revision = 0
    copy.source = None
    copy.external_uid = copy.recurrence_id = copy.fingerprint = ""
    copy.missing_count = 0
    copy.locally_edited_fields = []
    coordinator = user_is_coordinator(by) if by is not None else False
    if not coordinator:
        copy.week = None
    copy.full_clean()
    copy.save()
    copy.topics.set(topics)
    copy.invited = event_set_co_organisers(event=copy, networks=organisers, by=by, invite=not coordinator)
    return copy


@transaction.atomic
def event_set_co_organisers(*, event, networks, by, invite):
    """Make `networks` the event's co-organisers: removals take effect at once; additions
    become invitations (invite=True) or take effect at once (a coordinator's choice).

    Returns the networks that were invited.
    """
    wanted = {n for n in networks if n.pk != event.owner_id}
    current = set(event.co_organisers.all())
    removed = current - wanted
    if removed:
        event.co_organisers.remove(*removed)
        CoOrganiserInvitation.objects.filter(event=event, network__in=removed).delete()
    added = wanted - current
    if not invite:
        event.co_organisers.add(*added)
        return []
    invited = []
    for network in sorted(added, key=lambda n: n.short_name.lower()):
        _invitation, created = CoOrganiserInvitation.objects.get_or_create(
            event=event, network=network, defaults={"invited_by": by}
        )
        if created:
            invited.append(network)
    return invited


@transaction.atomic
def invitation_accept(*, invitation):
    """The invited network becomes co-organiser: the event joins its profile and its feed."""
    event = invitation.event
    event.co_organisers.add(invitation.network)
    invitation.delete()
    event.save(update_fields=["updated_at"])  # the network's feeds see a change
    return event


@transaction.atomic
def invitation_decline(*, invitation):
    invitation.delete()


@transaction.atomic
def event_leave(*, event, networks):
    """Co-organising networks step back from an event; the owner stays responsible for it."""
    leaving = [n for n in networks if n.pk != event.owner_id]
    event.co_organisers.remove(*leaving)
    event.save(update_fields=["updated_at"])
    return leaving


def events_delete(*, queryset):
    """Delete the events, and with them the pictures that nothing else shows any more (a copy of an
    event shares its picture; a series or a proposal may too): no orphaned image rows or files."""
    with transaction.atomic():
        images = list({event.image for event in queryset.select_related("image") if event.image_id})
        count, _by_model = queryset.delete()
        for image in images:
            image_discard_if_unused(image=image)
    return count
