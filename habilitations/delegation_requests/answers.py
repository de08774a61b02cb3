"""Delegation requests, the company's side (docs/habilitations.md §12.2 to §12.5): *Demandes de
délégation reçues*, accepting (all, some services, a lower level), refusing with a word back,
blocking a firm.

Who receives a request: the administrators (AT, AS, active) of at least one service it asks
for. Accepting designates through `delegation.designate`, the function every designation goes
through: the acceptor's own rights bound what is granted, as on *Déléguer mes habilitations*.
Every answer locks the company, then the request (`delegation_request_states.lock_request`): of two
administrators answering at once, the second finds it answered.
"""

from django.db import transaction

from audit.models import Action
from audit.trail import record
from core import clock
from core.refusals import Refusal
from habilitations.delegation import actions as delegation
from habilitations.delegation.rules import Designation
from habilitations.delegation_requests.mail import tell_firm
from habilitations.delegation_requests.queries import LEVELS_AT_MOST, receives
from habilitations.delegation_requests.states import closed, lock_request
from habilitations.models import (
    DelegationRequest,
    DelegationRequestItem,
    DelegationRequestState,
    FirmBlock,
    Role,
)
from habilitations.rights.queries import rights_on


def _locked_for(admin, request_id: int) -> DelegationRequest:
    req = lock_request(request_id)
    if not receives(rights_on(admin, req.company), req):
        raise Refusal("delegation_request.unknown")
    return req


def accept(admin, request_id: int, levels: dict[str, Role | None], answer: str = ""):
    """Accept a request: `levels` gives, per elementary service asked, the level granted (the
    one asked or lower) or None (not granted). Designates the requester through
    `delegation.designate`, within the acceptor's rights; all or nothing."""
    with transaction.atomic():
        req = _locked_for(admin, request_id)
        refusal = closed(req)
        if refusal is None:
            return _accept(admin, req, levels, answer)
    raise refusal  # after the commit: the expiry found is written down


def _accept(admin, req: DelegationRequest, levels, answer: str) -> DelegationRequest:
    items = list(req.items.all())
    designations = []
    for item in items:
        chosen = levels.get(item.elementary_service)
        if chosen is None:
            continue
        if Role(chosen) not in LEVELS_AT_MOST[Role(item.role)]:
            raise Refusal("delegation_request.above_asked", service=item.label)
        designations.append(Designation(item.elementary_service, Role(chosen)))
        item.granted_role = Role(chosen)
    if not designations:
        raise Refusal("delegation_request.nothing_accepted")
    delegation.designate(admin, req.company, req.requester, designations, notify=False)
    DelegationRequestItem.objects.bulk_update(items, ["granted_role"])
    full = all(item.granted_role == item.role for item in items)
    req.state = DelegationRequestState.ACCEPTED if full else DelegationRequestState.PARTLY_ACCEPTED
    _close(admin, req, answer)
    record(
        Action.DELEGATION_REQUEST_ACCEPTED,
        actor=admin,
        target=req.company.identifier,
        request_id=req.pk,
        state=req.state,
        granted=[f"{i.granted_role}:{i.elementary_service}" for i in items if i.granted_role],
    )
    tell_firm(req, req.state)
    return req


def _close(admin, req: DelegationRequest, answer: str) -> None:
    req.closed_at = clock.now()
    req.answered_by = admin
    req.answer = answer.strip()[:1000]
    req.save(update_fields=["state", "closed_at", "answered_by", "answer"])


def refuse(admin, request_id: int, answer: str = "", *, block: bool = False) -> DelegationRequest:
    """Refuse a request, with an optional word back; `block` also refuses the firm's further
    requests to this company (docs/habilitations.md §12.5)."""
    with transaction.atomic():
        req = _locked_for(admin, request_id)
        refusal = closed(req)
        if refusal is None:
            req.state = DelegationRequestState.REFUSED
            _close(admin, req, answer)
            record(
                Action.DELEGATION_REQUEST_REFUSED,
                actor=admin,
                target=req.company.identifier,
                request_id=req.pk,
            )
            if block:
                _block(admin, req)
            tell_firm(req, DelegationRequestState.REFUSED)
            return req
    raise refusal


def _block(admin, req: DelegationRequest) -> FirmBlock:
    block, _ = FirmBlock.objects.get_or_create(
        company=req.company,
        requester=req.requester,
        defaults={
            "firm_identifier": req.firm_identifier,
            "firm_name": req.firm_name,
            "blocked_by": admin,
            "blocked_at": clock.now(),
        },
    )
    record(
        Action.DELEGATION_REQUEST_FIRM_BLOCKED,
        actor=admin,
        target=req.company.identifier,
        firm=req.firm_identifier,
        requester=req.requester.subscriber_number,
    )
    return block


@transaction.atomic
def unblock(admin, block_id: int) -> FirmBlock:
    """*Débloquer*: the firm may ask this company again (any administrator of the company)."""
    block = FirmBlock.objects.filter(pk=block_id).select_related("company", "requester").first()
    if block is None or not rights_on(admin, block.company).may_see_holders():
        raise Refusal("delegation_request.unknown")
    record(
        Action.DELEGATION_REQUEST_FIRM_UNBLOCKED,
        actor=admin,
        target=block.company.identifier,
        firm=block.firm_identifier,
    )
    block.delete()
    return block
