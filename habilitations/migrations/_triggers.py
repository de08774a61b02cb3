"""Shared by the migrations: SQLite drops a table's triggers whenever a migration rebuilds
the table (most ALTERs); every later migration that alters `habilitations_habilitation`
must end with `recreate_on_sqlite()`, and every later migration that alters
`habilitations_portfolioentry` with `recreate_portfolio_search_on_sqlite()`."""

from django.db import migrations


def recreate_on_sqlite() -> migrations.RunPython:
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        module = __import__(
            "habilitations.migrations.0003_payer_role_exclusivity_trigger", fromlist=["x"]
        )
        for statement in module.SQLITE_BACKWARD + module.SQLITE_FORWARD:
            schema_editor.execute(statement)

    return migrations.RunPython(run, migrations.RunPython.noop)


def recreate_portfolio_search_on_sqlite() -> migrations.RunPython:
    """For a migration that rebuilds `habilitations_portfolioentry` on SQLite: the word
    index's triggers again, and the index refilled (habilitations/portfolio/search.py)."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        from habilitations.portfolio import search

        for statement in (
            search.SQLITE_DROP + search.SQLITE_CREATE + search.SQLITE_FILL + search.SQLITE_TRIGGERS
        ):
            schema_editor.execute(statement)

    return migrations.RunPython(run, migrations.RunPython.noop)
