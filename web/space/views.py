"""The space: logging in and out, the home page, *Modifiez vos identifiants* (docs/accounts.md §11)
with, after a password change, the programs that keep access (docs/security.md §8.5), and *Gérer
vos coordonnées*: thin views over `accounts.flows` and `api.access`."""

from django.contrib import messages
from django.contrib.auth import authenticate, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import throttle
from accounts.flows.coordinates import PROFILE_FIELDS, change_trust_question, update_profile
from accounts.flows.identifiers_change import (
    cancel_email_change,
    change_identifiers,
    code_minutes,
    confirm_email_change,
    pending_email_change,
)
from accounts.flows.password_expiry import expiry_status
from accounts.flows.reauthentication import current_password_matches
from accounts.models import Subscriber, TrustQuestion
from accounts.pdf import recap_pdf
from accounts.sessions import session_rekeyed
from api.access import live_access, revoke_all_access
from audit.models import Action
from audit.trail import record
from core.dates import short_date
from core.refusals import Refusal
from core.text import normalize_email
from habilitations.portfolio import queries as portfolio
from habilitations.rights.queries import dossier_of
from messaging import queries as messaging
from web import current_dossier, dossier_menus
from web.factors import login_step
from web.factors.step_up import posted_again, require_fresh_factor
from web.passwords.forms import EmailCodeForm, IdentifiersChangeForm
from web.passwords.views import start_expired_flow
from web.refusals import add_to_form
from web.space.forms import CoordinatesForm, LoginForm, TrustQuestionForm

LOGIN_FAILED = "Adresse électronique ou mot de passe incorrect."
# Where logging in leads when a page sent the person to log in first (a session key holding a
# URL name of this list, never a URL: nothing can redirect elsewhere).
AFTER_LOGIN = "after_login"
AFTER_LOGIN_PAGES = {"postal_requests:activate"}
CAPTCHA_NOW_NEEDED = (
    "Plusieurs tentatives de connexion ont échoué pour cette adresse électronique : pour "
    "continuer, saisissez votre mot de passe et recopiez les caractères de l'image."
)


@login_not_required
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def login_page(request):
    """The portal's home: *Connexion à mon espace professionnel* (docs/security.md §6)."""
    if request.user.is_authenticated:
        return redirect("space:home")
    posted = request.POST if request.method == "POST" else None
    email = normalize_email((posted or {}).get("username", ""))
    form = LoginForm(posted, with_captcha=bool(email) and throttle.needs_captcha(email))
    if posted is not None and "change_image" in posted:  # « Changer l'image » without JavaScript
        form = LoginForm(initial={"username": email}, with_captcha=True)
        return render(request, "space/login.html", {"form": form})
    if posted is not None and email and (minutes := throttle.locked_minutes(email)):
        return locked_out(request, minutes)
    if posted is None or not form.is_valid():
        if posted is not None and "captcha" in form.fields and "captcha_1" not in posted:
            # The CAPTCHA appears: say why above the form, not as a mistake of the person.
            form.errors.pop("captcha", None)
            form.add_error(None, CAPTCHA_NOW_NEEDED)
        return render(request, "space/login.html", {"form": form})
    gate = throttle.attempt(email, captcha_solved="captcha" in form.cleaned_data)
    if gate.locked_minutes:
        return locked_out(request, gate.locked_minutes)
    if not gate.open:
        if gate.wait:
            form.add_error(None, _wait_message(gate.wait))
        else:
            form = LoginForm(posted, with_captcha=True)
            form.add_error(None, CAPTCHA_NOW_NEEDED)
        return render(request, "space/login.html", {"form": form})
    try:
        user = authenticate(request, username=email, password=form.cleaned_data["password"])
    except Refusal as refusal:  # a frozen space (docs/backoffice.md §7): the assistance's contact
        throttle.succeeded(email)
        form.add_error(None, refusal.message)
        return render(request, "space/login.html", {"form": form})
    if user is None:
        throttle.failed(email)
        # Same answer whether the e-mail has a space or not (docs/security.md §7).
        form.add_error(None, LOGIN_FAILED)
        return render(request, "space/login.html", {"form": form})
    throttle.succeeded(email)
    status = expiry_status(user)
    if status.expired:
        return start_expired_flow(request, user)
    after = request.session.pop(AFTER_LOGIN, None)
    # Not logged in yet: the second factor first (docs/security.md §14.3), unless this browser
    # is remembered.
    return login_step.begin(
        request, user, after=after if after in AFTER_LOGIN_PAGES else None, warn=status.warn
    )


