"""The second factors: the login's second step, step-up, *Sécurité de connexion*."""

from django.urls import path

from web.factors import login_views, passkey_views, security_views

app_name = "factors"


def ceremony(prefix: str, purpose: str) -> list:
    """A passkey ceremony's two endpoints: its options (`…/debut/`), the browser's answer
    (`…/fin/`), named `passkey_<purpose>_begin` and `passkey_<purpose>_complete`."""
    return [
        path(
            f"{prefix}debut/",
            getattr(passkey_views, f"{purpose}_begin"),
            name=f"passkey_{purpose}_begin",
        ),
        path(
            f"{prefix}fin/",
            getattr(passkey_views, f"{purpose}_complete"),
            name=f"passkey_{purpose}_complete",
        ),
    ]


urlpatterns = [
    path("connexion/verification/", login_views.second_step, name="login_step"),
    path("connexion/verification/renvoyer/", login_views.resend, name="resend"),
    # Passkeys (passkey_views): the pages, then the endpoints of the browser's ceremony.
    path("espace/securite/cles-d-acces/ajouter/", passkey_views.add, name="passkey_add"),
    path("espace/securite/cles-d-acces/<int:pk>/nom/", passkey_views.name, name="passkey_name"),
    path(
        "espace/securite/cles-d-acces/<int:pk>/supprimer/",
        passkey_views.remove,
        name="passkey_remove",
    ),
    *ceremony("espace/securite/cles-d-acces/", "register"),
    *ceremony("connexion/cle-d-acces/", "login"),
    *ceremony("connexion/verification/cle-d-acces/", "second_step"),
    *ceremony("espace/securite/verification/cle-d-acces/", "proof"),
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
