"""Links put in e-mails: built from the SITE_URL setting, never from the request's Host header
(which the client writes: a forged Host would otherwise send a reset link to another site),
docs/security.md §11. Used by every front door (the pages, the API)."""

from collections.abc import Callable

from django.conf import settings
from django.urls import reverse


def site_link(url_name: str, *args) -> str:
    """The absolute address of a page of the site, as its users reach it."""
    return settings.SITE_URL + reverse(url_name, args=args)


def token_link(url_name: str) -> Callable[[str, str], str]:
    """The `link_for(link_id, token)` the flows take, for the page `url_name`."""
    return lambda link_id, token: site_link(url_name, link_id, token)
