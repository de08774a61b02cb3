"""Reading a portfolio (docs/habilitations.md §10): keyset pages, search by SIREN or name prefix,
sorting.

Every function here runs a fixed number of queries, whatever the portfolio's size.
"""

import base64
import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from companies.identifiers import fold_name
from habilitations.models import PortfolioEntry

PAGE_SIZE = 50
SORTS = {"nom": ("search_name", "company_id"), "siren": ("identifier",)}


@dataclass
class PortfolioPage:
    entries: list[PortfolioEntry]
    total: int
    next_cursor: str | None
    previous_cursor: str | None


def _encode(entry: PortfolioEntry, sort: str) -> str:
    values = [str(getattr(entry, f)) for f in SORTS[sort]]
    return base64.urlsafe_b64encode("\x1f".join(values).encode()).decode()


def _decode(cursor: str, sort: str) -> list[str] | None:
    try:
        values = base64.urlsafe_b64decode(cursor.encode()).decode().split("\x1f")
    except (ValueError, UnicodeDecodeError):
        return None
    if len(values) != len(SORTS[sort]) or any("\x00" in v or len(v) > 250 for v in values):
        return None
    if sort == "nom" and not re.fullmatch(r"[0-9]{1,18}", values[1]):
        return None
    return values


def normalize_sort(sort: str) -> str:
    return sort if sort in SORTS else "nom"


def search(subscriber, query: str = "", *, dossiers_only: bool = True) -> QuerySet[PortfolioEntry]:
    """The subscriber's dossiers (or every company where they hold a habilitation, even
    suspended), narrowed by a SIREN/IDSP prefix or a name prefix."""
    entries = PortfolioEntry.objects.filter(subscriber=subscriber)
    if dossiers_only:
        entries = entries.filter(is_dossier=True)
    query = query.replace("\x00", "").strip()[:100]
    if not query:
        return entries
    compact = re.sub(r"[\s.]", "", query).upper()
    # ASCII digits only (docs/companies.md §1.5): other digits are searched as a name.
    if re.fullmatch(r"P?[0-9]{1,9}", compact):
        return entries.filter(identifier__startswith=compact)
    return entries.filter(search_name__startswith=fold_name(query))


def count(subscriber) -> int:
    """How many dossiers the subscriber has (companies with an active habilitation)."""
    return PortfolioEntry.objects.filter(subscriber=subscriber, is_dossier=True).count()


def _after(sort: str, values: list[str]) -> Q:
    if sort == "nom":
        name, pk = values[0], int(values[1])
        return Q(search_name__gt=name) | Q(search_name=name, company_id__gt=pk)
    return Q(identifier__gt=values[0])


def _before(sort: str, values: list[str]) -> Q:
    if sort == "nom":
        name, pk = values[0], int(values[1])
        return Q(search_name__lt=name) | Q(search_name=name, company_id__lt=pk)
    return Q(identifier__lt=values[0])


def page(
    subscriber,
    *,
    query: str = "",
    sort: str = "nom",
    after: str = "",
    before: str = "",
    size: int = PAGE_SIZE,
    dossiers_only: bool = True,
) -> PortfolioPage:
    """One page of the portfolio: 2 queries (the page and the count)."""
    sort = normalize_sort(sort)
    order = SORTS[sort]
    entries = search(subscriber, query, dossiers_only=dossiers_only)
    total = entries.count()
    backwards = resumed = False
    if before and (values := _decode(before, sort)):
        entries = entries.filter(_before(sort, values)).order_by(*[f"-{f}" for f in order])
        backwards = True
    elif after and (values := _decode(after, sort)):
        entries = entries.filter(_after(sort, values)).order_by(*order)
        resumed = True
    else:
        entries = entries.order_by(*order)
    rows = list(entries[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
        has_next, has_previous = True, more
    else:
        has_next, has_previous = more, resumed
    return PortfolioPage(
        entries=rows,
        total=total,
        next_cursor=_encode(rows[-1], sort) if rows and has_next else None,
        previous_cursor=_encode(rows[0], sort) if rows and has_previous else None,
    )
