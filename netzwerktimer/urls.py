from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from events.admin_actions import view_on_site
from events.views import NetworkDetailView, NetworkListView
from networks.forms import StaffLoginForm
from networks.views import StaffPasswordResetView
from netzwerktimer.caching import cached_public_page
from netzwerktimer.sitemaps import SITEMAPS
from netzwerktimer.views import PasswordSetView, healthz, language_switch, media, robots_txt
from overview.views import index as start_page

admin.site.site_header = _("Netzwerk-Timer administration")
admin.site.site_title = _("Netzwerk-Timer")
admin.site.index_title = _("Events of the Thuringian networks")
admin.site.login_form = StaffLoginForm

# "Zugangsdaten vergessen?" on the admin login, and the link of the invitation e-mail (networks.services).
password_urls = [
    path(
        "admin/password_reset/",
        StaffPasswordResetView.as_view(),
        name="admin_password_reset",
    ),
    path("admin/password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "admin/reset/<uidb64>/<token>/",
        PasswordSetView.as_view(
            # After setting the password, the login leads straight to the manager's events.
            success_url=format_lazy(
                "{}?next={}", reverse_lazy("admin:login"), reverse_lazy("admin:events_event_changelist")
            )
        ),
        name="password_reset_confirm",
    ),
    path("admin/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

# The network directory and profiles show the networks' events: events' pages, under the networks' names.
network_urls = [
    path("", cached_public_page(NetworkListView.as_view()), name="list"),
    path("<slug:slug>/", cached_public_page(NetworkDetailView.as_view()), name="detail"),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    # Before the admin's own "r/" shortcut, which would redirect any staff user to any event.
    path("admin/r/<int:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site)),
    path("admin/planning/", include("planning.urls")),
    path("admin/reports/", include("reports.urls")),
    path("admin/campaigns/", include("campaigns.urls")),
    *password_urls,
    # The start page ("Übersicht") in place of the admin's index; reverse("admin:index") still leads here.
    path("admin/", admin.site.admin_view(start_page), name="start_page"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("language/<str:code>/", language_switch, name="language"),
    path("networks/", include((network_urls, "networks"))),
    path("opendata/", include("opendata.urls")),
    path("", include("outreach.urls")),
    path("", include("feeds.urls")),
    path("", include("programme.urls")),
    path("", include("events.urls")),
]
if not settings.AWS_STORAGE_BUCKET_NAME:
    urlpatterns += [path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media, name="media")]
