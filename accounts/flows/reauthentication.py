"""Proving who you are again, by the current password (docs/security.md §9).

Wrong answers count like failed logins (`accounts.throttle`, per e-mail and address), so a
stolen session or a guessed e-mail gives no more tries than the login page; once the lock is
reached, the next try is refused (`login.locked`) and the page ends the session too.

Actions that give lasting access to the space (a token for a program, a webhook) need a
*recent* proof: `reauthenticate` marks the session as proved for `REAUTHENTICATION_WINDOW`,
`recently_authenticated` says whether it still is. Logging in does not count: a session stolen
right after its login must still not be enough. A second factor verified now is the other way
to prove it (`prove_factor`); the pages ask it through `web.factors.step_up`.
"""

from accounts import throttle
from accounts.models import Subscriber
from audit.models import Action
from audit.trail import record
from core import clock
from core.refusals import Refusal
from core.step_up import PROVED_AT, recently_proved

WRONG_PASSWORD = "Votre mot de passe actuel est incorrect."


def current_password_matches(subscriber: Subscriber, password: str) -> bool:
    """Re-authentication before changing identifiers or recovery data. The try is counted
    before the password is checked (simultaneous guesses get no more checks than the limit),
    and given back when it is right."""
    throttle.attempt_reauthentication(subscriber.email)
    if subscriber.check_password(password):
        throttle.reauthentication_succeeded(subscriber.email)
        return True
    throttle.failed(subscriber.email)
    record(
        Action.REAUTHENTICATION_FAILED,
        actor=subscriber,
        target=subscriber.subscriber_number,
    )
    return False


def recently_authenticated(session) -> bool:
    """Whether this session's holder proved who they are less than `REAUTHENTICATION_WINDOW`
    ago (docs/security.md §9.1): a sensitive action then need not ask again."""
    return recently_proved(session)


def reauthenticate(subscriber: Subscriber, session, *, password: str) -> bool:
    """Prove who one is again before a sensitive action (docs/security.md §9.1): the current
    password, checked and counted as `current_password_matches` does; when right, the session
    counts as freshly authenticated for `REAUTHENTICATION_WINDOW`."""
    if not current_password_matches(subscriber, password):
        return False
    session[PROVED_AT] = clock.now().timestamp()
    return True


def prove_factor(subscriber: Subscriber, session, *, kind: str, code: str) -> None:
    """Prove who one is again by a second factor verified now (docs/security.md §14.4): the
    e-mailed code, the app's code or a recovery code, checked and counted as at login
    (`accounts.factors.verification.verify`, `factor.code`); when right, the session counts as
    freshly authenticated for `REAUTHENTICATION_WINDOW`, as after `reauthenticate`. Raises
    `Refusal` (audited `factor.step_up_refused`) when refused."""
    from accounts.factors.verification import verify

    try:
        verify(subscriber, kind, code, purpose="step_up")
    except Refusal as refusal:
        record(
            Action.FACTOR_STEP_UP_REFUSED,
            actor=subscriber,
            target=subscriber.subscriber_number,
            kind=kind,
            reason=refusal.code,
        )
        raise
    session[PROVED_AT] = clock.now().timestamp()


def prove_passkey(subscriber: Subscriber, session, data: dict) -> None:
    """Prove who one is again by a passkey verified now (docs/security.md §14.6): the answer
    to the challenge `accounts.factors.passkeys.begin_authentication` kept in this session
    (`STEP_UP`); when right, the session counts as freshly authenticated, as `prove_factor`.
    Raises `Refusal` (audited `factor.step_up_refused`) when refused."""
    from accounts.factors import passkeys

    try:
        passkeys.prove(subscriber, session, passkeys.STEP_UP, data, purpose="step_up")
    except Refusal as refusal:
        record(
            Action.FACTOR_STEP_UP_REFUSED,
            actor=subscriber,
            target=subscriber.subscriber_number,
            kind="passkey",
            reason=refusal.code,
        )
        raise
    session[PROVED_AT] = clock.now().timestamp()
