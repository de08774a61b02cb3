"""Password expiry enforced on the server, for every page (docs/accounts.md §7): the one place."""

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from accounts.flows.password_expiry import is_expired
from audit.models import Action
from audit.trail import record

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
                request=request,
            )
            logout(request)
            messages.warning(request, EXPIRED_WHILE_CONNECTED)
            if getattr(request, "htmx", False):
                return HttpResponseClientRedirect(reverse("passwords:password_expired"))
            return redirect("passwords:password_expired")
        return self.get_response(request)
