"""*Accès pour vos logiciels* (docs/api.md §3, §7): the subscriber's personal access tokens
(create, shown once; revoke; last use), webhooks (register, secret shown once; delete) and their
delivery log. Thin views over `api.tokens` and `api.webhooks`. Creating a token or a webhook asks
a fresh second factor (*Vérification de sécurité*, docs/security.md §9.1, §14.4); what was typed
comes back on the page after it."""

from datetime import datetime, time

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from api import tokens, webhooks
from api.models import Scope
from api.space.forms import TokenForm, WebhookForm, add_refusal
from core import clock
from core.refusals import Refusal
from core.step_up import fresh_factor_redirect, posted_again


def _expiry(day) -> datetime:
    """The end of the chosen day, Paris time."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


@require_http_methods(["GET", "POST"])
def tokens_page(request):
    if request.method == "POST" and (step_up := fresh_factor_redirect(request, "api_token")):
        return step_up
    form = TokenForm(request.POST if request.method == "POST" else posted_again(request))
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
            form = TokenForm()
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


@require_http_methods(["GET", "POST"])
def webhooks_page(request):
    if request.method == "POST" and (step_up := fresh_factor_redirect(request, "webhook")):
        return step_up
    form = WebhookForm(request.POST if request.method == "POST" else posted_again(request))
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = webhooks.register(request.user, form.cleaned_data["url"])
        except Refusal as refusal:
            add_refusal(form, refusal)
        else:
            form = WebhookForm()
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
