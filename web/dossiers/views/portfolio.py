"""The portfolio and dossier pages (docs/habilitations.md §10): thin views over
`habilitations.portfolio` and `access`."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.refusals import Refusal
from habilitations import delegation
from habilitations.access import Permission
from habilitations.catalogue import (
    DERIVED_ACCESSES,
    DERIVED_BY_CODE,
    ELEMENTARY_BY_CODE,
    ELEMENTARY_SERVICES,
    Menu,
    label,
)
from habilitations.models import Habilitation, Role
from habilitations.portfolio import normalize_sort
from habilitations.portfolio import page as portfolio_page
from web.dossiers.forms import DossierChoiceForm
from web.guards import dossier_or_403, refuse, require
from web.refusals import add_to_page

CURRENT_DOSSIER = "current_dossier"


def _make_current(request, identifier: str, name: str) -> None:
    """The dossier shown in the identity band; the session is written only when it changes,
    so that reopening the current dossier writes nothing (docs/security.md §11.7)."""
    current = {"identifier": identifier, "name": name}
    if request.session.get(CURRENT_DOSSIER) != current:
        request.session[CURRENT_DOSSIER] = current


def _choose(request, form: DossierChoiceForm):
    """*Valider* on a dossier: it becomes the current dossier, if the subscriber holds a right."""
    company, _ = dossier_or_403(request, form.cleaned_data["dossier"])
    _make_current(request, company.identifier, company.name)
    return redirect("dossiers:dossier", identifier=company.identifier)


def _choice_form(request) -> DossierChoiceForm | None:
    """The posted choice of a dossier (None on a GET); an empty one is shown as an error next
    to the list, which is shown again as it was (its search and page are in the URL)."""
    return DossierChoiceForm(request.POST) if request.method == "POST" else None


def _choice_context(choice: DossierChoiceForm | None) -> dict:
    errors = choice.errors.get("dossier", []) if choice is not None else []
    return {"choice": choice, "choice_error": errors[0] if errors else ""}


@require_http_methods(["GET", "POST"])
def portfolio(request):
    """*Voir tous mes dossiers*: every company with an active habilitation, paginated."""
    choice = _choice_form(request)
    if choice is not None and choice.is_valid():
        return _choose(request, choice)
    query = request.GET.get("q", "")
    sort = normalize_sort(request.GET.get("tri", "nom"))
    result = portfolio_page(
        request.user,
        query=query,
        sort=sort,
        after=request.GET.get("apres", ""),
        before=request.GET.get("avant", ""),
    )
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
            _make_current(request, only.identifier, only.name)
            return redirect("dossiers:dossier", identifier=only.identifier)
    return render(
        request,
        "dossiers/choose.html",
        {"page": result, "query": query, **_choice_context(choice)},
    )


def _menus(rights) -> list[tuple[str, list[tuple[str, str]]]]:
    usable = rights.usable()
    menus = []
    for menu in Menu:
        items = [
            (es.code, es.menu_label)
            for es in ELEMENTARY_SERVICES
            if es.menu == menu and es.code in usable
        ] + [
            (d.code, d.menu_label) for d in DERIVED_ACCESSES if d.menu == menu and d.code in usable
        ]
        menus.append((menu.label, items))
    return menus


def _manage_entries(rights, identifier: str) -> list[tuple[str, str]]:
    """*Gérer* entries by role: (label, url). Each asks the predicate that guards its page."""
    entries: list[tuple[str, str]] = []
    if rights.may_manage_bank_accounts():
        entries.append(
            (
                "Gérer les comptes bancaires de l'entreprise",
                reverse("dossiers:bank_accounts", args=[identifier]),
            )
        )
    if rights.may_manage_company_email():
        entries.append(
            (
                "Modifier l'adresse électronique de l'entreprise",
                reverse("dossiers:company_email", args=[identifier]),
            )
        )
    if rights.may_manage_deputies():
        entries.append(
            (
                "Gérer vos administrateurs suppléants",
                reverse("dossiers:deputies", args=[identifier]),
            )
        )
    if rights.may_delegate():
        entries.append(
            (
                "Gérer ou consulter vos délégations",
                reverse("dossiers:delegations", args=[identifier]),
            )
        )
    if rights.may_see_holders():
        entries.append(
            ("Qui a accès à cette entreprise", reverse("dossiers:holders", args=[identifier]))
        )
    return entries


def dossier(request, identifier: str):
    """The dossier's home: the menus with exactly the services the subscriber may use."""
    company, rights = dossier_or_403(request, identifier)
    _make_current(request, company.identifier, company.name)
    return render(
        request,
        "dossiers/dossier.html",
        {
            "company": company,
            "menus": _menus(rights),
            "manage": _manage_entries(rights, company.identifier),
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
    """A service of a dossier: who may use it; the service itself is its own application."""
    company, rights = dossier_or_403(request, identifier)
    if code not in ELEMENTARY_BY_CODE and code not in DERIVED_BY_CODE:
        refuse(request, company.identifier, "unknown service", code=code)
    require(request, company, rights, Permission.USE, code)
    role = rights.role_on(code)
    return render(
        request,
        "dossiers/service.html",
        {
            "company": company,
            "label": label(code),
            "role": Role(role).label if role else None,
            "who": _who_may_use(code),
        },
    )


def my_habilitations(request):
    """*Consulter vos services (habilitations)*: every habilitation, grouped by company."""
    result = portfolio_page(
        request.user,
        after=request.GET.get("apres", ""),
        before=request.GET.get("avant", ""),
        size=20,
        dossiers_only=False,
    )
    company_ids = [entry.company_id for entry in result.entries]
    rows = Habilitation.objects.filter(
        subscriber=request.user, company_id__in=company_ids
    ).order_by("service", "elementary_service")
    by_company: dict[int, list[Habilitation]] = {pk: [] for pk in company_ids}
    for habilitation in rows:
        by_company[habilitation.company_id].append(habilitation)
    groups = [(entry, by_company[entry.company_id]) for entry in result.entries]
    return render(request, "dossiers/my_habilitations.html", {"page": result, "groups": groups})


@require_http_methods(["GET", "POST"])
def renounce(request, pk: int):
    """The holder gives up one of their delegations (from *Consulter vos services*)."""
    habilitation = get_object_or_404(
        Habilitation.objects.select_related("company"), pk=pk, subscriber=request.user
    )
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
