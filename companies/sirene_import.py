"""Filling the registry from the SIRENE stock files, in batches (`manage.py import_sirene`).

Two passes, each a stream over its file in constant memory: legal units create or update
companies, then head offices give them their fiscal address. Each batch is one
transaction and an upsert keyed on the SIREN, so an interrupted import is resumed by
running it again: rows already imported are found unchanged and not written.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice

from django.db import connection, reset_queries, transaction

from companies.models import Company
from companies.names import search_key
from companies.sirene import (
    WRONG_WIDTH,
    HeadOfficeAddress,
    RowRefused,
    UnitRecord,
    head_office_address,
    is_head_office,
    unit_record,
)

DEFAULT_BATCH_SIZE = 5000
DEFAULT_EXAMPLES = 5
# How often (in rows read) the progress callback is called between batches.
PROGRESS_EVERY = 10_000
# Rows per UPDATE statement: 4 parameters each stays under SQLite's 32,766 and
# PostgreSQL's 65,535 parameters whatever --batch-size is.
ROWS_PER_UPDATE = 5000

UNIT_FIELDS = ["name", "search_name", "legal_category", "is_active", "head_office_nic"]
ADDRESS_FIELDS = ["street_line", "postal_code", "city"]

# Reasons found while writing, in addition to those of companies.sirene.
DUPLICATE_SIREN = "SIREN répété dans le même lot : la dernière ligne l'emporte"
UNKNOWN_COMPANY = "SIREN inconnu du registre (établissement non importé)"
OTHER_HEAD_OFFICE = "Siège dont le NIC diffère du NIC du siège de l'unité légale"

Rows = Iterable[tuple[int, dict[str, str] | None]]


@dataclass
class Tally:
    """Rows set aside, counted by reason, with the first few of each (line, value) kept."""

    examples_per_reason: int = DEFAULT_EXAMPLES
    counts: Counter = field(default_factory=Counter)
    examples: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    def add(self, reason: str, line: int, detail: str = "") -> None:
        self.counts[reason] += 1
        kept = self.examples.setdefault(reason, [])
        if len(kept) < self.examples_per_reason:
            kept.append((line, detail))

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class UnitReport:
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: Tally = field(default_factory=Tally)


@dataclass
class EstablishmentReport:
    rows_read: int = 0
    not_head_office: int = 0
    addresses_set: int = 0
    addresses_unchanged: int = 0
    refused: Tally = field(default_factory=Tally)


Progress = Callable[[UnitReport | EstablishmentReport], None]


def import_units(
    rows: Rows,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    limit: int | None = None,
    examples: int = DEFAULT_EXAMPLES,
    progress: Progress | None = None,
) -> UnitReport:
    """Create or update a company for each valid legal unit (name, category, state, NIC)."""
    report = UnitReport(refused=Tally(examples))
    batch: dict[str, tuple[int, UnitRecord]] = {}
    for line, row in islice(rows, limit):
        report.rows_read += 1
        try:
            if row is None:
                raise RowRefused(WRONG_WIDTH)
            unit = unit_record(row)
        except RowRefused as refusal:
            report.refused.add(refusal.reason, line, refusal.detail)
        else:
            _keep_last(batch, unit.identifier, line, unit, report.refused)
            if len(batch) >= batch_size:
                _write_units(batch, report)
                batch.clear()
        if progress and report.rows_read % PROGRESS_EVERY == 0:
            progress(report)
    if batch:
        _write_units(batch, report)
    if progress:
        progress(report)
    return report


def import_establishments(
    rows: Rows,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    limit: int | None = None,
    examples: int = DEFAULT_EXAMPLES,
    progress: Progress | None = None,
) -> EstablishmentReport:
    """Give each known company its head office's address; other establishments are skipped."""
    report = EstablishmentReport(refused=Tally(examples))
    batch: dict[str, tuple[int, HeadOfficeAddress]] = {}
    for line, row in islice(rows, limit):
        report.rows_read += 1
        try:
            if row is None:
                raise RowRefused(WRONG_WIDTH)
            if not is_head_office(row):
                report.not_head_office += 1
                continue
            address = head_office_address(row)
        except RowRefused as refusal:
            report.refused.add(refusal.reason, line, refusal.detail)
        else:
            _keep_last(batch, address.identifier, line, address, report.refused)
            if len(batch) >= batch_size:
                _write_addresses(batch, report)
                batch.clear()
        finally:
            if progress and report.rows_read % PROGRESS_EVERY == 0:
                progress(report)
    if batch:
        _write_addresses(batch, report)
    if progress:
        progress(report)
    return report


