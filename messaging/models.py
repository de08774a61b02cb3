"""The secure messaging's tables (docs/messaging.md): threads of a company with its tax office,
their messages and attachments, the agents' internal notes (a table of their own, so that no
query of the company's side can reach them), each person's reading marks and e-mail opt-out,
and the canned answers per motif. Agents are rows of "backoffice.Agent", never imported."""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q

from core import clock
from messaging.motifs import Motif


class ThreadState(models.TextChoices):
    NEW = "new", "Nouveau"
    ASSIGNED = "assigned", "En cours de traitement"
    WAITING_COMPANY = "waiting_company", "Répondu"
    CLOSED = "closed", "Clos"


class Side(models.TextChoices):
    COMPANY = "company", "Entreprise"
    ADMINISTRATION = "administration", "Administration"


def messaging_storage():
    """The private storage of attachments (STORAGES["messaging"])."""
    return storages["messaging"]


def attachment_path(instance, filename: str) -> str:
    """A random name under the year and month: never the name the person gave."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{clock.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class Thread(models.Model):
    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # The code of the office that answers (messaging.offices), set from the company's address.
    office = models.CharField(max_length=20)
    motif = models.CharField(max_length=30, choices=Motif.choices)
    subject = models.CharField("Objet", max_length=150)
    state = models.CharField(max_length=20, choices=ThreadState.choices, default=ThreadState.NEW)
    assigned_agent = models.ForeignKey(
        "backoffice.Agent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    last_message_at = models.DateTimeField()
    last_admin_message_at = models.DateTimeField(null=True, blank=True)
    last_company_message_at = models.DateTimeField(null=True, blank=True)
    # The company's oldest message not answered yet (None when the administration has the last
    # word): the agents' queues are ordered by it.
    awaiting_since = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.CharField(max_length=20, choices=Side.choices, blank=True)
    # Until when the company may answer a closed thread (once: it then reopens).
    reopen_until = models.DateTimeField(null=True, blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "conversation"
        indexes = [
            models.Index(fields=["company", "-last_message_at"], name="msg_thread_company"),
            models.Index(fields=["company", "last_admin_message_at"], name="msg_thread_unread"),
            models.Index(fields=["office", "state", "awaiting_since"], name="msg_thread_queue"),
            models.Index(fields=["office", "state", "last_message_at"], name="msg_thread_office"),
            models.Index(fields=["assigned_agent", "state"], name="msg_thread_agent"),
            models.Index(fields=["last_message_at"], name="msg_thread_last"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(subject__gt=""), name="msg_thread_has_subject"),
            models.CheckConstraint(
                condition=Q(state__in=ThreadState.values), name="msg_thread_state_known"
            ),
            models.CheckConstraint(
                condition=Q(state=ThreadState.CLOSED, closed_at__isnull=False)
                | (~Q(state=ThreadState.CLOSED) & Q(closed_at__isnull=True)),
                name="msg_thread_closed_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.get_state_display()})"

    @property
    def is_closed(self) -> bool:
        return self.state == ThreadState.CLOSED


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    side = models.CharField(max_length=20, choices=Side.choices)
    # Exactly one author, the one of the message's side.
    author_subscriber = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author_agent = models.ForeignKey(
        "backoffice.Agent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Who wrote it and in which role, as they were when it was written (shown to both sides).
    author_name = models.CharField(max_length=220)
    author_role = models.CharField(max_length=120)
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "message"
        indexes = [models.Index(fields=["thread", "created_at"], name="msg_message_thread")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        side=Side.COMPANY,
                        author_subscriber__isnull=False,
                        author_agent__isnull=True,
                    )
                    | Q(
                        side=Side.ADMINISTRATION,
                        author_subscriber__isnull=True,
                        author_agent__isnull=False,
                    )
                ),
                name="msg_message_one_author_of_its_side",
            ),
            models.CheckConstraint(condition=Q(body__gt=""), name="msg_message_has_body"),
        ]

    def __str__(self) -> str:
        return f"{self.author_name} ({self.get_side_display()})"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=messaging_storage, upload_to=attachment_path, max_length=200)
    # The name the person gave, cleaned (messaging.attachments.clean_name): shown, never a path.
    name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = "pièce jointe"

    def __str__(self) -> str:
        return self.name


class InternalNote(models.Model):
    """An agent's note on a thread: the company never sees it (no query of its side joins it)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey("backoffice.Agent", on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "note interne"
        indexes = [models.Index(fields=["thread", "created_at"], name="msg_note_thread")]

    def __str__(self) -> str:
        return f"note {self.pk} on thread {self.thread_id}"


class ReadMark(models.Model):
    """When a person of the company's side last read a thread (unread is per person)."""

    subscriber = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "thread"], name="msg_one_read_mark_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscriber_id} read {self.thread_id} at {self.read_at}"


class EmailOptOut(models.Model):
    """« Ne plus recevoir ces courriels »: this person is not told of new answers."""

    subscriber = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.subscriber_id}: no e-mails"


class CannedAnswer(models.Model):
    """A ready-made answer of the agents for one motif, edited by supervisors."""

    motif = models.CharField(max_length=30, choices=Motif.choices)
    title = models.CharField(max_length=100)
    text = models.TextField()
    updated_by = models.ForeignKey(
        "backoffice.Agent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = "réponse type"
        indexes = [models.Index(fields=["motif", "title"], name="msg_canned_motif")]

    def __str__(self) -> str:
        return self.title
