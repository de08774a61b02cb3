"""The only functions that change habilitations (docs/habilitations.md §2). Each runs in one
transaction, locks the company first (so that changes on one company are serialized and the checks
below cannot race), keeps the portfolio in step and writes the audit trail.

Who may grant what (the granter's own rights) is decided by the delegation flows of later
issues; these functions hold the invariants whoever calls them, and refuse with
`core.refusals.Refusal` (codes ``habilitation.*``).
"""

from django.db import IntegrityError, transaction

from audit.models import Action as AuditAction
from audit.trail import record, record_many
from companies.freezing import ensure_not_frozen
from companies.models import Company
from core import clock
from core.refusals import Refusal
from habilitations.catalogue import (
    ELEMENTARY_BY_CODE,
    PAYER,
    SERVICES_BY_CODE,
    elementary_codes_of,
    label,
    service_of,
)
from habilitations.models import ADMIN_ROLES, Habilitation, Origin, Role, State
from habilitations.portfolio import sync as portfolio_sync


def lock(company: Company) -> Company:
    """Serialize habilitation changes on one company (call inside a transaction); a frozen
    company's habilitations do not change (`company.frozen`, docs/backoffice.md §7)."""
    locked = Company.objects.select_for_update().get(pk=company.pk)
    ensure_not_frozen(locked)
    return locked


def lock_many(company_ids, *, refuse_frozen: bool = True) -> dict[int, object]:
    """Lock several companies, always in the same order (no deadlock between two callers);
    refused if one of them is frozen, unless the caller changes no habilitation
    (`refuse_frozen=False`: it then reads, from each locked row, when it was frozen)."""
    frozen = dict(
        Company.objects.select_for_update()
        .filter(pk__in=sorted(company_ids))
        .order_by("pk")
        .values_list("pk", "frozen_at")
    )
    if refuse_frozen and any(at is not None for at in frozen.values()):
        raise Refusal("company.frozen")
    return frozen


def _audit(action, habilitation: Habilitation, by, **details) -> None:
    record(
        action,
        actor=by,
        target=habilitation.company.identifier,
        subscriber=habilitation.subscriber.subscriber_number,
        service=habilitation.elementary_service,
        role=habilitation.role,
        **details,
    )


@transaction.atomic
def grant(
    company: Company,
    subscriber,
    code: str,
    role: Role,
    origin: Origin,
    *,
    by=None,
) -> Habilitation:
    """Give `subscriber` `role` on `code` (a service for AT/AS, an elementary service for
    delegates). Roles never accumulate: a role the subscriber holds there is replaced."""
    role = Role(role)
    lock(company)
    if role in ADMIN_ROLES:
        if code not in SERVICES_BY_CODE:
            raise Refusal("habilitation.unknown_service")
        service, elementary = code, code
    else:
        if code not in ELEMENTARY_BY_CODE:
            raise Refusal("habilitation.unknown_elementary_service")
        service, elementary = service_of(code), code
    holders = Habilitation.objects.filter(company=company, service=service)
    if role in ADMIN_ROLES:
        taken = holders.filter(role=role).exclude(subscriber=subscriber).first()
        if taken is not None:
            if role == Role.TITULAR_ADMIN:
                raise Refusal("habilitation.one_titular_per_service", service=label(service))
            raise Refusal("habilitation.one_deputy_per_service", service=label(service))
    elif service == PAYER and holders.filter(subscriber=subscriber, role__in=ADMIN_ROLES).exists():
        raise Refusal("habilitation.payer_admin_not_delegate")
    now = clock.now()
    # The subscriber's current roles on the elementary services concerned are replaced.
    replaced = list(
        holders.filter(
            subscriber=subscriber,
            elementary_service__in=(*elementary_codes_of(service), service)
            if role in ADMIN_ROLES
            else (elementary,),
        ).select_related("company", "subscriber")
    )
    if role != Role.TITULAR_ADMIN and any(h.role == Role.TITULAR_ADMIN for h in replaced):
        raise Refusal("habilitation.titular_changed_by_substitution_only")
    for old in replaced:
        old.delete()
    try:
        with transaction.atomic():
            habilitation = Habilitation.objects.create(
                subscriber=subscriber,
                company=company,
                service=service,
                elementary_service=elementary,
                role=role,
                state=State.ACTIVE,
                origin=origin,
                granted_by=by,
                granted_at=now,
                changed_at=now,
            )
    except IntegrityError as exc:
        raise Refusal("habilitation.conflict") from exc
    action = AuditAction.HABILITATION_CHANGED if replaced else AuditAction.HABILITATION_GRANTED
    _audit(
        action,
        habilitation,
        by,
        origin=origin,
        previous=[f"{h.role}:{h.elementary_service}" for h in replaced],
    )
    portfolio_sync.refresh({(subscriber.pk, company.pk)})
    return habilitation


