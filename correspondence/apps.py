from django.apps import AppConfig


class CorrespondenceConfig(AppConfig):
    name = "correspondence"
    verbose_name = "Courriels et courriers"

    def ready(self):
        from correspondence import checks  # noqa: F401  (registers the system checks)
