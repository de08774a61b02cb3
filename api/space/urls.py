"""*Accès pour vos logiciels*: the subscriber's tokens, webhooks and their delivery log."""

from django.urls import path

from api.space import views

app_name = "api_space"
urlpatterns = [
    path("espace/logiciels/", views.tokens_page, name="tokens"),
    path("espace/logiciels/jetons/<int:pk>/revoquer/", views.revoke_token, name="revoke_token"),
    path("espace/logiciels/webhooks/", views.webhooks_page, name="webhooks"),
    path(
        "espace/logiciels/webhooks/<int:pk>/supprimer/", views.revoke_webhook, name="revoke_webhook"
    ),
]
