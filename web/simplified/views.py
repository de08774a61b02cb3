"""The pages of creating a space in simplified mode (docs/accounts.md §13): conditions, company,
identifiers, form, recap, then the link sent to the company e-mail. The expert mode's forms
are reused; what is typed is kept encrypted in the session (`web.wizard`)."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts.flows.registration import RegistrationData
from accounts.models import Civility, TrustQuestion
from companies.bank import BankDetails
from companies.models import Company
from core.dates import date_at_time
from core.refusals import Refusal
from habilitations.catalogue import label
from habilitations.postal.actions import code_days, link_hours
from habilitations.postal.simplified import (
    SimplifiedData,
    free_services,
    managed_services,
    needs_bank,
    submit_simplified,
)
from web.links import token_link
from web.refusals import add_to_page
from web.signup.forms import ProfileForm
from web.signup.views import PROFILE_FIELDS, conditions_step, identifiers_step
from web.simplified.forms import CompanyContactForm, RecapForm, SimplifiedCompanyForm
from web.wizard import Step, Wizard

# What is typed is kept encrypted in the session, apart from the expert mode's.
WIZARD = Wizard(
    "simplified_wizard",
    [
        Step(
            "simplified:conditions",
            "accepter les conditions générales",
            lambda data: bool(data.get("conditions_accepted")),
        ),
        Step(
            "simplified:company",
            "indiquer votre entreprise",
            lambda data: bool(data.get("company")),
        ),
        Step(
            "simplified:identifiers",
            "créer vos identifiants",
            lambda data: bool(data.get("email") and data.get("password")),
        ),
        Step(
            "simplified:profile",
            "remplir le formulaire",
            lambda data: bool(data.get("profile") and data.get("contact")),
        ),
        Step("simplified:recap", "vérifier et confirmer", lambda data: False),
    ],
)


def _render(request, template: str, step: int, **context):
    return render(request, f"simplified/{template}", WIZARD.context(step, **context))


@login_not_required
@require_http_methods(["GET", "POST"])
def conditions(request):
    return conditions_step(request, WIZARD, 1, "simplified/conditions.html")


@login_not_required
@require_http_methods(["GET", "POST"])
def company(request):
    """The SIREN: known, and none of its services managed by someone else."""
    data, redirection = WIZARD.guard(request, "simplified:company")
    if redirection:
        return redirection
    form = SimplifiedCompanyForm(
        request.POST if request.method == "POST" else None,
        initial={"identifier": data.get("company", "")},
    )
    if request.method == "POST" and form.is_valid():
        data["company"] = form.cleaned_data["identifier"]
        WIZARD.save(request, data)
        return redirect("simplified:identifiers")
    return _render(request, "company.html", 2, form=form)


@login_not_required
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def identifiers(request):
    return identifiers_step(request, WIZARD, 3, "simplified/identifiers.html")


def _company(data: dict) -> Company:
    return Company.objects.get(identifier=data["company"])


def _services(company_: Company) -> dict:
    """What the mode gives (the services nobody manages) and what it leaves to their AT
    (docs/accounts.md §13.3), in French, for the pages that say so."""
    return {
        "services_given": [label(code) for code in free_services(company_)],
        "services_left": [label(code) for code in managed_services(company_)],
    }


@login_not_required
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def profile(request):
    """The registration form, the company e-mail and, if Payer needs one, a bank account."""
    data, redirection = WIZARD.guard(request, "simplified:profile")
    if redirection:
        return redirection
    company_ = _company(data)
    bank_needed = needs_bank(company_)
    posted = request.POST if request.method == "POST" else None
    if request.method == "POST" and "previous" in request.POST:
        return redirect("simplified:identifiers")
    stored = data.get("profile") or {"company_identifier": company_.identifier}
    initial = {**stored, "foreign_company": "oui" if stored.get("foreign_company") else "non"}
    form = ProfileForm(posted, initial=initial, password=data["password"], email=data["email"])
    stored_contact = data.get("contact") or {}
    contact = CompanyContactForm(
        posted,
        initial={
            **stored_contact,
            "company_email_confirmation": stored_contact.get("company_email", ""),
        },
        needs_bank=bank_needed,
    )
    # Both validated (not `and`): every mistake of the page is shown at once.
    if request.method == "POST" and all([form.is_valid(), contact.is_valid()]):
        data["profile"] = {k: form.cleaned_data.get(k, "") for k in PROFILE_FIELDS}
        bank = contact.cleaned_data["bank"]
        data["contact"] = {
            "company_email": contact.cleaned_data["company_email"],
            "general_information": "oui" if contact.cleaned_data["general_information"] else "non",
            **(bank.as_dict() if bank else {}),
        }
        WIZARD.save(request, data)
        return redirect("simplified:recap")
    return _render(
        request,
        "profile.html",
        4,
        form=form,
        contact=contact,
        company=company_,
        email=data["email"],
        bank_needed=bank_needed,
        **_services(company_),
    )


@login_not_required
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def recap(request):
    data, redirection = WIZARD.guard(request, "simplified:recap")
    if redirection:
        return redirection
    profile_, contact = data["profile"], data["contact"]
    company_ = _company(data)
    form = RecapForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if "previous" in request.POST:
            return redirect("simplified:profile")
        if "change_image" in request.POST:  # « Changer l'image » without JavaScript
            form = RecapForm()
        elif form.is_valid():
            return _submit(request, data, company_)
    return _render(
        request,
        "recap.html",
        5,
        form=form,
        profile=profile_,
        contact=contact,
        company=company_,
        email=data["email"],
        civility=Civility(profile_["civility"]).label,
        trust_question=TrustQuestion(profile_["trust_question"]).label,
        **_services(company_),
    )


def _submit(request, data: dict, company_: Company):
    profile_, contact = data["profile"], data["contact"]
    registration = RegistrationData.from_dict(
        {**profile_, "email": data["email"], "password": data["password"]}
    )
    bank = None
    if "iban" in contact:
        bank = BankDetails(contact["iban"], contact["bic"], contact["holder"])
    try:
        req = submit_simplified(
            SimplifiedData(
                registration=registration,
                company_identifier=company_.identifier,
                company_email=contact["company_email"],
                general_information=contact["general_information"] == "oui",
                bank=bank,
            ),
            link_for=token_link("postal_requests:company_email_link"),
        )
    except Refusal as refusal:
        add_to_page(request, refusal)
        step = {
            "email": "simplified:identifiers",
            "password1": "simplified:identifiers",
            "company": "simplified:company",
        }.get(refusal.field, "simplified:profile")
        return redirect(step)
    WIZARD.clear(request)
    request.session["simplified_sent"] = {
        "company": company_.name,
        "company_email": req.company_email,
        "address": company_.fiscal_address,
        "expires_at": date_at_time(req.email_link_expires_at),
        "email": data["email"],
        "services": req.service_labels,
        "services_left": _services(company_)["services_left"],
    }
    return redirect("simplified:sent")


@login_not_required
def sent(request):
    sent_ = request.session.get("simplified_sent")
    if not sent_:
        return redirect("signup:signup_simplified")
    return render(
        request,
        "simplified/sent.html",
        {"sent": sent_, "hours": link_hours(), "days": code_days()},
    )
