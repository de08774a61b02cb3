"""A block holds the requesting space, no longer every space declaring the same firm SIREN
(docs/habilitations.md §12.5, review finding 5). A space that changed its declared SIREN may hold
two blocks on one company: the oldest is kept."""

from django.conf import settings
from django.db import migrations, models


def keep_one_block_per_requester(apps, schema_editor):
    FirmBlock = apps.get_model("habilitations", "FirmBlock")
    seen = set()
    for block in FirmBlock.objects.order_by("blocked_at", "pk").only("company", "requester"):
        key = (block.company_id, block.requester_id)
        if key in seen:
            block.delete()
        seen.add(key)


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0005_agents_back_office"),
        ("habilitations", "0009_delegation_requests_and_groups"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="firmblock",
            name="one_block_per_firm_and_company",
        ),
        migrations.RunPython(keep_one_block_per_requester, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="firmblock",
            constraint=models.UniqueConstraint(
                fields=("company", "requester"), name="one_block_per_requester_and_company"
            ),
        ),
    ]
