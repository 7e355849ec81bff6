"""The everyday actions on an event in the admin, each a page with a confirmation.

Cancel (with an optional reason), take a cancellation back, postpone (with or without
the new date) and "use as template for a new date". The views are thin: they check the
permission through the event admin, validate a form and call one service.
"""

import functools

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.sites import NotRegistered
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.forms import CancelForm, DuplicateForm, PostponeForm, PublishForm
from events.models import Event
from events.paths import event_preview_path
from events.services import (
    event_cancel,
    event_duplicate,
    event_leave,
    event_postpone,
    event_publish,
    event_reinstate,
)
from networks.permissions import networks_for_new_copy, networks_for_user, user_may_manage_event, user_owns_event
from netzwerktimer.dates import event_when

# The name of the "Veröffentlichen" button in the event form.
PUBLISH = "_publish"


def event_action_urls(model_admin):
    def wrap(view):
        return model_admin.admin_site.admin_view(functools.partial(view, model_admin))

    return [
        path("<path:object_id>/veroeffentlichen/", wrap(publish_view), name="events_event_publish"),
        path("<path:object_id>/absagen/", wrap(cancel_view), name="events_event_cancel"),
        path("<path:object_id>/wiederherstellen/", wrap(reinstate_view), name="events_event_reinstate"),
        path("<path:object_id>/verschieben/", wrap(postpone_view), name="events_event_postpone"),
        path("<path:object_id>/vorlage/", wrap(duplicate_view), name="events_event_duplicate"),
        path("<path:object_id>/austreten/", wrap(leave_view), name="events_event_leave"),
    ]


def _event_for_change(model_admin, request, object_id):
    event = model_admin.get_object(request, object_id)  # 404 outside the user's networks
    if not model_admin.has_change_permission(request, event):
        raise PermissionDenied
    return event


def _event_for_owner(model_admin, request, object_id):
    """Publishing, cancelling, postponing and reinstating are the owner's decisions (and the
    coordinator's): a co-organiser edits the content and may leave, nothing more."""
    event = _event_for_change(model_admin, request, object_id)
    if not user_owns_event(request.user, event):
        raise PermissionDenied
    return event


def _change_url(event):
    return reverse("admin:events_event_change", args=[event.pk])


def _render(model_admin, request, event, *, form, title, submit_label, intro, danger=False, gaps=(), next_url=None):
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Event._meta,
        "original": event,
        "event": event,
        "form": form,
        "title": title,
        "intro": intro,
        "submit_label": submit_label,
        "danger": danger,
        "gaps": gaps,
        "next_url": next_url,
        "change_url": _change_url(event),
        "event_when_text": event_when(event),
        "media": model_admin.media + form.media,
    }
    return TemplateResponse(request, "admin/events/event/action_form.html", context)


