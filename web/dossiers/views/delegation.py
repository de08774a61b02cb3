"""Pages of delegation (docs/habilitations.md §2): deputies, delegations, who has access. Thin
views over `habilitations.delegation.actions`; every action checks rights on the server and
audits refusals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Subscriber
from accounts.queries import designatable_subscriber
from core.refusals import CATALOGUE, Refusal
from habilitations.catalogue import ELEMENTARY_SERVICES, PAYER, ElementaryService, label
from habilitations.choices import Role, State
from habilitations.delegation import actions as delegation
from habilitations.delegation import queries as delegation_queries
from habilitations.delegation.queries import delegation_on, held_on, managed_delegations
from habilitations.delegation.rules import Designation, may_designate, same_level_for_all
from web.current_dossier import make_current
from web.dossiers.forms import DelegateNumberForm, DelegationLevelsForm, DeputyForm
from web.factors.step_up import fresh_factor_redirect, posted_again
from web.guards import dossier_or_403, record_refusal, refuse
from web.refusals import add_to_form

if TYPE_CHECKING:
    from habilitations.models import Habilitation


@dataclass(frozen=True)
class DeputyRow:
    """A line of *Gérer vos administrateurs suppléants*: a service and its deputy, if any."""

    code: str
    name: str
    deputy: Habilitation | None


@dataclass(frozen=True)
class DelegateGroup:
    """A delegate of *Gérer ou consulter vos délégations* and their habilitations here."""

    holder: Subscriber
    habilitations: list[Habilitation]


class LevelRow(NamedTuple):
    """A line of *Déléguer mes habilitations*: a service, the levels the granter may give on
    it, and what the delegate holds there now."""

    service: ElementaryService
    levels: list[Role]
    held: Habilitation | None
    chosen: str | None = None  # posted before a step-up, shown again


@require_http_methods(["GET", "POST"])
def deputies(request, identifier: str):
    """*Gérer vos administrateurs suppléants* (AT only): designate, confirm, replace, remove."""
    company, rights = dossier_or_403(request.user, identifier)
    make_current(request, company, rights)
    if not rights.may_manage_deputies():
        refuse(identifier, "not titular admin of any service")
    services = [(code, label(code)) for code in rights.deputy_services()]
    posted = request.POST if request.method == "POST" else posted_again(request)
    form = DeputyForm(posted, services=services)
    if request.method == "POST" and form.is_valid():
        designation = Designation(form.cleaned_data["service"], Role.DEPUTY_ADMIN)
        if "confirm" in request.POST and (step_up := fresh_factor_redirect(request, "deputy")):
            # An administrator role is granted by this POST: a fresh factor first (§14.4).
            return step_up
        if "confirm" not in request.POST:
            # Nothing is saved before the holder's name has been shown and confirmed.
            return render(
                request,
                "dossiers/deputy_confirm.html",
                {
                    "company": company,
                    "form": form,
                    "holder": form.subscriber,
                    "service_label": label(designation.code),
                },
            )
        try:
            delegation.designate(request.user, company, form.subscriber, [designation])
        except Refusal as refusal:
            record_refusal(request, company.identifier, refusal.message)
            add_to_form(form, refusal)
        else:
            messages.success(
                request,
                f"{form.subscriber.display_name} est désormais administrateur suppléant du "
                f"service « {label(designation.code)} ».",
            )
            return redirect("dossiers:deputies", identifier=identifier)
    current = delegation_queries.deputies_on(company, [code for code, _ in services])
    rows = [DeputyRow(code, name, current.get(code)) for code, name in services]
    return render(
        request, "dossiers/deputies.html", {"company": company, "form": form, "rows": rows}
    )


def _delegates(user, company, rights) -> list[DelegateGroup]:
    """The delegations the page lists, grouped by holder (the API lists them flat)."""
    groups: dict[int, DelegateGroup] = {}
    for habilitation in managed_delegations(user, company, rights):
        group = groups.setdefault(
            habilitation.subscriber_id, DelegateGroup(habilitation.subscriber, [])
        )
        group.habilitations.append(habilitation)
    return list(groups.values())


@require_http_methods(["GET", "POST"])
def delegations(request, identifier: str):
    """*Gérer ou consulter vos délégations*: the selected company, its delegates, a new one."""
    company, rights = dossier_or_403(request.user, identifier)
    make_current(request, company, rights)
    if not rights.may_delegate():
        refuse(identifier, "may not designate anyone")
    form = DelegateNumberForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        return redirect(
            "dossiers:delegate", identifier=identifier, number=form.cleaned_data["number"]
        )
    return render(
        request,
        "dossiers/delegations.html",
        {"company": company, "form": form, "delegates": _delegates(request.user, company, rights)},
    )


@require_http_methods(["GET", "POST"])
def delegate(request, identifier: str, number: str):
    """*Déléguer mes habilitations* to one delegate: a level per elementary service."""
    company, rights = dossier_or_403(request.user, identifier)
    make_current(request, company, rights)
    holder = designatable_subscriber(number)
    if holder is None:
        messages.error(request, "Aucun espace professionnel ne correspond à ce numéro d'abonné.")
        return redirect("dossiers:delegations", identifier=identifier)
    if not rights.may_delegate():
        refuse(identifier, "may not designate anyone")
    choices = []
    for es in ELEMENTARY_SERVICES:
        levels = [
            role
            for role in (Role.DELEGATING_ACTOR, Role.ACTOR)
            if may_designate(rights, role, es.code)
        ]
        if levels:
            choices.append((es, levels))
    current = {h.elementary_service: h for h in held_on(company, holder)}
    all_levels = [
        role
        for role in (Role.DELEGATING_ACTOR, Role.ACTOR)
        if any(role in levels for _, levels in choices)
    ]
    form = DelegationLevelsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if "all-level" in request.POST:
            designations, kept = _same_level_for_all(
                request.user, request.POST["all-level"], company, rights, all_levels, current
            )
        else:
            designations, kept = _levels_per_service(request.POST, company, choices), []
        if not designations:
            form.add_error(
                None,
                "Aucun service ne peut recevoir ce niveau."
                if "all-level" in request.POST
                else "Choisissez un niveau pour au moins un service.",
            )
        elif _grants_payer(designations) and (step_up := fresh_factor_redirect(request, "payer")):
            return step_up
        else:
            try:
                delegation.designate(request.user, company, holder, designations)
            except Refusal as refusal:
                record_refusal(request, company.identifier, refusal.message)
                add_to_form(form, refusal)
            else:
                messages.success(request, _designated_message(holder, designations, kept))
                return redirect("dossiers:delegations", identifier=identifier)
    again = posted_again(request) or {}
    rows = [
        LevelRow(
            es,
            levels,
            current.get(es.code) or current.get(es.service),
            again.get(f"level-{es.code}"),
        )
        for es, levels in choices
    ]
    return render(
        request,
        "dossiers/delegate.html",
        {
            "company": company,
            "holder": holder,
            "rows": rows,
            "form": form,
            "self_designation": holder.pk == request.user.pk,
            "all_levels": all_levels,
        },
    )


def _levels_per_service(posted, company, choices) -> list[Designation]:
    """The posted ``level-<code>`` selects; a level beyond the granter's rights is a forged
    form: refused (403), and audited."""
    allowed = {es.code: {role.value for role in levels} for es, levels in choices}
    asked = {
        key.removeprefix("level-"): value
        for key, value in posted.items()
        if key.startswith("level-") and value
    }
    forged = {code: level for code, level in asked.items() if level not in allowed.get(code, ())}
    if forged:
        refuse(company.identifier, FORGED, asked=forged)
    return [Designation(code, Role(level)) for code, level in asked.items()]


def _same_level_for_all(user, level: str, company, rights, all_levels, current):
    """« Même niveau pour tous les services »: the rule is `same_level_for_all`."""
    if level not in {role.value for role in all_levels}:
        refuse(company.identifier, FORGED, asked={"all": level})
    return same_level_for_all(user, rights, Role(level), current)


FORGED = "designation beyond the granter's rights"
_PAYER_CODES = frozenset(es.code for es in ELEMENTARY_SERVICES if es.service == PAYER)


def _grants_payer(designations: list[Designation]) -> bool:
    """Whether a *Payer* elementary service is delegated: a fresh factor first (§14.4)."""
    return any(d.code in _PAYER_CODES or d.code == PAYER for d in designations)


def _designated_message(holder, designations: list[Designation], kept: list[str]) -> str:
    message = f"Délégation enregistrée pour {holder.display_name}, effective immédiatement."
    if len({d.role for d in designations}) == 1 and len(designations) > 1:
        # Always several services here: no plural to choose.
        role = designations[0].role.label
        message += f" Niveau « {role} » sur {len(designations)} services."
    if kept:
        message += (
            " Inchangé(s), car ce n'est pas à vous de les modifier : " + ", ".join(kept) + "."
        )
    return message


@require_POST
def delegation_action(request, identifier: str, pk: int):
    """*Mettre en veille*, *Réactiver*, *Supprimer* (or *Retirer* a deputy) one delegation,
    checked on the server; deleting asks for confirmation first, naming whose and which."""
    company, rights = dossier_or_403(request.user, identifier)
    make_current(request, company, rights)
    target = delegation_on(company, pk)
    if target is None:
        refuse(identifier, "habilitation of another company", habilitation=pk)
    action = request.POST.get("action")
    back = "deputies" if request.POST.get("next") == "deputies" else "delegations"
    whose = f"de {target.subscriber.display_name} sur « {target.label} »"
    if action == "revoke" and request.POST.get("confirmed") != "1":
        if not delegation_queries.may_revoke(request.user, target):
            refuse(identifier, CATALOGUE["delegation.not_manageable"], habilitation=pk)
        return render(
            request,
            "dossiers/revoke_confirm.html",
            {"company": company, "habilitation": target, "back": back},
        )
    try:
        if action == "suspend":
            delegation.set_delegation_state(request.user, pk, State.SUSPENDED)
            messages.success(request, f"La délégation {whose} est mise en veille.")
        elif action == "reactivate":
            delegation.set_delegation_state(request.user, pk, State.ACTIVE)
            messages.success(request, f"La délégation {whose} est réactivée.")
        elif action == "revoke":
            delegation.revoke(request.user, pk)
            messages.success(request, f"La délégation {whose} est supprimée.")
        else:
            refuse(identifier, "unknown action", habilitation=pk)
    except Refusal as refusal:
        # Refused by the rules on a button the page did not offer: a 403, audited.
        refuse(identifier, refusal.message, habilitation=pk)
    return redirect(f"dossiers:{back}", identifier=identifier)
