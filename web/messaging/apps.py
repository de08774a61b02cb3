from django.apps import AppConfig


class WebMessagingConfig(AppConfig):
    """The company's side of the secure messaging (its label apart from the domain's app)."""

    name = "web.messaging"
    label = "web_messaging"
