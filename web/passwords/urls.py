"""Passwords: the expiry notice, *Mot de passe expiré*, *Mot de passe oublié*."""

from django.urls import path

from web.passwords import views

app_name = "passwords"
urlpatterns = [
    path("espace/avis-expiration/", views.password_expiry_notice, name="password_expiry_notice"),
    path("mot-de-passe-expire/", views.password_expired, name="password_expired"),
    path(
        "mot-de-passe-expire/nouveau-mot-de-passe/",
        views.password_expired_new,
        name="password_expired_new",
    ),
    path(
        "mot-de-passe-expire/recapitulatif/",
        views.password_expired_recap,
        name="password_expired_recap",
    ),
    path("mot-de-passe-expire/image/", views.captcha_refresh, name="captcha_refresh"),
    path("mot-de-passe-oublie/", views.password_forgotten, name="password_forgotten"),
    path(
        "mot-de-passe-oublie/question-de-confiance/",
        views.password_forgotten_question,
        name="password_forgotten_question",
    ),
    path(
        "mot-de-passe-oublie/courriel-envoye/",
        views.password_forgotten_sent,
        name="password_forgotten_sent",
    ),
    path(
        "mot-de-passe-oublie/lien/<str:link_id>/<str:token>/",
        views.password_reset_link,
        name="password_reset_link",
    ),
    path(
        "mot-de-passe-oublie/nouveau-mot-de-passe/",
        views.password_reset_new,
        name="password_reset_new",
    ),
    path("mot-de-passe-oublie/termine/", views.password_reset_done, name="password_reset_done"),
]
