from django.urls import include, path

urlpatterns = [
    path("", include("correspondence.urls")),
    path("", include("accounts.urls")),
    path("", include("habilitations.urls")),
    # The CAPTCHA's images (django-simple-captcha), for *Mot de passe expiré*.
    path("captcha/", include("captcha.urls")),
]
