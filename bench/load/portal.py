"""What the load test knows of the portal's pages: the paths it requests and how it reads
the pages (CSRF token, dossiers, the next page's link), without locust, so that a test can
check them against the real URLs and pages (tests/test_load_locustfile.py)."""

import hmac
import re
import struct
import time

LOGIN = "/"
# The login's second step (docs/security.md §14.3): the load accounts hold an authenticator
# app whose key run.py gives them (LOAD_TOTP_HEX), so the users compute its code.
LOGIN_STEP = "/connexion/verification/"
LOAD_TOTP_HEX = "4c6f6164546573744b65792d6e6f742d61207365"
LOGOUT = "/quitter/"
HOME = "/espace/"
TERMS = "/conditions-generales/"
PORTFOLIO = "/espace/dossiers/"
DOSSIER = "/espace/dossiers/{identifier}/"
SERVICES = "/espace/habilitations/"
DELEGATIONS = "/espace/dossiers/{identifier}/delegations/"
# Every path requested, with the Django URL name it must resolve to.
ROUTES = {
    "space:login": LOGIN,
    "factors:login_step": LOGIN_STEP,
    "space:logout": LOGOUT,
    "space:home": HOME,
    "signup:general_conditions": TERMS,
    "dossiers:portfolio": PORTFOLIO,
    "dossiers:dossier": DOSSIER,
    "dossiers:mine": SERVICES,
    "dossiers:delegations": DELEGATIONS,
}
# What only a logged-in page shows: the *Quitter* form.
LOGGED_IN = f'action="{LOGOUT}"'
# What the portfolio shows when it lists dossiers.
DOSSIER_LIST = 'name="dossier"'

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_DOSSIER = re.compile(r'name="dossier" value="([0-9]{9}|P[0-9]{8})"')
_NAME = re.compile(r'<a class="fr-link" href="/espace/dossiers/[0-9P]+/">([^<]+)</a>')
_NEXT = re.compile(r'href="\?([^"]*apres=[^"]+)"[^>]*>Page suivante')


def csrf_token(html: str) -> str:
    match = _CSRF.search(html)
    return match.group(1) if match else ""


def dossiers(html: str) -> list[str]:
    """The identifiers of the dossiers listed on a portfolio page."""
    return _DOSSIER.findall(html)


def dossier_names(html: str) -> list[str]:
    return [name.replace("&#x27;", "'").replace("&amp;", "&") for name in _NAME.findall(html)]


def next_page(html: str) -> str | None:
    """The path of *Page suivante* on a portfolio page, if there is one."""
    match = _NEXT.search(html)
    return f"{PORTFOLIO}?{match.group(1).replace('&amp;', '&')}" if match else None


def search_path(name: str) -> str:
    """A search as a person types it: the first word of a name and the start of the second."""
    words = name.split()
    query = " ".join([*words[:1], *[w[:3] for w in words[1:2]]])
    return f"{PORTFOLIO}?q={query.replace(' ', '+')}"


def totp(hex_key: str = LOAD_TOTP_HEX, at: float | None = None, step: int = 30) -> str:
    """RFC 6238's code (SHA-1, 6 digits, 30 s) at `at` (now by default), with the standard
    library only (the load users run without Django)."""
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(bytes.fromhex(hex_key), struct.pack(">Q", counter), "sha1").digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def seconds_to_next_step(step: int = 30) -> float:
    return step - time.time() % step + 0.05
