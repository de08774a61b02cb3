"""IDSP issue and conversion, and corrections of a company's data (docs/backoffice.md §6)."""

from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from backoffice import roles
from backoffice.forms import EntityForm, SirenForm
from backoffice.guards import acting_agent, agent_view
from backoffice.views.pages import flash
from companies.corrections import correct
from companies.lookup import company_by_identifier
from companies.provisional import Entity, is_idsp, issue_idsp
from core.refusals import Refusal
from habilitations.company_data.conversion import convert_idsp


def _entity(data) -> Entity:
    return Entity(**{f: data[f] for f in ("name", "street_line", "postal_code", "city", "country")})


def _refused(form, refusal: Refusal) -> None:
    form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)


def _reason(form) -> tuple[str, str]:
    return form.cleaned_data["reason"], form.cleaned_data["ticket"]


@agent_view(roles.may_manage_companies)
@require_http_methods(["GET", "POST"])
def issue(request):
    form = EntityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with acting_agent(request.agent, *_reason(form)), transaction.atomic():
                company = issue_idsp(_entity(form.cleaned_data))
        except Refusal as refusal:
            _refused(form, refusal)
        else:
            flash(request, f"L'identifiant provisoire {company.identifier} est attribué.")
            return redirect("backoffice:company", company.identifier)
    return render(
        request, "backoffice/company_form.html", {"form": form, "title": "Attribuer un IDSP"}
    )


@agent_view(roles.may_manage_companies)
@require_http_methods(["GET", "POST"])
def edit(request, identifier: str):
    company = company_by_identifier(identifier)
    if company is None:
        raise Http404
    initial = {f: getattr(company, f) for f in ("name", "street_line", "postal_code", "city")}
    initial["country"] = company.country or "FRANCE"
    form = EntityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with acting_agent(request.agent, *_reason(form)):
                correct(company, _entity(form.cleaned_data))
        except Refusal as refusal:
            _refused(form, refusal)
        else:
            flash(request, "Les données de l'entreprise sont corrigées.")
            return redirect("backoffice:company", company.identifier)
    return render(
        request,
        "backoffice/company_form.html",
        {"form": form, "title": "Corriger les données de l'entreprise", "company": company},
    )


@agent_view(roles.may_manage_companies)
@require_http_methods(["GET", "POST"])
def convert(request, identifier: str):
    company = company_by_identifier(identifier)
    if company is None or not is_idsp(company.identifier):
        raise Http404
    form = SirenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with acting_agent(request.agent, *_reason(form)):
                company = convert_idsp(company, form.cleaned_data["siren"])
        except Refusal as refusal:
            _refused(form, refusal)
        else:
            flash(request, f"L'IDSP est converti : l'entreprise a le SIREN {company.identifier}.")
            return redirect("backoffice:company", company.identifier)
    return render(
        request,
        "backoffice/company_form.html",
        {"form": form, "title": "Convertir l'IDSP en SIREN", "company": company},
    )
