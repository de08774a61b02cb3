"""Middleware of the site: who acts (for the audit trail), password expiry enforced on
every page (docs/accounts.md §8, §9), and HTTP hardening (docs/security.md §11)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import SuspiciousOperation
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django_htmx.http import HttpResponseClientRedirect

from accounts.flows.password_expiry import is_expired
from audit.models import Action
from audit.trail import record
from core import clock
from core.context import acting, client_ip
from core.refusals import Refusal

EXPIRED_WHILE_CONNECTED = (
    "Votre mot de passe a expiré : votre session a été fermée. Renouvelez votre mot de passe "
    "pour accéder de nouveau à votre espace."
)


class PasswordExpiryMiddleware:
    """A session whose password has expired meanwhile ends, and leads to *Mot de passe expiré*.

    Logging in with an expired password never opens a session (see `views.login_page`); this
    catches the sessions opened before the instant of expiry.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and is_expired(user):
            record(
                Action.SESSION_ENDED_PASSWORD_EXPIRED,
                actor=user,
                target=user.subscriber_number,
            )
            logout(request)
            messages.warning(request, EXPIRED_WHILE_CONNECTED)
            if getattr(request, "htmx", False):
                return HttpResponseClientRedirect(reverse("passwords:password_expired"))
            return redirect("passwords:password_expired")
        return self.get_response(request)


class ActingMiddleware:
    """Sets, for the duration of the request, who acts and from which address: the audit
    trail reads them (`core.context`), so domain functions take no request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        def actor():
            user = getattr(request, "user", None)
            return user if user is not None and user.is_authenticated else None

        with acting(ip_address=client_ip(request.META), actor=actor):
            return self.get_response(request)


class NulByte(SuspiciousOperation):
    """A request carried a NUL byte (PostgreSQL refuses them in text: never a 500)."""


def _holds_nul(request) -> str | None:
    """Where the request carries a NUL byte, if anywhere: its path, its query string or a
    header (posted fields are looked at after the CSRF check: `RejectNulFieldsMiddleware`)."""
    if "\x00" in request.path or "\x00" in request.path_info:
        return "path"
    if "\x00" in request.META.get("QUERY_STRING", "") or _in_query_dict(request.GET):
        return "query string"
    for name, value in request.META.items():
        if name.startswith("HTTP_") and isinstance(value, str) and "\x00" in value:
            return name
    return None


def _in_query_dict(query_dict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values if isinstance(value, str))
        for key, values in query_dict.lists()
    )


class RejectNulBytesMiddleware:
    """A NUL byte in the path, the query string, a posted field or a header is answered 400
    before anything reads it (first in MIDDLEWARE): PostgreSQL refuses NUL in text, so such a
    value would otherwise end in a 500 wherever it reaches a query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = _holds_nul(request)
        if where:
            raise NulByte(f"NUL byte in the request's {where}")
        return self.get_response(request)


class RejectNulFieldsMiddleware:
    """The same for posted fields, once the CSRF check has passed (placed after
    CsrfViewMiddleware), so that an anonymous request without a token never gets its body
    parsed here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method == "POST" and _in_query_dict(request.POST):
            raise NulByte("NUL byte in the request's form")
        return None


class NoStoreForSubscribersMiddleware:
    """Nothing shown to a logged-in subscriber is kept by the browser or a proxy: every response
    to a session with a subscriber says `Cache-Control: no-store, private` (the back button
    after logout shows nothing, a shared computer keeps no page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        was_authenticated = request.user.is_authenticated
        response = self.get_response(request)
        if was_authenticated or request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class ReportingEndpointsMiddleware:
    """The `Reporting-Endpoints` header naming where browsers send reports (the CSP's
    `report-to`), from the REPORTING_ENDPOINTS setting."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f'{name}="{url}"' for name, url in settings.REPORTING_ENDPOINTS.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Reporting-Endpoints", self.header)
        return response


LOGGED_IN_AT = "logged_in_at"
# When the session was last saved (its idle timeout pushed back): docs/security.md §11.7.
REFRESHED_AT = "refreshed_at"
SESSION_TOO_OLD = (
    "Votre session a atteint sa durée maximale et a été fermée. Reconnectez-vous pour continuer."
)


def remember_login_time(sender, request, user, **kwargs):
    """(user_logged_in) When the session was opened, for its absolute lifetime; logging in saves
    the session, so its idle timeout starts then too."""
    if request is not None and hasattr(request, "session"):
        now = clock.now().timestamp()
        request.session[LOGGED_IN_AT] = now
        request.session[REFRESHED_AT] = now


def session_read_only(view):
    """Marks a view whose requests never save the session, not even to push back its idle
    timeout: background requests (the strength meter's) run while the person submits a form,
    and a save of the session as they read it would undo what the form just kept."""
    view.session_read_only = True
    return view


def _is_stamp(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class SessionLifetimeMiddleware:
    """A session ends SESSION_ABSOLUTE_SECONDS after login (12 hours by default) however active
    it is, besides ending when idle (SESSION_COOKIE_AGE): docs/security.md §8.1. A session
    without a login time (opened before this rule) starts counting now.

    The idle timeout is pushed back by saving the session, which Django does only when it
    changed (SESSION_SAVE_EVERY_REQUEST is off, so that a page view writes nothing): a logged-in
    page view saves it when the last save is SESSION_REFRESH_SECONDS old or more (§11.7)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = clock.now().timestamp()
            logged_in_at = request.session.get(LOGGED_IN_AT)
            if not _is_stamp(logged_in_at):
                request.session[LOGGED_IN_AT] = now
            elif now - logged_in_at >= settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.warning(request, SESSION_TOO_OLD)
                if getattr(request, "htmx", False):
                    return HttpResponseClientRedirect(reverse(settings.LOGIN_URL))
                return redirect(settings.LOGIN_URL)
        response = self.get_response(request)
        if request.user.is_authenticated and request.session.modified:
            # Saved anyway: the idle timeout restarts now, say so.
            request.session[REFRESHED_AT] = clock.now().timestamp()
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "session_read_only", False) or not request.user.is_authenticated:
            return None
        now = clock.now().timestamp()
        refreshed_at = request.session.get(REFRESHED_AT)
        if (
            not _is_stamp(refreshed_at)
            or not 0 <= now - refreshed_at < settings.SESSION_REFRESH_SECONDS
        ):
            request.session[REFRESHED_AT] = now
        return None


class LoginLockedMiddleware:
    """A flow refused because the e-mail is locked from this address (`login.locked`,
    docs/security.md §6): the lock page, 429, and a session open in this browser ends (a
    stolen session gets no more tries than the login page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Refusal) and exception.code == "space.frozen":
            # A frozen space met on another way in (docs/backoffice.md §7): the contact, 403.
            if request.user.is_authenticated:
                logout(request)
            return render(request, "space/frozen.html", {"message": exception.message}, status=403)
        if not (isinstance(exception, Refusal) and exception.code == "login.locked"):
            return None
        if request.user.is_authenticated:
            logout(request)
        minutes = exception.params.get("minutes", 0)
        return render(request, "space/locked_out.html", {"minutes": minutes}, status=429)
