"""Middleware of the site: who acts (for the audit trail), and password expiry enforced on
every page (docs/accounts.md §8, §9)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from accounts.flows.password_expiry import is_expired
from audit.models import Action
from audit.trail import record
from core.context import acting

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


def client_ip(request) -> str | None:
    """The client's address as the server saw it."""
    return request.META.get("REMOTE_ADDR") or None


class ActingMiddleware:
    """Sets, for the duration of the request, who acts and from which address: the audit
    trail reads them (`core.context`), so domain functions take no request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        def actor():
            user = getattr(request, "user", None)
            return user if user is not None and user.is_authenticated else None

        with acting(ip_address=client_ip(request), actor=actor):
            return self.get_response(request)
