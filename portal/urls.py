from django.urls import include, path

urlpatterns = [
    path("", include("correspondence.urls")),
    path("", include("accounts.urls")),
    path("", include("habilitations.urls")),
]
