from django.urls import path

from accounts import registration_views as signup
from accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.login_page, name="login"),
    path("quitter/", views.logout_view, name="logout"),
    path("espace/", views.home, name="home"),
    path("espace/coordonnees/formulaire.pdf", views.recap_pdf_view, name="recap_pdf"),
    path("activer/", views.activate, name="activate"),
    path("activer/inscription/", views.activated, name="activated"),
    path("activer/inscription/formulaire.pdf", views.activated_recap_pdf, name="activated_pdf"),
    path("creer-mon-espace/", signup.choose_mode, name="signup"),
    path("creer-mon-espace/mode-simplifie/", signup.simplified_mode, name="signup_simplified"),
    path("conditions-generales/", signup.general_conditions, name="general_conditions"),
    path("creer-mon-espace/expert/", signup.signup_conditions, name="signup_conditions"),
    path(
        "creer-mon-espace/expert/identifiants/",
        signup.signup_identifiers,
        name="signup_identifiers",
    ),
    path("creer-mon-espace/expert/formulaire/", signup.signup_profile, name="signup_profile"),
    path("creer-mon-espace/expert/recapitulatif/", signup.signup_recap, name="signup_recap"),
    path("creer-mon-espace/expert/code-envoye/", signup.signup_sent, name="signup_sent"),
    path("mot-de-passe/force/", signup.password_strength, name="password_strength"),
    path("mot-de-passe-oublie/", views.password_forgotten, name="password_forgotten"),
]
