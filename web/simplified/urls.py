from django.urls import path

from web.simplified import views

app_name = "simplified"
urlpatterns = [
    path("creer-mon-espace/mode-simplifie/conditions/", views.conditions, name="conditions"),
    path("creer-mon-espace/mode-simplifie/entreprise/", views.company, name="company"),
    path("creer-mon-espace/mode-simplifie/identifiants/", views.identifiers, name="identifiers"),
    path("creer-mon-espace/mode-simplifie/formulaire/", views.profile, name="profile"),
    path("creer-mon-espace/mode-simplifie/recapitulatif/", views.recap, name="recap"),
    path("creer-mon-espace/mode-simplifie/courriel-envoye/", views.sent, name="sent"),
]
