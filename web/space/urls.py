"""The space: logging in and out, the home page, identifiers and coordinates."""

from django.urls import path

from web.space import views

app_name = "space"
urlpatterns = [
    path("", views.login_page, name="login"),
    path("quitter/", views.logout_view, name="logout"),
    path("espace/", views.home, name="home"),
    path("espace/coordonnees/formulaire.pdf", views.recap_pdf_view, name="recap_pdf"),
    path("espace/identifiants/", views.identifiers, name="identifiers"),
    path("espace/identifiants/confirmation/", views.identifiers_code, name="identifiers_code"),
    path(
        "espace/identifiants/acces-des-logiciels/",
        views.software_access,
        name="software_access",
    ),
    path("espace/coordonnees/", views.coordinates, name="coordinates"),
    path("espace/coordonnees/modifier/", views.coordinates_edit, name="coordinates_edit"),
    path("espace/coordonnees/question-de-confiance/", views.trust_question, name="trust_question"),
]
