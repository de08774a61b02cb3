"""*Qui a accès à cette entreprise* (docs/habilitations.md §2): every holder, the history, a CSV
export."""

from __future__ import annotations

import contextlib
import csv
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from audit.models import AuditEvent
from core.dates import date_time
from habilitations.catalogue import PAYER
from habilitations.catalogue import label as catalogue_label
from habilitations.choices import Role
from habilitations.rights.queries import DESIGNATING_ROLES, holders_of
from web.current_dossier import make_current
from web.guards import dossier_or_403, refuse

if TYPE_CHECKING:
    from habilitations.models import Habilitation

HISTORY_SIZE = 200


@dataclass(frozen=True)
class HistoryLine:
    """A change in the history: the audit event, and its service and role in French."""

    event: AuditEvent
    service: str
    role: str


def _holders(company):
    return holders_of(company)


class HolderLine(NamedTuple):
    """A row of *Qui a accès* and, when the company requires a strong factor (applying or
    scheduled), whether its holder has one: « Oui », « Non », or « — » when the requirement does
    not concern this right (docs/habilitations.md §14). Read from the row's subscriber, already
    selected: no query per holder."""

    habilitation: Habilitation
    strong_factor: str


def _lines(company, policy_from) -> list[HolderLine]:
    def factor(h) -> str:
        if policy_from is None:
            return ""
        if h.service != PAYER and Role(h.role) not in DESIGNATING_ROLES:
            return "—"
        return "Oui" if h.subscriber.strong_factor else "Non"

    return [HolderLine(h, factor(h)) for h in _holders(company)]


def holders(request, identifier: str):
    company, rights = dossier_or_403(request.user, identifier)
    make_current(request, company, rights)
    if not rights.may_see_holders():
        refuse(identifier, "not an administrator of this company")
    if request.GET.get("format") == "csv":
        return _csv(company)
    history = list(
        AuditEvent.objects.filter(target=company.identifier, action__startswith="habilitation.")
        .select_related("actor")
        .order_by("-at", "-id")[:HISTORY_SIZE]
    )
    return render(
        request,
        "dossiers/holders.html",
        {
            "company": company,
            "holders": _lines(company, rights.policy_from),
            "policy_from": rights.policy_from,
            "history": [HistoryLine(event, *_labels(event.details)) for event in history],
        },
    )


def _labels(details: dict) -> tuple[str, str]:
    """The French labels of the service and role an audit event names (codes in the trail)."""
    service, role = details.get("service", ""), details.get("role", "")
    with contextlib.suppress(KeyError):
        service = catalogue_label(service)
    if role in Role.values:
        role = Role(role).label
    return service, role


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (names are free text)."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _csv(company) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="acces-{company.identifier}.csv"'
    # Names and subscriber numbers: kept by no browser cache nor proxy (docs/security.md §11).
    patch_cache_control(response, no_store=True, private=True)
    response.write("\ufeff")  # so that spreadsheet software reads UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            "Nom",
            "Prénom",
            "Numéro d'abonné",
            "Service",
            "Rôle",
            "État",
            "Obtenu par",
            "Accordé par",
            "Depuis le",
        ]
    )
    for h in _holders(company):
        writer.writerow(
            _cell(str(value))
            for value in [
                h.subscriber.last_name.upper(),
                h.subscriber.first_name,
                h.subscriber.subscriber_number,
                h.label,
                h.get_role_display(),
                h.get_state_display(),
                h.get_origin_display(),
                f"{h.granted_by.display_name} ({h.granted_by.subscriber_number})"
                if h.granted_by
                else "",
                date_time(h.granted_at),
            ]
        )
    return response
