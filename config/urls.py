"""The site's URLs: each area of the site mounts its own (see `web/`)."""

from captcha import urls as captcha_urls
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, register_converter

from web.captcha_audio import captcha_audio
from web.converters import CompanyIdentifierConverter
from web.reports import csp_report

register_converter(CompanyIdentifierConverter, "company")

# The CAPTCHA's images are shown before login (*Mot de passe expiré*).
for pattern in captcha_urls.urlpatterns:
    login_not_required(pattern.callback)

urlpatterns = [
    # The JSON API (/api/v1/) first: its calls do not try the pages' patterns.
    path("api/", include("api.urls")),
    path("", include("web.space.urls")),
    path("", include("web.signup.urls")),
    path("", include("web.simplified.urls")),
    path("", include("web.passwords.urls")),
    path("", include("web.factors.urls")),
    path("", include("web.dossiers.urls")),
    path("", include("web.firm.urls")),
    path("", include("web.postal_requests.urls")),
    path("", include("web.outbox.urls")),
    # The API's page in the space, *Accès pour vos logiciels*.
    path("", include("api.space.urls")),
    # The agents' back office (docs/backoffice.md): its own login, session and cookie.
    path(settings.AGENT_URL_PREFIX.lstrip("/"), include("backoffice.urls")),
    path("", include("web.help.urls")),
    # Delegation requests from firms, groups of dossiers (docs/habilitations.md §12, §13).
    path("", include("web.delegation_requests.urls")),
    path("", include("web.groups.urls")),
    # The secure messaging, the company's side (docs/messaging.md).
    path("", include("web.messaging.urls")),
    # Browsers report Content-Security-Policy violations here (logged, docs/security.md §11).
    path("securite/rapport-csp/", csp_report, name="csp_report"),
    # The CAPTCHA's images (django-simple-captcha), for *Mot de passe expiré*.
    path("captcha/", include(captcha_urls)),
    # Its sound, « Ecouter l'extrait sonore » (espeak-ng in French: web/captcha_audio.py).
    path("captcha/son/<str:key>.wav", captcha_audio, name="captcha_audio"),
]

# A refusal (`web.guards.Refused`) is audited here, once, then answered with the 403 page.
handler403 = "web.guards.forbidden"
