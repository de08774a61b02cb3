"""What every written message goes through (docs/messaging.md §3 to §6): its text cleaned and
bounded, its files checked, the day's limits counted, then the message and its attachments
stored. Called inside the transaction of an action: a refusal leaves nothing behind (the
files already written are removed when the transaction rolls back)."""

import unicodedata
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction

from core import clock, limits
from core.refusals import Refusal
from messaging.attachments import CheckedFile
from messaging.models import Attachment, Message, Side, Thread

SUBJECT_MAX_LENGTH = 150


def _printable(text: str, *, keep_lines: bool) -> str:
    text = unicodedata.normalize("NFC", str(text or "")).replace("\r\n", "\n").replace("\r", "\n")
    kept = "\n\t" if keep_lines else ""
    return "".join(ch for ch in text if ch in kept or not unicodedata.category(ch).startswith("C"))


def clean_subject(subject: str) -> str:
    subject = " ".join(_printable(subject, keep_lines=False).split())
    if not subject:
        raise Refusal("messaging.subject_missing", field="subject")
    if len(subject) > SUBJECT_MAX_LENGTH:
        raise Refusal("messaging.subject_too_long", field="subject", max=SUBJECT_MAX_LENGTH)
    return subject


def clean_body(body: str, *, code: str = "messaging.body_missing") -> str:
    """Plain text, line breaks kept, control characters dropped, bounded."""
    body = "\n".join(line.rstrip() for line in _printable(body, keep_lines=True).split("\n"))
    body = body.strip("\n")
    if not body.strip():
        raise Refusal(code, field="body")
    if len(body) > settings.MESSAGING_MESSAGE_MAX_CHARS:
        raise Refusal(
            "messaging.body_too_long", field="body", max=settings.MESSAGING_MESSAGE_MAX_CHARS
        )
    return body


def count_company_message(company, subscriber, files: list[CheckedFile]) -> None:
    """The day's limits of a company's side (core.limits, config/rules.py), counted after
    every other check so that a refused message for another reason counts nothing."""
    company_usage, person_usage = limits.hit_many(
        [("messaging.company", str(company.pk)), ("messaging.person", str(subscriber.pk))]
    )
    if company_usage.exceeded:
        raise Refusal("messaging.limit_company")
    if person_usage.exceeded:
        raise Refusal("messaging.limit_person")
    total = sum(f.size for f in files)
    if total and limits.hit("messaging.bytes", str(company.pk), total).exceeded:
        raise Refusal("messaging.limit_bytes", field="files")


@contextmanager
def atomic_with_files():
    """A transaction whose attachments' files are deleted if it fails: yields the list
    `store_message` adds each stored file to (nothing half-saved, files included)."""
    stored: list = []
    try:
        with transaction.atomic():
            yield stored
    except BaseException:
        for storage, name in stored:
            storage.delete(name)
        raise


def store_message(
    thread: Thread,
    *,
    side: Side,
    body: str,
    files: list[CheckedFile],
    author_name: str,
    author_role: str,
    stored: list,
    subscriber=None,
    agent=None,
) -> Message:
    """The message and its attachments (files written through STORAGES["messaging"])."""
    message = Message.objects.create(
        thread=thread,
        side=side,
        author_subscriber=subscriber,
        author_agent=agent,
        author_name=author_name[:220],
        author_role=author_role[:120],
        body=body,
        created_at=clock.now(),
    )
    for checked in files:
        attachment = Attachment(
            message=message,
            name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
        )
        attachment.file.save(checked.name, checked.upload, save=False)
        stored.append((attachment.file.storage, attachment.file.name))
        attachment.save()
    return message
