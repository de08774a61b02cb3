"""What the front doors read about habilitations (docs/habilitations.md): the pages, the API
and the back office call these, so that each list is written once and counts the same
queries wherever it is shown. Who may see it stays with the caller (`habilitations.access`)."""

from django.db.models import QuerySet

from accounts.models import Subscriber
from companies.models import Company
from habilitations.access import Rights
from habilitations.delegation_rules import may_manage
from habilitations.models import Habilitation, PortfolioEntry, PostalRequest, Role


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


def dossier_companies(entries: QuerySet[PortfolioEntry]) -> list[Company]:
    """The companies of these portfolio entries, by name (docs/habilitations.md §5.3: the
    dossiers a level is delegated on at once)."""
    ids = entries.values("company_id")
    return list(Company.objects.filter(pk__in=ids).order_by("search_name", "pk"))


def postal_request(pk: int | str) -> PostalRequest | None:
    """The postal request `pk` with its company and requester (docs/habilitations.md §6); whose
    it is to see is the caller's check (its requester, or an agent)."""
    return PostalRequest.objects.select_related("company", "requester").filter(pk=pk).first()


def requests_of(requester: Subscriber, kinds: tuple[str, ...] = ()) -> QuerySet[PostalRequest]:
    """The postal requests `requester` made, newest first, of `kinds` (any when empty), with
    their company (docs/habilitations.md §6)."""
    rows = PostalRequest.objects.filter(requester=requester).select_related("company")
    return rows.filter(kind__in=kinds) if kinds else rows
