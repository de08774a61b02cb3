"""Where webhooks may post, and one try (docs/api.md §7): an `https://` address whose host
resolves to public addresses only (no SSRF towards the servers' own network), and the try that
dials the very address checked, the certificate still checked against the host's name."""

import functools
import ipaddress
import socket
import ssl
from urllib.parse import urlsplit

import certifi
import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from api.models import Webhook
from core.refusals import Refusal

URL_MAX_LENGTH = Webhook._meta.get_field("url").max_length
_url_validator = URLValidator(schemes=["https"])


def _is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and (
        ip.ipv4_mapped or ip.sixtofour or any(ip in network for network in _NAT64)
    ):
        return False  # an IPv4 address in disguise: judged as such it may be private
    return ip.is_global


# NAT64's well-known prefix (RFC 6052) and its local-use prefix (RFC 8215): both carry an IPv4
# address that a translator on the servers' network would reach.
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


def _public_address(host: str) -> str | None:
    """One address the host resolves to, if every one of them is public (no SSRF towards the
    servers' own network), else None. The delivery connects to that very address, so a DNS
    answer that changes between the check and the connection cannot redirect it."""
    try:
        infos = socket.getaddrinfo(host, 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return None
    addresses = [info[4][0] for info in infos]
    if not addresses:
        return None
    if settings.API_WEBHOOK_ALLOW_PRIVATE or all(_is_public_address(a) for a in addresses):
        return addresses[0]
    return None


def _public(host: str) -> bool:
    return _public_address(host) is not None


def _well_formed(url: str) -> bool:
    """An address a delivery can use: no space nor control character (a NUL, which PostgreSQL
    refuses in text), valid for Django's `URLValidator`, its port (if any) in range."""
    if not all(c.isprintable() and not c.isspace() for c in url):
        return False
    try:
        _url_validator(url)
        urlsplit(url).port  # noqa: B018 - raises ValueError when out of range
    except (ValidationError, ValueError):
        return False
    return True


def check_url(url: str) -> str:
    """The address as kept, if webhooks may post to it (docs/api.md §7): at most
    `URL_MAX_LENGTH` characters, `https://`, well-formed, no credentials in it, a host whose
    every address is public."""
    url = url.strip()
    if len(url) > URL_MAX_LENGTH:
        raise Refusal("api.webhook_url_too_long", field="url", max=URL_MAX_LENGTH)
    if not url.lower().startswith("https://"):
        raise Refusal("api.webhook_https_only", field="url")
    if not _well_formed(url):
        raise Refusal("api.webhook_url_invalid", field="url")
    parts = urlsplit(url)
    if parts.username or parts.password or not _public(parts.hostname):
        raise Refusal("api.webhook_address_refused", field="url")
    return url


class AddressRefused(Exception):
    """The webhook's host resolves (now) to a non-public address."""


def _tls() -> ssl.SSLContext:
    """How receivers' certificates are checked: certifi's authorities (httpx's default), or
    those of `API_WEBHOOK_CA_BUNDLE` instead."""
    return _tls_context(settings.API_WEBHOOK_CA_BUNDLE or certifi.where())


@functools.lru_cache(maxsize=4)
def _tls_context(authorities: str) -> ssl.SSLContext:
    # Reading the authorities costs milliseconds of CPU: once per process and file, not per try.
    return ssl.create_default_context(cafile=authorities)


def post(url: str, body: bytes, headers: dict) -> int:
    """One HTTP try (no redirects followed) to the address checked just before, the TLS
    certificate still checked against the host's name (the SNI and the check use the host, the
    connection the address): the answer's status."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    address = _public_address(host)
    if address is None:
        raise AddressRefused(host)
    literal = f"[{address}]" if ":" in address else address
    pinned = parts._replace(netloc=f"{literal}:{parts.port or 443}").geturl()
    # trust_env off: a proxy from the environment would dial the host by name again.
    with httpx.Client(
        verify=_tls(),
        timeout=settings.API_WEBHOOK_TIMEOUT_SECONDS,
        follow_redirects=False,
        trust_env=False,
    ) as client:
        response = client.post(
            pinned,
            content=body,
            headers={**headers, "Host": parts.netloc},
            extensions={"sni_hostname": host},
        )
    return response.status_code
