"""What the front doors read about delegations (docs/habilitations.md §4): the pages, the API
and the back office call these, so that each list is written once and counts the same queries
wherever it is shown. Who may see it stays with the caller (`habilitations.rights.queries`)."""

from django.db.models import Count, QuerySet

from accounts.models import Subscriber
from companies.models import Company
from habilitations.delegation.rules import (
    may_manage,
    rights_by_company,
)
from habilitations.models import Habilitation, Role
from habilitations.rights.queries import Rights, administered_company_ids, rights_on


def managed_delegations(
    granter: Subscriber, company: Company, rights: Rights
) -> list[Habilitation]:
    """The habilitations on `company` that `granter` (holding `rights` there) may manage, by
    holder's name then service (docs/habilitations.md §4.5); never an AT's, never their own."""
    held = (
        Habilitation.objects.filter(company=company)
        .exclude(role=Role.TITULAR_ADMIN)
        .exclude(subscriber=granter)
        .select_related("subscriber", "granted_by")
        .order_by("subscriber__last_name", "subscriber_id", "service", "elementary_service")
    )
    return [h for h in held if may_manage(granter, rights, h)]


def delegation_on(company: Company, pk: int) -> Habilitation | None:
    """The habilitation `pk` if it is on `company`, with its holder (docs/habilitations.md
    §4.5: a delegation is managed from its company's page, never another's)."""
    return (
        Habilitation.objects.select_related("subscriber", "granted_by", "company")
        .filter(pk=pk, company=company)
        .first()
    )


def held_on(company: Company, holder: Subscriber) -> QuerySet[Habilitation]:
    """What `holder` holds on `company`, by service (docs/habilitations.md §4.1: what a
    designation shows and changes)."""
    return (
        Habilitation.objects.filter(company=company, subscriber=holder)
        .select_related("subscriber", "granted_by")
        .order_by("service", "elementary_service")
    )


def may_revoke(granter, habilitation: Habilitation) -> bool:
    """Whether `granter` may delete this delegation (the confirmation page is shown only then)."""
    return may_manage(granter, rights_on(granter, habilitation.company), habilitation)


def firm_delegates(granter):
    """*Vos délégataires*: the people holding delegations (or an AS role) on the companies
    `granter` administers, with how many companies and rights each, by name."""
    return (
        Habilitation.objects.filter(company_id__in=administered_company_ids(granter))
        .exclude(role=Role.TITULAR_ADMIN)
        .exclude(subscriber=granter)
        .values(
            "subscriber_id",
            "subscriber__first_name",
            "subscriber__last_name",
            "subscriber__subscriber_number",
        )
        .annotate(companies=Count("company_id", distinct=True), rights=Count("id"))
        .order_by("subscriber__last_name", "subscriber_id")
    )


def withdrawable(granter, delegate) -> list[Habilitation]:
    """Every right of `delegate` that `granter` may remove, on every company (3 queries)."""
    held = list(
        Habilitation.objects.filter(subscriber=delegate)
        .exclude(role=Role.TITULAR_ADMIN)
        .select_related("company", "subscriber")
        .order_by("company__search_name", "company_id", "service", "elementary_service")
    )
    rights = rights_by_company(granter, {h.company_id for h in held})
    return [h for h in held if may_manage(granter, rights[h.company_id], h)]


def deputies_on(company: Company, services) -> dict[str, Habilitation]:
    """The AS of each of `services` on `company`, with their holder (docs/habilitations.md §3:
    *Gérer vos administrateurs suppléants*)."""
    return {
        h.service: h
        for h in Habilitation.objects.filter(
            company=company, role=Role.DEPUTY_ADMIN, service__in=list(services)
        ).select_related("subscriber")
    }


def own_habilitation(holder: Subscriber, pk: int) -> Habilitation | None:
    """The habilitation `pk` if `holder` holds it, with its company (docs/habilitations.md
    §4.6: a holder renounces only their own)."""
    return Habilitation.objects.select_related("company").filter(pk=pk, subscriber=holder).first()
