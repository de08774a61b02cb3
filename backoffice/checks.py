"""System checks of the back office's settings."""

import ipaddress

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


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


@register(Tags.security, deploy=True)
def agent_networks_set(app_configs=None, **kwargs) -> list[Error]:
    """Outside DEBUG, the agents' pages are reachable from the administration's networks only
    (docs/backoffice.md §1.6): without AGENT_ALLOWED_NETWORKS, an agent's password and second
    factor, or a session cookie taken from their browser, would work from anywhere."""
    if settings.DEBUG or settings.AGENT_ALLOWED_NETWORKS:
        return []
    return [
        Error(
            "AGENT_ALLOWED_NETWORKS is empty: the agents' pages, and an agent's session, can be "
            "used from any address.",
            hint="Set AGENT_ALLOWED_NETWORKS to the administration's networks (10.0.0.0/8,…).",
            id="backoffice.E001",
        )
    ]


@register(Tags.security)
def agent_networks_valid(app_configs=None, **kwargs) -> list[Error]:
    """Each of AGENT_ALLOWED_NETWORKS reads as a network: a typo would otherwise answer every
    agent page with an error."""
    errors = []
    for network in settings.AGENT_ALLOWED_NETWORKS:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            errors.append(
                Error(
                    f"AGENT_ALLOWED_NETWORKS: {network!r} is not a network.",
                    hint="Write networks like 10.0.0.0/8 or 2001:db8::/32, separated by commas.",
                    id="backoffice.E002",
                )
            )
    return errors
