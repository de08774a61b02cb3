"""What the front doors read about postal requests (docs/habilitations.md §6): the pages, the
API and the back office call these. Whose request it is to see is the caller's check (its
requester, or an agent)."""

from django.db.models import QuerySet

from accounts.models import Subscriber
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
