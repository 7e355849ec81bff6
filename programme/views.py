import logging

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from events.models import CrossClusterWeek
from netzwerktimer.caching import mark_public
from netzwerktimer.links import absolute_url
from programme.pdf import PdfUnavailable, programme_pdf_cached

logger = logging.getLogger(__name__)


def week_programme_pdf(request, slug):
    week = get_object_or_404(CrossClusterWeek.objects.published(), slug=slug)
    try:
        pdf = programme_pdf_cached(week=week, base_url=absolute_url("/"))
    except PdfUnavailable as error:
        logger.error(
            "Programme PDF of week %s not available: %s (WeasyPrint needs Pango: libpango-1.0-0 libpangoft2-1.0-0)",
            week.slug,
            error,
        )
        return render(request, "programme/unavailable.html", {"week": week}, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="programm-{week.slug}.pdf"'
    if settings.PUBLIC_PAGE_CACHE_SECONDS:
        mark_public(response, settings.PUBLIC_PAGE_CACHE_SECONDS)
    return response
