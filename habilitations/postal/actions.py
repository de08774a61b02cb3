"""What adhesion, substitution and the simplified mode share (docs/habilitations.md §7, §8,
docs/accounts.md §13, docs/durations.md §1): the company e-mail's 72-hour link, the letter with its
60-day code, the code's checks (single use, bound to its request, 5 wrong tries kill it, expired
when used) and withdrawal. Sending the link and the letter is `postal_letters.py`."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import transaction

from accounts.models import Subscriber
from audit.models import Action
from audit.trail import record
from companies.freezing import ensure_not_frozen
from companies.models import Company
from core import clock, context, limits
from core.one_time import Outcome
from core.refusals import CATALOGUE, Refusal
from correspondence.mail import send_email
from habilitations.catalogue import SERVICES_BY_CODE
from habilitations.models import (
    OPEN_STATES,
    Habilitation,
    PostalRequest,
    RequestKind,
    RequestState,
    Role,
    ordered,
)
from habilitations.postal.letters import (
    LETTER_CODE,
    REQUEST_LINK,
    code_days,
    link_hours,
    send_code_letter,
)

# The pages name these `postal.…` (the redundant aliases say they are re-exported).
from habilitations.postal.letters import requester_identity as requester_identity

# What the tests and other modules name.
CODE_DEAD = CATALOGUE["postal.code_dead"]
CODE_USED = CATALOGUE["postal.code_used"]
CODE_WITHDRAWN = CATALOGUE["postal.code_withdrawn"]


def titulars(company: Company) -> dict:
    """The AT of each service of the company that has one: {service code: subscriber}."""
    rows = Habilitation.objects.filter(company=company, role=Role.TITULAR_ADMIN).select_related(
        "subscriber"
    )
    return {h.service: h.subscriber for h in rows}


def services_asked(services: list[str]) -> tuple[list[str], Refusal | None]:
    """The services of a request once (in the order given), or why none can be asked: no
    service, or one not in the catalogue (both adhesion and substitution, docs/habilitations.md
    §7, §8)."""
    services = list(dict.fromkeys(services))
    if not services:
        return services, Refusal("postal.no_service", field="services")
    unknown = [s for s in services if s not in SERVICES_BY_CODE]
    if unknown:
        return services, Refusal("postal.unknown_service", field="services", service=unknown[0])
    return services, None


def create(
    kind: RequestKind,
    company: Company,
    services: list[str],
    *,
    requester=None,
    company_email: str = "",
    general_information: bool = False,
    bank=None,
) -> tuple[PostalRequest, bool]:
    """Record a request (the caller has checked its rules), in the caller's transaction; the
    request and whether it is new. The caller starts a new one (link or letter) only.

    The same request sent again by the same person within `POSTAL_REPEAT_SECONDS` (a
    double-click, a page posted twice) is answered with the first: no new letter, no new code,
    the first one's withdrawal avoided (docs/habilitations.md §6.8).

    Every request costs a letter to the company (docs/habilitations.md §7.9): the limits of the
    table (`RATE_LIMITS`) hold per requester, per client address and per company, whoever asks,
    and at most `POSTAL_OPEN_REQUESTS_PER_COMPANY` requests of a company are open at a time.
    Under the requester's and the company's row locks (in that order), so that simultaneous
    requests are counted one after the other. A newer request for one of the same services of
    the company withdraws the open older ones, whoever made them (one live code per service);
    their requesters are told by e-mail. Callers wrap their transaction in `refusals_audited`.
    """
    now = clock.now()
    if requester is not None:
        Subscriber.objects.select_for_update().filter(pk=requester.pk).first()
    locked = Company.objects.select_for_update().filter(pk=company.pk).first()
    # Under the requester's lock: of two simultaneous posts, the second sees the first.
    twin = _twin(
        kind,
        company,
        services,
        requester,
        now,
        company_email=company_email,
        general_information=general_information,
        bank_iban=bank.iban if bank else "",
        bank_bic=bank.bic if bank else "",
        bank_holder=bank.holder if bank else "",
    )
    if twin is not None:
        record(
            Action.POSTAL_REQUEST_REPEATED,
            actor=requester,
            target=company.identifier,
            request_id=twin.pk,
            kind=kind,
        )
        return twin, False
    ensure_not_frozen(locked or company)  # no letter goes out for a frozen company
    _check_limits(company, requester, now)
    for older in (
        PostalRequest.objects.filter(company=company, state__in=OPEN_STATES)
        .select_related("requester", "simplified_registration")
        .order_by("pk")
    ):
        if set(older.services) & set(services):
            _withdraw_replaced(older, requester, now)
    open_count = PostalRequest.objects.filter(company=company, state__in=OPEN_STATES).count()
    if open_count >= settings.POSTAL_OPEN_REQUESTS_PER_COMPANY:
        raise Refusal("postal.company_busy")
    req = PostalRequest.objects.create(
        kind=kind,
        requester=requester,
        company=company,
        services=ordered(services),
        # Without an address to check, `start` sends the letter in the same transaction.
        state=RequestState.AWAITING_EMAIL if company_email else RequestState.LETTER_SENT,
        created_at=now,
        company_email=company_email,
        general_information=general_information,
        email_link_expires_at=now + settings.COMPANY_EMAIL_LINK_VALIDITY if company_email else None,
        bank_iban=bank.iban if bank else "",
        bank_bic=bank.bic if bank else "",
        bank_holder=bank.holder if bank else "",
    )
    record(
        Action.POSTAL_REQUEST_SUBMITTED,
        actor=requester,
        target=company.identifier,
        request_id=req.pk,
        kind=kind,
        services=req.services,
    )
    return req, True


def _twin(kind, company, services, requester, now, **same) -> PostalRequest | None:
    """The open request this one repeats: same person, kind, company, services and details,
    made within `POSTAL_REPEAT_SECONDS`. Nobody is the same person as an anonymous requester
    (the simplified mode checks its e-mail address in its own way)."""
    if requester is None or settings.POSTAL_REPEAT_SECONDS <= 0:
        return None
    since = now - timedelta(seconds=settings.POSTAL_REPEAT_SECONDS)
    recent = PostalRequest.objects.filter(
        kind=kind,
        requester=requester,
        company=company,
        state__in=OPEN_STATES,
        created_at__gte=since,
        **same,
    ).order_by("-pk")
    wanted = ordered(list(dict.fromkeys(services)))
    return next((req for req in recent if req.services == wanted), None)


def _check_limits(company: Company, requester, now) -> None:
    """The table's limits on letters; called under the requester's and the company's locks."""
    if requester is not None:
        per_requester = limits.rate("postal.requester")
        recent = PostalRequest.objects.filter(
            requester=requester, created_at__gt=now - timedelta(seconds=per_requester.seconds)
        ).count()
        if recent >= per_requester.count:
            raise Refusal("postal.too_many_requests", count=recent)
    per_company = limits.rate("postal.company")
    letters = PostalRequest.objects.filter(
        company=company, created_at__gt=now - timedelta(seconds=per_company.seconds)
    ).count()
    if letters >= per_company.count:
        raise Refusal("postal.company_limit", days=max(1, per_company.seconds // 86400))
    address = context.current().ip_address or "-"
    usage = limits.hit("postal.address", address)
    if usage.exceeded:
        raise Refusal("postal.address_limit")


def _withdraw_replaced(older: PostalRequest, requester, now) -> None:
    """A newer request replaces an open one for the same service: its link and code die."""
    older.state = RequestState.WITHDRAWN
    older.closed_at = now
    older.save(update_fields=["state", "closed_at"])
    record(
        Action.POSTAL_REQUEST_WITHDRAWN,
        actor=requester,
        target=older.company.identifier,
        request_id=older.pk,
        reason="replaced by a newer request",
    )
    same_person = requester is not None and older.requester_id == requester.pk
    if same_person:
        return
    to = older.requester.email if older.requester_id else ""
    registration = getattr(older, "simplified_registration", None)
    if not to and registration is not None:
        to = registration.email
    if to:
        send_email(
            "postal_request_replaced",
            to,
            {"company": older.company, "services": older.service_labels, "kind": older.kind},
        )


@contextmanager
def refusals_audited(kind: RequestKind, company_identifier: str, requester=None) -> Iterator[None]:
    """Around a request's transaction: a refusal is written to the audit trail once the
    transaction is rolled back (docs/security.md §10), then raised."""
    try:
        yield
    except Refusal as refusal:
        record(
            Action.POSTAL_REQUEST_REFUSED,
            actor=requester,
            target=company_identifier,
            kind=kind,
            reason=refusal.code,
        )
        raise


def _expire(req: PostalRequest) -> None:
    """Expired requests are expired when used (docs/durations.md §1): written down at that
    moment."""
    req.closed_at = req.deadline
    req.state = RequestState.EXPIRED
    req.save(update_fields=["state", "closed_at"])
    record(
        Action.POSTAL_REQUEST_EXPIRED,
        actor=req.requester,
        target=req.company.identifier,
        request_id=req.pk,
    )


def _link_problem(req: PostalRequest | None, token: str) -> tuple[Refusal | None, bool]:
    """(refusal, already confirmed). A wrong token does not count against the request: the
    link's 71 bits cannot be guessed, and counting would let anyone kill others' links. Its
    expiry is the request's (`_expire`); following it again is harmless."""
    check = REQUEST_LINK.check(req, token, req.email_link_id if req else None, check_expiry=False)
    if not check.ok:
        return Refusal("postal.link_invalid"), False
    if req.state == RequestState.WITHDRAWN:
        return Refusal("postal.link_withdrawn"), False
    if req.email_confirmed_at is not None:
        return None, True
    if req.is_expired(clock.now()):
        _expire(req)
    if req.state != RequestState.AWAITING_EMAIL:
        if req.state == RequestState.EXPIRED:
            return Refusal("postal.link_expired", hours=link_hours()), False
        return Refusal("postal.link_closed"), False
    return None, False


def locked(request_pk: int | None = None, *, link_id: str | None = None) -> PostalRequest | None:
    """The request, locked: by its key, or by the public id of its link."""
    lookup = {"pk": request_pk} if link_id is None else {"email_link_id": link_id}
    return (
        PostalRequest.objects.select_for_update(of=("self",))
        .select_related("company", "requester")
        .filter(**lookup)
        .first()
    )


def check_link(link_id: str, token: str):
    """The request a link confirms, without using it: (request, already confirmed)."""
    with transaction.atomic():
        req = locked(link_id=link_id)
        problem, already = _link_problem(req, token)
    if problem:
        record(Action.POSTAL_REQUEST_LINK_FAILED, target=link_id)
        raise problem
    return req, already


def confirm_link(link_id: str, token: str):
    """Follow the company e-mail's link within 72 hours: the letter goes out
    (docs/habilitations.md §7, docs/accounts.md §13). Following it again does nothing more. Returns
    (request, already confirmed)."""
    with transaction.atomic():
        req = locked(link_id=link_id)
        problem, already = _link_problem(req, token)
        if not problem and not already:
            req.email_confirmed_at = clock.now()
            req.save(update_fields=["email_confirmed_at"])
            record(
                Action.POSTAL_REQUEST_EMAIL_CONFIRMED,
                target=req.company.identifier,
                request_id=req.pk,
            )
            send_code_letter(req)
            return req, False
    if problem:
        record(Action.POSTAL_REQUEST_LINK_FAILED, target=link_id)
        raise problem
    return req, already


def code_refusal(req: PostalRequest, code: str) -> Refusal | None:
    """Why this code does not activate this request (a refusal for the code field, to raise
    once the transaction is committed), or None. Call with the request locked; what it writes
    (attempts, expiry) must be committed even when it refuses."""
    if req.state == RequestState.ACTIVATED:
        return Refusal("postal.code_used", field="code")
    if req.state == RequestState.WITHDRAWN:
        return Refusal("postal.code_withdrawn", field="code")
    if req.state == RequestState.BLOCKED:
        return Refusal("postal.code_dead", field="code")
    if req.is_expired(clock.now()):
        _expire(req)
    if req.state == RequestState.EXPIRED:
        return Refusal("postal.code_expired", field="code", days=code_days())
    if req.state == RequestState.AWAITING_EMAIL:
        return Refusal("postal.no_letter_yet", field="code")
    # The request's state says what expiry and use mean; the code's own checks are the rest.
    check = LETTER_CODE.check(req, code, req.pk, check_expiry=False)
    if check.ok:
        return None
    if check.outcome is Outcome.DEAD:
        req.state = RequestState.BLOCKED
        req.closed_at = clock.now()
        req.save(update_fields=["state", "closed_at"])
        return Refusal("postal.code_dead", field="code")
    left = check.left
    return Refusal("postal.wrong_code", field="code", left=left)


def record_code_failure(req: PostalRequest | None, refusal: Refusal, actor=None) -> None:
    record(
        Action.POSTAL_CODE_FAILED,
        actor=actor,
        target=req.company.identifier if req else "",
        request_id=req.pk if req else None,
        reason=refusal.message,
    )


def withdraw(request_pk: int, subscriber) -> PostalRequest:
    """*Supprimer un formulaire*: a request not yet activated is withdrawn; its link and its
    code no longer do anything (docs/habilitations.md §7). Only its requester may (the view checks
    it)."""
    refusal = None
    with transaction.atomic():
        req = locked(request_pk)
        if req is None or req.requester_id != subscriber.pk:
            raise Refusal("postal.not_withdrawable")
        if req.is_expired(clock.now()):
            _expire(req)
        if req.state in OPEN_STATES:
            req.state = RequestState.WITHDRAWN
            req.closed_at = clock.now()
            req.save(update_fields=["state", "closed_at"])
            record(
                Action.POSTAL_REQUEST_WITHDRAWN,
                actor=subscriber,
                target=req.company.identifier,
                request_id=req.pk,
            )
        else:
            refusal = Refusal("postal.not_withdrawable")
    if refusal:
        raise refusal
    return req
