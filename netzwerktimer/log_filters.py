"""Filters for the log: what an operator reads must say what happened, once."""

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """A 403 or 404 is the visitor's doing, not a fault of the portal: one line, no traceback.

    Django logs these with the exception attached (django.request); a traceback for every refused
    request buried the real errors.
    """

    def filter(self, record):
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