def _keep_last(batch: dict, identifier: str, line: int, record, refused: Tally) -> None:
    earlier = batch.pop(identifier, None)
    if earlier is not None:
        refused.add(DUPLICATE_SIREN, earlier[0], identifier)
    batch[identifier] = (line, record)


def _write_units(batch: dict[str, tuple[int, UnitRecord]], report: UnitReport) -> None:
    """One transaction: upsert the new and changed companies of the batch, skip the others."""
    created = updated = unchanged = 0
    with transaction.atomic():
        known = {
            identifier: values
            for identifier, *values in Company.objects.filter(identifier__in=batch).values_list(
                "identifier", *UNIT_FIELDS
            )
        }
        to_write = []
        for identifier, (_, unit) in batch.items():
            company = Company(
                identifier=identifier,
                name=unit.name,
                # bulk_create does not call save(), which folds the name otherwise.
                search_name=search_key(unit.name),
                legal_category=unit.legal_category,
                is_active=unit.is_active,
                head_office_nic=unit.head_office_nic,
            )
            before = known.get(identifier)
            if before is None:
                created += 1
            elif before == [getattr(company, name) for name in UNIT_FIELDS]:
                unchanged += 1
                continue
            else:
                updated += 1
            to_write.append(company)
        if to_write:
            Company.objects.bulk_create(
                to_write,
                update_conflicts=True,
                unique_fields=["identifier"],
                update_fields=UNIT_FIELDS,
            )
    report.created += created
    report.updated += updated
    report.unchanged += unchanged
    _forget_queries()


def _write_addresses(
    batch: dict[str, tuple[int, HeadOfficeAddress]], report: EstablishmentReport
) -> None:
    """One transaction: set the changed addresses of the batch's known companies."""
    refused: list[tuple[str, int, str]] = []
    unchanged = 0
    with transaction.atomic():
        known = Company.objects.filter(identifier__in=batch).values_list(
            "pk", "identifier", "head_office_nic", *ADDRESS_FIELDS
        )
        to_write = []
        found = set()
        for pk, identifier, head_office_nic, *current in known:
            found.add(identifier)
            line, address = batch[identifier]
            # The NIC check guards against a pair of files of different months, where the
            # head office moved between the two.
            if head_office_nic and address.nic != head_office_nic:
                refused.append((OTHER_HEAD_OFFICE, line, f"{identifier} {address.nic}"))
                continue
            values = [address.street_line, address.postal_code, address.city]
            if values == current:
                unchanged += 1
                continue
            to_write.append((pk, *values))
        _update_addresses(to_write)
    for identifier in batch.keys() - found:
        refused.append((UNKNOWN_COMPANY, batch[identifier][0], identifier))
    for reason, line, detail in sorted(refused, key=lambda item: item[1]):
        report.refused.add(reason, line, detail)
    report.addresses_set += len(to_write)
    report.addresses_unchanged += unchanged
    _forget_queries()


def _forget_queries() -> None:
    """With DEBUG on, Django keeps the SQL of the last 9,000 queries, a batch's being about
    1 MB: without this, memory would grow by gigabytes over the real files."""
    reset_queries()


def _update_addresses(rows: list[tuple[int, str, str, str]]) -> None:
    """Set (pk, street_line, postal_code, city) in one UPDATE ... FROM (VALUES ...) per chunk.

    Not bulk_update(): its CASE WHEN per row and field made the pass 10 to 100 times
    slower on both databases (bench/README.md). UPDATE ... FROM needs SQLite 3.33+.
    """
    table = connection.ops.quote_name(Company._meta.db_table)
    pk = connection.ops.quote_name(Company._meta.pk.column)
    assignments = ", ".join(f"{name} = incoming.{name}" for name in ADDRESS_FIELDS)
    for start in range(0, len(rows), ROWS_PER_UPDATE):
        chunk = rows[start : start + ROWS_PER_UPDATE]
        placeholders = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
        # Only quoted names from the model and placeholders are formatted in; values are
        # parameters.
        sql = (
            f"WITH incoming (pk, {', '.join(ADDRESS_FIELDS)}) AS (VALUES {placeholders}) "  # noqa: S608
            f"UPDATE {table} SET {assignments} FROM incoming WHERE {table}.{pk} = incoming.pk"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [value for row in chunk for value in row])
