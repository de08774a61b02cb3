"""Reading a portfolio (docs/habilitations.md §10): keyset pages, search by SIREN or by any
words of the name, sorting.

Every function here runs a fixed number of queries, whatever the portfolio's size.
"""

import base64
import re
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Concat

from companies.models import Company
from companies.names import query_words
from habilitations.models import Habilitation, PortfolioEntry
from habilitations.portfolio import count as portfolio_count
from habilitations.portfolio import search as portfolio_search

PAGE_SIZE = 50
SORTS = {"nom": ("search_name", "company_id"), "siren": ("identifier",)}
# A search by words, sorted by name: the best matches first (`_ranked`), then by name.
RANKED = ("search_rank", "search_name", "company_id")
_INTEGER_FIELDS = {"search_rank", "company_id"}


@dataclass
class PortfolioPage:
    entries: list[PortfolioEntry]
    total: int
    next_cursor: str | None
    previous_cursor: str | None
    # « Page x sur y »: the number comes with the cursor (the pages link to their neighbours
    # with theirs), as counting the rows before a cursor would cost a scan of them.
    number: int = 1
    pages: int = 1


def _encode(entry: PortfolioEntry, order: tuple[str, ...]) -> str:
    values = [str(getattr(entry, f)) for f in order]
    return base64.urlsafe_b64encode("\x1f".join(values).encode()).decode()


def _decode(cursor: str, order: tuple[str, ...]) -> list[str] | None:
    try:
        values = base64.urlsafe_b64decode(cursor.encode()).decode().split("\x1f")
    except (ValueError, UnicodeDecodeError):
        return None
    if len(values) != len(order) or any("\x00" in v or len(v) > 250 for v in values):
        return None
    for field, value in zip(order, values, strict=True):
        if field in _INTEGER_FIELDS and not re.fullmatch(r"[0-9]{1,18}", value):
            return None
    return values


def cursor_is_valid(cursor: str, *, query: str = "", sort: str = "nom") -> bool:
    """Whether a cursor could have been given for this search and sort (the API refuses the
    others rather than starting over from the first page)."""
    sort = normalize_sort(sort)
    order = RANKED if _parse(query).words and sort == "nom" else SORTS[sort]
    return _decode(cursor, order) is not None


def normalize_sort(sort: str) -> str:
    return sort if sort in SORTS else "nom"


@dataclass(frozen=True)
class _Query:
    identifier_prefix: str = ""
    words: tuple[str, ...] = ()


def _parse(query: str) -> _Query:
    query = query.replace("\x00", "").strip()[:100]
    compact = re.sub(r"[\s.]", "", query).upper()
    # ASCII digits only (docs/companies.md §1.5): other digits are searched as a name.
    if re.fullmatch(r"P?[0-9]{1,9}", compact):
        return _Query(identifier_prefix=compact)
    return _Query(words=tuple(query_words(query)))


def _search(subscriber, parsed: _Query, dossiers_only: bool) -> QuerySet[PortfolioEntry]:
    entries = PortfolioEntry.objects.all()
    if dossiers_only:
        entries = entries.filter(is_dossier=True)
    if parsed.words:  # the word index narrows to the subscriber's entries itself
        return portfolio_search.matching(entries, subscriber.pk, list(parsed.words))
    entries = entries.filter(subscriber=subscriber)
    if parsed.identifier_prefix:
        # A range of the index rather than LIKE, which neither SQLite (case-insensitive
        # LIKE) nor PostgreSQL (non-C collation) reads as a range: identifiers are 9
        # characters, digits after an optional P, so those beginning with the prefix are
        # those between it padded with 0s and with 9s, in any collation.
        prefix = parsed.identifier_prefix
        return entries.filter(
            identifier__gte=prefix.ljust(9, "0"), identifier__lte=prefix.ljust(9, "9")
        )
    return entries


def search(subscriber, query: str = "", *, dossiers_only: bool = True) -> QuerySet[PortfolioEntry]:
    """The subscriber's dossiers (or every company where they hold a habilitation, even
    suspended), narrowed by a SIREN/IDSP prefix, or by words each beginning a word of the
    name, in any order, without case, accents or legal form (« atlan sarl loi » finds
    « SARL ATLANTIQUE LOIRE »)."""
    return _search(subscriber, _parse(query), dossiers_only)


