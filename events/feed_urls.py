"""Routes of the iCal, JSON and Atom feeds."""

from django.urls import path

from events import api, feed_views, feeds
from netzwerktimer.caching import cached_public_page

app_name = "feeds"

urlpatterns = [
    path("calendar.ics", feed_views.calendar_ics, name="calendar_ics"),
    path("events/<int:pk>.ics", cached_public_page(feed_views.event_ics), name="event_ics"),
    path("feed.atom", feeds.NewEventsFeed(), name="atom"),
    path("api/events/", cached_public_page(api.event_list), name="api_events"),
    path("api/events/<int:pk>/", cached_public_page(api.event_detail), name="api_event"),
    path("api/schema/", api.schema, name="api_schema"),
]
