"""The login's second step (docs/security.md §14.3), in the manner of django-allauth's login
stages: after a right password the person is *not* logged in; the session keeps the pending
login (who, the session hash of that moment, when, where to go next) for
LOGIN_SECOND_STEP_WINDOW, and `login()` is called only once the second factor passes — or at
once when the browser's remembered-browser cookie is recognised (one query, in the database:
a browser forgotten elsewhere is asked again)."""

from contextlib import suppress

from django.conf import settings
from django.contrib.auth import login
from django.db import transaction
from django.shortcuts import redirect

from accounts.factors import browsers, email_code, verification
from accounts.models import Subscriber
from core import clock
from core.refusals import Refusal

PENDING = "second_step"
BACKEND = "accounts.backends.SpaceBackend"
COOKIE_SALT = "web.factors.remembered-browser"


def cookie_name() -> str:
    return "__Host-navigateur" if settings.SESSION_COOKIE_SECURE else "navigateur"


def browser_token(request) -> str | None:
    return request.get_signed_cookie(cookie_name(), default=None, salt=COOKIE_SALT)


def begin(request, user: Subscriber, *, after: str | None, warn: bool):
    """After the password: log in at once on a remembered browser, else keep the login pending
    (a new session key: nothing of an earlier anonymous session carries over), send the
    e-mailed code when that is the factor, and go to the second step."""
    if browsers.recognised(user, browser_token(request)):
        return finish(request, user, {"after": after, "warn": warn}, remember=False)
    request.session.cycle_key()
    kind = verification.login_kind(user)
    request.session[PENDING] = {
        "id": user.pk,
        "hash": user.get_session_auth_hash(),
        "at": clock.now().timestamp(),
        "after": after,
        "warn": warn,
        "kind": kind,
    }
    if kind == verification.EMAIL.name:
        # Too many codes sent: the live one still works; « Renvoyer » says why no new one.
        with suppress(Refusal):
            email_code.send_code(user)
    return redirect("factors:login_step")


def pending(request) -> tuple[Subscriber, dict] | None:
    """The person who gave a right password less than LOGIN_SECOND_STEP_WINDOW ago, whose
    password and e-mail have not changed since, and whose space is usable."""
    data = request.session.get(PENDING)
    if not isinstance(data, dict):
        return None
    age = clock.now().timestamp() - data.get("at", 0)
    if not 0 <= age < settings.LOGIN_SECOND_STEP_WINDOW.total_seconds():
        request.session.pop(PENDING, None)
        return None
    user = Subscriber.objects.filter(pk=data.get("id"), is_active=True, frozen_at=None).first()
    if user is None or user.get_session_auth_hash() != data.get("hash"):
        request.session.pop(PENDING, None)
        return None
    return user, data


def finish(request, user: Subscriber, data: dict, *, remember: bool):
    """Log in (a new session key, the session row, `last_login`, the audit event: one commit),
    then the page the login leads to; with « Se souvenir », the remembered browser's cookie."""
    request.session.pop(PENDING, None)
    with transaction.atomic():
        login(request, user, backend=BACKEND)
        token = (
            browsers.remember(user, request.META.get("HTTP_USER_AGENT", "")) if remember else None
        )
    if data.get("warn"):
        response = redirect("passwords:password_expiry_notice")
    else:
        # `after` is a URL name the login page checked against its list, never a URL.
        response = redirect(data.get("after") or "space:home")
    if token:
        response.set_signed_cookie(
            cookie_name(),
            token,
            salt=COOKIE_SALT,
            max_age=int(settings.REMEMBERED_BROWSER_VALIDITY.total_seconds()),
            httponly=True,
            secure=settings.SESSION_COOKIE_SECURE,
            samesite="Lax",
        )
    return response
