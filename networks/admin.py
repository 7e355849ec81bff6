from django.apps import apps
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from networks.forms import ManagerInviteForm
from networks.models import ManagerInvitation, ManagerPreference, Network, Topic, user_is_coordinator
from networks.permissions import (
    networks_for_user,
    sole_network_of,
    user_manages_any_network,
    user_may_manage_network,
)
from networks.services import manager_invite
from netzwerktimer.admin_fields import LabelledSplitDateTimeField


class WritesNothingMixin:
    """Nobody adds, changes or deletes here (records, invitations answered by actions, entries in
    the app list that open a page of their own)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ViewOnlyAdmin(WritesNothingMixin, admin.ModelAdmin):
    """Some people look; `may_look` says who."""

    def may_look(self, user):
        raise NotImplementedError

    def has_module_permission(self, request):
        return self.may_look(request.user)

    def has_view_permission(self, request, obj=None):
        return self.may_look(request.user)


class ManagersViewOnlyAdmin(ViewOnlyAdmin):
    """Managers and the coordinator look."""

    def may_look(self, user):
        return user_manages_any_network(user)


class NetworkScopedAdmin(admin.ModelAdmin):
    """Objects that belong to a network: its managers see and change them, the coordinator all
    (the rules in networks.permissions).

    `network_field` is the lookup path to the owning network ("owner", "source__network"); the
    form's field of that name offers only the user's own networks, the sole one preselected.
    """

    network_field = "network"

    def object_network(self, obj):
        for name in self.network_field.split("__"):
            obj = getattr(obj, name)
        return obj

    def scoped(self, queryset, networks):
        """The objects of these networks (what a manager sees in the list)."""
        return queryset.filter(**{f"{self.network_field}__in": networks})

    def may_manage(self, user, obj):
        return user_may_manage_network(user, self.object_network(obj))

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if user_is_coordinator(request.user):
            return queryset
        return self.scoped(queryset, networks_for_user(request.user))

    def _may_act(self, request, obj):
        if obj is None:
            return user_manages_any_network(request.user)
        return self.may_manage(request.user, obj)

    def has_module_permission(self, request):
        return user_manages_any_network(request.user)

    def has_view_permission(self, request, obj=None):
        return self._may_act(request, obj)

    def has_add_permission(self, request):
        return user_manages_any_network(request.user)

    def has_change_permission(self, request, obj=None):
        return self._may_act(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_act(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == self.network_field:
            kwargs["queryset"] = networks_for_user(request.user).alphabetical()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        sole = sole_network_of(request.user)
        if sole is not None:
            initial.setdefault(self.network_field, sole.pk)
        return initial


class CoordinatorEditsManagersViewAdmin(ManagersViewOnlyAdmin):
    """Reference data: coordinators edit it, managers may look it up (and pick it in forms)."""

    class Media:
        # Slugs typed from a German name keep its umlauts as ae/oe/ue/ss. Listing urlify.js
        # first makes the merged media load the wrapper after the function it wraps.
        js = ["admin/js/urlify.js", "js/admin-slug.js"]

    def has_add_permission(self, request):
        return user_is_coordinator(request.user)

    def has_change_permission(self, request, obj=None):
        return user_is_coordinator(request.user)

    def has_delete_permission(self, request, obj=None):
        return user_is_coordinator(request.user)


@admin.register(Topic)
class TopicAdmin(CoordinatorEditsManagersViewAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Network)
class NetworkAdmin(CoordinatorEditsManagersViewAdmin):
    """Managers edit their own network's profile; membership, managers and slug stay with the coordinator."""

    list_display = ["short_name", "name", "kind", "is_ccit_member", "ccit_member_since", "is_active"]
    list_filter = ["is_ccit_member", "kind", "is_active", "topics"]
    search_fields = ["short_name", "name"]
    prepopulated_fields = {"slug": ["short_name"]}
    filter_horizontal = ["topics", "managers"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind", "website", "description", "logo", "topics"]}),
        (_("Contact"), {"fields": ["contact_name", "contact_email", "contact_phone"]}),
        (_("Cross-Cluster-Initiative"), {"fields": ["is_ccit_member", "ccit_member_since", "is_active"]}),
        (_("Managers"), {"fields": ["managers"]}),
    ]
    COORDINATOR_ONLY_FIELDS = ["slug", "is_ccit_member", "ccit_member_since", "is_active", "managers"]

    def has_change_permission(self, request, obj=None):
        if user_is_coordinator(request.user):
            return True
        if obj is None:
            return user_manages_any_network(request.user)
        return user_may_manage_network(request.user, obj)

    def get_readonly_fields(self, request, obj=None):
        if user_is_coordinator(request.user):
            return []
        return [*self.COORDINATOR_ONLY_FIELDS, "managers_count"]

    def get_fieldsets(self, request, obj=None):
        # Who manages another network is not every manager's business: they see how many.
        fieldsets = super().get_fieldsets(request, obj)
        if user_is_coordinator(request.user) or (obj is not None and user_may_manage_network(request.user, obj)):
            return fieldsets
        return [
            (name, {**options, "fields": ["managers_count" if f == "managers" else f for f in options["fields"]]})
            for name, options in fieldsets
        ]

    @admin.display(description=_("managers"))
    def managers_count(self, obj):
        return obj.managers.count() if obj and obj.pk else 0

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if user_is_coordinator(request.user) else {}

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Only staff accounts can use the admin: anyone else in the picker would be a trap.
        if db_field.name == "managers":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_urls(self):
        own = [path("invite/", self.admin_site.admin_view(self.invite_view), name="networks_network_invite")]
        return own + super().get_urls()

    def invite_view(self, request):
        """A manager is invited: e-mail and networks in one form, the e-mail goes out at once."""
        # Managers invite colleagues to their own networks; the coordinator to any (and sees who invited whom).
        own = networks_for_user(request.user)
        if not own.exists():
            raise PermissionDenied
        form = ManagerInviteForm(
            request.POST or None, initial={"networks": request.GET.getlist("network")}, networks=own
        )
        if request.method == "POST" and form.is_valid():
            user = manager_invite(
                email=form.cleaned_data["email"], networks=form.cleaned_data["networks"], by=request.user
            )
            self.message_user(
                request,
                gettext("An invitation was sent to %(email)s.") % {"email": user.email},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:networks_network_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Invite a manager"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/networks/network/invite.html", context)


