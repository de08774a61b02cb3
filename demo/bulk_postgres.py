"""The synthetic dataset on PostgreSQL: COPY in bulk, national scale in minutes.

Each table is loaded in two steps. The plan's rows are streamed with COPY (psycopg 3's
`cursor.copy()`) into a temporary staging table keyed by row number (n); one
`INSERT … SELECT … ON CONFLICT DO NOTHING` then moves them into the real table, resolving
row numbers into ids by joins on the server, so Python never holds more than one row and
a re-run adds nothing. When the real table is empty, its secondary indexes, unique and
foreign-key constraints are dropped first and rebuilt after the load, in the same
transaction (rebuilding validates them: a broken invariant rolls the table back); check
constraints stay and are checked row by row. The Payer trigger of habilitations
(migration habilitations 0003) is disabled during the load, under a lock that keeps other
writers out, and its rule is checked once over the table before commit.
"""

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connection, transaction

from accounts.models import Subscriber
from companies.models import BankAccount, Company, CompanyEmail
from core import clock
from demo import synthetic
from demo.synthetic import BIC, Plan, Progress
from habilitations import portfolio_sync
from habilitations.models import Habilitation, PortfolioEntry

# Session settings for the load: big sorts and hashes in memory, index builds in memory,
# no wait for the WAL flush at each commit (a crash loses at most the last phase, which a
# re-run redoes).
SESSION = {
    "work_mem": "512MB",
    "maintenance_work_mem": "1GB",
    "synchronous_commit": "off",
}
PAYER_TRIGGER = "habilitation_payer_roles"
PROGRESS_EVERY = 100_000
STAGING_TABLES = (
    "syn_company",
    "syn_company_id",
    "syn_subscriber",
    "syn_subscriber_id",
    "syn_company_email",
    "syn_bank_account",
    "syn_habilitation",
)


def _table(model) -> str:
    return model._meta.db_table


def _stage(cursor, name: str, columns: str, rows: Iterable[tuple], progress: Progress) -> None:
    """A temporary table `name` filled with `rows` by COPY (no WAL, no index)."""
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TEMPORARY TABLE {name} ({columns})")
    names = ", ".join(column.split()[0] for column in columns.split(","))
    with cursor.cursor.copy(f"COPY {name} ({names}) FROM STDIN") as copy:
        pending = 0
        for row in rows:
            copy.write_row(row)
            pending += 1
            if pending == PROGRESS_EVERY:
                progress.add(pending)
                pending = 0
        progress.add(pending)
    cursor.execute(f"ANALYZE {name}")  # autovacuum never analyzes temporary tables


def _is_empty(cursor, table: str) -> bool:
    cursor.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {table})")  # noqa: S608
    return cursor.fetchone()[0]


@contextmanager
def _indexes_rebuilt_after(cursor, table: str, drop: bool) -> Iterator[None]:
    """Drop the table's unique and foreign-key constraints and its secondary indexes (all
    but the primary key), then create them again with their own names and definitions."""
    if not drop:
        yield
        return
    cursor.execute(
        """SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint
           WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC""",
        [table],
    )
    constraints = cursor.fetchall()  # unique ones first, then the foreign keys
    cursor.execute(
        """SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
           JOIN pg_class i ON i.oid = x.indexrelid
           WHERE x.indrelid = %s::regclass AND NOT x.indisprimary AND NOT EXISTS (
               SELECT 1 FROM pg_constraint c
               WHERE c.conrelid = x.indrelid AND c.conindid = x.indexrelid)""",
        [table],
    )
    indexes = cursor.fetchall()
    for name, _, _ in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    yield
    for name, definition, kind in constraints:
        if kind == "u":
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for _, definition in indexes:
        cursor.execute(definition)
    for name, definition, kind in constraints:
        if kind == "f":
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def _ids(cursor, name: str, stage: str, table: str, key: str) -> None:
    """`name` (n, id): the database id of each staged row, found by its natural key."""
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {name} AS SELECT s.n, t.id FROM {stage} s "  # noqa: S608
        f"JOIN {table} t ON t.{key} = s.{key}"
    )
    cursor.execute(f"ANALYZE {name}")


def _load(cursor, table: str, sql: str, params: list, label: str, out) -> int:
    """Move staged rows into `table` (rebuilding its indexes when it was empty)."""
    progress = Progress(f"{label} (insertion, index)", 0, out)
    with transaction.atomic(), connection.cursor() as inner:
        empty = _is_empty(inner, table)
        with _indexes_rebuilt_after(inner, table, drop=empty):
            inner.execute(sql, params)
            inserted = inner.rowcount
            progress.add(inserted)
    progress.finish("table vide : index reconstruits" if empty else "index conservés")
    return inserted


