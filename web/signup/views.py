"""The pages of creating a space in expert mode (docs/accounts.md §3) and of activating it: thin
views over the flows."""

from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from accounts.flows.registration import (
    RegistrationData,
    checked_email_problem,
    submit_registration,
)
from accounts.flows.space_activation import activate_space
from accounts.models import Civility, Subscriber, TrustQuestion
from accounts.passwords import score
from companies.identifiers import format_siren
from core import clock
from core.refusals import Refusal
from habilitations.choices import RequestKind
from habilitations.postal.activation import recognise_letter_code
from habilitations.postal.simplified import activate as activate_simplified
from web.limits import per_address
from web.middleware import session_read_only
from web.refusals import add_to_form, add_to_page
from web.signup.forms import (
    ActivationForm,
    ConditionsForm,
    IdentifiersForm,
    LetterActivationForm,
    ProfileForm,
)
from web.space.views import AFTER_LOGIN, recap_pdf_response
from web.wizard import Step, Wizard, draft_of

PROFILE_FIELDS = [*ProfileForm.base_fields, "company_name"]
JUST_ACTIVATED = "just_activated"
LETTER_EMAIL = "letter_activation_email"
SIMPLIFIED_LETTER_RECOGNISED = (
    "Ce code est celui du courrier de création de votre espace en mode simplifié : saisissez-le "
    "ici avec le mot de passe choisi lors de votre demande."
)

WIZARD = Wizard(
    "registration_wizard",
    [
        Step(
            "signup:signup_conditions",
            "accepter les conditions générales",
            lambda data: bool(data.get("conditions_accepted")),
        ),
        Step(
            "signup:signup_identifiers",
            "créer vos identifiants",
            lambda data: bool(data.get("email") and data.get("password")),
        ),
        Step(
            "signup:signup_profile",
            "remplir le formulaire d'inscription",
            lambda data: bool(data.get("profile")),
        ),
        Step("signup:signup_recap", "vérifier et confirmer votre inscription", lambda data: False),
    ],
)


@login_not_required
def choose_mode(request):
    return render(request, "signup/choose_mode.html")


@login_not_required
def simplified_mode(request):
    return render(request, "signup/simplified_mode.html")


@login_not_required
def general_conditions(request):
    return render(request, "signup/general_conditions.html")


@login_not_required
def accessibility(request):
    """*Déclaration d'accessibilité* (RGAA), linked from every page's footer."""
    return render(request, "signup/accessibility.html", {"site_url": settings.SITE_URL})


def conditions_step(request, wizard: Wizard, number: int, template: str):
    """*Accepter les conditions générales*, the first step of either mode."""
    data = wizard.load(request)
    form = ConditionsForm(
        request.POST if request.method == "POST" else None,
        initial={"accept": data.get("conditions_accepted")},
    )
    if request.method == "POST" and form.is_valid():
        data["conditions_accepted"] = True
        wizard.save(request, data)
        return redirect(wizard.url_after(number))
    return render(request, template, wizard.context(number, form=form))


def identifiers_step(request, wizard: Wizard, number: int, template: str):
    """*Créer vos identifiants* in either mode: a login e-mail no space or pending creation
    holds, and a password (kept, sealed, until the end; leaving both fields empty keeps it)."""
    data, redirection = wizard.guard(request, wizard.url_of(number))
    if redirection:
        return redirection
    form = IdentifiersForm(
        request.POST if request.method == "POST" else None,
        initial={"email": data.get("email"), "email_confirmation": data.get("email")},
        has_stored_password=bool(data.get("password")),
        email_problem=checked_email_problem,
    )
    if request.method == "POST" and form.is_valid():
        data["email"] = form.cleaned_data["email"]
        if form.cleaned_data.get("password1"):
            data["password"] = form.cleaned_data["password1"]
        wizard.save(request, data)
        return redirect(wizard.url_after(number))
    return render(request, template, wizard.context(number, form=form))


