"""The space's personal pages: *Modifiez vos identifiants* (seed 003 §2) and *Gérer vos
coordonnées* (SPEC §4, §11): thin views over `accounts.flows`."""

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.coordinates_forms import CoordinatesForm, TrustQuestionForm
from accounts.flows.coordinates import PROFILE_FIELDS, change_trust_question, update_profile
from accounts.flows.identifiers_change import (
    EmailChangeRefused,
    cancel_email_change,
    change_identifiers,
    code_minutes,
    confirm_email_change,
    pending_email_change,
)
from accounts.flows.password_expiry import expiry_status
from accounts.flows.reauthentication import current_password_matches
from accounts.models import TrustQuestion
from accounts.password_forms import EmailCodeForm, IdentifiersChangeForm
from audit.models import Action
from audit.trail import record


def _checker(request):
    return lambda password: current_password_matches(request, request.user, password)


def _end_session_if_locked(request) -> None:
    """Too many wrong current passwords: the session ends too (it may have been stolen)."""
    if getattr(request, "axes_locked_out", False):
        logout(request)


def _posted(request):
    return request.POST if request.method == "POST" else None


@login_required
@require_http_methods(["GET", "POST"])
def identifiers(request):
    """*Modifiez vos identifiants*: e-mail and/or password, the current password asked."""
    subscriber = request.user
    form = IdentifiersChangeForm(
        _posted(request), subscriber=subscriber, check_current_password=_checker(request)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        change = change_identifiers(
            request,
            subscriber,
            new_email=data["new_email"] if data["change_email"] else None,
            new_password=data["new_password1"] if data["change_password"] else None,
        )
        if data["change_password"]:
            # This session stays open; every other one ends (SPEC §14).
            update_session_auth_hash(request, subscriber)
            valid_until = timezone.localtime(subscriber.password_expires_at)
            messages.success(
                request,
                f"Votre mot de passe a été modifié. Il est valable jusqu'au "
                f"{valid_until:%d/%m/%Y}. Vos autres sessions ont été fermées.",
            )
        if change is not None:
            return redirect("accounts:identifiers_code")
        return redirect("accounts:home")
    if request.method == "POST":
        _record_refusal(request, form)
        _end_session_if_locked(request)
    return render(
        request,
        "accounts/space/identifiers.html",
        {"form": form, "pending": pending_email_change(subscriber)},
    )


def _record_refusal(request, form: IdentifiersChangeForm) -> None:
    """Refusals for the rules (a wrong current password is recorded by the flow)."""
    if not form.reauthenticated:
        return
    subscriber = request.user
    for action, fields in [
        (Action.PASSWORD_CHANGE_FAILED, {"new_password1", "new_password2", "change_password"}),
        (Action.EMAIL_CHANGE_FAILED, {"new_email", "new_email_confirmation", "change_email"}),
    ]:
        if fields & set(form.errors):
            record(
                action,
                actor=subscriber,
                target=subscriber.subscriber_number,
                request=request,
                via="identifiers",
                reason="rules",
            )


@login_required
@require_http_methods(["GET", "POST"])
def identifiers_code(request):
    """The code sent to the new address makes it the login e-mail."""
    subscriber = request.user
    pending = pending_email_change(subscriber)
    if request.method == "POST" and "cancel" in request.POST:
        cancel_email_change(request, subscriber)
        messages.info(request, "La modification de votre adresse électronique a été annulée.")
        return redirect("accounts:identifiers")
    if pending is None and request.method == "GET":
        return redirect("accounts:identifiers")
    form = EmailCodeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            new_email = confirm_email_change(request, subscriber, form.cleaned_data["code"])
        except EmailChangeRefused as refusal:
            form.add_error("code", str(refusal))
        else:
            update_session_auth_hash(request, subscriber)
            messages.success(
                request,
                f"Votre adresse électronique de connexion est désormais {new_email}. "
                "Vos autres sessions ont été fermées.",
            )
            return redirect("accounts:coordinates")
    return render(
        request,
        "accounts/space/identifiers_code.html",
        {"form": form, "pending": pending, "minutes": code_minutes()},
    )


@login_required
@require_GET
def coordinates(request):
    """*Gérer vos coordonnées*: what the space knows of its holder, and the links to change it."""
    subscriber = request.user
    context = {
        "subscriber": subscriber,
        "trust_question": TrustQuestion(subscriber.trust_question).label,
        "expiry": expiry_status(subscriber),
        "pending": pending_email_change(subscriber),
    }
    return render(request, "accounts/space/coordinates.html", context)


def _coordinates_initial(subscriber) -> dict:
    initial = {field: getattr(subscriber, field) for field in PROFILE_FIELDS}
    initial["foreign_company"] = "oui" if subscriber.foreign_company else "non"
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def coordinates_edit(request):
    """The registration form's information (not the login e-mail nor the trust question)."""
    subscriber = request.user
    form = CoordinatesForm(_posted(request), initial=_coordinates_initial(subscriber))
    if request.method == "POST" and form.is_valid():
        changed = update_profile(request, subscriber, form.cleaned_data)
        if changed:
            messages.success(request, "Vos coordonnées ont été enregistrées.")
        else:
            messages.info(request, "Aucune modification : vos coordonnées sont inchangées.")
        return redirect("accounts:coordinates")
    return render(
        request, "accounts/space/coordinates_edit.html", {"form": form, "email": subscriber.email}
    )


@login_required
@require_http_methods(["GET", "POST"])
def trust_question(request):
    """A new trust question and answer, behind the current password (SPEC §14)."""
    subscriber = request.user
    form = TrustQuestionForm(
        _posted(request),
        initial={"trust_question": subscriber.trust_question},
        check_current_password=_checker(request),
    )
    if request.method == "POST" and form.is_valid():
        change_trust_question(
            request,
            subscriber,
            form.cleaned_data["trust_question"],
            form.cleaned_data["trust_answer"],
        )
        messages.success(request, "Votre question de confiance et sa réponse ont été modifiées.")
        return redirect("accounts:coordinates")
    if request.method == "POST":
        _end_session_if_locked(request)
    return render(request, "accounts/space/trust_question.html", {"form": form})
