"""Reading settings from the environment: typed, with a clear error for a malformed value."""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int_list(name: str, default: list[int]) -> list[int]:
    try:
        return [int(item) for item in env_list(name, [str(d) for d in default])]
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be integers separated by commas") from exc


def env_site_url(name: str, default: str) -> str:
    """A site's address: a scheme (http, https) and a host only, without the final slash;
    required (an empty default: required when DEBUG is off)."""
    url = env_str(name, default).rstrip("/")
    if not url:
        raise ImproperlyConfigured(f"{name} must be set when DEBUG is off (https://host).")
    site = urlsplit(url)
    if (
        site.scheme not in {"http", "https"}
        or not site.hostname
        or site.username is not None
        or site.path
        or site.query
        or site.fragment
    ):
        raise ImproperlyConfigured(f"{name} must be a scheme and a host only, not {url!r}")
    return url
