"""The second factors: the login's second step, step-up, *Sécurité de connexion*."""

from django.urls import path

from web.factors import login_views, security_views

app_name = "factors"
urlpatterns = [
    path("connexion/verification/", login_views.second_step, name="login_step"),
    path("connexion/verification/renvoyer/", login_views.resend, name="resend"),
    path("espace/securite/", security_views.security, name="security"),
    path("espace/securite/verification/", login_views.proof, name="proof"),
    path("espace/securite/moyen/", security_views.choose, name="choose"),
    path("espace/securite/application/", security_views.enrol_app, name="enrol_app"),
    path("espace/securite/application/supprimer/", security_views.remove_app, name="remove_app"),
    path(
        "espace/securite/codes-de-secours/",
        security_views.new_recovery_codes,
        name="recovery_codes",
    ),
    path(
        "espace/securite/codes-de-secours/telecharger/",
        security_views.download_recovery_codes,
        name="download_recovery_codes",
    ),
    path("espace/securite/adresse-de-secours/", security_views.second_email, name="second_email"),
    path(
        "espace/securite/adresse-de-secours/supprimer/",
        security_views.remove_second_email,
        name="remove_second_email",
    ),
    path(
        "espace/securite/navigateurs/<int:pk>/oublier/",
        security_views.forget_browser,
        name="forget_browser",
    ),
    path(
        "espace/securite/sessions/<int:pk>/fermer/", security_views.end_session, name="end_session"
    ),
]
