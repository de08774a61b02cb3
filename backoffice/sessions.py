"""The agents' session store (docs/backoffice.md §1): Django's database sessions in a table of
their own (`AgentSession`), ending after AGENT_SESSION_IDLE_SECONDS (15 minutes) idle, and
bound to the network they were opened from (`network_of`, §1.6)."""

import ipaddress

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DbStore


class SessionStore(DbStore):
    @classmethod
    def get_model_class(cls):
        from backoffice.models import AgentSession

        return AgentSession

    def get_session_cookie_age(self) -> int:
        return settings.AGENT_SESSION_IDLE_SECONDS


# The network of an address an agent's session stays in: an office's or a home box's address may
# change in its last bits between two requests, a cookie taken elsewhere comes from elsewhere.
SESSION_PREFIX = {4: 24, 6: 64}


def network_of(address: str | None) -> str:
    """The client address's /24 (IPv4) or /64 (IPv6), as text; "" when there is none."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return ""
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return str(ipaddress.ip_network(f"{ip}/{SESSION_PREFIX[ip.version]}", strict=False))
