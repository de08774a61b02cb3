"""Login protection (docs/security.md §6), counted in the table of limits (`core.limits`).

Three counters, each a failure count in a window, kept whether the e-mail has a space or not:
- **the pair** (e-mail, address): a progressive slowdown after `LOGIN_SLOWDOWN_AFTER`
  failures, then a temporary lock of that e-mail *from that address only*;
- **the account** (e-mail, every address): past its limit, a login of that e-mail needs a
  CAPTCHA — never a lock, so an attacker cannot keep a victim out;
- **the address** (every e-mail): past its limit, that address waits.

An attempt is counted *before* the password is checked (`attempt`), atomically, so a burst
of simultaneous requests gets no more checks than the limit; a success gives the count back
(`succeeded`). The address is the real client's (`core.context.client_ip`, through
`core.context`).
"""

import math
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches

from audit.models import Action
from audit.trail import record
from core import clock, context, limits
from core.refusals import Refusal
from core.text import normalize_email

PAIR, ACCOUNT, ADDRESS = "login.pair", "login.account", "login.address"


@dataclass(frozen=True)
class Gate:
    """What stands between this attempt and the password check."""

    locked_minutes: int = 0  # the pair or the address is locked: answer 429
    wait: int = 0  # seconds to wait before trying again (the slowdown)
    captcha: bool = False  # the account asks for a CAPTCHA

    @property
    def open(self) -> bool:
        return not (self.locked_minutes or self.wait or self.captcha)


def _unlocks_key(email: str) -> str:
    return f"unlocked|{email}"


def _keys(email: str) -> tuple[str, str, str]:
    email = normalize_email(email)
    address = context.current().ip_address or "-"
    pair = f"{email}|{address}"
    # An agent's unlock (`unlock`) starts the pairs of this e-mail afresh from every address:
    # the count of unlocks in the pair's window is part of the pair's key.
    if unlocks := limits.peek(PAIR, _unlocks_key(email)).count:
        pair = f"{pair}|{unlocks}"
    return pair, email, address


def _last_failure_key(pair: str) -> str:
    return limits._digest("login.last", pair, 0)


def _store():
    """Where the time of a pair's last failure is kept (only for the slowdown's wait)."""
    return caches[settings.RATE_LIMIT_CACHE or "default"]


def _slowdown(pair: str, failures: int) -> int:
    if failures < settings.LOGIN_SLOWDOWN_AFTER:
        return 0
    last = _store().get(_last_failure_key(pair))
    if last is None:
        return 0
    delay = 2 ** (failures - settings.LOGIN_SLOWDOWN_AFTER + 1)
    return max(0, math.ceil(delay - (clock.now().timestamp() - last)))


def needs_captcha(email: str) -> bool:
    _, account, _ = _keys(email)
    return limits.peek(ACCOUNT, account).reached


def gate(email: str) -> Gate:
    """Where this e-mail stands from this address, before anything is counted."""
    pair, account, address = _keys(email)
    usage = None
    for name, key in ((ADDRESS, address), (PAIR, pair)):
        usage = limits.peek(name, key)
        if usage.reached:
            return Gate(locked_minutes=usage.retry_minutes)
    wait = _slowdown(pair, usage.count)  # the pair's, read just above
    return Gate(wait=wait, captcha=limits.peek(ACCOUNT, account).reached)


def attempt(email: str, *, captcha_solved: bool = False) -> Gate:
    """Count one attempt (before checking the password) and say whether it may go ahead.

    A refused attempt is given back, so that waiting, or answering the CAPTCHA, costs nothing.
    """
    pair, account, address = _keys(email)
    first = gate(email)
    if first.locked_minutes:
        record(Action.LOGIN_LOCKED, target=normalize_email(email)[:200])
    if first.locked_minutes or first.wait:
        return first
    if first.captcha and not captcha_solved:
        return first
    return Gate(locked_minutes=_count(email, pair, account, address))


def _count(email: str, pair: str, account: str, address: str) -> int:
    """Count one try on the three counters at once; past the address's or the pair's limit the
    try is given back and refused: the minutes of the lock (0: it may go ahead)."""
    counted = []
    for name, key in ((ADDRESS, address), (PAIR, pair), (ACCOUNT, account)):
        usage = limits.hit(name, key)
        counted.append((name, key))
        if name != ACCOUNT and usage.exceeded:
            for undo_name, undo_key in counted:
                limits.hit(undo_name, undo_key, -1)
            record(Action.LOGIN_LOCKED, target=normalize_email(email)[:200], limit=name)
            return usage.retry_minutes
    return 0


