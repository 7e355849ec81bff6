from django.urls import path

from netzwerktimer.caching import cached_public_page
from opendata import views

app_name = "opendata"

urlpatterns = [
    path("", cached_public_page(views.page), name="page"),
    path("events.jsonld", views.events_jsonld, name="events_jsonld"),
    path("events.csv", views.events_csv, name="events_csv"),
    path("dcat.jsonld", views.dcat, name="dcat"),
]
