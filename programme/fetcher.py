"""WeasyPrint's only way out: the portal's own static files, read from disk.

Imported by pdf.py only once WeasyPrint itself has loaded (it needs Pango).
"""

import base64
import binascii
import mimetypes
import re
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from weasyprint.urls import URLFetcher, URLFetcherResponse


class RefusedURL(ValueError):
    pass


def static_file_path(name):
    """The file on disk for a static name (source or collected, hashed names included); None if there is none."""
    try:
        found = finders.find(name)
        if found:
            return found
        if staticfiles_storage.exists(name):
            return staticfiles_storage.path(name)
    except (SuspiciousFileOperation, NotImplementedError, ValueError):
        return None
    return None


# The QR codes: PNG images written into the document (programme.pdf.qr_png).
PNG_DATA = "data:image/png;base64,"
# Event images: only JPEG renditions as images.services names them (never another upload).
RENDITION_NAME = re.compile(r"images/[0-9a-f]{32}/[0-9]{1,5}\.jpg")


class StaticFilesFetcher(URLFetcher):
    """Serves addresses under `base_url` + STATIC_URL from disk, and PNG data addresses; refuses every other one.

    The document is ours, but event titles and links come from managers and feeds: no
    address in it may make the server fetch anything, from the network or from disk.
    """

    def __init__(self, *, base_url):
        super().__init__(allowed_protocols=("http", "https"))
        self.static_prefix = base_url.rstrip("/") + "/" + settings.STATIC_URL.strip("/") + "/"
        self.media_prefix = base_url.rstrip("/") + "/" + settings.MEDIA_URL.strip("/") + "/"

    def fetch(self, url, headers=None):
        if url.startswith(PNG_DATA):
            try:
                body = base64.b64decode(url[len(PNG_DATA) :], validate=True)
            except binascii.Error as error:
                raise RefusedURL("not a PNG data address") from error
            return URLFetcherResponse(url, body=body, headers={"Content-Type": "image/png"})
        if url.startswith(self.media_prefix):
            return self.fetch_rendition(url)
        if not url.startswith(self.static_prefix):
            raise RefusedURL(f"not one of the portal's static files: {url[:200]}")
        name = unquote(urlsplit(url[len(self.static_prefix) :]).path)
        path = static_file_path(name)
        if path is None:
            raise RefusedURL(f"no such static file: {name[:200]}")
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        with open(path, "rb") as file:
            body = file.read()
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    def fetch_rendition(self, url):
        name = unquote(urlsplit(url[len(self.media_prefix) :]).path)
        if not RENDITION_NAME.fullmatch(name) or not default_storage.exists(name):
            raise RefusedURL(f"not an image rendition: {name[:200]}")
        with default_storage.open(name, "rb") as file:
            body = file.read()
        return URLFetcherResponse(url, body=body, headers={"Content-Type": "image/jpeg"})
