"""Passkeys' pages (docs/accounts.md §17, docs/security.md §14.6): adding, naming and removing
one in *Sécurité de connexion*, and the JSON endpoints the browser's ceremony calls —
django-otp-webauthn's script (`otp_webauthn_register.js`, `otp_webauthn_auth.js`) posts to
them with the CSRF token in `X-CSRFToken` and follows `redirect_url` when they answer. Thin
views over `accounts.factors.passkeys`: one pair of endpoints per purpose (enrolment, the
login without password, the login's second step, step-up), each keeping its own challenge."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.factors import passkeys
from accounts.flows.reauthentication import prove_passkey, recently_authenticated
from core.refusals import Refusal
from web.factors import login_step
from web.factors.forms import PasskeyNameForm
from web.factors.step_up import require_fresh_factor, safe_next
from web.refusals import add_to_form

STEP_UP_EXPIRED = (
    "Votre vérification de sécurité a expiré : rechargez la page pour confirmer de nouveau "
    "qu'il s'agit bien de vous."
)
LOGIN_EXPIRED = "Votre connexion n'a pas été terminée à temps : recommencez."
STATUS = {"login.locked": 429, "space.frozen": 403, "factor.too_many_tries": 429}


def _refused(refusal: Refusal) -> JsonResponse:
    return JsonResponse(
        {"detail": refusal.message, "code": refusal.code},
        status=STATUS.get(refusal.code, 400),
    )


def _detail(message: str, status: int = 403) -> JsonResponse:
    return JsonResponse({"detail": message}, status=status)


def _data(request) -> dict:
    """The browser's answer (a JSON object); anything else: an empty one, which fails."""
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


# --- enrolment (Sécurité de connexion) -------------------------------------------------------


@require_http_methods(["GET"])
@require_fresh_factor
def add(request):
    """*Ajouter une clé d'accès*: the button that runs the browser's ceremony."""
    return render(
        request,
        "factors/passkey_add.html",
        {"count": len(passkeys.passkeys_of(request.user))},
    )


@never_cache
@require_POST
def register_begin(request):
    if not recently_authenticated(request.session):
        return _detail(STEP_UP_EXPIRED)
    return JsonResponse(passkeys.begin_registration(request.user, request.session))


@never_cache
@require_POST
def register_complete(request):
    if not recently_authenticated(request.session):
        return _detail(STEP_UP_EXPIRED)
    try:
        passkey = passkeys.complete_registration(
            request.user,
            request.session,
            _data(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
    except Refusal as refusal:
        return _refused(refusal)
    messages.success(
        request,
        "Votre clé d'accès est enregistrée : vous pourrez vous connecter avec elle, sans mot "
        "de passe. Donnez-lui un nom qui vous permette de la reconnaître.",
    )
    return JsonResponse(
        {"id": passkey.pk, "redirect_url": reverse("factors:passkey_name", args=[passkey.pk])}
    )


@require_http_methods(["GET", "POST"])
def name(request, pk: int):
    """Name (or rename) one of the person's passkeys. Naming changes no access: no step-up."""
    passkey = next((p for p in passkeys.passkeys_of(request.user) if p.pk == pk), None)
    if passkey is None:
        raise Http404
    form = PasskeyNameForm(
        request.POST if request.method == "POST" else None, initial={"name": passkey.name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            passkeys.rename(request.user, pk, form.cleaned_data["name"])
        except Refusal as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(request, "Le nom de la clé d'accès est enregistré.")
            return redirect("factors:security")
    return render(request, "factors/passkey_name.html", {"form": form, "passkey": passkey})


@require_http_methods(["GET", "POST"])
@require_fresh_factor
def remove(request, pk: int):
    """Removing a passkey, after a page asking to confirm it."""
    passkey = next((p for p in passkeys.passkeys_of(request.user) if p.pk == pk), None)
    if passkey is None:
        raise Http404
    if request.method == "POST":
        passkeys.remove(request.user, pk)
        messages.success(request, f"La clé d'accès « {passkey.name} » est supprimée.")
        return redirect("factors:security")
    return render(request, "factors/passkey_remove.html", {"passkey": passkey})


# --- the login without password ---------------------------------------------------------------


@login_not_required
@never_cache
@require_POST
def login_begin(request):
    return JsonResponse(passkeys.begin_authentication(request.session, passkeys.LOGIN))


@login_not_required
@never_cache
@require_POST
def login_complete(request):
    if request.user.is_authenticated:
        return JsonResponse({"id": 0, "redirect_url": reverse("space:home")})
    try:
        user = passkeys.log_in(request.session, _data(request))
    except Refusal as refusal:
        return _refused(refusal)
    response = login_step.finish(request, user, {}, remember=False)
    return JsonResponse({"id": user.pk, "redirect_url": response["Location"]})


# --- the login's second step ----------------------------------------------------------------


@login_not_required
@never_cache
@require_POST
def second_step_begin(request):
    found = login_step.pending(request)
    if found is None:
        return _detail(LOGIN_EXPIRED)
    return JsonResponse(
        passkeys.begin_authentication(request.session, passkeys.SECOND_STEP, found[0])
    )


@login_not_required
@never_cache
@require_POST
def second_step_complete(request):
    found = login_step.pending(request)
    if found is None:
        return _detail(LOGIN_EXPIRED)
    user, data = found
    try:
        passkeys.prove(user, request.session, passkeys.SECOND_STEP, _data(request), purpose="login")
    except Refusal as refusal:
        return _refused(refusal)
    response = login_step.finish(request, user, data, remember=False)
    return JsonResponse({"id": user.pk, "redirect_url": response["Location"]})


# --- step-up (Vérification de sécurité) -------------------------------------------------------


@never_cache
@require_POST
def proof_begin(request):
    return JsonResponse(
        passkeys.begin_authentication(request.session, passkeys.STEP_UP, request.user)
    )


@never_cache
@require_POST
def proof_complete(request):
    try:
        prove_passkey(request.user, request.session, _data(request))
    except Refusal as refusal:
        return _refused(refusal)
    next_path = safe_next(request, request.GET.get("next"))
    return JsonResponse({"id": request.user.pk, "redirect_url": next_path})
