"""Creating a space in expert mode, and activating a space with its code."""

from django.urls import path

from web.signup import views

app_name = "signup"
urlpatterns = [
    path("creer-mon-espace/", views.choose_mode, name="signup"),
    path("creer-mon-espace/mode-simplifie/", views.simplified_mode, name="signup_simplified"),
    path("conditions-generales/", views.general_conditions, name="general_conditions"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("creer-mon-espace/expert/", views.signup_conditions, name="signup_conditions"),
    path(
        "creer-mon-espace/expert/identifiants/",
        views.signup_identifiers,
        name="signup_identifiers",
    ),
    path("creer-mon-espace/expert/formulaire/", views.signup_profile, name="signup_profile"),
    path("creer-mon-espace/expert/recapitulatif/", views.signup_recap, name="signup_recap"),
    path("creer-mon-espace/expert/code-envoye/", views.signup_sent, name="signup_sent"),
    path("mot-de-passe/force/", views.password_strength, name="password_strength"),
    path("activer/", views.activate, name="activate"),
    path("activer/courrier/", views.activate_letter, name="activate_letter"),
    path("activer/inscription/", views.activated, name="activated"),
    path("activer/inscription/formulaire.pdf", views.activated_recap_pdf, name="activated_pdf"),
]
