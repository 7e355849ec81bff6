from django.contrib import admin
from django.urls import path

from planning import views

app_name = "planning"

# Under /admin/planning/ beside the admin's own pages; admin_view asks for a staff login.
urlpatterns = [
    path("kollisionen/", admin.site.admin_view(views.clash_hints), name="clash_hints"),
    path("monat/", admin.site.admin_view(views.month_current), name="month_current"),
    path("monat/<int:year>/<int:month>/", admin.site.admin_view(views.month), name="month"),
]