@transaction.atomic
def replace_titular(
    company: Company,
    service: str,
    subscriber,
    origin: Origin,
    *,
    by=None,
) -> tuple[Habilitation, object | None]:
    """Substitution (docs/habilitations.md §8): `subscriber` becomes the AT of `service` and the
    former AT loses that role only; everyone else's habilitations stay (they belong to the company).

    Returns the new habilitation and the former AT (None if the service had none, or if
    `subscriber` already was its AT). A role the new AT held on that service is replaced.
    """
    if service not in SERVICES_BY_CODE:
        raise Refusal("habilitation.unknown_service")
    lock(company)
    former = (
        Habilitation.objects.filter(company=company, service=service, role=Role.TITULAR_ADMIN)
        .select_related("company", "subscriber")
        .first()
    )
    if former is not None and former.subscriber_id == subscriber.pk:
        return former, None
    if former is not None:
        _audit(
            AuditAction.HABILITATION_REMOVED,
            former,
            by,
            origin=origin,
            replaced_by=subscriber.subscriber_number,
        )
        former.delete()
        portfolio_sync.refresh({(former.subscriber_id, company.pk)})
    habilitation = grant(company, subscriber, service, Role.TITULAR_ADMIN, origin, by=by)
    return habilitation, former.subscriber if former is not None else None


@transaction.atomic
def set_state(
    habilitation: Habilitation,
    state: State,
    *,
    by=None,
    by_admin: bool = False,
) -> Habilitation:
    """Suspend (*mettre en veille*) or reactivate a habilitation; an AT is never suspended."""
    lock(habilitation.company)
    try:
        habilitation.refresh_from_db()  # under the lock: what was read before may be gone
    except Habilitation.DoesNotExist:
        raise Refusal("habilitation.gone") from None
    state = State(state)
    if state == State.SUSPENDED and habilitation.role == Role.TITULAR_ADMIN:
        raise Refusal("habilitation.titular_not_suspended")
    if habilitation.state == state:
        if state == State.SUSPENDED and by_admin and not habilitation.suspended_by_admin:
            # An administrator confirms a suspension its granter made: from now on it sticks
            # (docs/habilitations.md §4.5.1), though the state itself does not change.
            habilitation.suspended_by_admin = True
            habilitation.save(update_fields=["suspended_by_admin"])
            _audit(AuditAction.HABILITATION_SUSPENDED, habilitation, by)
        return habilitation
    habilitation.state = state
    habilitation.suspended_by_admin = state == State.SUSPENDED and by_admin
    habilitation.changed_at = clock.now()
    habilitation.save(update_fields=["state", "suspended_by_admin", "changed_at"])
    action = (
        AuditAction.HABILITATION_SUSPENDED
        if state == State.SUSPENDED
        else AuditAction.HABILITATION_REACTIVATED
    )
    _audit(action, habilitation, by)
    portfolio_sync.refresh({(habilitation.subscriber_id, habilitation.company_id)})
    return habilitation


@transaction.atomic
def remove(habilitation: Habilitation, *, by=None) -> None:
    """Delete a habilitation; the ones it led to stay (they belong to the company,
    docs/habilitations.md §2)."""
    lock(habilitation.company)
    if not Habilitation.objects.filter(pk=habilitation.pk).exists():
        raise Refusal("habilitation.gone")  # removed meanwhile: record no second removal
    _audit(AuditAction.HABILITATION_REMOVED, habilitation, by)
    pair = (habilitation.subscriber_id, habilitation.company_id)
    habilitation.delete()
    portfolio_sync.refresh({pair})


def _audit_many(action, habilitations: list[Habilitation], by, **details) -> None:
    record_many(
        action,
        [
            (
                h.company.identifier,
                {
                    "subscriber": h.subscriber.subscriber_number,
                    "service": h.elementary_service,
                    "role": h.role,
                    **details,
                },
            )
            for h in habilitations
        ],
        actor=by,
    )


@transaction.atomic
def remove_many(habilitations: list[Habilitation], *, by=None) -> int:
    """Delete many habilitations at once (a collaborator leaving), in a constant number of
    queries. The caller has locked the companies and checked its rights."""
    if not habilitations:
        return 0
    if any(h.role == Role.TITULAR_ADMIN for h in habilitations):
        raise Refusal("habilitation.titular_not_removed")
    _audit_many(AuditAction.HABILITATION_REMOVED, habilitations, by)
    Habilitation.objects.filter(pk__in=[h.pk for h in habilitations]).delete()
    portfolio_sync.refresh({(h.subscriber_id, h.company_id) for h in habilitations})
    return len(habilitations)


@transaction.atomic
def grant_many(
    new: list[Habilitation],
    replaced: list[Habilitation],
    *,
    by=None,
) -> list[Habilitation]:
    """Create many delegations at once (a newcomer), replacing the roles listed, in a constant
    number of queries. The caller has locked the companies and checked its rights; the
    database constraints still hold every invariant."""
    now = clock.now()
    for habilitation in new:
        if habilitation.role in ADMIN_ROLES:
            raise Refusal("habilitation.admins_one_service_at_a_time")
        habilitation.granted_by = by
        habilitation.granted_at = habilitation.changed_at = now
        habilitation.state = State.ACTIVE
    try:
        with transaction.atomic():
            if replaced:
                Habilitation.objects.filter(pk__in=[h.pk for h in replaced]).delete()
            created = Habilitation.objects.bulk_create(new)
    except IntegrityError as exc:
        raise Refusal("habilitation.bulk_conflict") from exc
    _audit_many(AuditAction.HABILITATION_GRANTED, created, by, origin=Origin.DELEGATION)
    portfolio_sync.refresh({(h.subscriber_id, h.company_id) for h in created + replaced})
    return created
