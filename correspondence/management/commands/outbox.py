import json
from pathlib import Path

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage
from django.core.management.base import BaseCommand, CommandError

from correspondence.models import Kind, Message, letters_storage


def local_path(message: Message) -> str | None:
    """Where a letter's PDF is on this machine's disk, if the letters' storage is a folder."""
    storage = letters_storage()
    if not message.pdf or not isinstance(storage, FileSystemStorage):
        return None
    try:
        return storage.path(message.pdf)
    except SuspiciousFileOperation:  # an old path outside LETTERS_DIR
        return None


class Command(BaseCommand):
    help = "Print the recent e-mails and letters the portal has sent, newest first."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print a JSON array")
        parser.add_argument("--limit", type=int, default=50, help="how many (default 50)")
        parser.add_argument("--to", default="", help="only messages to this recipient")
        parser.add_argument(
            "--pdf",
            nargs=2,
            metavar=("ID", "FILE"),
            help="write the PDF of letter ID (read from the letters' storage) to FILE",
        )

    def handle(self, *args, **options):
        if options["pdf"]:
            self.write_pdf(*options["pdf"])
            return
        messages = Message.objects.all()
        if options["to"]:
            messages = messages.filter(to__iexact=options["to"])
        messages = list(messages[: options["limit"]])
        if options["json"]:
            data = [m.as_dict() for m in messages]
            for item, m in zip(data, messages, strict=True):
                if m.kind == Kind.LETTER:
                    item["pdf_path"] = local_path(m)
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        if not messages:
            self.stdout.write("La boîte d'envoi est vide.")
        for m in messages:
            self.stdout.write(f"--- {m.sent_at:%d/%m/%Y %H:%M:%S} {m.get_kind_display()} à {m.to}")
            self.stdout.write(f"Objet : {m.subject}")
            if m.pdf:
                self.stdout.write(f"PDF : {local_path(m) or m.pdf}")
            self.stdout.write(m.body)

    def write_pdf(self, pk: str, target: str) -> None:
        message = Message.objects.filter(pk=pk if pk.isdigit() else None, kind=Kind.LETTER).first()
        if message is None:
            raise CommandError(f"Aucun courrier n° {pk}.")
        try:
            content = message.pdf_bytes()
        except FileNotFoundError as exc:
            raise CommandError(f"Le PDF du courrier n° {pk} est introuvable : {exc}") from exc
        Path(target).write_bytes(content)
        self.stdout.write(f"{target} : {len(content)} octets.")
