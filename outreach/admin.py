from django.contrib import admin

from outreach.models import DigestSubscription


@admin.register(DigestSubscription)
class DigestSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "filter_query", "requested_at", "confirmed_at", "last_sent_at"]
    list_filter = ["confirmed_at"]
    search_fields = ["email", "filter_query"]
    readonly_fields = ["email", "filter_query", "requested_at", "confirmed_at", "last_sent_at"]

    def has_add_permission(self, request):
        # Only the address's owner subscribes (double opt-in); the admin may look and delete.
        return False
