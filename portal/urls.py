from django.urls import include, path, register_converter

from companies.converters import CompanyIdentifierConverter

register_converter(CompanyIdentifierConverter, "company")

urlpatterns = [
    # Services obtained by postal letter, the company's data, the simplified mode.
    path("", include("habilitations.request_urls")),
    path("", include("companies.urls")),
    path("", include("accounts.simplified_urls")),
    path("", include("correspondence.urls")),
    path("", include("accounts.urls")),
    path("", include("habilitations.urls")),
    # The CAPTCHA's images (django-simple-captcha), for *Mot de passe expiré*.
    path("captcha/", include("captcha.urls")),
]
