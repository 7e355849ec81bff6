"""Writes on events that the admin (and later other callers) share."""

from django.db import transaction
from django.utils.translation import gettext as _

from events.models import Event

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


@transaction.atomic
def event_cancel(*, event, by=None):
    """Cancel an event; it stays visible (and in feeds) as cancelled."""
    if event.status == Event.Status.CANCELLED:
        return event
    event.status = Event.Status.CANCELLED
    changed = ["status"]
    if event.is_imported:
        event_record_local_edits(event=event, changed_fields=changed)
        changed.append("locally_edited_fields")
    event.save(update_fields=changed)
    return event


@transaction.atomic
def event_duplicate(*, event, by=None):
    """A draft copy of the event, without import origin and participants, for the next edition."""
    copy = Event.objects.get(pk=event.pk)
    topics = list(event.topics.all())
    co_organisers = list(event.co_organisers.all())
    copy.pk = None
    copy._state.adding = True
    copy.title = _("%(title)s (copy)") % {"title": event.title}
    copy.slug = ""
    copy.publication = Event.Publication.DRAFT
    copy.status = Event.Status.SCHEDULED
    copy.participants_count = None
    copy.revision = 0
    copy.source = None
    copy.external_uid = copy.recurrence_id = copy.fingerprint = ""
    copy.missing_count = 0
    copy.locally_edited_fields = []
    copy.full_clean()
    copy.save()
    copy.topics.set(topics)
    copy.co_organisers.set(co_organisers)
    return copy
