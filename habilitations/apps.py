from django.apps import AppConfig


class HabilitationsConfig(AppConfig):
    name = "habilitations"
    verbose_name = "Habilitations"

    def ready(self) -> None:
        # The apps below this one tell it what it keeps in step (no upward import).
        from accounts.flows import registration
        from companies.signals import registry_imported
        from habilitations.models import SimplifiedRegistration
        from habilitations.portfolio import sync as portfolio_sync

        registry_imported.connect(_refresh_portfolio_names, dispatch_uid="portfolio-names")
        registration.register_email_holder(SimplifiedRegistration.holds_email)
        del portfolio_sync


def _refresh_portfolio_names(sender, **kwargs) -> int:
    from habilitations.portfolio.sync import refresh_company_names

    return refresh_company_names()
