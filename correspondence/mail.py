"""All e-mail goes through `send_email`: a named pair of templates, recorded, then delivered."""

import email.policy
import logging
import smtplib
from datetime import timedelta
from email.header import Header

from django.conf import settings
from django.core.mail import EmailMessage
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


def is_secret(key: str, value) -> bool:
    """A one-time secret of an e-mail's context: text under a key that says so. An object is
    described, not handed over (the access token a notice names, by its name and hint)."""
    return isinstance(value, str) and (
        key in SECRET_KEYS or key.endswith(("_code", "_link", "_token", "_url"))
    )


def send_email(template_prefix: str, to: str, context: dict) -> Message:
    """Record an e-mail in the outbox and deliver it once the transaction commits
    (docs/correspondence.md §1)."""
    subject, body = render_pair(template_prefix, context)
    kept = body
    if not settings.OUTBOX_ENABLED and any(is_secret(*item) for item in context.items()):
        masked = {key: MASK if is_secret(key, value) else value for key, value in context.items()}
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


class _Email(EmailMessage):
    """Django's e-mail, but a subject with accents is encoded by the email package's `Header`.
    Python 3.12's own folding of a long header (python/cpython#144156) drops the space between
    two encoded words on either side of a fold, or doubles the one before it: readers showed
    « vous ont étéaccordées ». `Header` puts every space inside its encoded words, each at
    most 75 characters, on lines of at most 78 (RFC 2047), which the policy keeps as they are."""

    def message(self, *, policy=email.policy.default):
        message = super().message(policy=policy)
        if not self.subject.isascii():
            del message["Subject"]
            encoded = Header(self.subject, "utf-8", header_name="Subject")
            message.set_raw("Subject", encoded.encode(linesep=policy.linesep))
        return message


def send_mail(subject: str, body: str, from_email: str, to: list[str]) -> int:
    """Hand one e-mail to the mail server (MAILERS["default"]); raises if it is not taken."""
    return _Email(subject=subject, body=body, from_email=from_email, to=to).send()


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
        send_mail(message.subject, body or message.body, settings.DEFAULT_FROM_EMAIL, [message.to])
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


# The server's own trouble, whatever the e-mail: it refused our greeting or our login, or
# cannot do what we asked (STARTTLS, AUTH).
_SERVER_TROUBLE = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    smtplib.SMTPAuthenticationError,
    smtplib.SMTPNotSupportedError,
)


def mail_server_unavailable(error: Exception) -> bool:
    """Whether a failed delivery says nothing about the e-mail itself: the mail server could
    not be reached, did not answer within EMAIL_TIMEOUT, dropped the connection, refused the
    session, or answered 421 (service not available). Such an e-mail waits for the server
    and is never given up for it (docs/correspondence.md §1.2)."""
    if isinstance(error, _SERVER_TROUBLE):
        return True
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code == 421
    if isinstance(error, smtplib.SMTPRecipientsRefused):  # smtplib's form of a 421 at RCPT
        return all(code == 421 for code, _ in error.recipients.values())
    # smtplib's errors are OSErrors too; the others are the network's (refused, timed out,
    # unreachable, TLS).
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


ATTEMPTS_CEILING = 32767  # a PositiveSmallIntegerField


def retry_delay(refusals: int) -> timedelta:
    """How long after its `refusals`-th refusal an e-mail is tried again: doubling."""
    return settings.EMAIL_RETRY_FIRST_DELAY * 2 ** (refusals - 1)


def record_failure(message: Message, error: Exception) -> None:
    """Count a failed try. While the mail server is unavailable the e-mail is tried again
    every EMAIL_UNAVAILABLE_RETRY, for as long as it takes; an e-mail the server refused is
    tried again later and later, and given up after EMAIL_MAX_ATTEMPTS refusals, its sealed
    body (the codes it carried) erased (docs/correspondence.md §1.2)."""
    now = clock.now()
    error_text = f"{type(error).__name__}: {error}"[:500]
    # Kept within the column (a month of a server down, tried every minute, would not be).
    changes = {"attempts": min(message.attempts + 1, ATTEMPTS_CEILING), "last_error": error_text}
    if mail_server_unavailable(error):
        changes["next_attempt_at"] = now + settings.EMAIL_UNAVAILABLE_RETRY
        logger.warning(
            "E-mail %s (%s) not delivered, the mail server is unavailable: %s; kept for a "
            "try after %s",
            message.pk,
            message.purpose,
            error_text,
            changes["next_attempt_at"].isoformat(),
        )
    else:
        refusals = message.refusals + 1
        changes["refusals"] = refusals
        if refusals >= settings.EMAIL_MAX_ATTEMPTS:
            changes.update(given_up_at=now, next_attempt_at=None, sealed_body="")
            logger.error(
                "E-mail %s to %s given up after %s refusals: %s",
                message.pk,
                message.to,
                refusals,
                error_text,
            )
        else:
            changes["next_attempt_at"] = now + retry_delay(refusals)
            logger.warning(
                "E-mail %s (%s) refused (%s of %s): %s; tried again after %s",
                message.pk,
                message.purpose,
                refusals,
                settings.EMAIL_MAX_ATTEMPTS,
                error_text,
                changes["next_attempt_at"].isoformat(),
            )
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