@login_not_required
@require_http_methods(["GET", "POST"])
def signup_conditions(request):
    return conditions_step(request, WIZARD, 1, "signup/conditions.html")


@login_not_required
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def signup_identifiers(request):
    return identifiers_step(request, WIZARD, 2, "signup/identifiers.html")


@login_not_required
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def signup_profile(request):
    data, redirection = WIZARD.guard(request, "signup:signup_profile")
    if redirection:
        return redirection
    form = ProfileForm(
        request.POST if request.method == "POST" else None,
        initial=_profile_initial(data.get("profile")),
        password=data["password"],
        email=data["email"],
    )
    if request.method == "POST":
        if "clear" in request.POST:
            # *Effacer*: the form again, empty (what was kept of it is dropped).
            data.pop("profile", None)
            data.pop("profile_draft", None)
            WIZARD.save(request, data)
            return redirect("signup:signup_profile")
        if "previous" in request.POST:
            # Keep what was typed, even if incomplete, before going back.
            data["profile_draft"] = draft_of(ProfileForm, request.POST)
            WIZARD.save(request, data)
            return redirect("signup:signup_identifiers")
        if form.is_valid():
            data["profile"] = {k: form.cleaned_data.get(k, "") for k in PROFILE_FIELDS}
            data.pop("profile_draft", None)
            WIZARD.save(request, data)
            return redirect("signup:signup_recap")
    elif data.get("profile_draft"):
        form = ProfileForm(
            initial=data["profile_draft"], password=data["password"], email=data["email"]
        )
    return render(request, "signup/profile.html", WIZARD.context(3, form=form, email=data["email"]))


def _profile_initial(profile: dict | None) -> dict:
    if not profile:
        return {}
    initial = dict(profile)
    initial["foreign_company"] = "oui" if profile.get("foreign_company") else "non"
    return initial


@login_not_required
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def signup_recap(request):
    data, redirection = WIZARD.guard(request, "signup:signup_recap")
    if redirection:
        return redirection
    profile = data["profile"]
    if request.method == "POST":
        if "previous" in request.POST:
            return redirect("signup:signup_profile")
        registration = RegistrationData.from_dict(
            {**profile, "email": data["email"], "password": data["password"]}
        )
        try:
            pending = submit_registration(registration)
        except Refusal as refusal:
            # The e-mail and the password are chosen at step 2, the names at step 3.
            add_to_page(request, refusal)
            if refusal.field in ("last_name", "first_name"):
                return redirect("signup:signup_profile")
            return redirect("signup:signup_identifiers")
        WIZARD.clear(request)
        request.session["pending_activation"] = {
            "email": pending.email,
            "name": f"{pending.get_civility_display()} {pending.last_name} {pending.first_name}",
        }
        return redirect("signup:signup_sent")
    context = WIZARD.context(
        4,
        profile=profile,
        email=data["email"],
        civility=Civility(profile["civility"]).label,
        trust_question=TrustQuestion(profile["trust_question"]).label,
        company_display=profile["company_identifier"]
        if profile["foreign_company"]
        else format_siren(profile["company_identifier"]),
    )
    return render(request, "signup/recap.html", context)


@login_not_required
def signup_sent(request):
    pending = request.session.get("pending_activation")
    if not pending:
        return redirect("signup:activate")
    return render(request, "signup/sent.html", {"pending": pending})


@session_read_only
@login_not_required
@sensitive_post_parameters()
@require_POST
@per_address("strength.address")
def password_strength(request):
    """The strength indicator's fragment: the server's scorer answers while the person types.
    It runs in the background while the person may submit the step: it never saves the session
    (it only reads who is logged in), so it cannot undo what the step kept."""
    password = request.POST.get("password1") or request.POST.get("new_password1") or ""
    email = request.POST.get("email") or request.POST.get("new_email") or ""
    names: tuple[str, ...] = ()
    if request.user.is_authenticated:
        # Changing one's password: score it knowing the person, as the rules will.
        email = email or request.user.email
        names = (request.user.last_name, request.user.first_name)
    if not password:
        return HttpResponse("")
    report = score(password, email=email, names=names)
    return render(request, "partials/strength.html", {"report": report, "length": len(password)})


