from django.contrib import admin
from django.utils.translation import pgettext

from overview.selectors import start_page_for


def index(request):
    """The admin's start page: what needs the manager (or the coordinator) now, then the app list."""
    return admin.site.index(
        request,
        extra_context={"start": start_page_for(request.user), "title": pgettext("admin start page", "Overview")},
    )
