"""All e-mail goes through `send_email`: a named pair of templates, recorded, then delivered."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string

from correspondence.models import Kind, Message
from portal import clock


def render_pair(template_prefix: str, context: dict) -> tuple[str, str]:
    subject = render_to_string(f"correspondence/email/{template_prefix}_subject.txt", context)
    body = render_to_string(f"correspondence/email/{template_prefix}_body.txt", context)
    return " ".join(subject.split()), body.strip() + "\n"


def send_email(template_prefix: str, to: str, context: dict) -> Message:
    """Record an e-mail in the outbox and deliver it once the transaction commits (SPEC §12)."""
    subject, body = render_pair(template_prefix, context)
    message = Message.objects.create(
        kind=Kind.EMAIL,
        purpose=template_prefix,
        to=to,
        subject=subject,
        body=body,
        sent_at=clock.now(),
    )
    transaction.on_commit(lambda: deliver_email.enqueue(message.pk))
    return message


@task()
def deliver_email(message_id: int) -> None:
    message = Message.objects.get(pk=message_id)
    if message.delivered_at is not None:
        return
    send_mail(
        message.subject,
        message.body,
        settings.DEFAULT_FROM_EMAIL,
        [message.to],
        fail_silently=False,
    )
    Message.objects.filter(pk=message_id, delivered_at=None).update(delivered_at=clock.now())