@login_not_required
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def activate(request):
    """*Activer mon espace / mes services*: e-mail + the e-mailed code → the space exists
    (docs/accounts.md §5). The code of a letter typed here by its holder is recognised, and
    they are sent where it is entered (§5.4)."""
    if request.user.is_authenticated:
        # A logged-in subscriber activates services with a letter's code (docs/habilitations.md §7).
        return redirect("postal_requests:activate")
    pending = request.session.get("pending_activation") or {}
    form = ActivationForm(
        request.POST if request.method == "POST" else None,
        initial={"email": pending.get("email", "")},
    )
    if request.method == "POST" and form.is_valid():
        email, code = form.cleaned_data["email"], form.cleaned_data["code"]
        try:
            subscriber = activate_space(email, code)
        except Refusal as refusal:
            kind = None
            if refusal.code == "activation.wrong_code":
                try:
                    kind = recognise_letter_code(email, code)
                except Refusal as spent:  # too many wrong codes for this e-mail
                    refusal = spent
            if kind == RequestKind.SIMPLIFIED:
                request.session[LETTER_EMAIL] = email
                messages.info(request, SIMPLIFIED_LETTER_RECOGNISED)
                return redirect("signup:activate_letter")
            if kind is not None:
                # Logging in leads to *Activer mes services* (web.space.views.login_page).
                request.session[AFTER_LOGIN] = "postal_requests:activate"
                return render(request, "signup/services_code.html", {"email": email})
            add_to_form(form, refusal)
        else:
            return _activated(request, subscriber)
    return render(request, "signup/activate.html", {"form": form})


@login_not_required
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def activate_letter(request):
    """The same page for a space created in simplified mode: the login e-mail, the letter's
    code and the password chosen at the request (docs/accounts.md §13.5)."""
    if request.user.is_authenticated:
        return redirect("postal_requests:activate")
    form = LetterActivationForm(
        request.POST if request.method == "POST" else None,
        initial={"email": request.session.get(LETTER_EMAIL, "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            subscriber = activate_simplified(
                form.cleaned_data["email"],
                form.cleaned_data["code"],
                password=form.cleaned_data["password"],
            )
        except Refusal as refusal:
            add_to_form(form, refusal)
        else:
            request.session.pop(LETTER_EMAIL, None)
            return _activated(request, subscriber)
    return render(request, "signup/activate_letter.html", {"form": form})


def _activated(request, subscriber: Subscriber):
    request.session.pop("pending_activation", None)
    request.session[JUST_ACTIVATED] = [subscriber.pk, clock.now().isoformat()]
    return redirect("signup:activated")


def _just_activated(request) -> Subscriber | None:
    """The space this browser just activated, for a short while (a shared computer)."""
    value = request.session.get(JUST_ACTIVATED)
    if not value:
        return None
    pk, at = value
    if clock.now() - datetime.fromisoformat(at) > settings.ACTIVATION_RECAP_WINDOW:
        request.session.pop(JUST_ACTIVATED, None)
        return None
    return Subscriber.objects.filter(pk=pk).first()


@login_not_required
def activated(request):
    subscriber = _just_activated(request)
    if subscriber is None:
        return redirect("space:login")
    return render(request, "signup/activated.html", {"subscriber": subscriber})


@login_not_required
def activated_recap_pdf(request):
    """The recap PDF right after activation, for the browser session that activated."""
    subscriber = _just_activated(request)
    if subscriber is None:
        return redirect("space:login")
    return recap_pdf_response(subscriber)
