from django.urls import path

from habilitations import views

app_name = "habilitations"
urlpatterns = [
    path("espace/dossiers/", views.portfolio, name="portfolio"),
    path("espace/dossiers/choisir/", views.choose, name="choose"),
    path("espace/dossiers/<str:identifier>/", views.dossier, name="dossier"),
    path("espace/dossiers/<str:identifier>/services/<slug:code>/", views.service, name="service"),
    path("espace/habilitations/", views.my_habilitations, name="mine"),
]
