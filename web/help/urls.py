"""Help: *Aide*, the « En savoir plus » pages, *Calendrier fiscal*, the manager's contacts."""

from django.urls import path

from web.help import views

app_name = "help"
urlpatterns = [
    path("aide/", views.index, name="index"),
    path("aide/calendrier-fiscal/", views.calendar, name="calendar"),
    path("aide/<slug:slug>/", views.topic, name="topic"),
    path("espace/coordonnees-du-gestionnaire/", views.manager, name="manager"),
]
