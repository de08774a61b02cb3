"""*Sécurité de connexion* (docs/accounts.md §17): the factor a login asks, the authenticator
app, the passkeys (their own pages: passkey_views), recovery codes, the second address,
remembered browsers and open sessions. Every change of a factor asks a fresh second factor
first (`require_fresh_factor`); forgetting a browser or ending a session, which only take
access away, do not."""

import segno
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import sessions
from accounts.factors import app, browsers, email_code, passkeys, recovery, verification
from accounts.factors.models import LoginFactor
from audit.models import Action
from audit.trail import record
from core.refusals import Refusal
from web.factors.forms import CodeForm, SecondEmailForm
from web.factors.login_step import browser_token
from web.factors.step_up import require_fresh_factor
from web.refusals import add_to_form, add_to_page

RECOVERY_SESSION_KEY = "recovery_codes_shown"


@require_GET
def security(request):
    user = request.user
    token = browser_token(request)
    remembered = [(row, browsers.is_this(row, token)) for row in browsers.live(user)]
    return render(
        request,
        "factors/security.html",
        {
            "login_kind": verification.login_kind(user),
            "factors": LoginFactor,
            "has_app": app.has_app(user),
            "recovery_left": recovery.count(user),
            "passkeys": passkeys.passkeys_of(user),
            "passkey_possible": passkeys.possible(),
            "second_email": email_code.second_email(user),
            "remembered": remembered,
            "sessions": sessions.open_sessions(user, current_key=request.session.session_key),
        },
    )


@require_POST
@require_fresh_factor
def choose(request):
    try:
        verification.choose(request.user, request.POST.get("factor", ""))
    except Refusal as refusal:
        add_to_page(request, refusal)
    else:
        messages.success(request, "Le moyen de vérification de vos connexions est modifié.")
    return redirect("factors:security")


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
@require_fresh_factor
def enrol_app(request):
    user = request.user
    pending = app.pending_enrolment(user) or app.start_enrolment(user)
    form = CodeForm(
        request.POST if request.method == "POST" else None,
        label="Code affiché par l'application",
        hint="6 chiffres.",
    )
    if request.method == "POST" and form.is_valid():
        try:
            app.confirm_enrolment(user, form.cleaned_data["code"])
        except Refusal as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(
                request,
                "Votre application d'authentification est enregistrée : elle vous sera "
                "demandée à chaque connexion.",
            )
            return redirect("factors:security")
    qr = segno.make(pending.config_url, error="m").svg_data_uri(scale=5, border=2)
    return render(
        request,
        "factors/enrol_app.html",
        {"form": form, "qr": qr, "secret": pending.base32_key, "replacing": app.has_app(user)},
    )


@require_POST
@require_fresh_factor
def remove_app(request):
    if app.remove(request.user):
        messages.success(
            request,
            "L'application est supprimée : un code vous sera envoyé par "
            "courriel à chaque connexion.",
        )
    return redirect("factors:security")


@require_POST
@require_fresh_factor
def new_recovery_codes(request):
    codes = recovery.new_codes(request.user)
    return render(request, "factors/recovery_codes.html", {"codes": codes}, status=201)


@require_POST
def download_recovery_codes(request):
    """« Télécharger »: the codes the page just showed, posted back by it (never read from the
    server, which keeps only their hashes)."""
    codes = [c for c in request.POST.getlist("code") if len(c) <= 11][:20]
    body = "Codes de secours de votre espace professionnel (chacun ne sert qu'une fois)\n\n"
    response = HttpResponse(
        body + "\n".join(codes) + "\n", content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="codes-de-secours.txt"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@require_fresh_factor
def second_email(request):
    user = request.user
    current = email_code.second_email(user)
    waiting = current is not None and current.confirmed_at is None
    add_form = SecondEmailForm(request.POST if "email" in request.POST else None)
    code_form = CodeForm(request.POST if "code" in request.POST else None)
    if "email" in request.POST and add_form.is_valid():
        try:
            email_code.add_second_email(user, add_form.cleaned_data["email"])
        except Refusal as refusal:
            add_to_form(add_form, refusal)
        else:
            return redirect("factors:second_email")
    if "code" in request.POST and code_form.is_valid():
        try:
            email_code.confirm_second_email(user, code_form.cleaned_data["code"])
        except Refusal as refusal:
            add_to_form(code_form, refusal)
        else:
            messages.success(
                request,
                "L'adresse de secours est confirmée : les codes de "
                "connexion y seront aussi envoyés.",
            )
            return redirect("factors:security")
    return render(
        request,
        "factors/second_email.html",
        {"add_form": add_form, "code_form": code_form, "current": current, "waiting": waiting},
    )


@require_POST
@require_fresh_factor
def remove_second_email(request):
    if email_code.remove_second_email(request.user):
        messages.success(request, "L'adresse de secours est supprimée.")
    return redirect("factors:security")


@require_POST
def forget_browser(request, pk: int):
    if browsers.forget(request.user, pk):
        messages.success(request, "Ce navigateur est oublié : le second facteur y sera demandé.")
    return redirect("factors:security")


@require_POST
def end_session(request, pk: int):
    user = request.user
    if sessions.end_session(user, pk, keep=request.session.session_key):
        record(Action.SESSION_ENDED_BY_OWNER, actor=user, target=user.subscriber_number)
        messages.success(request, "La session est fermée.")
    return redirect("factors:security")
