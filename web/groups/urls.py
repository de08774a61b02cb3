"""Groups of dossiers for a firm's staff (docs/habilitations.md §13)."""

from django.urls import path

from web.groups import views

app_name = "groups"
urlpatterns = [
    path("espace/groupes/", views.group_list, name="list"),
    path("espace/groupes/<int:pk>/", views.detail, name="detail"),
]