def address_attempt() -> int:
    """A login that names no e-mail before it is checked (a passkey, docs/security.md §14.6):
    one try counted on the address alone, before anything is checked; past its limit the try
    is given back and refused: the minutes of the lock (0: it may go ahead). Once the e-mail is
    known, `succeeded` or `address_given_back` + `count_failure` settle it."""
    address = context.current().ip_address or "-"
    usage = limits.hit(ADDRESS, address)
    if usage.exceeded:
        limits.hit(ADDRESS, address, -1)
        record(Action.LOGIN_LOCKED, target="-", limit=ADDRESS)
        return usage.retry_minutes
    return 0


def address_given_back() -> None:
    limits.hit(ADDRESS, context.current().ip_address or "-", -1)


def attempt_reauthentication(email: str) -> None:
    """Count one try of the current password in a session (docs/security.md §9) *before* it is
    checked, as `attempt` does for a login, so that simultaneous guesses get no more checks than
    the limit; past it, refuse (`login.locked`). No slowdown nor CAPTCHA: the lock is enough,
    and it ends the session."""
    ensure_not_locked(email)
    if minutes := _count(email, *_keys(email)):
        raise Refusal("login.locked", minutes=minutes)


def reauthentication_succeeded(email: str) -> None:
    """The password was right: the try counted by `attempt_reauthentication` is given back (the
    failures before it stay counted)."""
    pair, account, address = _keys(email)
    for name, key in ((ADDRESS, address), (PAIR, pair), (ACCOUNT, account)):
        limits.hit(name, key, -1)


def failed(email: str) -> None:
    """The attempt counted by `attempt` failed: it stays counted; the slowdown starts from now."""
    pair, _, _ = _keys(email)
    _store().set(
        _last_failure_key(pair),
        clock.now().timestamp(),
        timeout=limits.rate(PAIR).seconds,
    )


def succeeded(email: str) -> None:
    """The password was right: the pair and the account start afresh; the address's count
    gets this attempt back (many people may log in from one office)."""
    pair, account, address = _keys(email)
    limits.clear(PAIR, pair)
    limits.clear(ACCOUNT, account)
    limits.hit(ADDRESS, address, -1)
    _store().delete(_last_failure_key(pair))


def count_failure(email: str) -> None:
    """A failure of another way of proving who one is (trust answer, old password, simplified
    activation's password): counted like a failed login, without the slowdown; the callers
    refuse with `ensure_not_locked` once the limit is reached. (Re-authentication in a session
    counts before checking: `attempt_reauthentication`.)"""
    pair, account, address = _keys(email)
    for name, key in ((ADDRESS, address), (PAIR, pair), (ACCOUNT, account)):
        limits.hit(name, key)
    failed(email)


def locked_minutes(email: str) -> int:
    """How long this e-mail stays locked from this address (0: it is not); a refusal for the
    lock is audited."""
    minutes = gate(email).locked_minutes
    if minutes:
        record(Action.LOGIN_LOCKED, target=normalize_email(email)[:200])
    return minutes


def is_locked(email: str) -> bool:
    return bool(locked_minutes(email))


def ensure_not_locked(email: str) -> None:
    """Refuse (`login.locked`, which the pages answer with the lock page, 429) while this
    e-mail is locked from this address."""
    if minutes := locked_minutes(email):
        raise Refusal("login.locked", minutes=minutes)


def clear(email: str) -> None:
    """Lift the pair's and the account's counts everywhere this address can: the holder has
    just proved to own the e-mail (a reset link)."""
    pair, account, _ = _keys(email)
    limits.clear(PAIR, pair)
    limits.clear(ACCOUNT, account)


def unlock(email: str) -> None:
    """An agent lifts the lock of this e-mail (docs/backoffice.md §4): its pairs start afresh
    from every address (the addresses are not known, only their digests are kept) and its
    CAPTCHA is no longer asked. A lock of a client address (every e-mail from it) stays: it
    protects others. The caller records the event."""
    email = normalize_email(email)
    limits.hit(PAIR, _unlocks_key(email))
    limits.clear(ACCOUNT, email)


def lock_state(email: str) -> dict:
    """What the back office shows of an e-mail's login protection, from every address: whether
    its account counter asks for a CAPTCHA, and its failures in the current window."""
    email = normalize_email(email)
    usage = limits.peek(ACCOUNT, email)
    return {"failures": usage.count, "captcha": usage.reached, "limit": usage.limit}
