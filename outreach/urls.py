from django.urls import path

from outreach import views

app_name = "outreach"

urlpatterns = [
    path("widget/", views.widget_page, name="widget"),
    path("widget/events.json", views.widget_data, name="widget_data"),
    path("widget/builder/", views.widget_builder, name="widget_builder"),
    path("email/", views.digest_subscribe, name="digest_subscribe"),
    path("email/confirm/<str:token>/", views.digest_confirm, name="digest_confirm"),
    path("email/unsubscribe/<str:token>/", views.digest_unsubscribe, name="digest_unsubscribe"),
    path("newsletter/", views.newsletter_builder, name="newsletter_builder"),
    path("newsletter/block.html", views.newsletter_html, name="newsletter_html"),
    path("newsletter/block.txt", views.newsletter_text, name="newsletter_text"),
]
