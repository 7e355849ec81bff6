from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from events.admin_actions import view_on_site
from netzwerktimer.views import healthz, language_switch

admin.site.site_header = _("Netzwerk-Timer administration")
admin.site.site_title = _("Netzwerk-Timer")
admin.site.index_title = _("Events of the Thuringian networks")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Before the admin's own "r/" shortcut, which would redirect any staff user to any event.
    path("admin/r/<int:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site)),
    path("admin/planning/", include("planning.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("language/<str:code>/", language_switch, name="language"),
    path("networks/", include("networks.urls")),
    path("", include("outreach.urls")),
    path("", include("events.feed_urls")),
    path("", include("events.urls")),
]
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
