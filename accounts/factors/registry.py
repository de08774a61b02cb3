"""The kinds of second factor (docs/security.md §14.1). Each kind declares itself here once:
its name, its label, whether it is *strong* (an authenticator app, a passkey: what a company
may require, `Subscriber.strong_factor`), whether a person holds it, and how a typed code is
checked. Passkeys (a ceremony, not a typed code) will declare `verify=None` and their own
pages; `holds_strong` and `refresh_strong_factor` need no change for them."""

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
    if subscriber.strong_factor != strong:
        subscriber.strong_factor = strong
        Subscriber.objects.filter(pk=subscriber.pk).update(strong_factor=strong)
