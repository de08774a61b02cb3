"""The authenticator app (TOTP, RFC 6238) of a person: enrolled by QR code (or the key typed),
confirmed by a first code, one step of drift either side, a code never accepted twice."""

from django.db import transaction

from accounts.factors.models import LoginFactor, TotpDevice
from accounts.factors.registry import refresh_strong_factor
from accounts.models import Subscriber
from audit.models import Action
from audit.trail import record
from core.refusals import Refusal


def device(subscriber: Subscriber) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=subscriber, confirmed=True).first()


def has_app(subscriber: Subscriber) -> bool:
    return TotpDevice.objects.filter(user=subscriber, confirmed=True).exists()


def start_enrolment(subscriber: Subscriber, hex_key: str | None = None) -> TotpDevice:
    """A new secret waiting for its first code (any former unconfirmed one replaced); the
    confirmed app, if any, still serves until the new one is confirmed."""
    with transaction.atomic():
        TotpDevice.objects.filter(user=subscriber, confirmed=False).delete()
        return TotpDevice.new(subscriber, hex_key)


def pending_enrolment(subscriber: Subscriber) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=subscriber, confirmed=False).first()


def confirm_enrolment(subscriber: Subscriber, code: str) -> TotpDevice:
    """The first code proves the app holds the secret: it becomes the person's app (replacing
    a former one) and the login's factor."""
    with transaction.atomic():
        pending = TotpDevice.objects.select_for_update().filter(user=subscriber, confirmed=False)
        new = pending.first()
        if new is None or not new.verify_token(code):
            ok = False
        else:
            ok = True
            TotpDevice.objects.filter(user=subscriber, confirmed=True).delete()
            new.confirmed = True
            new.save(update_fields=["confirmed"])
            subscriber.login_factor = LoginFactor.TOTP
            subscriber.save(update_fields=["login_factor"])
            refresh_strong_factor(subscriber)
            record(
                Action.FACTOR_ENROLLED,
                actor=subscriber,
                target=subscriber.subscriber_number,
                kind="totp",
            )
    if not ok:
        record(
            Action.FACTOR_CODE_FAILED,
            actor=subscriber,
            target=subscriber.subscriber_number,
            kind="totp",
            step="enrolment",
        )
        raise Refusal("factor.wrong_code", field="code")
    return new


def check_code(subscriber: Subscriber, code: str) -> bool:
    with transaction.atomic():
        found = TotpDevice.objects.select_for_update().filter(user=subscriber, confirmed=True)
        app = found.first()
        return app is not None and app.verify_token(code)


def remove(subscriber: Subscriber) -> bool:
    """Remove the app; the login goes back to the e-mailed code."""
    with transaction.atomic():
        deleted, _ = TotpDevice.objects.filter(user=subscriber).delete()
        if subscriber.login_factor == LoginFactor.TOTP:
            subscriber.login_factor = LoginFactor.EMAIL
            subscriber.save(update_fields=["login_factor"])
        refresh_strong_factor(subscriber)
        if deleted:
            record(
                Action.FACTOR_REMOVED,
                actor=subscriber,
                target=subscriber.subscriber_number,
                kind="totp",
            )
    return bool(deleted)


def current_code(app: TotpDevice) -> str:
    """The code the app shows now (`manage.py subscriber_totp`, the demo, tests)."""
    return f"{app.totp().token():06d}"
