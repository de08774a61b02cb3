"""The portfolio and dossier pages (docs/habilitations.md §10): thin views over
`habilitations.portfolio.queries` and `access`."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.refusals import Refusal
from habilitations.catalogue import DERIVED_BY_CODE, ELEMENTARY_BY_CODE, MESSAGERIE, label
from habilitations.choices import Role
from habilitations.delegation import actions as delegation
from habilitations.delegation import queries as delegation_queries
from habilitations.portfolio.queries import holding, normalize_sort
from habilitations.portfolio.queries import page as portfolio_page
from habilitations.rights.queries import Permission
from web import dossier_menus
from web.current_dossier import make_current
from web.dossiers.forms import DossierChoiceForm, HabilitationsFilterForm
from web.guards import dossier_or_403, record_refusal, refuse, require
from web.refusals import add_to_page

if TYPE_CHECKING:
    from habilitations.models import Habilitation, PortfolioEntry


class CompanyHabilitations(NamedTuple):
    """A company of *Consulter vos services* (an entry of the portfolio page) and the
    person's habilitations on it."""

    entry: PortfolioEntry
    habilitations: list[Habilitation]


def _choose(request, form: DossierChoiceForm):
    """*Valider* on a dossier: it becomes the current dossier if the subscriber holds a right
    (else a 403)."""
    company, rights = dossier_or_403(request.user, form.cleaned_data["dossier"])
    make_current(request, company, rights)
    return redirect("dossiers:dossier", identifier=company.identifier)


def _choice_form(request) -> DossierChoiceForm | None:
    """The posted choice of a dossier (None on a GET); an empty one is shown as an error next
    to the list, which is shown again as it was (its search and page are in the URL)."""
    return DossierChoiceForm(request.POST) if request.method == "POST" else None


def _choice_context(choice: DossierChoiceForm | None) -> dict:
    errors = choice.errors.get("dossier", []) if choice is not None else []
    return {"choice": choice, "choice_error": errors[0] if errors else ""}


def _position(request) -> dict:
    """Where a pager link leads: a neighbour's cursor and number, or the last page."""
    number = request.GET.get("page", "")
    return {
        "after": request.GET.get("apres", ""),
        "before": request.GET.get("avant", ""),
        "last": request.GET.get("fin") == "1",
        "number": int(number) if number.isdigit() and len(number) < 7 else 1,
    }


@require_http_methods(["GET", "POST"])
def portfolio(request):
    """*Voir tous mes dossiers*: every company with an active habilitation, paginated."""
    choice = _choice_form(request)
    if choice is not None and choice.is_valid():
        return _choose(request, choice)
    query = request.GET.get("q", "")
    sort = normalize_sort(request.GET.get("tri", "nom"))
    result = portfolio_page(request.user, query=query, sort=sort, **_position(request))
    return render(
        request,
        "dossiers/portfolio.html",
        {
            "page": result,
            "query": query,
            "sort": sort,
            "searching": bool(query.strip()),
            **_choice_context(choice),
        },
    )


@require_http_methods(["GET", "POST"])
def choose(request):
    """*Choisir un dossier*: find one by SIREN or by the beginning of its name."""
    choice = _choice_form(request)
    if choice is not None and choice.is_valid():
        return _choose(request, choice)
    query = request.GET.get("q", "")
    result = portfolio_page(request.user, query=query) if query.strip() else None
    if choice is None and result and result.total == 1 and not result.previous_cursor:
        only = result.entries[0]
        if only.identifier == query.replace(" ", "").upper():
            return redirect("dossiers:dossier", identifier=only.identifier)
    return render(
        request,
        "dossiers/choose.html",
        {"page": result, "query": query, **_choice_context(choice)},
    )


