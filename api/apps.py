from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Tokens die with the space's credentials; habilitation changes become webhook events.
        from api import tokens, webhooks  # noqa: F401
