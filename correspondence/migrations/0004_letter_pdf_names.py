"""Letters' PDFs go through the storage STORAGES["letters"]: `Message.pdf` holds the PDF's
name there, not an absolute path. The paths recorded under LETTERS_DIR become names relative
to it; paths outside it are left as they are (reading them then fails with a clear error)."""

from pathlib import Path

from django.conf import settings
from django.db import migrations, models

BATCH = 500


def _letters(Message):
    return Message.objects.filter(kind="letter").exclude(pdf="").only("pk", "pdf").order_by("pk")


def paths_to_names(apps, schema_editor):
    Message = apps.get_model("correspondence", "Message")
    root = Path(settings.LETTERS_DIR).resolve()
    changed = []
    for message in _letters(Message).iterator(chunk_size=BATCH):
        path = Path(message.pdf)
        if not path.is_absolute():
            continue
        try:
            name = path.resolve().relative_to(root)
        except ValueError:
            continue  # outside LETTERS_DIR: left as it is
        message.pdf = name.as_posix()
        changed.append(message)
        if len(changed) == BATCH:
            Message.objects.bulk_update(changed, ["pdf"])
            changed = []
    Message.objects.bulk_update(changed, ["pdf"])


def names_to_paths(apps, schema_editor):
    Message = apps.get_model("correspondence", "Message")
    root = Path(settings.LETTERS_DIR)
    changed = []
    for message in _letters(Message).iterator(chunk_size=BATCH):
        if not Path(message.pdf).is_absolute():
            message.pdf = str(root / message.pdf)
            changed.append(message)
            if len(changed) == BATCH:
                Message.objects.bulk_update(changed, ["pdf"])
                changed = []
    Message.objects.bulk_update(changed, ["pdf"])


class Migration(migrations.Migration):
    dependencies = [
        ("correspondence", "0003_delivery_attempts"),
    ]

    operations = [
        migrations.AlterField(
            model_name="message",
            name="pdf",
            field=models.CharField(
                blank=True,
                help_text="Name of the letter's PDF in the letters' storage",
                max_length=500,
            ),
        ),
        migrations.RunPython(paths_to_names, names_to_paths, elidable=True),
    ]
