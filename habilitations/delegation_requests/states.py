"""A delegation request after it is sent (docs/habilitations.md §12.3): locked before it changes,
closed once answered, withdrawn or expired, told in words, and written down as expired 21 days
after (`DELEGATION_REQUEST_VALIDITY`) whenever it is used or by the daily
`expire_delegation_requests`. Shared by the firm's side (`delegation_requests`) and the
company's (`delegation_answers`)."""

from collections import defaultdict

from audit.models import Action
from audit.trail import record_many
from core import clock
from core.dates import date_at_time, short_date
from core.refusals import Refusal
from correspondence.mail import send_email
from habilitations.models import DelegationRequest, DelegationRequestState
from habilitations.rights import actions as changes


def lock_request(request_id: int, **mine) -> DelegationRequest:
    """Lock the request's company, then the request (the order every change on a company
    follows), and read it; refused when it is not there (or not the caller's)."""
    rows = DelegationRequest.objects.filter(pk=request_id, **mine)
    company_id = rows.values_list("company_id", flat=True).first()  # never changes
    if company_id is not None:
        # Withdrawing, refusing or expiring changes no habilitation: allowed on a frozen
        # company (accepting is refused by the designation itself).
        changes.lock_many([company_id], refuse_frozen=False)
        req = (
            rows.select_for_update(of=("self",))
            .select_related("company", "requester", "answered_by")
            .first()
        )
        if req is not None:
            return req
    raise Refusal("delegation_request.unknown")


def closed(req: DelegationRequest) -> Refusal | None:
    """Why a request can no longer change (None while pending). A request found lapsed is
    written down as expired here (audited, the firm told): the caller must let its transaction
    commit before raising the refusal."""
    if req.lapsed:
        expire(DelegationRequest.objects.filter(pk=req.pk))
        req.refresh_from_db()
        return Refusal("delegation_request.expired", date=short_date(req.expires_at))
    if req.state != DelegationRequestState.PENDING:
        return Refusal("delegation_request.closed", outcome=outcome(req))
    return None


def outcome(req: DelegationRequest) -> str:
    """How a request left *pending*, who answered and when, in words: « acceptée en partie par
    Bob MARTIN le 12/03/2026 à 10:30 » (§12.3: the first answer is the company's, final)."""
    state = req.current_state
    text = DelegationRequestState(state).label.lower()
    if state == DelegationRequestState.EXPIRED:
        return f"{text} le {date_at_time(req.closed_at or req.expires_at)}"
    if state == DelegationRequestState.WITHDRAWN:
        return f"{text} par le cabinet le {date_at_time(req.closed_at)}"
    who = req.answered_by.display_name if req.answered_by else "un administrateur de l'entreprise"
    return f"{text} par {who} le {date_at_time(req.closed_at)}"


def expire(requests) -> int:
    """Write down as expired these pending requests past their deadline: audited, each firm
    told once (the daily `expire_delegation_requests`, or whenever one is used)."""
    now = clock.now()
    lapsed = list(
        requests.filter(state=DelegationRequestState.PENDING, expires_at__lte=now)
        .select_related("company", "requester")
        .prefetch_related("items")
    )
    if not lapsed:
        return 0
    DelegationRequest.objects.filter(pk__in=[r.pk for r in lapsed]).update(
        state=DelegationRequestState.EXPIRED, closed_at=now
    )
    record_many(
        Action.DELEGATION_REQUEST_EXPIRED,
        [(r.company.identifier, {"request_id": r.pk}) for r in lapsed],
    )
    by_requester = defaultdict(list)
    for req in lapsed:
        req.state, req.closed_at = DelegationRequestState.EXPIRED, now
        by_requester[req.requester_id].append(req)
    for reqs in by_requester.values():
        send_email(
            "delegation_requests_expired",
            reqs[0].requester.email,
            {"requester": reqs[0].requester, "requests": reqs},
        )
    return len(lapsed)


def expire_all() -> int:
    """The daily job: every pending request past its deadline, written down."""
    return expire(DelegationRequest.objects.all())
