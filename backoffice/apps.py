from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "backoffice"
    verbose_name = "Espace agents"

    def ready(self):
        from backoffice import checks  # noqa: F401  (registers the system checks)
