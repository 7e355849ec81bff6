from django.contrib import admin

from outreach.models import DigestSubscription, FeedAlertState, ManagerPreference


@admin.register(DigestSubscription)
class DigestSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "filter_query", "requested_at", "confirmed_at", "last_sent_at"]
    list_filter = ["confirmed_at"]
    search_fields = ["email", "filter_query"]
    readonly_fields = ["email", "filter_query", "requested_at", "confirmed_at", "last_sent_at"]

    def has_add_permission(self, request):
        # Only the address's owner subscribes (double opt-in); the admin may look and delete.
        return False


@admin.register(FeedAlertState)
class FeedAlertStateAdmin(admin.ModelAdmin):
    list_display = ["source", "state", "changed_at"]
    readonly_fields = ["source", "state", "changed_at"]

    def has_add_permission(self, request):
        return False


@admin.register(ManagerPreference)
class ManagerPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "language"]
    autocomplete_fields = ["user"]
