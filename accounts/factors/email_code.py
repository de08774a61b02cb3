"""The default second factor: a 6-digit code e-mailed to the login address (and to the
confirmed second address, if any), valid LOGIN_CODE_VALIDITY, single use, newest only, tries
counted on the code (MAX_CODE_ATTEMPTS) and per person (`factor.code`), sends limited per
person (`factor.send`). The code is never logged; its e-mail's context key is `code`, which the
outbox masks outside development (correspondence.mail.is_secret)."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.factors.models import EmailCode, SecondEmail
from accounts.models import Subscriber
from audit.models import Action
from audit.trail import record
from core import clock, limits
from core.one_time import OneTimeSecret
from core.refusals import Refusal
from core.text import normalize_email
from correspondence.mail import send_email

DIGITS = "0123456789"
LOGIN_CODE = OneTimeSecret(
    "login-code", attempts_field="failed_attempts", alphabet=DIGITS, length=6
)
SECOND_EMAIL_CODE = OneTimeSecret(
    "second-email", attempts_field="failed_attempts", alphabet=DIGITS, length=6
)


def minutes() -> int:
    return int(settings.LOGIN_CODE_VALIDITY.total_seconds() // 60)


def _count_send(subscriber: Subscriber) -> None:
    usage = limits.hit("factor.send", str(subscriber.pk))
    if usage.exceeded:
        limits.hit("factor.send", str(subscriber.pk), -1)
        record(
            Action.RATE_LIMITED,
            actor=subscriber,
            target=subscriber.subscriber_number,
            limit="factor.send",
        )
        raise Refusal("factor.too_many_sends", minutes=usage.retry_minutes)


def recipients(subscriber: Subscriber) -> list[str]:
    second = SecondEmail.objects.filter(subscriber=subscriber, confirmed_at__isnull=False).first()
    return [subscriber.email, *([second.email] if second else [])]


def send_code(subscriber: Subscriber, *, purpose: str = "login") -> EmailCode:
    """A new code (the former one dies), e-mailed to the person's addresses. Refused past
    `factor.send`."""
    _count_send(subscriber)
    code, fields = LOGIN_CODE.issue(subscriber.pk)
    now = clock.now()
    with transaction.atomic():
        row, _ = EmailCode.objects.update_or_create(
            subscriber=subscriber,
            defaults={
                **fields,
                "created_at": now,
                "expires_at": now + settings.LOGIN_CODE_VALIDITY,
            },
        )
        context = {
            "code": code,
            "minutes": minutes(),
            "expires_at": timezone.localtime(row.expires_at),
            "step_up": purpose != "login",
        }
        for to in recipients(subscriber):
            send_email("login_code", to, context)
        record(
            Action.FACTOR_CODE_SENT,
            actor=subscriber,
            target=subscriber.subscriber_number,
            purpose=purpose,
        )
    return row


def live_code(subscriber: Subscriber) -> EmailCode | None:
    return EmailCode.objects.filter(subscriber=subscriber, expires_at__gt=clock.now()).first()


def check_code(subscriber: Subscriber, code: str) -> bool:
    """The e-mailed code, right, unexpired, alive: used up (deleted). A wrong one is counted on
    the code (committed); a dead or expired one is refused."""
    code = "".join(code.split())
    with transaction.atomic():
        row = EmailCode.objects.select_for_update().filter(subscriber=subscriber).first()
        check = LOGIN_CODE.check(row, code, subscriber.pk)
        return check.ok and LOGIN_CODE.consume(row)


# --- The second address -------------------------------------------------------------------


def second_email(subscriber: Subscriber) -> SecondEmail | None:
    return SecondEmail.objects.filter(subscriber=subscriber).first()


def add_second_email(subscriber: Subscriber, email: str) -> SecondEmail:
    """Start confirming a second address: a code is sent to it (the login codes go there only
    once it is confirmed)."""
    email = normalize_email(email)
    if email == subscriber.email:
        raise Refusal("factor.same_email", field="email")
    _count_send(subscriber)
    code, fields = SECOND_EMAIL_CODE.issue(subscriber.pk, email)
    now = clock.now()
    with transaction.atomic():
        row, _ = SecondEmail.objects.update_or_create(
            subscriber=subscriber,
            defaults={
                "email": email,
                "confirmed_at": None,
                **fields,
                "expires_at": now + settings.LOGIN_CODE_VALIDITY,
            },
        )
        send_email("second_email_code", email, {"code": code, "minutes": minutes()})
    return row


def confirm_second_email(subscriber: Subscriber, code: str) -> SecondEmail:
    with transaction.atomic():
        row = SecondEmail.objects.select_for_update().filter(subscriber=subscriber).first()
        binding = (subscriber.pk, row.email) if row else ()
        check = SECOND_EMAIL_CODE.check(row, "".join(code.split()), *binding)
        if not check.ok:
            refusal = "factor.wrong_code" if check.left else "factor.no_code"
        else:
            row.confirmed_at = clock.now()
            row.code_hash, row.expires_at, row.failed_attempts = "", None, 0
            row.save()
            record(
                Action.FACTOR_ENROLLED,
                actor=subscriber,
                target=subscriber.subscriber_number,
                kind="second_email",
                email=row.email,
            )
            refusal = None
    if refusal:
        record(
            Action.FACTOR_CODE_FAILED,
            actor=subscriber,
            target=subscriber.subscriber_number,
            kind="second_email",
        )
        raise Refusal(refusal, field="code")
    return row


def remove_second_email(subscriber: Subscriber) -> bool:
    with transaction.atomic():
        deleted, _ = SecondEmail.objects.filter(subscriber=subscriber).delete()
        if deleted:
            record(
                Action.FACTOR_REMOVED,
                actor=subscriber,
                target=subscriber.subscriber_number,
                kind="second_email",
            )
    return bool(deleted)
