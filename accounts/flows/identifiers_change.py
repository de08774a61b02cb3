"""*Modifiez vos identifiants* (docs/accounts.md §7, seed 003 §2): a new password at once, a new
login
e-mail only once the code sent to it has been entered."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from accounts.flows.password_change import change_password
from accounts.flows.registration import email_problem
from accounts.models import EmailChangeRequest, PasswordResetRequest, Subscriber
from audit.models import Action
from audit.trail import record
from core import clock, codes
from correspondence.mail import send_email

EMAIL_CHANGE_PURPOSE = "email-change"
SAME_EMAIL = "Cette adresse électronique est déjà celle de votre espace."
WRONG_CODE = "Le code de confirmation est incorrect."
NO_CODE = (
    "Ce code n'est plus valable (il a expiré ou il a été saisi trop de fois de manière "
    "erronée). Recommencez la modification de votre adresse électronique."
)


class EmailChangeRefused(Exception):
    pass


def _purpose(subscriber: Subscriber, new_email: str) -> str:
    return f"{EMAIL_CHANGE_PURPOSE}:{subscriber.pk}:{new_email}"


def code_minutes() -> int:
    return int(settings.EMAIL_CHANGE_CODE_VALIDITY.total_seconds() // 60)


def new_email_problem(subscriber: Subscriber, email: str) -> str | None:
    """A new login e-mail must differ and be used by no space nor pending registration."""
    email = email.strip().lower()
    if email == subscriber.email:
        return SAME_EMAIL
    return email_problem(email)


def change_identifiers(
    request: HttpRequest,
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
            change_password(subscriber, new_password, via="identifiers", request=request)
        if new_email:
            return request_email_change(request, subscriber, new_email)
    return None


def request_email_change(
    request: HttpRequest | None, subscriber: Subscriber, new_email: str
) -> EmailChangeRequest:
    """Send a code to the new address; a newer request replaces (and kills) an older one."""
    new_email = new_email.strip().lower()
    code = codes.new_code()
    now = clock.now()
    with transaction.atomic():
        change, _ = EmailChangeRequest.objects.update_or_create(
            subscriber=subscriber,
            defaults={
                "new_email": new_email,
                "code_hash": codes.hash_code(code, _purpose(subscriber, new_email)),
                "created_at": now,
                "expires_at": now + settings.EMAIL_CHANGE_CODE_VALIDITY,
                "failed_attempts": 0,
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
            request=request,
            new_email=new_email,
        )
    return change


def pending_email_change(subscriber: Subscriber) -> EmailChangeRequest | None:
    return EmailChangeRequest.objects.filter(
        subscriber=subscriber, expires_at__gt=clock.now()
    ).first()


def _usable(change: EmailChangeRequest) -> bool:
    """Not expired, and fewer than MAX_CODE_ATTEMPTS wrong tries (docs/security.md §1)."""
    return change.expires_at > clock.now() and change.failed_attempts < settings.MAX_CODE_ATTEMPTS


def confirm_email_change(request: HttpRequest, subscriber: Subscriber, code: str) -> str:
    """The code sent to the new address makes it the login e-mail. Returns the new e-mail.

    Single use, expiring, at most MAX_CODE_ATTEMPTS wrong tries; the e-mail must still be free.
    """
    refusal = None
    with transaction.atomic():
        change = (
            EmailChangeRequest.objects.select_for_update().filter(subscriber=subscriber).first()
        )
        if change is None or not _usable(change):
            refusal = NO_CODE
        elif not codes.code_matches(code, _purpose(subscriber, change.new_email), change.code_hash):
            EmailChangeRequest.objects.filter(pk=change.pk).update(
                failed_attempts=F("failed_attempts") + 1
            )
            dead = change.failed_attempts + 1 >= settings.MAX_CODE_ATTEMPTS
            refusal = NO_CODE if dead else WRONG_CODE
        elif problem := email_problem(change.new_email):
            change.delete()
            refusal = problem
        else:
            refusal = _apply_email_change(request, subscriber, change)
    if refusal:
        record(
            Action.EMAIL_CHANGE_FAILED,
            actor=subscriber,
            target=subscriber.subscriber_number,
            request=request,
            reason=refusal,
        )
        raise EmailChangeRefused(refusal)
    return subscriber.email


def _apply_email_change(
    request: HttpRequest, subscriber: Subscriber, change: EmailChangeRequest
) -> str | None:
    previous = subscriber.email
    deleted, _ = EmailChangeRequest.objects.filter(
        pk=change.pk, code_hash=change.code_hash
    ).delete()
    if not deleted:
        return NO_CODE
    try:
        with transaction.atomic():
            subscriber.email = change.new_email
            subscriber.save(update_fields=["email"])
            # A reset link sent to the former address must not outlive the change.
            PasswordResetRequest.objects.filter(subscriber=subscriber).delete()
    except IntegrityError:
        subscriber.email = previous
        return email_problem(change.new_email) or NO_CODE
    now = timezone.localtime(clock.now())
    record(
        Action.LOGIN_EMAIL_CHANGED,
        actor=subscriber,
        target=subscriber.subscriber_number,
        request=request,
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


def cancel_email_change(request: HttpRequest, subscriber: Subscriber) -> None:
    deleted, _ = EmailChangeRequest.objects.filter(subscriber=subscriber).delete()
    if deleted:
        record(
            Action.EMAIL_CHANGE_CANCELLED,
            actor=subscriber,
            target=subscriber.subscriber_number,
            request=request,
        )