def _wait_message(wait: int) -> str:
    return ngettext(
        "Plusieurs tentatives ont échoué : patientez {wait} seconde avant de réessayer.",
        "Plusieurs tentatives ont échoué : patientez {wait} secondes avant de réessayer.",
        wait,
    ).format(wait=wait)


def locked_out(request, minutes: int):
    """The temporary lock (429): for this e-mail from this address, or for this address."""
    return render(request, "space/locked_out.html", {"minutes": minutes}, status=429)


@login_not_required
@require_POST
def logout_view(request):
    logout(request)
    return redirect("space:login")


def home(request):
    """The space's home; with a current dossier, that dossier's menus too (seed 001 §4.4), read
    with one more query (the rights on it, as on the dossier's pages)."""
    context = {
        "subscriber": request.user,
        "dossier_count": portfolio.count(request.user),
        # « Messages non lus : 3 dossiers »: one query whatever the portfolio's size.
        "unread_dossiers": messaging.unread_dossiers(request.user).count(),
        "current_company": None,
    }
    if identifier := current_dossier.identifier(request):
        found = dossier_of(request.user, identifier)
        if found is None:
            current_dossier.forget(request)  # its rights are gone
        else:
            company, rights = found
            current_dossier.make_current(request, company, rights)
            context |= {
                "current_company": company,
                "menus": dossier_menus.service_menus(rights, company.identifier),
                "manage": dossier_menus.manage_entries(rights, company.identifier),
            }
    return render(request, "space/home.html", context)


def recap_pdf_response(subscriber: Subscriber) -> HttpResponse:
    response = HttpResponse(recap_pdf(subscriber), content_type="application/pdf")
    filename = f"espace-professionnel-{subscriber.subscriber_number}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def recap_pdf_view(request):
    return recap_pdf_response(request.user)


def _checker(request):
    return lambda password: current_password_matches(request.user, password)


def _posted(request):
    return request.POST if request.method == "POST" else None


PASSWORD_CHANGE = "mot-de-passe"  # ?modifier=mot-de-passe


def _typed_before_proof(request) -> dict:
    again = posted_again(request)
    return again.dict() if again is not None else {}


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
@require_fresh_factor(reason="identifiers")
def identifiers(request):
    """*Modifiez vos identifiants*: e-mail and/or password, the current password asked, behind
    a fresh second factor (docs/security.md §9, §14.4): asked before the form is shown, so
    nothing typed is lost; a proof that lapses meanwhile sends the POST to the proof page and
    the form comes back with what was typed (passwords excepted)."""
    subscriber = request.user
    form = IdentifiersChangeForm(
        _posted(request),
        # The expiry warning's « Modifier le mot de passe » opens the form with that box ticked;
        # what was typed before a proof comes back (passwords are never kept).
        initial={
            "change_password": request.GET.get("modifier") == PASSWORD_CHANGE,
            **_typed_before_proof(request),
        },
        subscriber=subscriber,
        check_current_password=_checker(request),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        change = change_identifiers(
            subscriber,
            new_email=data["new_email"] if data["change_email"] else None,
            new_password=data["new_password1"] if data["change_password"] else None,
        )
        if data["change_password"]:
            # This session stays open; every other one ends (docs/security.md §8).
            _keep_this_session(request, subscriber)
            messages.success(
                request,
                f"Votre mot de passe a été modifié. Il est valable jusqu'au "
                f"{short_date(subscriber.password_expires_at)}. "
                "Vos autres sessions ont été fermées.",
            )
            if live_access(subscriber):
                # A new password does not end what programs hold: offer to (§8.5).
                return redirect("space:software_access")
        if change is not None:
            return redirect("space:identifiers_code")
        return redirect("space:home")
    if request.method == "POST":
        _record_refusal(request, form)
    return render(
        request,
        "space/identifiers.html",
        {"form": form, "pending": pending_email_change(subscriber)},
    )


def _keep_this_session(request, subscriber) -> None:
    """This session stays open under a new key; the space's other sessions are deleted
    (docs/security.md §8.2, §8.4)."""
    old_key = request.session.session_key
    update_session_auth_hash(request, subscriber)
    session_rekeyed(subscriber, old_key, request.session.session_key)


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
                via="identifiers",
                reason="rules",
            )


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def identifiers_code(request):
    """The code sent to the new address makes it the login e-mail."""
    subscriber = request.user
    pending = pending_email_change(subscriber)
    if request.method == "POST" and "cancel" in request.POST:
        cancel_email_change(subscriber)
        messages.info(request, "La modification de votre adresse électronique a été annulée.")
        return redirect("space:identifiers")
    if pending is None and request.method == "GET":
        return redirect("space:identifiers")
    form = EmailCodeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            new_email = confirm_email_change(subscriber, form.cleaned_data["code"])
        except Refusal as refusal:
            add_to_form(form, refusal)
        else:
            _keep_this_session(request, subscriber)
            messages.success(
                request,
                f"Votre adresse électronique de connexion est désormais {new_email}. "
                "Vos autres sessions ont été fermées.",
            )
            return redirect("space:coordinates")
    return render(
        request,
        "space/identifiers_code.html",
        {"form": form, "pending": pending, "minutes": code_minutes()},
    )