def _columns(model, *names: str) -> str:
    return ", ".join(model._meta.get_field(name).column for name in names)


def _defaults(model, exclude: set[str]) -> tuple[list[str], list]:
    """The columns the staging tables do not carry, with the model's defaults (Django's
    defaults live in Python, not in the database)."""
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in exclude or field.attname in exclude:
            continue
        columns.append(field.column)
        values.append(field.get_db_prep_save(field.get_default(), connection))
    return columns, values


def _insert_sql(model, staged: dict[str, str], fixed: dict, source: str) -> tuple[str, list]:
    """INSERT INTO model (staged columns, fixed columns, defaulted columns) SELECT …"""
    defaulted, default_values = _defaults(model, set(staged) | set(fixed))
    columns = [model._meta.get_field(name).column for name in [*staged, *fixed]] + defaulted
    values = list(staged.values()) + ["%s"] * (len(fixed) + len(defaulted))
    params = [
        model._meta.get_field(name).get_db_prep_save(value, connection)
        for name, value in fixed.items()
    ] + default_values
    sql = (
        f"INSERT INTO {_table(model)} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} {source} ON CONFLICT DO NOTHING"
    )
    return sql, params


def _set_session(cursor, settings: dict[str, str]) -> dict[str, str]:
    before = {}
    for name, value in settings.items():
        cursor.execute(f"SELECT current_setting('{name}')")
        before[name] = cursor.fetchone()[0]
        cursor.execute(f"SET {name} = '{value}'")
    return before


def generate_with_copy(plan: Plan, out=sys.stderr) -> int:
    """Load the plan's rows; returns the number of portfolio entries."""
    now = clock.now()
    with connection.cursor() as cursor:
        before = _set_session(cursor, SESSION)
        try:
            entries = _generate(cursor, plan, now, out)
        finally:
            _set_session(cursor, before)
            for name in STAGING_TABLES:
                cursor.execute(f"DROP TABLE IF EXISTS {name}")
    return entries


def _generate(cursor, plan: Plan, now, out) -> int:
    tables = [_table(m) for m in (Company, Subscriber, CompanyEmail, BankAccount, Habilitation)]
    if all(_is_empty(cursor, table) for table in tables):
        _load_direct(cursor, plan, now, out)
    else:
        _load_staged(cursor, plan, now, out)
    progress = Progress("Statistiques (ANALYZE)", 0, out)
    for model in (Company, Subscriber, CompanyEmail, BankAccount, Habilitation, PortfolioEntry):
        cursor.execute(f"ANALYZE {_table(model)}")
    progress.finish()
    return PortfolioEntry.objects.count()


def _copy(cursor, model, names: list[str], fixed: dict, rows: Iterable[tuple], progress) -> None:
    """COPY `rows` (values of the fields `names`) into the model's table, each row completed
    with the `fixed` values and the model's defaults."""
    defaulted, default_values = _defaults(model, set(names) | set(fixed))
    columns = [model._meta.get_field(name).column for name in [*names, *fixed]] + defaulted
    tail = tuple(
        model._meta.get_field(name).get_db_prep_save(value, connection)
        for name, value in fixed.items()
    ) + tuple(default_values)
    with cursor.cursor.copy(f"COPY {_table(model)} ({', '.join(columns)}) FROM STDIN") as copy:
        pending = 0
        for row in rows:
            copy.write_row(row + tail)
            pending += 1
            if pending == PROGRESS_EVERY:
                progress.add(pending)
                pending = 0
        progress.add(pending)


def _copy_into_empty(cursor, model, label: str, total: int, *args) -> None:
    """One table of the direct load, in its own transaction: its secondary indexes and
    constraints dropped, COPY, then rebuilt (which validates them)."""
    progress = Progress(f"{label} (COPY, index)", total, out=args[-1])
    table = _table(model)
    with transaction.atomic(), connection.cursor() as inner:
        with _indexes_rebuilt_after(inner, table, drop=True):
            _copy(inner, model, *args[:-1], progress)
        # The ids were given (n + 1): the sequence goes on after them.
        inner.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
        )
    progress.finish("index reconstruits")


