from django.contrib import admin
from django.urls import path

from campaigns import views

app_name = "campaigns"

# Under /admin/campaigns/ beside the admin's own pages; admin_view asks for a staff login.
urlpatterns = [
    path("planung/<int:call_id>/", admin.site.admin_view(views.planning), name="planning"),
    path("planung/<int:call_id>/veroeffentlichen/", admin.site.admin_view(views.publish), name="publish"),
    path("planung/<int:call_id>/schliessen/", admin.site.admin_view(views.close), name="close"),
    path("vorschlag/<int:proposal_id>/annehmen/", admin.site.admin_view(views.accept), name="accept"),
    path("vorschlag/<int:proposal_id>/entscheiden/", admin.site.admin_view(views.decide), name="decide"),
]
