"""Delegation requests, the firm's side (docs/habilitations.md §12): asking one company or many
(a CSV), withdrawing, following. The limits are `limits.py`, who is told `mail.py`, a
request's states (closed, expired) `states.py`; the company's side (accepting, refusing,
blocking a firm) is `answers.py`, all in this package.

The rules, in words:
- a firm asks a company for elementary services, each as *Acteur délégant* or *Acteur* (or one
  level for every service the company has an administrator for), with an optional message;
- only services that have an AT can be asked (otherwise the company must first adhere);
  what the requester already holds at that level or above is not asked again;
- one pending request per requester and company (a unique index); one waits 21 days
  (`DELEGATION_REQUEST_VALIDITY`) then expires, derived when read, written down when used or by
  the daily `expire_delegation_requests`;
- limits: pending requests per requester (`DELEGATION_REQUESTS_PENDING_PER_REQUESTER`), requests
  per requester and per company and day, previews and refused single requests per requester
  (`RATE_LIMITS`), a requesting space blocked by the company, a frozen company (answered like a
  company over its limit);
- the firm's name and SIREN are what the requester's space declares, never verified: the
  company is shown them as such, next to the requester's own name and subscriber number; the
  message may carry no link and no phone number;
- the company's administrators of the services concerned (AT, AS) are told by e-mail (no link:
  they answer logged in), and again if the firm withdraws it; every transition is audited and
  e-mailed to the firm.

Asking many companies takes a constant number of queries, plus one e-mail per administrator.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.db import transaction

from accounts.models import Subscriber
from audit.models import Action
from audit.trail import record, record_many
from companies.freezing import is_frozen
from companies.models import Company
from core import clock, limits, lures
from core.dates import short_date
from core.refusals import Refusal
from habilitations.catalogue import (
    ELEMENTARY_SERVICES,
    elementary_codes_of,
    label,
    service_of,
)
from habilitations.delegation.rules import titular_services
from habilitations.delegation_requests.limits import check_limits
from habilitations.delegation_requests.mail import (
    firm_of,
    tell_administrators,
    tell_administrators_withdrawn,
    tell_firm,
)
from habilitations.delegation_requests.queries import LEVELS_AT_MOST
from habilitations.delegation_requests.states import closed, expire, lock_request
from habilitations.models import (
    DelegationRequest,
    DelegationRequestItem,
    DelegationRequestState,
    FirmBlock,
    Habilitation,
    Role,
    State,
)
from habilitations.rights import actions as changes

_RANK = {Role.ACTOR: 1, Role.DELEGATING_ACTOR: 2, Role.DEPUTY_ADMIN: 3, Role.TITULAR_ADMIN: 4}


class RefusedRequest(NamedTuple):
    company: Company
    refusal: Refusal


@dataclass(frozen=True)
class Wanted:
    """What a firm asks of each company: a level per elementary service, or `every` (one level
    on every elementary service the company has an administrator for)."""

    levels: dict[str, Role] = field(default_factory=dict)
    every: Role | None = None

    def __post_init__(self):
        for code, role in self.levels.items():
            if code not in {e.code for e in ELEMENTARY_SERVICES} or role not in LEVELS_AT_MOST:
                raise Refusal("delegation_request.no_service")
        if self.every is not None and self.every not in LEVELS_AT_MOST:
            raise Refusal("delegation_request.no_service")
        if not self.levels and self.every is None:
            raise Refusal("delegation_request.no_service", field="levels")


@dataclass
class DelegationRequestPlan:
    """Which companies would be (or were) asked what, and which are refused, and why."""

    asked: list[tuple[Company, list[tuple[str, Role]]]] = field(default_factory=list)
    refused: list[RefusedRequest] = field(default_factory=list)
    requests: list[DelegationRequest] = field(default_factory=list)


# Single requests refused for their company, per requesting space (config/rules.py).
REFUSED_LIMIT = "delegation_request.refused"


def _refuse_if_frozen(company: Company) -> None:
    """Requests to a frozen company are refused (docs/habilitations.md §12.5; the freeze is
    companies/freezing.py), with the words a company over its daily limit gets: the firm cannot
    tell a frozen company from a busy one. Accepting one is refused anyway: designating goes
    through `changes.lock`, which refuses a frozen company."""
    if is_frozen(company):
        raise Refusal("delegation_request.unavailable", cause="frozen")


def check_message(message: str) -> str:
    """The firm's message to the company, stripped; refused if it carries a link or a phone
    number, however spaced or spelled (review finding 5, audit: it is sent from the
    administration's address, either would make it a lure; `core.lures`)."""
    message = message.strip()
    if lures.has_link(message):
        raise Refusal("delegation_request.link_in_message", field="message")
    if lures.has_phone_number(message):
        raise Refusal("delegation_request.phone_in_message", field="message")
    return message


def _held(requester, company_ids) -> dict[int, dict[str, Role]]:
    """The requester's active roles per company and elementary service (one query)."""
    held: dict[int, dict[str, Role]] = defaultdict(dict)
    for company_id, es, role in Habilitation.objects.filter(
        subscriber=requester, company_id__in=company_ids, state=State.ACTIVE
    ).values_list("company_id", "elementary_service", "role"):
        for code in elementary_codes_of(es):  # an administrator's row covers Payer's nine
            held[company_id][code] = Role(role)
    return held


def _items_for(company: Company, wanted: Wanted, titular: set[str], held: dict[str, Role]):
    """The (elementary service, level) pairs to ask of this company, or a refusal."""
    if wanted.every is not None:
        if not titular:
            raise Refusal("delegation_request.no_administrator_at_all")
        levels = {e.code: wanted.every for e in ELEMENTARY_SERVICES if e.service in titular}
        levels.update(wanted.levels)
    else:
        levels = dict(wanted.levels)
    items = []
    for code, role in levels.items():
        if service_of(code) not in titular:
            raise Refusal("delegation_request.no_administrator", service=label(service_of(code)))
        current = held.get(code)
        if current is not None and _RANK[current] >= _RANK[role]:
            continue  # already held at that level or above
        items.append((code, role))
    if not items:
        raise Refusal("delegation_request.already_held")
    return items


def plan(requester, companies: list[Company], wanted: Wanted) -> DelegationRequestPlan:
    """Check a request to each company, before anything is recorded (a constant number of
    queries): the preview of a CSV, and the decision once the companies are locked."""
    ids = [c.pk for c in companies]
    titular = titular_services(ids)
    held = _held(requester, ids)
    pending = {
        r.company_id: r
        for r in DelegationRequest.objects.filter(
            requester=requester,
            company_id__in=ids,
            state=DelegationRequestState.PENDING,
            expires_at__gt=clock.now(),
        )
    }
    # A block holds the requesting space only: blocking every space declaring the same firm
    # SIREN would let anyone get a real firm blocked (the SIREN is declared, not verified).
    blocked = set(
        FirmBlock.objects.filter(company_id__in=ids, requester=requester).values_list(
            "company_id", flat=True
        )
    )
    result = DelegationRequestPlan()
    for company in companies:
        try:
            _refuse_if_frozen(company)
            if company.pk in blocked:
                raise Refusal("delegation_request.blocked")
            if company.pk in pending:
                raise Refusal(
                    "delegation_request.duplicate", date=short_date(pending[company.pk].created_at)
                )
            items = _items_for(company, wanted, titular[company.pk], held[company.pk])
        except Refusal as refusal:
            result.refused.append(RefusedRequest(company, refusal))
        else:
            result.asked.append((company, items))
    return result


def preview(requester, companies: list[Company], wanted: Wanted) -> DelegationRequestPlan:
    """The preview of a list (*Demander une délégation*): `plan`, counted per requester against
    `delegation_request.preview` in the table of limits (review finding 6: unlimited, a preview
    of 1,000 SIRENs tells which companies joined which service, as often as one wants)."""
    usage = limits.hit("delegation_request.preview", str(requester.pk))
    if usage.exceeded:
        if usage.count == usage.limit + 1:
            record(
                Action.RATE_LIMITED,
                actor=requester,
                target=requester.subscriber_number,
                limit="delegation_request.preview",
            )
        raise Refusal("delegation_request.too_many_previews", minutes=usage.retry_minutes)
    return plan(requester, companies, wanted)


def submit_many(
    requester, companies: list[Company], wanted: Wanted, message: str = ""
) -> DelegationRequestPlan:
    """*Demander une délégation* to each company (one, or the lines of a CSV), in one
    transaction. Companies refused are listed in the plan; nothing is recorded for them. A
    submission refused whole (a limit) is audited once its transaction is rolled back."""
    try:
        return _submit_many(requester, companies, wanted, message)
    except Refusal as refusal:
        record_many(
            Action.DELEGATION_REQUEST_NOT_SENT,
            [(company.identifier, _why(refusal)) for company in companies],
            actor=requester,
        )
        raise


@transaction.atomic
def _submit_many(
    requester, companies: list[Company], wanted: Wanted, message: str
) -> DelegationRequestPlan:
    message = check_message(message)
    now = clock.now()
    Subscriber.objects.select_for_update().filter(pk=requester.pk).first()
    # A frozen company is a refused line (`_refuse_if_frozen`), not a refused submission.
    frozen_at = changes.lock_many([c.pk for c in companies], refuse_frozen=False)
    for company in companies:
        company.frozen_at = frozen_at.get(company.pk)
    expire(
        DelegationRequest.objects.filter(
            requester=requester,
            company__in=companies,
            state=DelegationRequestState.PENDING,
            expires_at__lte=now,
        )
    )
    result = plan(requester, companies, wanted)
    check_limits(requester, result, now)
    firm, firm_name = firm_of(requester), requester.company_name
    requests = DelegationRequest.objects.bulk_create(
        DelegationRequest(
            requester=requester,
            firm_identifier=firm,
            firm_name=firm_name,
            company=company,
            message=message,
            state=DelegationRequestState.PENDING,
            created_at=now,
            expires_at=now + settings.DELEGATION_REQUEST_VALIDITY,
        )
        for company, _ in result.asked
    )
    DelegationRequestItem.objects.bulk_create(
        DelegationRequestItem(
            request=req, service=service_of(code), elementary_service=code, role=role
        )
        for req, (_, items) in zip(requests, result.asked, strict=True)
        for code, role in items
    )
    record_many(
        Action.DELEGATION_REQUEST_SENT,
        [
            (
                company.identifier,
                {"request_id": req.pk, "firm": firm, "items": [f"{r}:{c}" for c, r in items]},
            )
            for req, (company, items) in zip(requests, result.asked, strict=True)
        ],
        actor=requester,
    )
    if result.refused:
        record_many(
            Action.DELEGATION_REQUEST_NOT_SENT,
            [(company.identifier, _why(refusal)) for company, refusal in result.refused],
            actor=requester,
        )
    tell_administrators(requester, result.asked, requests, message)
    result.requests = requests
    return result


def _why(refusal: Refusal) -> dict:
    """The audit's reason for a company not asked; the cause the firm is not told, kept."""
    cause = refusal.params.get("cause")
    return {"reason": refusal.code, **({"cause": cause} if cause else {})}


def submit(requester, company: Company, wanted: Wanted, message: str = "") -> DelegationRequest:
    """*Demander une délégation* to one company; a refusal says why none was sent.

    Each refusal for the company (which services it has an administrator for, a block, a
    pending request…) counts against `delegation_request.refused` in the table of limits, per
    requesting space, as the previews of a list count against theirs: unlimited, asking one
    company after another would be the same oracle. Counted before the company is looked at; a
    request sent, or one refused whole (a limit of the requester, a link in the message: nothing
    about the company), gives its count back."""
    key = str(requester.pk)
    usage = limits.hit(REFUSED_LIMIT, key)
    if usage.exceeded:
        if usage.count == usage.limit + 1:
            record(
                Action.RATE_LIMITED,
                actor=requester,
                target=requester.subscriber_number,
                limit=REFUSED_LIMIT,
            )
        raise Refusal("delegation_request.too_many_refused", minutes=usage.retry_minutes)
    try:
        result = submit_many(requester, [company], wanted, message)
    except Refusal:
        limits.hit(REFUSED_LIMIT, key, -1)
        raise
    if result.refused:
        raise result.refused[0][1]
    limits.hit(REFUSED_LIMIT, key, -1)
    return result.requests[0]


@transaction.atomic
def withdraw(requester, request_id: int) -> DelegationRequest:
    """The firm withdraws its pending request (*Retirer la demande*)."""
    req = lock_request(request_id, requester=requester)
    close_refusal = closed(req)
    if close_refusal is not None:
        raise close_refusal
    req.state = DelegationRequestState.WITHDRAWN
    req.closed_at = clock.now()
    req.save(update_fields=["state", "closed_at"])
    record(
        Action.DELEGATION_REQUEST_WITHDRAWN,
        actor=requester,
        target=req.company.identifier,
        request_id=req.pk,
    )
    tell_firm(req, "withdrawn")
    tell_administrators_withdrawn(req)
    return req