@require_http_methods(["GET", "POST"])
def software_access(request):
    """The space's live tokens and webhooks, shown after a password change, and « Révoquer ces
    accès » ending them all (docs/security.md §8.5). Then on to the code of a new login e-mail
    changed at the same time, or home."""
    subscriber = request.user
    after = "space:identifiers_code" if pending_email_change(subscriber) else "space:home"
    if request.method == "POST":
        if revoke_all_access(subscriber):
            messages.success(
                request,
                "Les accès de vos logiciels sont révoqués : leurs jetons et webhooks ne "
                "fonctionnent plus.",
            )
        return redirect(after)
    access = live_access(subscriber)
    if not access:
        return redirect(after)
    return render(request, "space/software_access.html", {"access": access, "after": after})


@require_GET
def coordinates(request):
    """*Gérer vos coordonnées*: what the space knows of its holder, and the links to change it."""
    subscriber = request.user
    context = {
        "subscriber": subscriber,
        "trust_question": TrustQuestion(subscriber.trust_question).label,
        "expiry": expiry_status(subscriber),
        "pending": pending_email_change(subscriber),
        "messaging_emails": not messaging.has_email_opt_out(subscriber),
    }
    return render(request, "space/coordinates.html", context)


def _coordinates_initial(subscriber) -> dict:
    initial = {field: getattr(subscriber, field) for field in PROFILE_FIELDS}
    initial["foreign_company"] = "oui" if subscriber.foreign_company else "non"
    return initial


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def coordinates_edit(request):
    """The registration form's information (not the login e-mail nor the trust question)."""
    subscriber = request.user
    form = CoordinatesForm(_posted(request), initial=_coordinates_initial(subscriber))
    if request.method == "POST" and form.is_valid():
        try:
            changed = update_profile(subscriber, form.cleaned_data)
        except Refusal as refusal:
            add_to_form(form, refusal)
        else:
            if changed:
                messages.success(request, "Vos coordonnées ont été enregistrées.")
            else:
                messages.info(request, "Aucune modification : vos coordonnées sont inchangées.")
            return redirect("space:coordinates")
    return render(request, "space/coordinates_edit.html", {"form": form, "email": subscriber.email})


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def trust_question(request):
    """A new trust question and answer, behind the current password (docs/security.md §2, §9)."""
    subscriber = request.user
    form = TrustQuestionForm(
        _posted(request),
        initial={"trust_question": subscriber.trust_question},
        check_current_password=_checker(request),
    )
    if request.method == "POST" and form.is_valid():
        change_trust_question(
            subscriber,
            form.cleaned_data["trust_question"],
            form.cleaned_data["trust_answer"],
        )
        messages.success(request, "Votre question de confiance et sa réponse ont été modifiées.")
        return redirect("space:coordinates")
    return render(request, "space/trust_question.html", {"form": form})
