"""Routes of the iCal, JSON and Atom feeds."""

from django.urls import path

from feeds import api, atom, views
from netzwerktimer.caching import cached_public_page

app_name = "feeds"

urlpatterns = [
    path("calendar.ics", views.calendar_ics, name="calendar_ics"),
    path("events/<int:pk>.ics", cached_public_page(views.event_ics), name="event_ics"),
    path("feed.atom", atom.NewEventsFeed(), name="atom"),
    path("api/events/", cached_public_page(api.event_list), name="api_events"),
    path("api/events/<int:pk>/", cached_public_page(api.event_detail), name="api_event"),
    path("api/schema/", api.schema, name="api_schema"),
]
