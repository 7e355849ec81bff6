from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from networks.models import Network, Topic, user_is_coordinator
from networks.permissions import user_manages_any_network, user_may_manage_network


class CoordinatorEditsManagersViewAdmin(admin.ModelAdmin):
    """Reference data: coordinators edit it, managers may look it up (and pick it by autocomplete)."""

    class Media:
        # Slugs typed from a German name keep its umlauts as ae/oe/ue/ss. Listing urlify.js
        # first makes the merged media load the wrapper after the function it wraps.
        js = ["admin/js/urlify.js", "js/admin-slug.js"]

    def has_module_permission(self, request):
        return user_manages_any_network(request.user)

    def has_view_permission(self, request, obj=None):
        return user_manages_any_network(request.user)

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
