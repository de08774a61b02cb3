"""Portfolio search by any word of the name (issue 12 §1, docs/habilitations.md §10.2):
the entries take their company's new `search_name` (legal form set aside), then each
database gets its own word index (habilitations/portfolio/search.py): a GIN index on
PostgreSQL, an FTS5 table kept in step by triggers on SQLite."""

from django.db import migrations

from habilitations.portfolio import search as portfolio_search


def copy_search_names(apps, schema_editor):
    entry = apps.get_model("habilitations", "PortfolioEntry")._meta.db_table
    company = apps.get_model("companies", "Company")._meta.db_table
    schema_editor.execute(
        f"UPDATE {entry} SET search_name = (SELECT c.search_name FROM {company} c "  # noqa: S608
        f"WHERE c.id = {entry}.company_id)"
    )


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(portfolio_search.POSTGRESQL_CREATE)
    elif vendor == "sqlite":
        for statement in (
            portfolio_search.SQLITE_CREATE
            + portfolio_search.SQLITE_FILL
            + portfolio_search.SQLITE_TRIGGERS
        ):
            schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(portfolio_search.POSTGRESQL_DROP)
    elif vendor == "sqlite":
        for statement in portfolio_search.SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("habilitations", "0006_one_time_secrets"),
        ("companies", "0004_search_name_without_legal_form"),
    ]

    operations = [
        migrations.RunPython(copy_search_names, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_index, drop_index),
    ]
