"""System checks of the back office's settings."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def agent_email_domains_set(app_configs=None, **kwargs) -> list[Warning]:
    """Agents' activation codes go by e-mail to their address (docs/backoffice.md §1.1): without
    AGENT_EMAIL_DOMAINS a supervisor could give a new account an address they read themselves."""
    if not settings.AGENT_EMAIL_DOMAINS:
        return [
            Warning(
                "AGENT_EMAIL_DOMAINS is empty: an agent's account may be given any e-mail "
                "address, so its activation code may reach whoever created it.",
                hint="Set AGENT_EMAIL_DOMAINS to the administration's mail domains.",
                id="backoffice.W001",
            )
        ]
    return []
