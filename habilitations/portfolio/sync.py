"""Keeping the portfolio (`PortfolioEntry`) in step with habilitations, in the same transaction."""

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Subquery

from companies.models import Company
from habilitations.models import Habilitation, PortfolioEntry, Role, State
from habilitations.portfolio import count as portfolio_count
from habilitations.portfolio import search as portfolio_search

_COUNT_FIELDS = {
    Role.TITULAR_ADMIN: "titular_count",
    Role.DEPUTY_ADMIN: "deputy_count",
    Role.DELEGATING_ACTOR: "delegating_count",
    Role.ACTOR: "actor_count",
}
_ALL_COUNTS = (*_COUNT_FIELDS.values(), "suspended_count")


def refresh(pairs: Iterable[tuple[int, int]]) -> None:
    """Recompute the portfolio entries of these (subscriber id, company id) pairs."""
    pairs = set(pairs)
    if not pairs:
        return
    subscriber_ids = {s for s, _ in pairs}
    portfolio_count.forget(subscriber_ids)
    company_ids = {c for _, c in pairs}
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    rows = (
        Habilitation.objects.filter(subscriber_id__in=subscriber_ids, company_id__in=company_ids)
        .values_list("subscriber_id", "company_id", "role", "state")
        .annotate(n=Count("id"))
    )
    for subscriber_id, company_id, role, state, n in rows:
        if (subscriber_id, company_id) in pairs:
            field = _COUNT_FIELDS[role] if state == State.ACTIVE else "suspended_count"
            entry_counts = counts[(subscriber_id, company_id)]
            entry_counts[field] = entry_counts.get(field, 0) + n
    empty_by_subscriber: dict[int, list[int]] = defaultdict(list)
    for subscriber_id, company_id in pairs - counts.keys():
        empty_by_subscriber[subscriber_id].append(company_id)
    # One query per subscriber concerned (one for a bulk change of one delegate).
    for subscriber_id, company_ids_gone in empty_by_subscriber.items():
        PortfolioEntry.objects.filter(
            subscriber_id=subscriber_id, company_id__in=company_ids_gone
        ).delete()
    if not counts:
        return
    companies = {
        c.pk: c
        for c in Company.objects.filter(pk__in={c for _, c in counts}).only(
            "identifier", "name", "search_name"
        )
    }
    entries = []
    for (subscriber_id, company_id), role_counts in counts.items():
        company = companies[company_id]
        entries.append(
            PortfolioEntry(
                subscriber_id=subscriber_id,
                company_id=company_id,
                identifier=company.identifier,
                name=company.name,
                search_name=company.search_name,
                is_dossier=any(role_counts.get(f) for f in _COUNT_FIELDS.values()),
                **{field: role_counts.get(field, 0) for field in _ALL_COUNTS},
            )
        )
    PortfolioEntry.objects.bulk_create(
        entries,
        update_conflicts=True,
        unique_fields=["subscriber", "company"],
        update_fields=["identifier", "name", "search_name", "is_dossier", *_ALL_COUNTS],
    )


def rebuild_all() -> int:
    """Rebuild every portfolio entry from the habilitations (after a bulk load)."""
    portfolio_count.forget_all()
    entry = PortfolioEntry._meta.db_table
    habilitation = Habilitation._meta.db_table
    company = Company._meta.db_table
    active = f"h.state = '{State.ACTIVE.value}'"
    sums = ", ".join(
        f"SUM(CASE WHEN {active} AND h.role = '{role.value}' THEN 1 ELSE 0 END)"
        for role in _COUNT_FIELDS
    )
    # On SQLite the word index is rebuilt once at the end rather than row by row through
    # its triggers (25 s instead of 62 s for 295,580 entries).
    sqlite = connection.vendor == "sqlite"
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in portfolio_search.SQLITE_DROP if sqlite else []:
            cursor.execute(statement)
        cursor.execute(f"DELETE FROM {entry}")  # noqa: S608 (table names from the models)
        cursor.execute(
            f"""
            INSERT INTO {entry} (subscriber_id, company_id, identifier, name, search_name,
                titular_count, deputy_count, delegating_count, actor_count, suspended_count,
                is_dossier)
            SELECT h.subscriber_id, h.company_id, c.identifier, c.name, c.search_name, {sums},
                SUM(CASE WHEN {active} THEN 0 ELSE 1 END),
                SUM(CASE WHEN {active} THEN 1 ELSE 0 END) > 0
            FROM {habilitation} h JOIN {company} c ON c.id = h.company_id
            GROUP BY h.subscriber_id, h.company_id, c.identifier, c.name, c.search_name
            """,  # noqa: S608
        )
        rows = cursor.rowcount
        if sqlite:
            for statement in (
                portfolio_search.SQLITE_CREATE
                + portfolio_search.SQLITE_FILL
                + portfolio_search.SQLITE_TRIGGERS
            ):
                cursor.execute(statement)
        return rows


def refresh_company_names() -> int:
    """After a registry import renamed companies, carry the new names into the portfolios."""
    company = Company.objects.filter(pk=OuterRef("company_id"))
    return PortfolioEntry.objects.exclude(name=F("company__name")).update(
        name=Subquery(company.values("name")[:1]),
        search_name=Subquery(company.values("search_name")[:1]),
    )
