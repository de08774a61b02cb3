from django.urls import path

from accounts import password_views as passwords
from accounts import registration_views as signup
from accounts import space_views as space
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
    path(
        "espace/avis-expiration/",
        passwords.password_expiry_notice,
        name="password_expiry_notice",
    ),
    path("espace/identifiants/", space.identifiers, name="identifiers"),
    path("espace/identifiants/confirmation/", space.identifiers_code, name="identifiers_code"),
    path("espace/coordonnees/", space.coordinates, name="coordinates"),
    path("espace/coordonnees/modifier/", space.coordinates_edit, name="coordinates_edit"),
    path("espace/coordonnees/question-de-confiance/", space.trust_question, name="trust_question"),
    path("mot-de-passe-expire/", passwords.password_expired, name="password_expired"),
    path(
        "mot-de-passe-expire/nouveau-mot-de-passe/",
        passwords.password_expired_new,
        name="password_expired_new",
    ),
    path(
        "mot-de-passe-expire/recapitulatif/",
        passwords.password_expired_recap,
        name="password_expired_recap",
    ),
    path("mot-de-passe-expire/image/", passwords.captcha_refresh, name="captcha_refresh"),
    path("mot-de-passe-oublie/", passwords.password_forgotten, name="password_forgotten"),
    path(
        "mot-de-passe-oublie/question-de-confiance/",
        passwords.password_forgotten_question,
        name="password_forgotten_question",
    ),
    path(
        "mot-de-passe-oublie/courriel-envoye/",
        passwords.password_forgotten_sent,
        name="password_forgotten_sent",
    ),
    path(
        "mot-de-passe-oublie/lien/<int:pk>/<str:token>/",
        passwords.password_reset_link,
        name="password_reset_link",
    ),
    path(
        "mot-de-passe-oublie/nouveau-mot-de-passe/",
        passwords.password_reset_new,
        name="password_reset_new",
    ),
    path("mot-de-passe-oublie/termine/", passwords.password_reset_done, name="password_reset_done"),
]
