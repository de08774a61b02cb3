"""The tools of the COPY load (`demo.bulk_postgres`): staging tables streamed with COPY
(psycopg 3's `cursor.copy()`), loads from them with `INSERT … SELECT … ON CONFLICT DO NOTHING`,
a table's secondary indexes and constraints dropped and rebuilt around a load into it, the
session's settings, and the Payer trigger switched off and its rule checked once."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connection, transaction

from demo.synthetic import Progress

PROGRESS_EVERY = 100_000
# The trigger of habilitations that enforces the Payer rule (migration habilitations 0003).
PAYER_TRIGGER = "habilitation_payer_roles"


def table_of(model) -> str:
    return model._meta.db_table


def stage(cursor, name: str, columns: str, rows: Iterable[tuple], progress: Progress) -> None:
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


def is_empty(cursor, table: str) -> bool:
    cursor.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {table})")  # noqa: S608
    return cursor.fetchone()[0]


@contextmanager
def indexes_rebuilt_after(cursor, table: str, drop: bool) -> Iterator[None]:
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


def load_ids(cursor, name: str, stage: str, table: str, key: str) -> None:
    """`name` (n, id): the database id of each staged row, found by its natural key."""
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {name} AS SELECT s.n, t.id FROM {stage} s "  # noqa: S608
        f"JOIN {table} t ON t.{key} = s.{key}"
    )
    cursor.execute(f"ANALYZE {name}")


def load(cursor, table: str, sql: str, params: list, label: str, out) -> int:
    """Move staged rows into `table` (rebuilding its indexes when it was empty)."""
    progress = Progress(f"{label} (insertion, index)", 0, out)
    with transaction.atomic(), connection.cursor() as inner:
        empty = is_empty(inner, table)
        with indexes_rebuilt_after(inner, table, drop=empty):
            inner.execute(sql, params)
            inserted = inner.rowcount
            progress.add(inserted)
    progress.finish("table vide : index reconstruits" if empty else "index conservés")
    return inserted


def column_list(model, *names: str) -> str:
    return ", ".join(model._meta.get_field(name).column for name in names)


def defaults_of(model, exclude: set[str]) -> tuple[list[str], list]:
    """The columns the staging tables do not carry, with the model's defaults (Django's
    defaults live in Python, not in the database)."""
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in exclude or field.attname in exclude:
            continue
        columns.append(field.column)
        values.append(field.get_db_prep_save(field.get_default(), connection))
    return columns, values


def insert_sql(model, staged: dict[str, str], fixed: dict, source: str) -> tuple[str, list]:
    """INSERT INTO model (staged columns, fixed columns, defaulted columns) SELECT …"""
    defaulted, default_values = defaults_of(model, set(staged) | set(fixed))
    columns = [model._meta.get_field(name).column for name in [*staged, *fixed]] + defaulted
    values = list(staged.values()) + ["%s"] * (len(fixed) + len(defaulted))
    params = [
        model._meta.get_field(name).get_db_prep_save(value, connection)
        for name, value in fixed.items()
    ] + default_values
    sql = (
        f"INSERT INTO {table_of(model)} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} {source} ON CONFLICT DO NOTHING"
    )
    return sql, params


def set_session(cursor, settings: dict[str, str]) -> dict[str, str]:
    before = {}
    for name, value in settings.items():
        cursor.execute(f"SELECT current_setting('{name}')")
        before[name] = cursor.fetchone()[0]
        cursor.execute(f"SET {name} = '{value}'")
    return before


def copy_rows(
    cursor, model, names: list[str], fixed: dict, rows: Iterable[tuple], progress
) -> None:
    """COPY `rows` (values of the fields `names`) into the model's table, each row completed
    with the `fixed` values and the model's defaults."""
    defaulted, default_values = defaults_of(model, set(names) | set(fixed))
    columns = [model._meta.get_field(name).column for name in [*names, *fixed]] + defaulted
    tail = tuple(
        model._meta.get_field(name).get_db_prep_save(value, connection)
        for name, value in fixed.items()
    ) + tuple(default_values)
    with cursor.cursor.copy(f"COPY {table_of(model)} ({', '.join(columns)}) FROM STDIN") as copy:
        pending = 0
        for row in rows:
            copy.write_row(row + tail)
            pending += 1
            if pending == PROGRESS_EVERY:
                progress.add(pending)
                pending = 0
        progress.add(pending)


def copy_into_empty(cursor, model, label: str, total: int, *args) -> None:
    """One table of the direct load, in its own transaction: its secondary indexes and
    constraints dropped, COPY, then rebuilt (which validates them)."""
    progress = Progress(f"{label} (COPY, index)", total, out=args[-1])
    table = table_of(model)
    with transaction.atomic(), connection.cursor() as inner:
        with indexes_rebuilt_after(inner, table, drop=True):
            copy_rows(inner, model, *args[:-1], progress)
        # The ids were given (n + 1): the sequence goes on after them.
        inner.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
        )
    progress.finish("index reconstruits")


def set_trigger(cursor, table: str, *, enabled: bool) -> None:
    """ALTER TABLE refuses to run while deferred foreign-key checks are pending in the
    transaction: run them now, then defer again (Django's foreign keys are deferred)."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    action = "ENABLE" if enabled else "DISABLE"
    cursor.execute(f"ALTER TABLE {table} {action} TRIGGER {PAYER_TRIGGER}")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def check_payer_roles(cursor, table: str) -> None:
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
