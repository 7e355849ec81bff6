"""HTTP delivery of the rendered feeds: files, the shared cache, ETags and conditional responses.

A subscription calendar is cached as rendered bytes under its digest (feeds/selectors.py
`feed_digest`: the filter and a stamp of its data), which is also its ETag; a 304 costs
only the stamp. Large feeds are sent from a local file copy (sendfile), and a stamp is
shared for FEEDS_STAMP_SECONDS, so warm requests and 304s skip the database.
"""

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from feeds.selectors import stamp_seconds

CACHE_TIMEOUT = 6 * 3600
# How long a request waits for another process that renders the same feed.
RENDER_WAIT_SECONDS = 20
CONTENT_TYPE = "text/calendar; charset=utf-8"
# Calendar clients poll on their own schedule; the short max-age keeps proxies from
# serving stale feeds, no-transform keeps them from compressing .ics responses.
CACHE_CONTROL = "public, max-age=300, s-maxage=300, stale-while-revalidate=600, no-transform"


class FeedFiles:
    """Serving copies of large rendered feeds on local disk, sent with sendfile().

    A file is named by the cache digest, which carries the data stamp, so it is never
    stale; the oldest files go when the folder outgrows its budget. The shared cache
    stays the source for other servers and after a restart; the file only saves
    copying megabytes out of Redis and through Python on every warm request.
    """

    def __init__(self, max_bytes=512 * 2**20):
        self.max_bytes = max_bytes

    @property
    def directory(self):
        return Path(getattr(settings, "FEEDS_FILE_DIR", settings.VAR_DIR / "feeds"))

    def get(self, digest):
        path = self.directory / f"{digest}.ics"
        return path if path.is_file() else None

    def put(self, digest, body):
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{digest}.ics"
        with tempfile.NamedTemporaryFile(dir=self.directory, suffix=".tmp", delete=False) as handle:
            handle.write(body)
        os.replace(handle.name, path)
        self.prune(keep=path)
        return path

    def prune(self, keep):
        files = []
        for entry in os.scandir(self.directory):
            if not entry.name.endswith(".ics"):
                continue
            try:
                files.append((entry.stat().st_mtime, entry.stat().st_size, entry.path))
            except FileNotFoundError:  # removed by another worker meanwhile
                continue
        total = sum(size for _, size, _ in files)
        for _, size, path in sorted(files):
            if total <= self.max_bytes:
                break
            if path != str(keep):
                Path(path).unlink(missing_ok=True)
                total -= size


feed_files = FeedFiles()


class RecentStamps:
    """The last data stamp of each feed address, shared by all processes for a few seconds.

    A stamp is one aggregate over the feed's events (5–10 ms over 100,000 events), and a
    subscribed calendar is fetched by many clients. Within FEEDS_STAMP_SECONDS (by default
    as long as public pages are cached: 30 s in production, 0 with DEBUG) every request for
    the same address reuses it from the shared cache, so a warm request or a 304 touches no
    database. A change therefore reaches subscribers as late as it reaches the pages.
    """

    @staticmethod
    def seconds():
        return stamp_seconds()

    @staticmethod
    def key(query):
        return "feeds:stamp:" + hashlib.sha256(query.encode()).hexdigest()

    def get(self, query):
        return cache.get(self.key(query)) if self.seconds() > 0 else None

    def set(self, query, value):
        if self.seconds() > 0:
            cache.set(self.key(query), value, self.seconds())


recent_stamps = RecentStamps()


def ics_response(request, body, *, etag, last_modified=None, filename=None, attachment=False):
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Length"] = str(len(body))
    set_validators(response, etag, last_modified)
    if filename:
        disposition = "attachment" if attachment else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def set_validators(response, etag, last_modified):
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = CACHE_CONTROL


def not_modified(request, etag, last_modified):
    response = get_conditional_response(
        request, etag=etag, last_modified=int(last_modified.timestamp()) if last_modified else None
    )
    if response is not None:
        set_validators(response, etag, last_modified)
    return response


def file_response(path, etag, last_modified):
    response = FileResponse(path.open("rb"), content_type=CONTENT_TYPE)
    set_validators(response, etag, last_modified)
    response["Content-Disposition"] = 'inline; filename="netzwerk-timer.ics"'
    return response


def render_lock(digest):
    return f"feeds:rendering:{digest}"


def body_key(digest):
    return f"feeds:ics:{digest}"


def etag_of(digest):
    return f'"{digest[:32]}"'


def stored_feed(request, digest, last_modified):
    """The answer for a feed whose stamp is known: a 304, or the rendered feed from the file or the
    shared cache; None when it must be rendered."""
    etag = etag_of(digest)
    return not_modified(request, etag, last_modified) or cached_feed(request, digest, etag, last_modified)


def cached_feed(request, digest, etag, last_modified):
    """The feed rendered for this stamp, from the local file or the shared cache; None if neither has it."""
    path = feed_files.get(digest)
    if path is not None:
        return file_response(path, etag, last_modified)
    body = cache.get(body_key(digest))
    return None if body is None else feed_response(request, digest, body, etag, last_modified)


def feed_response(request, digest, body, etag, last_modified):
    """Small feeds are answered from memory; large ones are written to a local file and sent from there."""
    if len(body) < getattr(settings, "FEEDS_FILE_MIN_BYTES", 2**20):
        return ics_response(request, body, etag=etag, last_modified=last_modified, filename="netzwerk-timer.ics")
    return file_response(feed_files.put(digest, body), etag, last_modified)
