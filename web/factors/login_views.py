"""*Vérification en deux étapes* (docs/accounts.md §17): the login's second step, and the
step-up page *Vérification de sécurité* asked before a sensitive action. Thin views over
`accounts.factors` and `web.factors.login_step`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from accounts.factors import email_code, passkeys, recovery, verification
from accounts.flows.reauthentication import prove_factor
from core.refusals import Refusal
from web.factors import login_step
from web.factors.forms import METHOD_HINTS, METHOD_LABELS, CodeForm, LoginCodeForm
from web.factors.step_up import reason_text, safe_next
from web.refusals import add_to_form

EXPIRED = "Votre connexion n'a pas été terminée à temps : saisissez de nouveau votre mot de passe."
RESENT = "Un nouveau code vous a été envoyé."


def _methods(user, chosen: str) -> list[str]:
    """What the person may type: the chosen factor, and recovery codes when they hold some."""
    return [chosen, *(["recovery"] if recovery.count(user) else [])]


def _method(request, methods: list[str]) -> str:
    asked = request.GET.get("moyen")
    return asked if asked in methods else methods[0]


@login_not_required
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def second_step(request):
    found = login_step.pending(request)
    if found is None:
        messages.error(request, EXPIRED)
        return redirect("space:login")
    user, data = found
    methods = _methods(user, data["kind"])
    method = _method(request, methods)
    form = LoginCodeForm(
        request.POST if request.method == "POST" else None,
        label=METHOD_LABELS[method],
        hint=METHOD_HINTS[method],
    )
    if request.method == "POST" and form.is_valid():
        try:
            verification.verify(user, method, form.cleaned_data["code"], purpose="login")
        except Refusal as refusal:
            add_to_form(form, refusal)
        else:
            return login_step.finish(request, user, data, remember=form.cleaned_data["remember"])
    return render(
        request,
        "factors/login_step.html",
        {
            "form": form,
            "email": user.email,
            "method": method,
            "others": [(m, METHOD_LABELS[m]) for m in methods if m != method],
            "recipients": email_code.recipients(user) if method == "email" else [],
            "minutes": email_code.minutes(),
            "passkey": passkeys.has_passkey(user),
        },
    )


@login_not_required
@sensitive_post_parameters()
@require_POST
def resend(request):
    found = login_step.pending(request)
    if found is None:
        messages.error(request, EXPIRED)
        return redirect("space:login")
    _send(request, found[0])
    return redirect("factors:login_step")


def _send(request, user, purpose: str = "login") -> None:
    try:
        email_code.send_code(user, purpose=purpose)
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, RESENT)


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def proof(request):
    """*Vérification de sécurité*: a second factor verified now, before a sensitive action
    (`web.factors.step_up`); then back to `next`."""
    user = request.user
    next_path = safe_next(request, request.GET.get("next"))
    methods = _methods(user, verification.login_kind(user))
    method = _method(request, methods)
    if method == "email" and request.method == "GET" and email_code.live_code(user) is None:
        _send(request, user, purpose="step_up")
    form = CodeForm(
        request.POST if request.method == "POST" else None,
        label=METHOD_LABELS[method],
        hint=METHOD_HINTS[method],
    )
    if request.method == "POST" and "resend" in request.POST:
        _send(request, user, purpose="step_up")
        return redirect(request.get_full_path())
    if request.method == "POST" and form.is_valid():
        try:
            prove_factor(user, request.session, kind=method, code=form.cleaned_data["code"])
        except Refusal as refusal:
            add_to_form(form, refusal)
        else:
            return redirect(next_path)
    return render(
        request,
        "factors/proof.html",
        {
            "form": form,
            "method": method,
            "others": [(m, METHOD_LABELS[m]) for m in methods if m != method],
            "next": next_path,
            "reason": reason_text(request.GET.get("raison")),
            "recipients": email_code.recipients(user) if method == "email" else [],
            "minutes": email_code.minutes(),
            "passkey": passkeys.has_passkey(user),
        },
    )
