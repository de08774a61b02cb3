"""All e-mail goes through `send_email`: a named pair of templates, recorded, then delivered."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string

from core import clock
from core.sealing import seal, unseal
from correspondence.models import Kind, Message
from correspondence.safety import one_line_context, strip_invisible


def render_pair(template_prefix: str, context: dict) -> tuple[str, str]:
    # E-mails are plain text: rendered by the "text" engine, which escapes nothing; what
    # people typed is kept on one line, without invisible characters (docs/correspondence.md §5).
    context = one_line_context(context)
    subject = render_to_string(
        f"correspondence/email/{template_prefix}_subject.txt", context, using="text"
    )
    body = render_to_string(
        f"correspondence/email/{template_prefix}_body.txt", context, using="text"
    )
    return " ".join(strip_invisible(subject).split()), strip_invisible(body).strip() + "\n"


logger = logging.getLogger(__name__)
SEALING_PURPOSE = "outgoing-email"
MASK = "[masqué]"
# Context values that are one-time secrets (codes, links carrying a token): never stored in
# clear once sent, except in development where the outbox must show them.
SECRET_KEYS = frozenset({"code", "link", "token", "url"})


def is_secret(key: str) -> bool:
    return key in SECRET_KEYS or key.endswith(("_code", "_link", "_token", "_url"))


def send_email(template_prefix: str, to: str, context: dict) -> Message:
    """Record an e-mail in the outbox and deliver it once the transaction commits
    (docs/correspondence.md §1)."""
    subject, body = render_pair(template_prefix, context)
    kept = body
    if not settings.OUTBOX_ENABLED and any(is_secret(key) for key in context):
        masked = {key: MASK if is_secret(key) else value for key, value in context.items()}
        kept = render_pair(template_prefix, masked)[1]
    message = Message.objects.create(
        kind=Kind.EMAIL,
        purpose=template_prefix,
        to=to,
        subject=subject,
        body=kept,
        sealed_body=seal(body, SEALING_PURPOSE) if kept != body else "",
        sent_at=clock.now(),
    )
    transaction.on_commit(lambda: deliver_email.enqueue(message.pk))
    return message


@task()
def deliver_email(message_id: int) -> bool:
    """Send one recorded e-mail (True if this call sent it); safe to run again
    (`manage.py deliver_emails` retries).

    A failure is recorded on the message (its next try is due later, or it is given up)
    before it propagates, so that the task's result says it failed too."""
    if not _claim(message_id):
        return False  # delivered, given up, not due yet, or being delivered by another process
    message = Message.objects.get(pk=message_id)
    body = unseal(message.sealed_body, SEALING_PURPOSE) if message.sealed_body else message.body
    try:
        send_mail(
            message.subject,
            body or message.body,
            settings.DEFAULT_FROM_EMAIL,
            [message.to],
            fail_silently=False,
        )
    except Exception as exc:
        record_failure(message, exc)
        raise
    Message.objects.filter(pk=message_id, delivered_at=None).update(
        delivered_at=clock.now(), sealed_body="", next_attempt_at=None
    )
    return True


def _claim(message_id: int) -> bool:
    """Take the e-mail for one delivery: in one conditional UPDATE, so of two processes (the
    queue's worker and `deliver_emails`, say) only one sends it. The claim is a lease: its
    next try is pushed EMAIL_DELIVERY_LEASE away, then set by the outcome."""
    now = clock.now()
    return bool(
        Message.objects.filter(pk=message_id, delivered_at=None, given_up_at=None)
        .filter(Q(next_attempt_at=None) | Q(next_attempt_at__lte=now))
        .update(next_attempt_at=now + settings.EMAIL_DELIVERY_LEASE)
    )


def retry_delay(attempts: int) -> timedelta:
    """How long after its `attempts`-th failed try an e-mail is tried again: doubling."""
    return settings.EMAIL_RETRY_FIRST_DELAY * 2 ** (attempts - 1)


def record_failure(message: Message, error: Exception) -> None:
    """Count a failed try; after EMAIL_MAX_ATTEMPTS the e-mail is given up and its sealed
    body (the codes it carried) erased (docs/correspondence.md §1.2)."""
    now = clock.now()
    attempts = message.attempts + 1
    changes = {"attempts": attempts, "last_error": f"{type(error).__name__}: {error}"[:500]}
    if attempts >= settings.EMAIL_MAX_ATTEMPTS:
        changes.update(given_up_at=now, next_attempt_at=None, sealed_body="")
        logger.error(
            "E-mail %s to %s given up after %s tries: %s",
            message.pk,
            message.to,
            attempts,
            changes["last_error"],
        )
    else:
        changes["next_attempt_at"] = now + retry_delay(attempts)
    Message.objects.filter(pk=message.pk, delivered_at=None).update(**changes)


def due_emails(older_than: timedelta):
    """E-mails to try (again) now, oldest first: those whose next try is due, and those never
    tried for `older_than` (their delivery task never ran). Given-up ones are left alone, and
    a failing one waits for its next try, so newer e-mails are not starved."""
    now = clock.now()
    return (
        Message.objects.filter(kind=Kind.EMAIL, delivered_at=None, given_up_at=None)
        .filter(
            Q(next_attempt_at__lte=now) | Q(next_attempt_at=None, sent_at__lte=now - older_than)
        )
        .order_by("sent_at", "id")
    )
