"""All e-mail goes through `send_email`: a named pair of templates, recorded, then delivered."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
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
def deliver_email(message_id: int) -> None:
    """Send one recorded e-mail; safe to run again (`manage.py deliver_emails` retries)."""
    message = Message.objects.get(pk=message_id)
    if message.delivered_at is not None:
        return
    body = unseal(message.sealed_body, SEALING_PURPOSE) if message.sealed_body else message.body
    send_mail(
        message.subject,
        body or message.body,
        settings.DEFAULT_FROM_EMAIL,
        [message.to],
        fail_silently=False,
    )
    Message.objects.filter(pk=message_id, delivered_at=None).update(
        delivered_at=clock.now(), sealed_body=""
    )
