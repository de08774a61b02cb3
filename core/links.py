"""Links put in e-mails: built from the SITE_URL setting, never from the request's Host header
(which the client writes: a forged Host would otherwise send a reset link to another site),
docs/security.md §11. Used by every front door (the pages, the API).

And the rows of a list: `UrlPattern`, a page's address reversed once for the whole list, its
last argument filled in per row (docs/design.md, "The hot path")."""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS

# Stands for a row's key while reversing: accepted by the routes' converters of integers, of
# strings and of company identifiers (9 digits).
_SAMPLE = "987654321"


def site_link(url_name: str, *args) -> str:
    """The absolute address of a page of the site, as its users reach it."""
    return settings.SITE_URL + reverse(url_name, args=args)


def token_link(url_name: str) -> Callable[[str, str], str]:
    """The `link_for(link_id, token)` the flows take, for the page `url_name`."""
    return lambda link_id, token: site_link(url_name, link_id, token)


@dataclass(frozen=True)
class UrlPattern:
    """A page's address with its last argument left open. `reverse()` walks the URL
    configuration on every call (a fifth of the rendering of a list of 50 dossiers was spent
    there): a list reverses once, then fills the key in for each row (`url(key)`)."""

    prefix: str
    suffix: str

    def url(self, key) -> str:
        """The row's address. Give a key the route's converter accepts (a primary key, a SIREN,
        a subscriber number): unlike `reverse()`, this does not check it; it is quoted alike."""
        return f"{self.prefix}{quote(str(key), safe=RFC3986_SUBDELIMS + '/~:@')}{self.suffix}"


def url_pattern(url_name: str, *args) -> UrlPattern:
    """The address of `url_name` with `args` and one more argument left open, the key of each
    row; reversed once (refused loudly if the route does not take that last argument)."""
    url = reverse(url_name, args=[*args, _SAMPLE])
    if url.count(_SAMPLE) != 1:
        raise ImproperlyConfigured(f"{url_name}'s address cannot be reversed once per list: {url}")
    prefix, suffix = url.split(_SAMPLE)
    return UrlPattern(prefix, suffix)
