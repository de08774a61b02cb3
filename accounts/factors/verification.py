"""Checking a second factor (docs/security.md §14): the kinds a typed code may be, the one
counter of wrong codes per person, and the reset of every factor by an agent.

`verify` counts each try *before* it is checked, in `factor.code` (one atomic increment in the
shared limit store: every process sees it), and gives it back when right; past the limit no
code is looked at. A wrong code is audited (`factor.code_failed`) and committed before the
refusal."""

from django.db import transaction

from accounts import sessions
from accounts.factors import app, browsers, email_code, passkeys, recovery
from accounts.factors.models import EmailCode, LoginFactor, SecondEmail
from accounts.factors.registry import FactorKind, kind, refresh_strong_factor, register
from accounts.models import Subscriber
from audit.models import Action
from audit.trail import record
from core import limits
from core.refusals import Refusal
from correspondence.mail import send_email

EMAIL = register(
    FactorKind(
        "email",
        LoginFactor.EMAIL.label,
        strong=False,
        held=lambda subscriber: True,  # everyone: the login e-mail is confirmed
        verify=email_code.check_code,
    )
)
TOTP = register(
    FactorKind("totp", LoginFactor.TOTP.label, strong=True, held=app.has_app, verify=app.check_code)
)
RECOVERY = register(
    FactorKind(
        "recovery",
        "Code de secours",
        strong=False,
        held=lambda subscriber: recovery.count(subscriber) > 0,
        verify=recovery.check_code,
        login_choice=False,
    )
)
# A passkey proves itself by its WebAuthn ceremony (accounts.factors.passkeys), not a typed
# code; it is offered beside the chosen factor whenever held, never chosen instead of it.
PASSKEY = register(
    FactorKind(
        "passkey",
        "Clé d'accès (passkey)",
        strong=True,
        held=passkeys.has_passkey,
        login_choice=False,
    )
)


def login_kind(subscriber: Subscriber) -> str:
    """The factor a login asks: the person's choice if still held, else the e-mailed code."""
    chosen = subscriber.login_factor
    if chosen in (EMAIL.name, TOTP.name) and kind(chosen).held(subscriber):
        return chosen
    return EMAIL.name


def verify(subscriber: Subscriber, kind_name: str, code: str, *, purpose: str) -> None:
    """Check a typed code of this kind; raises `Refusal` (on field `code`) when refused.
    `purpose` ("login", "step_up") goes to the audit trail."""
    key = str(subscriber.pk)
    usage = limits.hit("factor.code", key)
    if usage.exceeded:
        limits.hit("factor.code", key, -1)
        record(
            Action.FACTOR_CODE_FAILED,
            actor=subscriber,
            target=subscriber.subscriber_number,
            kind=kind_name,
            purpose=purpose,
            reason="limit",
        )
        raise Refusal("factor.too_many_tries", field="code", minutes=usage.retry_minutes)
    factor = kind(kind_name)
    if factor.verify is not None and factor.held(subscriber) and factor.verify(subscriber, code):
        limits.hit("factor.code", key, -1)
        record(
            Action.FACTOR_VERIFIED,
            actor=subscriber,
            target=subscriber.subscriber_number,
            kind=kind_name,
            purpose=purpose,
        )
        return
    record(
        Action.FACTOR_CODE_FAILED,
        actor=subscriber,
        target=subscriber.subscriber_number,
        kind=kind_name,
        purpose=purpose,
    )
    if kind_name == EMAIL.name and email_code.live_code(subscriber) is None:
        raise Refusal("factor.no_code", field="code")
    raise Refusal("factor.wrong_code", field="code")


def choose(subscriber: Subscriber, kind_name: str) -> None:
    factor = kind(kind_name)
    if not factor.login_choice or not factor.held(subscriber):
        raise Refusal("factor.no_app")
    with transaction.atomic():
        subscriber.login_factor = kind_name
        subscriber.save(update_fields=["login_factor"])
        record(
            Action.FACTOR_CHOSEN,
            actor=subscriber,
            target=subscriber.subscriber_number,
            kind=kind_name,
        )


def reset_factors(subscriber: Subscriber, *, by_agent, reason: str) -> None:
    """A person who lost their factors (docs/security.md §14.5): every factor but the e-mailed
    code is removed (app, passkeys, recovery codes, second address, pending code), the remembered
    browsers are revoked and the sessions ended, the event is audited with the agent and the
    reason, and the person is told by e-mail. The next login asks the e-mailed code."""
    with transaction.atomic():
        app_removed = app.TotpDevice.objects.filter(user=subscriber).delete()[0]
        codes_removed = recovery.remove_all(subscriber)
        passkeys_removed = passkeys.remove_all(subscriber)
        SecondEmail.objects.filter(subscriber=subscriber).delete()
        EmailCode.objects.filter(subscriber=subscriber).delete()
        subscriber.login_factor = LoginFactor.EMAIL
        subscriber.save(update_fields=["login_factor"])
        refresh_strong_factor(subscriber)
        browsers.revoke_all(subscriber, reason="factors_reset")
        ended = sessions.end_sessions(subscriber)
        record(
            Action.FACTORS_RESET,
            target=subscriber.subscriber_number,
            agent=getattr(by_agent, "identity", lambda: {"id": str(by_agent)})(),
            reason=reason,
            app_removed=bool(app_removed),
            recovery_codes_removed=codes_removed,
            passkeys_removed=passkeys_removed,
            sessions_ended=ended,
        )
        send_email("factors_reset", subscriber.email, {"subscriber": subscriber})
