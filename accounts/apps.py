from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Espaces abonnés"

    def ready(self) -> None:
        from accounts import sessions, signals  # noqa: F401
        from accounts.factors import browsers, verification  # noqa: F401
