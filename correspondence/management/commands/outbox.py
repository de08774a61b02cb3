import json

from django.core.management.base import BaseCommand

from correspondence.models import Message


class Command(BaseCommand):
    help = "Print the recent e-mails and letters the portal has sent, newest first."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print a JSON array")
        parser.add_argument("--limit", type=int, default=50, help="how many (default 50)")
        parser.add_argument("--to", default="", help="only messages to this recipient")

    def handle(self, *args, **options):
        messages = Message.objects.all()
        if options["to"]:
            messages = messages.filter(to__iexact=options["to"])
        messages = list(messages[: options["limit"]])
        if options["json"]:
            self.stdout.write(json.dumps([m.as_dict() for m in messages], ensure_ascii=False))
            return
        if not messages:
            self.stdout.write("La boîte d'envoi est vide.")
        for m in messages:
            self.stdout.write(f"--- {m.sent_at:%d/%m/%Y %H:%M:%S} {m.get_kind_display()} à {m.to}")
            self.stdout.write(f"Objet : {m.subject}")
            if m.pdf:
                self.stdout.write(f"PDF : {m.pdf}")
            self.stdout.write(m.body)
