"""*Accès pour vos logiciels* (docs/api.md §3, §7): the subscriber's personal access tokens
(create, shown once; revoke; last use), webhooks (register, secret shown once; delete) and their
delivery log. Thin views over `api.tokens` and `api.webhooks`. Creating a token or a webhook asks
the current password unless the session proved it recently (docs/security.md §9.1)."""

from datetime import datetime, time

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from accounts.flows.reauthentication import reauthenticate, recently_authenticated
from api import tokens, webhooks
from api.models import Scope
from api.space.forms import TokenForm, WebhookForm, add_refusal
from core import clock
from core.refusals import Refusal


def _expiry(day) -> datetime:
    """The end of the chosen day, Paris time."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def _password_check(request):
    """How the form checks the current password; None when the session proved it recently."""
    if recently_authenticated(request.session):
        return None
    return lambda password: reauthenticate(request.user, request.session, password=password)


@sensitive_post_parameters("current_password")
@require_http_methods(["GET", "POST"])
def tokens_page(request):
    form = TokenForm(
        request.POST if request.method == "POST" else None, check_password=_password_check(request)
    )
    created = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            token, raw = tokens.create_token(
                request.user, data["name"], data["scopes"], _expiry(data["expires_on"])
            )
        except Refusal as refusal:
            add_refusal(form, refusal)
        else:
            created = (token, raw)
            form = TokenForm(check_password=_password_check(request))
    now = clock.now()
    rows = [
        (t, t.is_live(now), [Scope(s).label for s in t.scopes])
        for t in tokens.tokens_of(request.user)
    ]
    return render(
        request,
        "api_space/tokens.html",
        {"form": form, "rows": rows, "created": created},
        status=201 if created else 200,
    )


@require_POST
def revoke_token(request, pk: int):
    token = tokens.revoke(request.user, pk)
    if token is not None:
        messages.success(request, f"Le jeton « {token.name} » est révoqué.")
    return redirect("api_space:tokens")


@sensitive_post_parameters("current_password")
@require_http_methods(["GET", "POST"])
def webhooks_page(request):
    form = WebhookForm(
        request.POST if request.method == "POST" else None, check_password=_password_check(request)
    )
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = webhooks.register(request.user, form.cleaned_data["url"])
        except Refusal as refusal:
            add_refusal(form, refusal)
        else:
            form = WebhookForm(check_password=_password_check(request))
    return render(
        request,
        "api_space/webhooks.html",
        {
            "form": form,
            "created": created,
            "hooks": webhooks.webhooks_of(request.user),
            "deliveries": webhooks.delivery_log(request.user),
        },
    )


@require_POST
def revoke_webhook(request, pk: int):
    if webhooks.revoke(request.user, pk):
        messages.success(request, "Le webhook est supprimé : il ne recevra plus d'événement.")
    return redirect("api_space:webhooks")
