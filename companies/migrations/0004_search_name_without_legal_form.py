"""`search_name` becomes the name as searched and sorted (companies.names.search_key): the
legal form set aside and punctuation made spaces (issue 12 §1). Only the rows whose key
changes are written, in batches of 5,000."""

from django.db import migrations

from companies.names import search_key

BATCH = 5000


def recompute(apps, schema_editor):
    Company = apps.get_model("companies", "Company")
    table = Company._meta.db_table
    last = 0
    with schema_editor.connection.cursor() as cursor:
        while True:
            rows = list(
                Company.objects.filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", "name", "search_name")[:BATCH]
            )
            if not rows:
                return
            last = rows[-1][0]
            changed = [
                (key, pk) for pk, name, old in rows if (key := search_key(name)) != old
            ]
            if changed:
                cursor.executemany(
                    f"UPDATE {table} SET search_name = %s WHERE id = %s",  # noqa: S608
                    changed,
                )


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0003_one_time_secrets"),
    ]

    operations = [
        migrations.RunPython(recompute, migrations.RunPython.noop, elidable=True),
    ]
