"""The open-data page and its distributions: wiring only.

The events come from opendata/selectors.py, the bytes from opendata/serialise.py and
opendata/dcat.py. The distributions are streamed; their ETag is the data's stamp, so a
harvester that asks again with If-None-Match costs one aggregate and gets a 304.
"""

from django.conf import settings
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from netzwerktimer.caching import mark_public
from opendata.dcat import DISTRIBUTIONS, dcat_document
from opendata.selectors import opendata_events, opendata_stamp
from opendata.serialise import COLUMNS, csv_lines, json_ld_chunks


def _validators(response, digest, last_modified):
    response["ETag"] = f'"{digest[:32]}"'
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    # Public data without credentials: any site may fetch it from the browser.
    response["Access-Control-Allow-Origin"] = "*"
    mark_public(response, settings.PUBLIC_PAGE_CACHE_SECONDS)
    return response


def _not_modified(request, digest, last_modified):
    response = get_conditional_response(
        request,
        etag=f'"{digest[:32]}"',
        last_modified=int(last_modified.timestamp()) if last_modified else None,
    )
    return None if response is None else _validators(response, digest, last_modified)


def _distribution(request, content, *, content_type, filename):
    events = opendata_events()
    _count, last_modified, digest = opendata_stamp(events)
    response = _not_modified(request, digest, last_modified)
    if response is not None:
        return response
    # A HEAD request (a harvester checking for changes) gets the headers without a render.
    body = iter(()) if request.method == "HEAD" else content(events)
    response = StreamingHttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return _validators(response, digest, last_modified)


@require_safe
def events_jsonld(request):
    return _distribution(
        request, json_ld_chunks, content_type="application/ld+json; charset=utf-8", filename="netzwerk-timer.jsonld"
    )


@require_safe
def events_csv(request):
    return _distribution(
        request, csv_lines, content_type="text/csv; charset=utf-8; header=present", filename="netzwerk-timer.csv"
    )


@require_safe
def dcat(request):
    events = opendata_events()
    _count, last_modified, digest = opendata_stamp(events)
    response = _not_modified(request, digest, last_modified)
    if response is not None:
        return response
    document = dcat_document(last_modified=last_modified)
    response = JsonResponse(
        document, content_type="application/ld+json; charset=utf-8", json_dumps_params={"ensure_ascii": False}
    )
    return _validators(response, digest, last_modified)


@require_safe
def page(request):
    count, last_modified, _digest = opendata_stamp(opendata_events())
    return render(
        request,
        "opendata/opendata.html",
        {
            "licence_name": settings.OPENDATA_LICENCE_NAME,
            "licence_url": settings.OPENDATA_LICENCE_URL,
            "attribution": settings.OPENDATA_ATTRIBUTION,
            "event_count": count,
            "last_modified": last_modified,
            "distributions": DISTRIBUTIONS,
            "columns": [(name, description) for name, description, _read in COLUMNS],
        },
    )
