from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.EventListView.as_view(), name="list"),
    path("archive/", views.PastEventListView.as_view(), name="archive"),
    path("month/", views.month_current, name="month_current"),
    path("month/<int:year>/<int:month>/", views.MonthView.as_view(), name="month"),
    path("events/<int:pk>/", views.EventDetailView.as_view(), name="detail"),
    path("events/<int:pk>/<slug:slug>/", views.EventDetailView.as_view(), name="detail_slug"),
    path("weeks/", views.WeekListView.as_view(), name="weeks"),
    path("weeks/<slug:slug>/", views.WeekDetailView.as_view(), name="week"),
]
