"""Reading delegation requests (docs/habilitations.md §12): the firm's requests sent, the
administrators' requests received, the levels each item may be answered with, the firms blocked,
a request's history. The rules that change them are `actions.py` and `answers.py`."""

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from django.db.models import Exists, OuterRef

from companies.models import Company
from core.refusals import Refusal
from habilitations.catalogue import (
    label,
)
from habilitations.delegation.rules import may_designate
from habilitations.models import (
    ADMIN_ROLES,
    DelegationRequest,
    DelegationRequestItem,
    DelegationRequestState,
    FirmBlock,
    Habilitation,
    Role,
    State,
)
from habilitations.rights.queries import Rights, administered_company_ids, rights_on

# What each asked level may be answered with: the level asked, or a lower one.
LEVELS_AT_MOST = {
    Role.DELEGATING_ACTOR: (Role.DELEGATING_ACTOR, Role.ACTOR),
    Role.ACTOR: (Role.ACTOR,),
}


def sent(requester):
    """*Suivre vos demandes de délégation*: the requester's requests, newest first."""
    return (
        DelegationRequest.objects.filter(requester=requester)
        .select_related("company", "requester", "answered_by")
        .prefetch_related("items")
        .order_by("-created_at", "-id")
    )


def received(admin, company: Company | None = None):
    """The requests `admin` receives (on one company, or all), newest first."""
    admin_rows = Habilitation.objects.filter(
        subscriber=admin,
        role__in=ADMIN_ROLES,
        state=State.ACTIVE,
        company_id=OuterRef(OuterRef("company_id")),
        service=OuterRef("service"),
    )
    concerned = DelegationRequestItem.objects.filter(request=OuterRef("pk")).filter(
        Exists(admin_rows)
    )
    requests = DelegationRequest.objects.filter(company_id__in=administered_company_ids(admin))
    if company is not None:
        requests = requests.filter(company=company)
    return (
        requests.filter(Exists(concerned))
        .select_related("company", "requester", "answered_by")
        .prefetch_related("items")
        .order_by("-created_at", "-id")
    )


def receives(rights: Rights, req: DelegationRequest) -> bool:
    """Is the holder of `rights` an administrator of a service this request asks for?"""
    return any(rights.role_on(item.elementary_service) in ADMIN_ROLES for item in req.items.all())


def received_one(admin, request_id: int) -> tuple[DelegationRequest, Rights]:
    """One request `admin` receives, with their rights on its company; an unknown request and
    another company's look the same (`delegation_request.unknown`)."""
    req = (
        DelegationRequest.objects.filter(pk=request_id)
        .select_related("company", "requester", "answered_by")
        .prefetch_related("items")
        .first()
    )
    if req is not None:
        rights = rights_on(admin, req.company)
        if receives(rights, req):
            return req, rights
    raise Refusal("delegation_request.unknown")


@dataclass(frozen=True)
class Option:
    """One asked elementary service on the answer form: the levels this administrator may
    grant (the one asked or lower, within their own rights; empty: not theirs to grant)."""

    item: DelegationRequestItem
    levels: tuple[Role, ...]


def options(rights: Rights, req: DelegationRequest) -> list[Option]:
    """What the answer form offers, item by item (`may_designate` decides)."""
    return [
        Option(
            item,
            tuple(
                role
                for role in LEVELS_AT_MOST[Role(item.role)]
                if may_designate(rights, role, item.elementary_service)
            ),
        )
        for item in req.items.all()
    ]


def blocks(admin, company: Company):
    """The firms blocked on this company, for its administrators (empty for anyone else)."""
    if not rights_on(admin, company).may_see_holders():
        return FirmBlock.objects.none()
    return FirmBlock.objects.filter(company=company).select_related("requester", "blocked_by")


class HistoryLine(NamedTuple):
    when: datetime
    what: str


def history(req: DelegationRequest) -> list[HistoryLine]:
    """The request's history, both sides see it: oldest first. A request moves
    once out of *pending*, so its row says it all."""
    lines = [
        HistoryLine(
            req.created_at,
            f"Demande envoyée par {req.requester.display_name} "
            f"(abonné {req.requester.subscriber_number} ; "
            f"cabinet déclaré par le demandeur : {req.firm_name or req.firm_identifier or 'aucun'}"
            ", non vérifié)",
        )
    ]
    state = req.current_state
    if state == DelegationRequestState.EXPIRED:
        lines.append(HistoryLine(req.closed_at or req.expires_at, "Demande expirée sans réponse"))
    elif state == DelegationRequestState.WITHDRAWN:
        lines.append(HistoryLine(req.closed_at, "Demande retirée par le cabinet"))
    elif state != DelegationRequestState.PENDING:
        who = req.answered_by.display_name if req.answered_by else "un administrateur"
        granted = ", ".join(
            f"{label(i.elementary_service)} ({i.granted_label})"
            for i in req.items.all()
            if i.granted_role
        )
        text = f"{DelegationRequestState(state).label} par {who}"
        if granted:
            text += f" : {granted}"
        lines.append(HistoryLine(req.closed_at, text))
    return lines
