from django.contrib import admin

from networks.admin import ManagersViewOnlyAdmin
from reports.models import Report
from reports.views import report, user_may_see_reports


@admin.register(Report)
class ReportAdmin(ManagersViewOnlyAdmin):
    """Only an entry in the app list: its list is the report page."""

    def has_module_permission(self, request):
        return user_may_see_reports(request.user)

    def has_view_permission(self, request, obj=None):
        return user_may_see_reports(request.user)

    def changelist_view(self, request, extra_context=None):
        return report(request)