def _load_direct(cursor, plan: Plan, now, out) -> None:
    """Into empty tables: COPY straight into each table, ids given (company n and subscriber
    n get id n + 1), no staging, no join."""
    companies = (
        (n + 1, identifier, name, search_name, street, postal_code, city)
        for n, identifier, name, search_name, street, postal_code, city in synthetic.company_rows(
            plan
        )
    )
    names = ["id", "identifier", "name", "search_name", "street_line", "postal_code", "city"]
    _copy_into_empty(
        cursor,
        Company,
        "Entreprises",
        plan.companies,
        names,
        {"legal_category": "5499"},
        companies,
        out,
    )
    subscribers = ((n + 1, *rest) for n, *rest in synthetic.subscriber_rows(plan))
    names = ["id", "email", "subscriber_number", "civility", "last_name", "company_identifier"]
    _copy_into_empty(
        cursor,
        Subscriber,
        "Abonnés",
        plan.subscribers,
        names,
        synthetic.subscriber_constants(),
        subscribers,
        out,
    )
    emails = ((c + 1, email, s + 1) for c, email, s in synthetic.company_email_rows(plan))
    _copy_into_empty(
        cursor,
        CompanyEmail,
        "Adresses électroniques d'entreprise",
        plan.own_companies,
        ["company", "email", "changed_by"],
        {"confirmed_at": now},
        emails,
        out,
    )
    accounts = (
        (c + 1, account, holder, s + 1)
        for c, account, holder, s in synthetic.bank_account_rows(plan)
    )
    _copy_into_empty(
        cursor,
        BankAccount,
        "Comptes bancaires",
        0,
        ["company", "iban", "holder", "added_by"],
        {"bic": BIC, "added_at": now, "changed_at": now},
        accounts,
        out,
    )
    habilitations = (
        (s + 1, c + 1, service, elementary, role, origin, None if by is None else by + 1)
        for s, c, service, elementary, role, origin, by in synthetic.habilitation_rows(plan)
    )
    names = [
        "subscriber",
        "company",
        "service",
        "elementary_service",
        "role",
        "origin",
        "granted_by",
    ]
    table = _table(Habilitation)
    with transaction.atomic():
        _set_trigger(cursor, table, enabled=False)
        _copy_into_empty(
            cursor,
            Habilitation,
            "Habilitations",
            plan.expected_habilitations(),
            names,
            {"granted_at": now, "changed_at": now},
            habilitations,
            out,
        )
        _check_payer_roles(cursor, table)
        _set_trigger(cursor, table, enabled=True)
        _rebuild_portfolios(cursor, 1, out)


