from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.static import serve

from netzwerktimer.links import absolute_url


def healthz(request):
    """Liveness for the load balancer: answers 200 when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


def language_switch(request, code):
    """Switch the interface language with a plain link (no form, no CSRF cookie on public pages)."""
    if code not in dict(settings.LANGUAGES):
        raise Http404("unknown language")
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """The link of the invitation (and of "forgotten password"): after the new password, the login says so."""

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is set. Please log in with it now."))
        return response


def media(request, path):
    """Uploaded files from the file system store (development, the docker volume).

    Image renditions live in a folder of their own that is never written again, so they are
    cached for MEDIA_CACHE_SECONDS as immutable; other uploads (logos) for an hour. The CSP
    and nosniff headers of every response apply here too.
    """
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if path.startswith("images/"):
        patch_cache_control(response, public=True, max_age=settings.MEDIA_CACHE_SECONDS, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=3600)
    return response


# The admin, editors' previews, the language switch and feeds of a filter stay out of search
# engines; the whole calendar and the pages are in (sitemap.xml).
ROBOTS_DISALLOW = [
    "/admin/",
    "/vorschau/",
    "/language/",
    "/i18n/",
    "/calendar.ics?",
    "/feed.atom?",
    "/api/",
    "/widget/",
    "/email/",
    "/newsletter/",
]


@require_safe
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), ""]
    lines.append(f"Sitemap: {absolute_url(reverse('sitemap'))}")
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    patch_cache_control(response, public=True, max_age=3600)
    return response