@admin.register(ManagerInvitation)
class ManagerInvitationAdmin(ViewOnlyAdmin):
    """Who invited whom: the coordinator reads it; nobody changes it."""

    list_display = ["email", "network_names", "invited_by", "created_at"]
    list_select_related = ["invited_by"]
    search_fields = ["email", "invited_by__username", "invited_by__email"]
    date_hierarchy = "created_at"

    def may_look(self, user):
        return user_is_coordinator(user)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("networks")

    @admin.display(description=_("networks"))
    def network_names(self, obj):
        return ", ".join(sorted((n.short_name for n in obj.networks.all()), key=str.lower))


PERMISSION_ACTIONS = {
    "add": _("Can add %s"),
    "change": _("Can change %s"),
    "delete": _("Can delete %s"),
    "view": _("Can view %s"),
}


def permission_label(permission):
    """A permission in the reader's language: the stored name is English ("Can add event")."""
    model = permission.content_type.model_class()
    if model is None:
        return permission.name
    action, _sep, model_name = permission.codename.partition("_")
    if action in PERMISSION_ACTIONS and model_name == model._meta.model_name:
        name = PERMISSION_ACTIONS[action] % model._meta.verbose_name
    else:
        name = gettext(permission.name)
    app = apps.get_app_config(model._meta.app_label).verbose_name
    return f"{app} | {capfirst(model._meta.verbose_name)} | {name}"


class GermanPermissionsMixin:
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions") and field is not None:
            field.label_from_instance = permission_label
        return field


admin.site.unregister(Group)
admin.site.unregister(get_user_model())


@admin.register(Group)
class GroupAdmin(GermanPermissionsMixin, DjangoGroupAdmin):
    pass


@admin.register(get_user_model())
class UserAdmin(GermanPermissionsMixin, DjangoUserAdmin):
    formfield_overrides = {models.DateTimeField: {"form_class": LabelledSplitDateTimeField}}


@admin.register(ManagerPreference)
class ManagerPreferenceAdmin(admin.ModelAdmin):
    # A plain labelled select: the autocomplete widget's box has no accessible name (axe).
    list_display = ["user", "language"]
