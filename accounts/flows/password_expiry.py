"""Password expiry (docs/accounts.md §8, §9, docs/durations.md §1): the warnings before, the
*Mot de passe expiré* flow after, and the reminder e-mails."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import ngettext

from accounts import throttle
from accounts.flows.password_change import change_password, new_password_errors
from accounts.models import PasswordExpiryReminder, Subscriber
from audit.models import Action
from audit.trail import record
from core import clock
from core.refusals import Refusal
from core.text import normalize_email
from correspondence.mail import send_email


@dataclass(frozen=True)
class ExpiryStatus:
    """Where a password stands, as the space shows it (dates in Paris)."""

    expires_at: datetime
    days_left: int
    expired: bool
    warn: bool

    @property
    def expiry_date(self) -> date:
        return timezone.localtime(self.expires_at).date()

    @property
    def blocked_in(self) -> str:
        """'dans 15 jours', 'dans 1 jour', or 'aujourd'hui' on the day itself."""
        if self.days_left <= 0:
            return "aujourd'hui"
        return ngettext("dans {days} jour", "dans {days} jours", self.days_left).format(
            days=self.days_left
        )


def days_until(moment: datetime) -> int:
    """Days from today to the day of `moment`, in Paris, as a person counts: tomorrow is 1."""
    return (timezone.localdate(moment) - clock.today()).days


def expiry_status(subscriber: Subscriber) -> ExpiryStatus:
    """Expired from the instant of expiry; warned from PASSWORD_EXPIRY_WARNING (60) days before."""
    expires_at = subscriber.password_expires_at
    expired = clock.now() >= expires_at
    days_left = days_until(expires_at)
    warn = not expired and days_left <= settings.PASSWORD_EXPIRY_WARNING.days
    return ExpiryStatus(expires_at=expires_at, days_left=days_left, expired=expired, warn=warn)


def is_expired(subscriber: Subscriber) -> bool:
    return clock.now() >= subscriber.password_expires_at


def renew_password(email: str, old_password: str, new_password: str) -> datetime:
    """*Mot de passe expiré*, step 2: the old password proves the person, the new one replaces it.

    Wrong old passwords count like failed logins (`accounts.throttle`);
    the same message whether the e-mail has a space or not (docs/security.md §7).
    """
    email = normalize_email(email)
    throttle.ensure_not_locked(email)
    subscriber = authenticate(username=email, password=old_password)
    if subscriber is None:
        throttle.count_failure(email)
        record(
            Action.PASSWORD_CHANGE_FAILED,
            target=email,
            via="expired",
            reason="wrong_credentials",
        )
        raise Refusal("password_renewal.wrong_credentials", field="old_password")
    errors = new_password_errors(subscriber, new_password)
    if errors:
        record(
            Action.PASSWORD_CHANGE_FAILED,
            actor=subscriber,
            target=subscriber.subscriber_number,
            via="expired",
            reason="rules",
        )
        raise Refusal("password_renewal.weak_password", field="new_password1", messages=errors)
    return change_password(subscriber, new_password, via="expired")


def due_reminder(days_left: int) -> int | None:
    """Which reminder (60, 15 or 1 days) is due this many days before expiry, if any.

    A day missed by the daily job is caught up by the next run, with the nearest reminder.
    """
    due = [days for days in settings.PASSWORD_EXPIRY_REMINDER_DAYS if 0 <= days_left <= days]
    return min(due) if due else None


def send_expiry_reminders() -> int:
    """E-mail every holder whose password expires in 60, 15 or 1 days; each reminder once.

    Idempotent: a reminder is recorded with the password it is about (`password_changed_at`),
    under a unique constraint, in the transaction that sends it. Returns how many were sent.
    """
    now = clock.now()
    validity = settings.PASSWORD_VALIDITY
    farthest = max(settings.PASSWORD_EXPIRY_REMINDER_DAYS, default=0)
    candidates = Subscriber.objects.filter(
        is_active=True,
        password_changed_at__gt=now - validity,
        password_changed_at__lte=now - validity + timedelta(days=farthest + 1),
    ).order_by("pk")
    sent = 0
    for subscriber in candidates.iterator():
        status = expiry_status(subscriber)
        days = due_reminder(status.days_left)
        if days is not None and not status.expired:
            sent += _send_reminder(subscriber, status, days)
    return sent


def _send_reminder(subscriber: Subscriber, status: ExpiryStatus, days: int) -> bool:
    reminders = PasswordExpiryReminder.objects.filter(
        subscriber=subscriber, password_changed_at=subscriber.password_changed_at
    )
    if reminders.filter(days_before=days).exists():
        return False
    try:
        with transaction.atomic():
            PasswordExpiryReminder.objects.create(
                subscriber=subscriber,
                password_changed_at=subscriber.password_changed_at,
                days_before=days,
                sent_at=clock.now(),
            )
            send_email(
                "password_expiry_reminder",
                subscriber.email,
                {"expires_at": timezone.localtime(status.expires_at), "status": status},
            )
            record(
                Action.PASSWORD_EXPIRY_REMINDER_SENT,
                target=subscriber.subscriber_number,
                days_before=days,
            )
    except IntegrityError:
        return False  # another run sent it at the same moment
    return True
