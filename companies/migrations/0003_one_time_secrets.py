"""Links carry a random public id instead of the row's key; the never-incremented
`failed_attempts` goes (wrong link tokens are not counted, docs/security.md §5.3). Links
already e-mailed stop working: their URL carried the key."""

import core.one_time
from django.db import migrations, models


def fill_public_ids(apps, schema_editor):
    rows = apps.get_model("companies", "CompanyEmailChange")
    for row in rows.objects.all():
        row.public_id = core.one_time.new_public_id()
        row.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0002_bank_accounts_company_email"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="companyemailchange",
            name="failed_attempts",
        ),
        migrations.AddField(
            model_name="companyemailchange",
            name="public_id",
            field=models.CharField(max_length=22, null=True),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="companyemailchange",
            name="public_id",
            field=models.CharField(default=core.one_time.new_public_id, max_length=22, unique=True),
        ),
    ]
