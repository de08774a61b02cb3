"""What the front doors read about delegations (docs/habilitations.md §4): the pages, the API
and the back office call these, so that each list is written once and counts the same queries
wherever it is shown. Who may see it stays with the caller (`habilitations.rights.queries`)."""

from django.db.models import QuerySet

from accounts.models import Subscriber
from companies.models import Company
from habilitations.delegation.rules import may_manage
from habilitations.models import Habilitation, Role
from habilitations.rights.queries import Rights


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
        Habilitation.objects.select_related("subscriber", "company")
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