def _load_staged(cursor, plan: Plan, now, out) -> None:
    """Into tables that already hold rows: staged, then inserted with ON CONFLICT DO NOTHING."""
    # Companies.
    progress = Progress("Entreprises (copie)", plan.companies, out)
    _stage(
        cursor,
        "syn_company",
        "n integer, identifier varchar(9), name varchar(250), search_name varchar(250), "
        "street_line varchar(250), postal_code varchar(10), city varchar(100)",
        synthetic.company_rows(plan),
        progress,
    )
    progress.finish()
    staged = {
        name: f"s.{name}"
        for name in ("identifier", "name", "search_name", "street_line", "postal_code", "city")
    }
    sql, params = _insert_sql(
        Company, staged, {"legal_category": "5499"}, "FROM syn_company s ORDER BY s.n"
    )
    _load(cursor, _table(Company), sql, params, "Entreprises", out)
    _ids(cursor, "syn_company_id", "syn_company", _table(Company), "identifier")
    cursor.execute("DROP TABLE syn_company")

    # Subscribers.
    progress = Progress("Abonnés (copie)", plan.subscribers, out)
    _stage(
        cursor,
        "syn_subscriber",
        "n integer, email varchar(100), subscriber_number varchar(14), civility varchar(3), "
        "last_name varchar(100), company_identifier varchar(30)",
        synthetic.subscriber_rows(plan),
        progress,
    )
    progress.finish()
    staged = {
        name: f"s.{name}"
        for name in ("email", "subscriber_number", "civility", "last_name", "company_identifier")
    }
    sql, params = _insert_sql(
        Subscriber, staged, synthetic.subscriber_constants(), "FROM syn_subscriber s ORDER BY s.n"
    )
    _load(cursor, _table(Subscriber), sql, params, "Abonnés", out)
    _ids(cursor, "syn_subscriber_id", "syn_subscriber", _table(Subscriber), "email")
    cursor.execute("DROP TABLE syn_subscriber")

    # Company e-mails and bank accounts.
    progress = Progress("Adresses électroniques d'entreprise (copie)", plan.own_companies, out)
    _stage(
        cursor,
        "syn_company_email",
        "company_n integer, email varchar(100), by_n integer",
        synthetic.company_email_rows(plan),
        progress,
    )
    progress.finish()
    sql, params = _insert_sql(
        CompanyEmail,
        {"company": "c.id", "email": "s.email", "changed_by": "b.id"},
        {"confirmed_at": now},
        "FROM syn_company_email s JOIN syn_company_id c ON c.n = s.company_n "
        "JOIN syn_subscriber_id b ON b.n = s.by_n",
    )
    _load(cursor, _table(CompanyEmail), sql, params, "Adresses électroniques d'entreprise", out)
    cursor.execute("DROP TABLE syn_company_email")

    progress = Progress("Comptes bancaires (copie)", 0, out)
    _stage(
        cursor,
        "syn_bank_account",
        "company_n integer, iban varchar(34), holder varchar(70), by_n integer",
        synthetic.bank_account_rows(plan),
        progress,
    )
    progress.finish()
    sql, params = _insert_sql(
        BankAccount,
        {"company": "c.id", "iban": "s.iban", "holder": "s.holder", "added_by": "b.id"},
        {"bic": BIC, "added_at": now, "changed_at": now},
        "FROM syn_bank_account s JOIN syn_company_id c ON c.n = s.company_n "
        "JOIN syn_subscriber_id b ON b.n = s.by_n",
    )
    _load(cursor, _table(BankAccount), sql, params, "Comptes bancaires", out)
    cursor.execute("DROP TABLE syn_bank_account")

    # Habilitations, and the portfolios in the same transaction.
    progress = Progress("Habilitations (copie)", plan.expected_habilitations(), out)
    _stage(
        cursor,
        "syn_habilitation",
        "subscriber_n integer, company_n integer, service varchar(40), "
        "elementary_service varchar(40), role varchar(2), origin varchar(15), by_n integer",
        synthetic.habilitation_rows(plan),
        progress,
    )
    progress.finish()
    sql, params = _insert_sql(
        Habilitation,
        {
            "subscriber": "s.id",
            "company": "c.id",
            "service": "h.service",
            "elementary_service": "h.elementary_service",
            "role": "h.role",
            "origin": "h.origin",
            "granted_by": "b.id",
        },
        {"granted_at": now, "changed_at": now},
        "FROM syn_habilitation h JOIN syn_subscriber_id s ON s.n = h.subscriber_n "
        "JOIN syn_company_id c ON c.n = h.company_n "
        "LEFT JOIN syn_subscriber_id b ON b.n = h.by_n",
    )
    table = _table(Habilitation)
    with transaction.atomic():
        _set_trigger(cursor, table, enabled=False)
        inserted = _load(cursor, table, sql, params, "Habilitations", out)
        _check_payer_roles(cursor, table)
        _set_trigger(cursor, table, enabled=True)
        _rebuild_portfolios(cursor, inserted, out)
    cursor.execute("DROP TABLE syn_habilitation")


def _set_trigger(cursor, table: str, *, enabled: bool) -> None:
    """ALTER TABLE refuses to run while deferred foreign-key checks are pending in the
    transaction: run them now, then defer again (Django's foreign keys are deferred)."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    action = "ENABLE" if enabled else "DISABLE"
    cursor.execute(f"ALTER TABLE {table} {action} TRIGGER {PAYER_TRIGGER}")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _check_payer_roles(cursor, table: str) -> None:
    """The disabled trigger's rule, over the whole table: nobody is both administrator and
    delegate of Payer in one company."""
    cursor.execute(
        f"""SELECT company_id, subscriber_id FROM {table} WHERE service = 'payer'
            GROUP BY company_id, subscriber_id
            HAVING bool_or(role IN ('AT', 'AS')) AND bool_or(role NOT IN ('AT', 'AS'))
            LIMIT 1"""  # noqa: S608
    )
    broken = cursor.fetchone()
    if broken:
        raise RuntimeError(f"Payer administrator and delegate at once: {broken}")


def _rebuild_portfolios(cursor, inserted: int, out) -> int:
    """Rebuild the portfolio entries from the habilitations (indexes rebuilt after), unless no
    habilitation was added and the portfolios are there already."""
    table = _table(PortfolioEntry)
    progress = Progress("Portefeuilles", 0, out)
    if not inserted and not _is_empty(cursor, table):
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
        entries = cursor.fetchone()[0]
        progress.add(entries)
        progress.finish("aucune habilitation nouvelle : inchangés")
        return entries
    cursor.execute(f"TRUNCATE {table}")
    with _indexes_rebuilt_after(cursor, table, drop=True):
        entries = portfolio_sync.rebuild_all()
    progress.add(entries)
    progress.finish("reconstruits depuis les habilitations")
    return entries
