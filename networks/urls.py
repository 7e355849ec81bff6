from django.urls import path

from networks import views
from netzwerktimer.caching import cached_public_page

app_name = "networks"

urlpatterns = [
    path("", cached_public_page(views.NetworkListView.as_view()), name="list"),
    path("<slug:slug>/", cached_public_page(views.NetworkDetailView.as_view()), name="detail"),
]
