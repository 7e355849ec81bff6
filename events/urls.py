from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("events/<int:pk>/", views.event_detail, name="detail"),
    path("events/<int:pk>/<slug:slug>/", views.event_detail, name="detail_slug"),
    path("weeks/<slug:slug>/", views.week_detail, name="week"),
]
