from django.urls import path

from programme import views

app_name = "programme"

urlpatterns = [
    path("weeks/<slug:slug>/programm.pdf", views.week_programme_pdf, name="week_pdf"),
]
