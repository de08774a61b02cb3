"""*Modifiez vos identifiants* (docs/accounts.md §11): a new password at once, a new
login e-mail only once the code sent to it has been entered."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.flows.password_change import change_password
from accounts.flows.registration import email_problem
from accounts.models import EmailChangeRequest, PasswordResetRequest, Subscriber
from audit.models import Action
from audit.trail import record
from core import clock
from core.one_time import OneTimeSecret, Outcome
from core.refusals import CATALOGUE, Refusal
from core.text import normalize_email
from correspondence.mail import send_email

# The code confirming a new login e-mail, bound to the space and to that address.
EMAIL_CHANGE_CODE = OneTimeSecret("email-change", attempts_field="failed_attempts")
SAME_EMAIL = CATALOGUE["email_change.same_email"]


def code_minutes() -> int:
    return int(settings.EMAIL_CHANGE_CODE_VALIDITY.total_seconds() // 60)


def new_email_problem(subscriber: Subscriber, email: str) -> str | None:
    """A new login e-mail must differ and be used by no space nor pending registration."""
    email = normalize_email(email)
    if email == subscriber.email:
        return SAME_EMAIL
    return email_problem(email)


def change_identifiers(
    subscriber: Subscriber,
    *,
    new_email: str | None,
    new_password: str | None,
) -> EmailChangeRequest | None:
    """Apply what *Valider les modifications* asked, in one transaction.

    The caller has re-authenticated the person and checked the rules.
    """
    with transaction.atomic():
        if new_password:
            change_password(subscriber, new_password, via="identifiers")
        if new_email:
            return request_email_change(subscriber, new_email)
    return None


def request_email_change(subscriber: Subscriber, new_email: str) -> EmailChangeRequest:
    """Send a code to the new address; a newer request replaces (and kills) an older one."""
    new_email = normalize_email(new_email)
    code, code_fields = EMAIL_CHANGE_CODE.issue(subscriber.pk, new_email)
    now = clock.now()
    with transaction.atomic():
        change, _ = EmailChangeRequest.objects.update_or_create(
            subscriber=subscriber,
            defaults={
                "new_email": new_email,
                **code_fields,
                "created_at": now,
                "expires_at": now + settings.EMAIL_CHANGE_CODE_VALIDITY,
            },
        )
        send_email(
            "email_change_code",
            new_email,
            {
                "code": code,
                "minutes": code_minutes(),
                "expires_at": timezone.localtime(change.expires_at),
            },
        )
        record(
            Action.EMAIL_CHANGE_REQUESTED,
            actor=subscriber,
            target=subscriber.subscriber_number,
            new_email=new_email,
        )
    return change


def pending_email_change(subscriber: Subscriber) -> EmailChangeRequest | None:
    return EmailChangeRequest.objects.filter(
        subscriber=subscriber, expires_at__gt=clock.now()
    ).first()


def confirm_email_change(subscriber: Subscriber, code: str) -> str:
    """The code sent to the new address makes it the login e-mail. Returns the new e-mail.

    Single use, expiring, at most MAX_CODE_ATTEMPTS wrong tries; the e-mail must still be free.
    """
    refusal = None
    with transaction.atomic():
        change = (
            EmailChangeRequest.objects.select_for_update().filter(subscriber=subscriber).first()
        )
        binding = (subscriber.pk, change.new_email) if change else ()
        check = EMAIL_CHANGE_CODE.check(change, code, *binding)
        if check.outcome is Outcome.WRONG:
            refusal = Refusal("email_change.wrong_code", field="code")
        elif not check.ok:  # none, expired, or dead after MAX_CODE_ATTEMPTS wrong tries
            refusal = Refusal("email_change.no_code", field="code")
        elif email_problem(change.new_email):
            change.delete()
            refusal = Refusal("email_change.email_taken", field="code")
        else:
            refusal = _apply_email_change(subscriber, change)
    if refusal:
        record(
            Action.EMAIL_CHANGE_FAILED,
            actor=subscriber,
            target=subscriber.subscriber_number,
            reason=refusal.message,
        )
        raise refusal
    return subscriber.email


def _apply_email_change(subscriber: Subscriber, change: EmailChangeRequest) -> Refusal | None:
    previous = subscriber.email
    if not EMAIL_CHANGE_CODE.consume(change):
        return Refusal("email_change.no_code", field="code")
    try:
        with transaction.atomic():
            subscriber.email = change.new_email
            subscriber.save(update_fields=["email"])
            # A reset link sent to the former address must not outlive the change.
            PasswordResetRequest.objects.filter(subscriber=subscriber).delete()
    except IntegrityError:
        subscriber.email = previous
        if email_problem(change.new_email):
            return Refusal("email_change.email_taken", field="code")
        return Refusal("email_change.no_code", field="code")
    now = timezone.localtime(clock.now())
    record(
        Action.LOGIN_EMAIL_CHANGED,
        actor=subscriber,
        target=subscriber.subscriber_number,
        previous_email=previous,
        new_email=subscriber.email,
    )
    # Both addresses are told: the old one in case someone else did it.
    for to in [previous, subscriber.email]:
        send_email(
            "login_email_changed",
            to,
            {"new_email": subscriber.email, "previous_email": previous, "changed_at": now},
        )
    return None


def cancel_email_change(subscriber: Subscriber) -> None:
    deleted, _ = EmailChangeRequest.objects.filter(subscriber=subscriber).delete()
    if deleted:
        record(
            Action.EMAIL_CHANGE_CANCELLED,
            actor=subscriber,
            target=subscriber.subscriber_number,
        )