def publish_view(model_admin, request, object_id):
    """Publish a draft: at once when it is complete, otherwise after the manager has read what is
    missing and confirmed."""
    event = _event_for_owner(model_admin, request, object_id)
    if not event.is_draft:
        return HttpResponseRedirect(_change_url(event))
    gaps = event.publication_gaps()
    next_url = request.POST.get("next") or request.GET.get("next")
    next_url = next_url if _is_admin_path(next_url) else None
    form = PublishForm(request.POST if request.method == "POST" else None, gaps=gaps)
    if request.method == "POST" and form.is_valid():
        try:
            event_publish(event=event, despite_gaps=form.cleaned_data.get("despite_gaps", False))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            model_admin.message_user(
                request,
                _("Published: “%(title)s” is now on the website and in subscribed calendars.") % {"title": event.title},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(next_url or _change_url(event))
    if gaps:
        intro = _("Readers would miss something: the event page would show it without these details.")
    else:
        intro = _("The event goes on the website, into the feeds and into every subscribed calendar.")
    return _render(
        model_admin,
        request,
        event,
        form=form,
        title=_("Publish event"),
        submit_label=_("Publish anyway") if gaps else _("Publish"),
        intro=intro,
        gaps=gaps,
        next_url=next_url,
    )


def _is_admin_path(url):
    return bool(url) and url.startswith("/admin/") and "//" not in url


def cancel_view(model_admin, request, object_id):
    event = _event_for_owner(model_admin, request, object_id)
    form = CancelForm(request.POST or None, initial={"reason": event.status_reason})
    if request.method == "POST" and form.is_valid():
        event_cancel(event=event, reason=form.cleaned_data["reason"])
        model_admin.message_user(
            request,
            _("“%(title)s” is cancelled. It stays visible as cancelled on the website and in calendars.")
            % {"title": event.title},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(_change_url(event))
    return _render(
        model_admin,
        request,
        event,
        form=form,
        title=_("Cancel event"),
        submit_label=_("Yes, cancel the event"),
        intro=_(
            "The event stays on the website and in subscribed calendars, marked as cancelled, so that "
            "nobody comes in vain. You can take the cancellation back later."
        ),
        danger=True,
    )


def reinstate_view(model_admin, request, object_id):
    event = _event_for_owner(model_admin, request, object_id)
    if event.status == Event.Status.SCHEDULED:
        return HttpResponseRedirect(_change_url(event))
    form = forms.Form(request.POST or None)
    if request.method == "POST":
        event_reinstate(event=event)
        model_admin.message_user(
            request, _("“%(title)s” takes place again as planned.") % {"title": event.title}, messages.SUCCESS
        )
        return HttpResponseRedirect(_change_url(event))
    return _render(
        model_admin,
        request,
        event,
        form=form,
        title=_("Take the cancellation back"),
        submit_label=_("Yes, the event takes place"),
        intro=_("The event is shown as planned again, on the website and in subscribed calendars."),
    )


def postpone_view(model_admin, request, object_id):
    event = _event_for_owner(model_admin, request, object_id)
    form = PostponeForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        event_postpone(
            event=event,
            starts_at=data["starts_at"],
            ends_at=data.get("ends_at"),
            reason=data["reason"],
        )
        if data["starts_at"]:
            text = _("“%(title)s” has moved. Subscribed calendars show the new date.")
        else:
            text = _("“%(title)s” is marked as postponed until the new date is known.")
        model_admin.message_user(request, text % {"title": event.title}, messages.SUCCESS)
        return HttpResponseRedirect(_change_url(event))
    return _render(
        model_admin,
        request,
        event,
        form=form,
        title=_("Postpone event"),
        submit_label=_("Postpone"),
        intro=_(
            "With a new date the event moves: its page, its address and its entry in subscribed calendars "
            "stay the same and show the new time."
        ),
    )


def duplicate_view(model_admin, request, object_id):
    event = _event_for_change(model_admin, request, object_id)
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = DuplicateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        copy = event_duplicate(
            event=event,
            starts_on=form.cleaned_data["starts_on"],
            owner=networks_for_new_copy(request.user, event),
            by=request.user,
        )
        model_admin.message_user(
            request,
            _("New draft created from “%(title)s”. Check it and publish it when it is ready.") % {"title": event.title},
            messages.SUCCESS,
        )
        if copy.invited:
            model_admin.message_user(
                request,
                _("Invitation sent to %(networks)s: they appear as co-organisers once their managers accept.")
                % {"networks": ", ".join(n.short_name for n in copy.invited)},
                messages.INFO,
            )
        return HttpResponseRedirect(_change_url(copy))
    return _render(
        model_admin,
        request,
        event,
        form=form,
        title=_("Use as template for a new date"),
        submit_label=_("Create draft"),
        intro=_("A copy of this event on another date, as a draft: nothing is public until you publish it."),
    )


def leave_view(model_admin, request, object_id):
    """A co-organising network steps back from an event (the owner's managers cannot: they own it)."""
    event = _event_for_change(model_admin, request, object_id)
    if user_owns_event(request.user, event):
        raise PermissionDenied
    leaving = list(networks_for_user(request.user).filter(pk__in=event.co_organisers.values("pk")))
    form = forms.Form(request.POST or None)
    if request.method == "POST":
        event_leave(event=event, networks=leaving)
        model_admin.message_user(
            request,
            _("%(networks)s no longer co-organise “%(title)s”.")
            % {"networks": ", ".join(n.short_name for n in leaving), "title": event.title},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:events_event_changelist"))
    return _render(
        model_admin,
        request,
        event,
        form=form,
        title=_("Leave as co-organiser"),
        submit_label=_("Yes, leave the event"),
        intro=_(
            "The event stays with %(owner)s. It leaves your network's profile and feed, and you can no longer edit it."
        )
        % {"owner": event.owner},
        danger=True,
    )


def cancel_selected(model_admin, request, queryset):
    """The "cancel" list action: a confirmation page with an optional reason, then the cancellation."""
    events = [event for event in queryset if event.status != Event.Status.CANCELLED]
    form = CancelForm(request.POST if "confirm" in request.POST else None)
    if "confirm" in request.POST and form.is_valid():
        for event in events:
            event_cancel(event=event, reason=form.cleaned_data["reason"])
        model_admin.message_user(
            request,
            ngettext("%(count)d event cancelled.", "%(count)d events cancelled.", len(events)) % {"count": len(events)},
            messages.SUCCESS,
        )
        return None
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Event._meta,
        "title": _("Cancel events"),
        "events": events,
        "form": form,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "media": model_admin.media,
    }
    return TemplateResponse(request, "admin/events/event/cancel_selected.html", context)


def view_on_site(request, content_type_id, object_id):
    """The admin's "r/" shortcut, which redirects any staff user to any object's page: for
    events only to those the user may manage (a draft to its preview), others 404."""
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    if content_type.model_class() is not Event:
        if not _may_open_in_admin(request, content_type, object_id):
            raise Http404("No such object")  # the same answer as for an id that does not exist
        return contenttype_views.shortcut(request, content_type_id, object_id)
    event = Event.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
    if event is None or not user_may_manage_event(request.user, event):
        raise Http404("No such event")
    return HttpResponseRedirect(event_preview_path(event) if event.is_draft else event.get_absolute_url())


def _may_open_in_admin(request, content_type, object_id):
    """Whether the user may follow "r/" to this object: a page in the admin (a series, a hold) only
    when the user may change the object there, a public page when the admin lets them see it. So
    another network's series or hold answers as if it did not exist."""
    model = content_type.model_class()
    try:
        model_admin = admin.site.get_model_admin(model)
        obj = content_type.get_object_for_this_type(pk=object_id)
    except (NotRegistered, ObjectDoesNotExist, ValidationError, ValueError, TypeError):
        return False
    get_url = getattr(obj, "get_absolute_url", None)
    if get_url is not None and get_url().startswith(reverse("admin:index")):
        return model_admin.has_change_permission(request, obj)
    return model_admin.has_view_permission(request, obj)
