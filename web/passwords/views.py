"""The pages of *Mot de passe expiré* (docs/accounts.md §9), *Mot de passe oublié*
(docs/accounts.md §10, docs/security.md §2, §7) and the expiry notice shown at login
(docs/accounts.md §8): thin views over `accounts.flows`."""

from datetime import datetime

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from accounts.flows.password_expiry import expiry_status, renew_password
from accounts.flows.password_reset import (
    LINK_INVALID,
    NO_MATCH,
    link_minutes,
    request_reset,
    reset_password,
    valid_link,
)
from accounts.models import Subscriber
from audit.models import Action
from audit.trail import record
from core.refusals import Refusal
from web.links import token_link
from web.passwords.forms import (
    ExpiredEmailForm,
    ExpiredPasswordForm,
    ForgottenAnswerForm,
    ForgottenEmailForm,
    ResetPasswordForm,
)
from web.refusals import add_to_form

EXPIRED = "password_expired"
EXPIRED_DONE = "password_expired_done"
FORGOTTEN = "password_forgotten"
RESET_LINK = "password_reset_link"
RESET_DONE = "password_reset_done"

EXPIRED_STEPS = [
    ("passwords:password_expired", "adresse électronique de connexion"),
    ("passwords:password_expired_new", "nouveau mot de passe"),
    ("passwords:password_expired_recap", "récapitulatif"),
]


def _steps(current: int, **extra) -> dict:
    return {"steps": EXPIRED_STEPS, "current_step": current, "step_count": 3, **extra}


def start_expired_flow(request, subscriber: Subscriber):
    """Logging in with an expired password opens no session: it leads to *Mot de passe expiré*."""
    record(
        Action.LOGIN_PASSWORD_EXPIRED,
        actor=subscriber,
        target=subscriber.subscriber_number,
    )
    request.session[EXPIRED] = {"email": subscriber.email, "verified": False}
    return redirect("passwords:password_expired")


@require_GET
def password_expiry_notice(request):
    """The notice shown once at login from 60 days before expiry, with *OK* (docs/accounts.md
    §8)."""
    status = expiry_status(request.user)
    if not status.warn:
        return redirect("space:home")
    return render(request, "passwords/expiry_notice.html", {"expiry": status})


@login_not_required
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def password_expired(request):
    """Step 1: the login e-mail and the CAPTCHA."""
    state = request.session.get(EXPIRED) or {}
    posted = request.POST if request.method == "POST" else None
    if posted is not None and "change_image" in posted:
        # *Changer l'image* without JavaScript: the same page with a new image.
        form = ExpiredEmailForm(initial={"email": posted.get("email", "")})
    else:
        form = ExpiredEmailForm(posted, initial={"email": state.get("email", "")})
        if posted is not None and form.is_valid():
            request.session[EXPIRED] = {"email": form.cleaned_data["email"], "verified": True}
            return redirect("passwords:password_expired_new")
        if posted is not None and "captcha" in form.errors:
            record(Action.CAPTCHA_FAILED, target=posted.get("email", "")[:200])
    return render(request, "passwords/expired_email.html", _steps(1, form=form))


@login_not_required
@require_GET
def captcha_refresh(request):
    """*Changer l'image* with htmx: a new CAPTCHA field, swapped in place."""
    return HttpResponse(ExpiredEmailForm()["captcha"].as_field_group())


@login_not_required
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def password_expired_new(request):
    """Step 2: the old password, the new one and its confirmation."""
    state = request.session.get(EXPIRED) or {}
    if not state.get("verified"):
        return redirect("passwords:password_expired")
    if request.method == "POST" and "previous" in request.POST:
        return redirect("passwords:password_expired")
    form = ExpiredPasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            valid_until = renew_password(
                state["email"],
                form.cleaned_data["old_password"],
                form.cleaned_data["new_password1"],
            )
        except Refusal as refusal:
            add_to_form(form, refusal)
        else:
            request.session.pop(EXPIRED, None)
            request.session[EXPIRED_DONE] = valid_until.isoformat()
            return redirect("passwords:password_expired_recap")
    return render(request, "passwords/expired_new.html", _steps(2, form=form))


@login_not_required
@require_GET
def password_expired_recap(request):
    """Step 3: *Votre mot de passe a été réinitialisé avec succès.*"""
    valid_until = request.session.get(EXPIRED_DONE)
    if not valid_until:
        return redirect("passwords:password_expired")
    context = _steps(3, valid_until=datetime.fromisoformat(valid_until))
    return render(request, "passwords/expired_recap.html", context)


@login_not_required
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def password_forgotten(request):
    """*Mot de passe oublié*, step 1: the login e-mail. Every e-mail goes on the same way."""
    form = ForgottenEmailForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        request.session[FORGOTTEN] = form.cleaned_data["email"]
        return redirect("passwords:password_forgotten_question")
    return render(request, "passwords/forgotten_email.html", {"form": form})


@login_not_required
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def password_forgotten_question(request):
    """Step 2: the trust question and its answer; if right, a link goes to the login e-mail."""
    email = request.session.get(FORGOTTEN)
    if not email:
        return redirect("passwords:password_forgotten")
    form = ForgottenAnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        sent = request_reset(
            email,
            form.cleaned_data["trust_question"],
            form.cleaned_data["trust_answer"],
            token_link("passwords:password_reset_link"),
        )
        if sent:
            request.session.pop(FORGOTTEN, None)
            return redirect("passwords:password_forgotten_sent")
        form.add_error(None, NO_MATCH)
    return render(request, "passwords/forgotten_question.html", {"form": form})


@login_not_required
@require_GET
def password_forgotten_sent(request):
    return render(request, "passwords/forgotten_sent.html", {"minutes": link_minutes()})


def _link_invalid(request):
    request.session.pop(RESET_LINK, None)
    return render(request, "passwords/reset_invalid.html", {"message": LINK_INVALID})


@login_not_required
@require_GET
def password_reset_link(request, link_id: str, token: str):
    """The e-mailed link: checked, then kept in the session so that the token leaves the URL."""
    if not valid_link(link_id, token):
        return _link_invalid(request)
    request.session[RESET_LINK] = {"link_id": link_id, "token": token}
    return redirect("passwords:password_reset_new")


@login_not_required
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def password_reset_new(request):
    """The new password page the link leads to."""
    link = request.session.get(RESET_LINK)
    if not link:
        return _link_invalid(request)
    form = ResetPasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            valid_until = reset_password(
                link.get("link_id", ""), link["token"], form.cleaned_data["new_password1"]
            )
        except Refusal as refusal:
            if refusal.code == "password_reset.link_invalid":
                return _link_invalid(request)
            add_to_form(form, refusal)
        else:
            request.session.pop(RESET_LINK, None)
            request.session[RESET_DONE] = valid_until.isoformat()
            return redirect("passwords:password_reset_done")
    return render(request, "passwords/reset_new.html", {"form": form})


@login_not_required
@require_GET
def password_reset_done(request):
    valid_until = request.session.get(RESET_DONE)
    if not valid_until:
        return redirect("passwords:password_forgotten")
    return render(
        request,
        "passwords/reset_done.html",
        {"valid_until": datetime.fromisoformat(valid_until)},
    )
