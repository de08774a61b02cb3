"""The kinds of second factor (docs/security.md §14.1). Each kind declares itself here once:
its name, its label, whether it is *strong* (an authenticator app, a passkey: what a company
may require, `Subscriber.strong_factor`), whether a person holds it, and how a typed code is
checked. Passkeys (a ceremony, not a typed code: accounts.factors.passkeys) declare
`verify=None` and have their own pages."""

from collections.abc import Callable
from dataclasses import dataclass

from accounts.models import Subscriber


@dataclass(frozen=True)
class FactorKind:
    name: str
    label: str
    strong: bool
    held: Callable[[Subscriber], bool]
    # Check a typed code (True when right, its single use spent); None for a kind that proves
    # itself otherwise (a passkey's WebAuthn ceremony).
    verify: Callable[[Subscriber, str], bool] | None = None
    # Whether the person may choose it as the login's factor.
    login_choice: bool = True


KINDS: dict[str, FactorKind] = {}


def register(kind: FactorKind) -> FactorKind:
    if kind.name in KINDS:
        raise ValueError(f"factor kind {kind.name!r} registered twice")
    KINDS[kind.name] = kind
    return kind


def kind(name: str) -> FactorKind:
    return KINDS[name]


def held_kinds(subscriber: Subscriber) -> list[FactorKind]:
    return [k for k in KINDS.values() if k.held(subscriber)]


def holds_strong(subscriber: Subscriber) -> bool:
    return any(k.strong and k.held(subscriber) for k in KINDS.values())


def refresh_strong_factor(subscriber: Subscriber) -> None:
    """Keep `Subscriber.strong_factor` true exactly when the person holds a strong factor;
    call in the transaction that enrolled or removed one."""
    strong = holds_strong(subscriber)
    subscriber.strong_factor = strong
    # Compared in the database, not with this instance, which may be older than the row.
    Subscriber.objects.filter(pk=subscriber.pk).exclude(strong_factor=strong).update(
        strong_factor=strong
    )
