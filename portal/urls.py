from django.urls import include, path

urlpatterns = [
    path("", include("correspondence.urls")),
    path("", include("accounts.urls")),
]
