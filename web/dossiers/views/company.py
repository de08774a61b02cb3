"""The company's data (docs/habilitations.md §2): bank accounts for the AT/AS of Payer, the company
e-mail for the AT/AS of Messagerie (`Rights.may_manage_bank_accounts`,
`Rights.may_manage_company_email`, as in the *Gérer* menu). Delegates are refused (403, audited)."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from companies.models import BankAccount
from core.dates import date_at_time
from core.refusals import Refusal
from habilitations.catalogue import MESSAGERIE, PAYER
from habilitations.company_data import email as email_flow
from habilitations.company_data.bank_accounts import add_account, set_active
from habilitations.rights.queries import Permission, Rights
from web.current_dossier import make_current
from web.dossiers.forms import BankAccountForm, CompanyEmailForm
from web.factors.step_up import fresh_factor_redirect, posted_again
from web.guards import dossier_or_403, refuse
from web.links import token_link
from web.refusals import add_to_form


def _company_for(request, identifier: str, may: Callable[[Rights], bool], service: str):
    """The company, if the requester's rights pass `may` (else 403, audited)."""
    company, rights = dossier_or_403(request.user, identifier)
    make_current(request, company, rights)
    if not may(rights):
        refuse(
            company.identifier,
            f"{Permission.MANAGE_COMPANY_DATA} not allowed on {service}",
            code=service,
        )
    return company


@require_http_methods(["GET", "POST"])
def bank_accounts(request, identifier: str):
    """*Gérer les comptes bancaires de l'entreprise*: list, add, make active or inactive. Adding
    asks a fresh second factor (docs/security.md §14.4); what was typed comes back after it."""
    company = _company_for(request, identifier, Rights.may_manage_bank_accounts, PAYER)
    if request.method == "POST" and (step_up := fresh_factor_redirect(request, "bank_account")):
        return step_up
    form = BankAccountForm(request.POST if request.method == "POST" else posted_again(request))
    if request.method == "POST" and form.is_valid():
        try:
            account = add_account(
                company,
                form.cleaned_data["bank"],
                label=form.cleaned_data["label"],
                by=request.user,
            )
        except Refusal as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(request, f"Le compte {account.iban_display} a été ajouté.")
            return redirect("dossiers:bank_accounts", identifier=company.identifier)
    accounts = BankAccount.objects.filter(company=company).order_by("-is_active", "added_at")
    return render(
        request,
        "dossiers/bank_accounts.html",
        {"company": company, "accounts": accounts, "form": form},
    )


@require_POST
def bank_account_state(request, identifier: str, pk: int):
    company = _company_for(request, identifier, Rights.may_manage_bank_accounts, PAYER)
    account = BankAccount.objects.filter(pk=pk, company=company).first()
    if account is None:
        refuse(company.identifier, "bank account of another company", account=pk)
    back = reverse("dossiers:bank_accounts", args=[company.identifier])
    if step_up := fresh_factor_redirect(request, "bank_account", next_path=back):
        return step_up
    active = request.POST.get("active") == "1"
    set_active(account, active, by=request.user)
    state = "actif" if active else "inactif"
    messages.success(request, f"Le compte {account.iban_display} est désormais {state}.")
    return redirect("dossiers:bank_accounts", identifier=company.identifier)


@require_http_methods(["GET", "POST"])
def company_email(request, identifier: str):
    """*Modifier l'adresse électronique de l'entreprise*: the new address receives a link;
    it replaces the old one once the link is followed, within 72 hours."""
    company = _company_for(request, identifier, Rights.may_manage_company_email, MESSAGERIE)
    form = CompanyEmailForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        change = email_flow.request_change(
            company,
            form.cleaned_data["company_email"],
            by=request.user,
            link_for=token_link("dossiers:company_email_confirm"),
        )
        messages.success(
            request,
            f"Un courriel contenant un lien a été envoyé à {change.email}. Cette adresse "
            "remplacera l'actuelle lorsque ce lien aura été suivi, avant le "
            f"{date_at_time(change.expires_at)}.",
        )
        return redirect("dossiers:company_email", identifier=company.identifier)
    return render(
        request,
        "dossiers/company_email.html",
        {
            "company": company,
            "current": email_flow.current(company),
            "pending": email_flow.pending(company),
            "form": form,
            "hours": email_flow.link_hours(),
        },
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def company_email_confirm(request, link_id: str, token: str):
    """The link of the e-mail sent to a new company address (no login needed). Opening it
    shows a button: mail scanners that open links confirm nothing."""
    context = {"title": "Confirmer l'adresse électronique de l'entreprise"}
    try:
        if request.method == "POST":
            address = email_flow.confirm_change(link_id, token)
            context["done"] = (
                f"L'adresse électronique de l'entreprise {address.company.name} est désormais "
                f"{address.email}."
            )
        else:
            change = email_flow.check_link(link_id, token)
            context["question"] = (
                f"Confirmez-vous que {change.email} est l'adresse électronique de l'entreprise "
                f"{change.company.name} (SIREN ou équivalent {change.company.identifier}) ? "
                "Elle remplacera l'adresse actuelle."
            )
            context["button"] = "Confirmer l'adresse électronique"
    except Refusal as refusal:
        context["error"] = refusal.message
        return render(request, "dossiers/link_confirm.html", context, status=400)
    return render(request, "dossiers/link_confirm.html", context)
