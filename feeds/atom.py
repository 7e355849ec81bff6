"""Atom feed of newly published events, with the same filters as every listing."""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.xmlutils import SimplerXMLGenerator

from events.filters import CALENDAR_TITLE, EventFilter
from events.selectors import events_public
from feeds import ical
from netzwerktimer.text import normalise_line, normalise_text

FEED_SIZE = 50
# Characters XML 1.0 cannot carry at all, beyond the controls normalise_text removes.
_NOT_XML = re.compile("[\ufffe\uffff]")


def xml_text(value):
    """Text XML 1.0 can hold: rows stored before text was normalised on entry may hold
    controls (Django's feed writer answers those with an error), separators or surrogates."""
    if not value or value.isprintable():
        return value
    return _NOT_XML.sub("", normalise_text(value))


class SafeXMLGenerator(SimplerXMLGenerator):
    """Every text and attribute value through xml_text, so that no stored value can break the feed."""

    def characters(self, content):
        super().characters(xml_text(content))

    def startElement(self, name, attrs):
        super().startElement(name, {key: xml_text(value) for key, value in attrs.items()} if attrs else attrs)


class SafeAtom1Feed(Atom1Feed):
    def write(self, outfile, encoding):
        handler = SafeXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


class NewEventsFeed(Feed):
    feed_type = SafeAtom1Feed

    def get_object(self, request):
        found = EventFilter.from_request(request, queryset=events_public(), default_from=timezone.now())
        if found.truncated:
            # More parameters than Django parses: an empty feed, like any invalid filter.
            return {"filter": None, "query": ""}
        query = found.query.urlencode()
        return {"filter": found, "query": f"?{query}" if query else ""}

    def title(self, obj):
        found = obj["filter"]
        name = found.title() if found is not None and found.is_valid() else CALENDAR_TITLE
        return f"{name} – neue Veranstaltungen"

    def subtitle(self, obj):
        return "Neu veröffentlichte Veranstaltungen der Thüringer Netzwerke"

    def link(self, obj):
        return settings.SITE_URL + reverse("events:list") + obj["query"]

    def feed_url(self, obj):
        return settings.SITE_URL + reverse("feeds:atom") + obj["query"]

    def feed_guid(self, obj):
        return self.feed_url(obj)

    def items(self, obj):
        found = obj["filter"]
        if found is None or not found.is_valid():
            return []
        return found.qs.order_by("-created_at", "-pk")[:FEED_SIZE]

    def item_title(self, item):
        return ical.TITLE_PREFIX.get(item.status, "") + normalise_line(item.title)

    def item_description(self, item):
        when = timezone.localtime(item.starts_at)
        date = f"{when:%d.%m.%Y}" if item.is_all_day else f"{when:%d.%m.%Y, %H:%M} Uhr"
        # The description was sanitised when it was saved (Event.save).
        return format_html("<p>{} · {}</p>{}", date, item.owner.name, mark_safe(item.description))  # noqa: S308

    def item_link(self, item):
        return settings.SITE_URL + item.get_absolute_url()

    def item_guid(self, item):
        return f"tag:{settings.SITE_DOMAIN},2025:event-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.owner.name

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]
