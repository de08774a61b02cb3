"""A company's requirement of a strong factor (docs/habilitations.md §14): its administrators
(the AT or AS of any service, `Rights.may_set_factor_policy`) decide that, from a date at least
`STRONG_FACTOR_NOTICE_DAYS` ahead, whoever holds one of its *Payer* services or a role allowing to
designate uses an authenticator app or a passkey (`Subscriber.strong_factor`); they may change
the date or lift it. Each change is audited and told by e-mail to everyone it concerns. What the
requirement withholds is decided where rights are read (`rights.queries.Rights`)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from accounts.models import Subscriber
from audit.models import Action
from audit.trail import record
from companies.models import Company
from core import clock
from core.dates import short_date
from core.refusals import Refusal
from correspondence.mail import send_email
from habilitations.catalogue import PAYER
from habilitations.models import StrongFactorPolicy
from habilitations.rights.queries import DESIGNATING_ROLES, rights_on


def policy_of(company: Company) -> StrongFactorPolicy | None:
    """The company's requirement, applying or scheduled, or None."""
    return StrongFactorPolicy.objects.filter(company=company).select_related("set_by").first()


def earliest_date() -> date:
    """The first date a requirement decided today may apply from."""
    return clock.today() + timedelta(days=settings.STRONG_FACTOR_NOTICE_DAYS)


def concerned(company: Company):
    """The people the requirement concerns: holders of a *Payer* service of the company, or of
    a role allowing to designate (AT, AS, delegating actor), suspended or not; by name."""
    return (
        Subscriber.objects.filter(
            Q(habilitations__service=PAYER) | Q(habilitations__role__in=DESIGNATING_ROLES),
            habilitations__company=company,
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


@dataclass(frozen=True)
class Compliance:
    """Who the requirement concerns, and those of them who hold no strong factor yet."""

    concerned: int
    missing: list


def compliance(company: Company) -> Compliance:
    """For the confirmation page: how many people are concerned, and who does not comply."""
    people = list(concerned(company).only("first_name", "last_name", "strong_factor"))
    return Compliance(len(people), [p for p in people if not p.strong_factor])


def check_applies_from(applies_from: date) -> None:
    """Refuse a date less than `STRONG_FACTOR_NOTICE_DAYS` ahead (the form asks it before its
    confirmation page; the action asks it again)."""
    earliest = earliest_date()
    if applies_from < earliest:
        raise Refusal(
            "company.strong_factor_too_soon",
            field="applies_from",
            date=short_date(earliest),
            days=settings.STRONG_FACTOR_NOTICE_DAYS,
        )


def _check_admin(admin, company: Company) -> None:
    if not rights_on(admin, company).may_set_factor_policy():
        raise Refusal("company.strong_factor_not_administrator")
    if not admin.strong_factor:
        raise Refusal("company.strong_factor_own_missing")


def _tell(company: Company, template: str, **context) -> None:
    for person in concerned(company):
        send_email(template, person.email, {"person": person, "company": company, **context})


@transaction.atomic
def require_strong_factor(admin, company: Company, applies_from: date) -> StrongFactorPolicy:
    """Require a strong factor from `applies_from` on (or move the date of the requirement)."""
    company = Company.objects.select_for_update().get(pk=company.pk)
    _check_admin(admin, company)
    check_applies_from(applies_from)
    previous = policy_of(company)
    policy, _ = StrongFactorPolicy.objects.update_or_create(
        company=company,
        defaults={"applies_from": applies_from, "set_by": admin, "set_at": clock.now()},
    )
    record(
        Action.STRONG_FACTOR_REQUIRED,
        actor=admin,
        target=company.identifier,
        applies_from=applies_from.isoformat(),
        previous=previous.applies_from.isoformat() if previous else None,
    )
    _tell(
        company,
        "strong_factor_required",
        applies_from=applies_from,
        previous=previous.applies_from if previous else None,
        by=admin,
    )
    return policy


@transaction.atomic
def lift_requirement(admin, company: Company) -> None:
    """Lift the company's requirement; those it concerned are told."""
    company = Company.objects.select_for_update().get(pk=company.pk)
    _check_admin(admin, company)
    policy = policy_of(company)
    if policy is None:
        raise Refusal("company.strong_factor_not_required")
    policy.delete()
    record(
        Action.STRONG_FACTOR_LIFTED,
        actor=admin,
        target=company.identifier,
        applies_from=policy.applies_from.isoformat(),
    )
    _tell(company, "strong_factor_lifted", applies_from=policy.applies_from, by=admin)