def dossier(request, identifier: str):
    """The dossier's home: the menus with exactly the services the subscriber may use."""
    company, rights = dossier_or_403(request.user, identifier)
    make_current(request, company, rights)
    return render(
        request,
        "dossiers/dossier.html",
        {
            "company": company,
            "menus": dossier_menus.service_menus(rights, company.identifier),
            "manage": dossier_menus.manage_entries(rights, company.identifier),
            "withheld_payer": bool(rights.withheld_by_policy),
            "withheld_designation": rights.designation_withheld(),
        },
    )


def _who_may_use(code: str) -> str:
    if code in DERIVED_BY_CODE:
        if DERIVED_BY_CODE[code].requires == "payer":
            return (
                "Ce service est accessible, sans adhésion propre, à toute personne habilitée sur "
                "au moins un service « Payer » de l'entreprise."
            )
        return (
            "Ce service est accessible à toute personne habilitée sur au moins un service en "
            "ligne de l'entreprise."
        )
    return (
        "Ce service est accessible à son administrateur titulaire, à son administrateur "
        "suppléant, ainsi qu'aux acteurs délégants et aux acteurs que ceux-ci ont désignés "
        "pour cette entreprise, tant que leur habilitation n'est pas mise en veille."
    )


def service(request, identifier: str, code: str):
    """A service of a dossier: who may use it; the service itself is its own application. The
    secure messaging is a service of the product: its own pages (web/messaging)."""
    if code == MESSAGERIE:
        return redirect("messaging:threads", identifier=identifier)
    company, rights = dossier_or_403(request.user, identifier)
    make_current(request, company, rights)
    if code not in ELEMENTARY_BY_CODE and code not in DERIVED_BY_CODE:
        refuse(company.identifier, "unknown service", code=code)
    if code in rights.withheld_by_policy:
        # Said rather than a bare 403 (docs/habilitations.md §14), and audited as a refusal.
        record_refusal(request, company.identifier, "strong factor required", code=code)
        context = {"company": company, "label": label(code)}
        return render(request, "dossiers/service_withheld.html", context, status=403)
    require(company, rights, Permission.USE, code)
    role = rights.role_on(code)
    return render(
        request,
        "dossiers/service.html",
        {
            "company": company,
            "label": label(code),
            "code": code,
            "role": Role(role).label if role else None,
            "who": _who_may_use(code),
        },
    )


def my_habilitations(request):
    """*Consulter vos services (habilitations)*: every habilitation, grouped by company, 20
    companies a page, narrowed by company (SIREN or words), service and role: three queries
    (the count, the page, the habilitations of its companies) whatever the portfolio's size."""
    form = HabilitationsFilterForm(request.GET)
    filters = form.filters()
    result = portfolio_page(
        request.user, size=20, dossiers_only=False, **filters, **_position(request)
    )
    company_ids = [entry.company_id for entry in result.entries]
    rows = (
        holding(request.user, filters["service"], filters["role"])
        .filter(company_id__in=company_ids)
        .order_by("service", "elementary_service")
    )
    by_company: dict[int, list[Habilitation]] = {pk: [] for pk in company_ids}
    for habilitation in rows:
        by_company[habilitation.company_id].append(habilitation)
    groups = [CompanyHabilitations(entry, by_company[entry.company_id]) for entry in result.entries]
    return render(
        request,
        "dossiers/my_habilitations.html",
        {
            "page": result,
            "groups": groups,
            "form": form,
            "filtering": any(filters.values()),
        },
    )


@require_http_methods(["GET", "POST"])
def renounce(request, pk: int):
    """The holder gives up one of their delegations (from *Consulter vos services*)."""
    habilitation = delegation_queries.own_habilitation(request.user, pk)
    if habilitation is None:
        raise Http404
    if request.method == "POST":
        try:
            delegation.renounce(request.user, pk)
        except Refusal as refusal:
            add_to_page(request, refusal)
        else:
            messages.success(
                request,
                f"Vous avez renoncé à votre habilitation « {habilitation.label} » sur "
                f"{habilitation.company.name}.",
            )
        return redirect("dossiers:mine")
    return render(request, "dossiers/renounce_confirm.html", {"habilitation": habilitation})
