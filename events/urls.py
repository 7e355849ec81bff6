from django.urls import path

from events import views
from netzwerktimer.caching import cached_public_page

app_name = "events"

urlpatterns = [
    path("", cached_public_page(views.EventListView.as_view()), name="list"),
    path("archive/", cached_public_page(views.PastEventListView.as_view()), name="archive"),
    path("month/", views.month_current, name="month_current"),
    path("month/<int:year>/<int:month>/", cached_public_page(views.MonthView.as_view()), name="month"),
    path("share.png", views.portal_share_image, name="share_image_portal"),
    path("events/<int:pk>/share.png", views.event_share_image, name="share_image"),
    path("weeks/<slug:slug>/share.png", views.week_share_image, name="week_share_image"),
    path("events/<int:pk>/", cached_public_page(views.EventDetailView.as_view()), name="detail"),
    path("events/<int:pk>/<slug:slug>/", cached_public_page(views.EventDetailView.as_view()), name="detail_slug"),
    # Not under events/<pk>/: a slug could be "vorschau".
    path("vorschau/<int:pk>/", views.EventPreviewView.as_view(), name="preview"),
    path("weeks/", cached_public_page(views.WeekListView.as_view()), name="weeks"),
    path("weeks/<slug:slug>/", cached_public_page(views.WeekDetailView.as_view()), name="week"),
]
