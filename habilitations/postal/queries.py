"""What the front doors read about postal requests (docs/habilitations.md §6): the pages, the
API and the back office call these. Whose request it is to see is the caller's check (its
requester, or an agent)."""

from django.db.models import QuerySet

from accounts.models import Subscriber
from habilitations.choices import OPEN_STATES
from habilitations.models import PostalRequest


def postal_request(pk: int | str) -> PostalRequest | None:
    """The postal request `pk` with its company and requester (docs/habilitations.md §6); whose
    it is to see is the caller's check (its requester, or an agent)."""
    return PostalRequest.objects.select_related("company", "requester").filter(pk=pk).first()


def requests_of(requester: Subscriber, kinds: tuple[str, ...] = ()) -> QuerySet[PostalRequest]:
    """The postal requests `requester` made, newest first, of `kinds` (any when empty), with
    their company (docs/habilitations.md §6)."""
    rows = PostalRequest.objects.filter(requester=requester).select_related("company")
    return rows.filter(kind__in=kinds) if kinds else rows


def open_requests_of(requester: Subscriber) -> QuerySet[PostalRequest]:
    """The requester's postal requests still waiting for an e-mail or a letter code
    (docs/habilitations.md §6: *Activer mes services*), with their company."""
    return requests_of(requester).filter(state__in=OPEN_STATES)


def requests_on(company) -> QuerySet[PostalRequest]:
    """The postal requests made for `company`, newest first, with their requester and letter
    (docs/backoffice.md: an agent's page of a company)."""
    return (
        PostalRequest.objects.filter(company=company)
        .select_related("requester", "letter")
        .order_by("-created_at")
    )
