from django.contrib import admin
from django.urls import path

from reports import views

app_name = "reports"

# Under /admin/reports/ beside the admin's own pages; admin_view asks for a staff login.
urlpatterns = [
    path("", admin.site.admin_view(views.report), name="report"),
    path("bericht.csv", admin.site.admin_view(views.report_csv), name="report_csv"),
    path("bericht.xlsx", admin.site.admin_view(views.report_xlsx), name="report_xlsx"),
]
