"""Retention of the secure messaging (docs/messaging.md §9, docs/security.md §12): a thread
closed MESSAGING_RETENTION_DAYS ago — or, never closed, whose last message is that old — is
erased with its messages, notes, reading marks and attachments, their files included."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from core import clock
from messaging.models import Attachment, Thread

BATCH = 500


def expired_threads():
    cutoff = clock.now() - timedelta(days=settings.MESSAGING_RETENTION_DAYS)
    return Thread.objects.filter(
        Q(closed_at__lt=cutoff) | Q(closed_at__isnull=True, last_message_at__lt=cutoff)
    )


def purge_old_threads() -> int:
    """Erase the expired threads, by batches; each batch's files are deleted once its rows
    are (a file whose row could not be erased stays). How many threads were erased."""
    erased = 0
    while ids := list(expired_threads().values_list("pk", flat=True)[:BATCH]):
        with transaction.atomic():
            attachments = Attachment.objects.filter(message__thread_id__in=ids)
            files = [(a.file.storage, a.file.name) for a in attachments.only("file")]
            Thread.objects.filter(pk__in=ids).delete()
            transaction.on_commit(lambda files=files: _delete_files(files))
        erased += len(ids)
    return erased


def _delete_files(files) -> None:
    for storage, name in files:
        storage.delete(name)
