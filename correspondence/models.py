import os

from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import models


def letters_storage() -> Storage:
    """Where the letters' PDFs are kept: STORAGES["letters"] (docs/correspondence.md §3.5)."""
    return storages["letters"]


class LetterPdfUnavailable(FileNotFoundError):
    """A letter whose PDF cannot be read from the letters' storage."""


class Kind(models.TextChoices):
    EMAIL = "email", "Courriel"
    LETTER = "letter", "Courrier postal"


class Message(models.Model):
    """Every e-mail and postal letter the system sends, as sent (docs/correspondence.md §1)."""

    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The template pair that produced it ("space_activation_code", …): the purpose.
    purpose = models.CharField(max_length=80)
    to = models.CharField(max_length=254, help_text="E-mail address, or addressee of a letter")
    subject = models.CharField(max_length=250)
    # What was sent, with its one-time codes and links masked unless the outbox is on
    # (development): codes are kept only hashed at rest (docs/security.md §5).
    body = models.TextField()
    # The full body, encrypted, until it is delivered (then emptied).
    sealed_body = models.TextField(blank=True, editable=False)
    sent_at = models.DateTimeField(db_index=True)
    # An e-mail: accepted by the mail server. A letter: handed to the print-and-post step.
    delivered_at = models.DateTimeField(null=True, blank=True)
    # E-mails not delivered yet (docs/correspondence.md §1.2): how many tries failed, how many
    # of them the mail server refused (given up after EMAIL_MAX_ATTEMPTS refusals; a server
    # unavailable counts no refusal), when the next one is due, the last error.
    attempts = models.PositiveSmallIntegerField(default=0)
    # db_default: a process still running the previous code (during a deployment) inserts
    # rows without this column.
    refusals = models.PositiveSmallIntegerField(default=0, db_default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    given_up_at = models.DateTimeField(null=True, blank=True)
    # Letters only.
    siren = models.CharField(max_length=9, blank=True)
    address = models.TextField(blank=True)
    pdf = models.CharField(
        max_length=500, blank=True, help_text="Name of the letter's PDF in the letters' storage"
    )

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["to", "-sent_at"]),
            # What `deliver_emails` and `post_letters` look for: the few not handed over yet.
            models.Index(
                fields=["kind", "sent_at"],
                condition=models.Q(delivered_at=None, given_up_at=None),
                name="correspondence_pending",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="email") | ~models.Q(pdf=""),
                name="letter_has_pdf",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} à {self.to} : {self.subject}"

    def open_pdf(self) -> File:
        """The letter's PDF, opened for reading from the letters' storage (close it after)."""
        if not self.pdf:
            raise LetterPdfUnavailable(f"message {self.pk} has no PDF")
        if os.path.isabs(self.pdf):
            # Recorded as a path before letters went through the storage, outside LETTERS_DIR
            # (the data migration `letter_pdf_names` turned the paths under it into names):
            # a PDF is never read from an arbitrary place on the disk.
            raise LetterPdfUnavailable(
                f"message {self.pk}: {self.pdf} is a path outside LETTERS_DIR, not a name in "
                "the letters' storage; move the file there and record its name"
            )
        return letters_storage().open(self.pdf, "rb")

    def pdf_bytes(self) -> bytes:
        with self.open_pdf() as pdf:
            return pdf.read()

    def as_dict(self) -> dict:
        data = {
            "id": self.pk,
            "kind": self.kind,
            "purpose": self.purpose,
            "to": self.to,
            "subject": self.subject,
            "body": self.body,
            "sent_at": self.sent_at.isoformat(),
        }
        if self.kind == Kind.LETTER:
            data.update({"siren": self.siren, "address": self.address, "pdf": self.pdf})
        return data
