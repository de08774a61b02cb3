"""Step-up before a sensitive action (docs/security.md §14.4): the ONE thing a page calls, for
every front door with sessions (the pages, the API's own pages *Accès pour vos logiciels*);
`web.factors.step_up` re-exports it.

    from web.factors.step_up import require_fresh_factor

    @require_fresh_factor(reason="bank_account")
    def add_bank_account(request, ...): ...

Unless the session proved a second factor less than REAUTHENTICATION_WINDOW ago
(`recently_proved`; `accounts.flows.reauthentication.prove_factor` marks it), any request to
the view is sent to *Vérification de sécurité* (`factors:proof`) with `next` = the page to
come back to and `raison` = why it is asked (a key of REASONS: the page says it in words, never
text from the URL). A remembered browser changes nothing: the proof is the session's own.

For a view that shows a page and guards only its POST, call `fresh_factor_redirect(request,
reason)` in the POST branch. A POST sent to the proof page is not replayed: `next` is the form's
page (`next_path` if given, else the same-site Referer, else the path posted to), and what the
person typed (passwords excepted) waits in the session for that page, which shows it again via
`posted_again(request)`: they check it and send it once more."""

from functools import wraps
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from core import clock

# The session key holding when its holder last proved a second factor (a POSIX timestamp).
PROVED_AT = "reauthenticated_at"

# Why the proof page asks (`?raison=`): what the person was doing, in words.
REASONS = {
    "bank_account": "Pour ajouter ou modifier un compte bancaire, confirmez votre identité.",
    "deputy": "Pour désigner un administrateur suppléant, confirmez votre identité.",
    "payer": "Pour déléguer un service Payer, confirmez votre identité.",
    "delegation_request": "Pour accepter une demande de délégation, confirmez votre identité.",
    "api_token": "Pour créer un jeton d'accès pour un logiciel, confirmez votre identité.",
    "webhook": "Pour enregistrer un webhook, confirmez votre identité.",
    "identifiers": (
        "Pour modifier votre adresse électronique de connexion ou votre mot de passe, "
        "confirmez votre identité."
    ),
    "factors": "Pour modifier vos moyens de connexion, confirmez votre identité.",
}
DEFAULT_REASON = "Cette opération est sensible : confirmez qu'il s'agit bien de vous."
# The session key holding a POST sent to the proof page: {"path": …, "data": {name: [values]}}.
POSTED = "step_up_posted"
_NOT_KEPT = ("csrfmiddlewaretoken",)


def mark_proved(session) -> None:
    session[PROVED_AT] = clock.now().timestamp()


def recently_proved(session) -> bool:
    """Whether this session's holder proved a second factor less than
    `REAUTHENTICATION_WINDOW` ago (logging in does not count)."""
    proved_at = session.get(PROVED_AT)
    if not isinstance(proved_at, int | float) or isinstance(proved_at, bool):
        return False
    elapsed = clock.now().timestamp() - proved_at
    return 0 <= elapsed < settings.REAUTHENTICATION_WINDOW.total_seconds()


def reason_text(key: str | None) -> str:
    return REASONS.get(key or "", DEFAULT_REASON)


def proof_url(next_path: str, reason: str | None = None) -> str:
    query = {"next": next_path, **({"raison": reason} if reason in REASONS else {})}
    return f"{reverse('factors:proof')}?{urlencode(query)}"


def _form_page(request) -> str:
    """The page a POST came from, when it is one of this site's (the Referer; the site's
    policy, same-origin, sends it within the site)."""
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return ""


def _keep_posted(request, page: str) -> None:
    """What the person typed, kept for the form's page (never a password, nor a file)."""
    data = {
        name: request.POST.getlist(name)
        for name in request.POST
        if name not in _NOT_KEPT and "password" not in name
    }
    request.session[POSTED] = {"path": urlsplit(page).path, "data": data}


def posted_again(request):
    """On the form's page (GET) after a proof: what was posted before it, as a QueryDict to
    bind the form to; None otherwise. Read once."""
    from django.http import QueryDict

    kept = request.session.get(POSTED)
    if request.method != "GET" or not isinstance(kept, dict):
        return None
    if kept.get("path") != request.path:
        return None
    del request.session[POSTED]
    data = QueryDict(mutable=True)
    for name, values in (kept.get("data") or {}).items():
        data.setlist(name, [str(v) for v in values])
    return data


def fresh_factor_redirect(request, reason: str | None = None, *, next_path: str | None = None):
    """None when the session proved a factor recently; else the redirect to the proof page."""
    if recently_proved(request.session):
        return None
    if request.method == "GET":
        page = next_path or request.get_full_path()
    else:
        page = next_path or _form_page(request) or request.path
        _keep_posted(request, page)
    return redirect(proof_url(page, reason))


def require_fresh_factor(view=None, *, reason: str | None = None, next_path=None):
    """`@require_fresh_factor` or `@require_fresh_factor(reason="bank_account")`."""

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            return fresh_factor_redirect(request, reason, next_path=next_path) or view(
                request, *args, **kwargs
            )

        return guarded

    return decorate(view) if view is not None else decorate