def _ranked(entries: QuerySet[PortfolioEntry], words: tuple[str, ...]) -> QuerySet:
    """Best matches first: 0 when the name begins with the words as typed, 1 when it begins
    with the first of them, 2 when they follow each other in it from the start of a word,
    3 for words elsewhere or in another order."""
    phrase = " ".join(words)
    return entries.alias(spaced_name=Concat(Value(" "), F("search_name"))).annotate(
        search_rank=Case(
            When(search_name__startswith=phrase, then=Value(0)),
            When(search_name__startswith=words[0], then=Value(1)),
            When(spaced_name__contains=f" {phrase}", then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
    )


def holding(subscriber, service: str = "", role: str = "") -> QuerySet[Habilitation]:
    """The subscriber's habilitations (any state) on `service` (a service of the catalogue),
    with `role`; either may be empty for any (index `hab_subscriber_service`)."""
    held = Habilitation.objects.filter(subscriber=subscriber)
    if service:
        held = held.filter(service=service)
    if role:
        held = held.filter(role=role)
    return held


def count(subscriber) -> int:
    """How many dossiers the subscriber has (companies with an active habilitation)."""
    entries = PortfolioEntry.objects.filter(subscriber=subscriber, is_dossier=True)
    return portfolio_count.counted(subscriber.pk, "dossiers", entries.count)


def _beyond(order: tuple[str, ...], values: list[str], lookup: str) -> Q:
    """Rows strictly after (`gt`) or before (`lt`) `values` in the order of `order`."""
    typed = [int(v) if f in _INTEGER_FIELDS else v for f, v in zip(order, values, strict=True)]
    condition = Q(**{f"{order[-1]}__{lookup}": typed[-1]})
    for field, value in zip(order[-2::-1], typed[-2::-1], strict=True):
        condition = Q(**{f"{field}__{lookup}": value}) | (Q(**{field: value}) & condition)
    return condition


def page(
    subscriber,
    *,
    query: str = "",
    sort: str = "nom",
    after: str = "",
    before: str = "",
    last: bool = False,
    number: int = 1,
    size: int = PAGE_SIZE,
    dossiers_only: bool = True,
    service: str = "",
    role: str = "",
) -> PortfolioPage:
    """One page of the portfolio: 2 queries (the page and the count). `after`/`before` resume
    from a neighbouring page's cursor, `number` being that page's number; `last` is the last
    page, the rows left after the full pages (so that « Page précédente » from it finds the
    same pages as « Page suivante » from the first). `service` and `role` keep the companies
    where the subscriber holds a habilitation on that service, with that role (`holding`)."""
    sort = normalize_sort(sort)
    parsed = _parse(query)
    entries = _search(subscriber, parsed, dossiers_only)
    if service or role:
        entries = entries.filter(
            company_id__in=holding(subscriber, service, role).values("company_id")
        )
    if parsed.words or parsed.identifier_prefix or service or role:
        total = entries.count()
    else:  # the whole portfolio: the number kept between its changes
        kind = "dossiers" if dossiers_only else "all"
        total = portfolio_count.counted(subscriber.pk, kind, entries.count)
    pages = max(1, -(-total // size))
    order = SORTS[sort]
    if parsed.words and sort == "nom":
        entries, order = _ranked(entries, parsed.words), RANKED
    descending = [f"-{f}" for f in order]
    backwards = resumed = False
    limit = size
    if last:
        entries, backwards, number = entries.order_by(*descending), True, pages
        limit = total - (pages - 1) * size or size
    elif before and (values := _decode(before, order)):
        entries = entries.filter(_beyond(order, values, "lt")).order_by(*descending)
        backwards = True
    elif after and (values := _decode(after, order)):
        entries = entries.filter(_beyond(order, values, "gt")).order_by(*order)
        resumed = True
    else:
        entries, number = entries.order_by(*order), 1
    rows = list(entries[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    if backwards:
        rows.reverse()
        has_next, has_previous = not last, more
    else:
        has_next, has_previous = more, resumed
    if not has_previous:
        number = 1
    elif not has_next:
        number = pages
    else:  # a page in between: neither the first nor the last, whatever the link said
        number = min(max(number, 2), pages - 1)
    return PortfolioPage(
        entries=rows,
        total=total,
        next_cursor=_encode(rows[-1], order) if rows and has_next else None,
        previous_cursor=_encode(rows[0], order) if rows and has_previous else None,
        number=number,
        pages=pages,
    )


def dossier_companies(entries: QuerySet[PortfolioEntry]) -> list[Company]:
    """The companies of these portfolio entries, by name (docs/habilitations.md §5.3: the
    dossiers a level is delegated on at once)."""
    ids = entries.values("company_id")
    return list(Company.objects.filter(pk__in=ids).order_by("search_name", "pk"))


def dossiers_by_identifier(subscriber, identifiers) -> list[Company]:
    """The companies among `identifiers` that are dossiers of `subscriber`, by name (the API's
    bulk delegation: a SIREN outside the portfolio is simply not there)."""
    return dossier_companies(
        PortfolioEntry.objects.filter(
            subscriber=subscriber, is_dossier=True, identifier__in=list(identifiers)
        )
    )


def administrator_entries(identifiers) -> QuerySet[PortfolioEntry]:
    """Portfolio entries of the AT and AS of these companies whose space is active and not
    frozen (who may see a company's holders, `Rights.may_see_holders`): the API chains its
    webhooks onto it (api/webhooks.py), in one query."""
    return PortfolioEntry.objects.filter(
        Q(titular_count__gt=0) | Q(deputy_count__gt=0),
        identifier__in=list(identifiers),
        subscriber__frozen_at__isnull=True,
        subscriber__is_active=True,
    )
