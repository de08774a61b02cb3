"""One-time secrets (docs/security.md §5): the codes a person types and the links they follow.

Every flow that sends a secret (activation code, login e-mail code, reset link, company
e-mail link, postal request link and letter code) describes it once with `OneTimeSecret`
and lets it do the same things the same way:

- **hash at rest**: only a keyed HMAC bound to a purpose (and, where the row exists before
  the secret is issued, to that row) is stored (`core.codes.hash_code`), so a hash copied to
  another purpose (or row) is worthless;
- **constant-time comparison** (`core.codes.code_matches`);
- **expiry**: `check` says EXPIRED once `expires_at` has passed; the flow decides what an
  expired row becomes (deleted, or a request marked expired);
- **attempt cap**: for codes a person types (`attempts_field` set), a wrong code is counted
  atomically in the database and the code is DEAD after settings.MAX_CODE_ATTEMPTS; wrong
  *link* tokens are not counted (nobody can kill another's link, docs/security.md §5.3);
- **single use**: `consume` deletes the row on the condition that its hash is still the one
  checked, so of two requests racing only one succeeds; call it in the
  transaction that does what the secret allows, on a row locked with `select_for_update`;
- **random public ids** in link URLs (`new_public_id`), never the row's sequential key.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.conf import settings
from django.db import models
from django.db.models import F

from core import clock, codes

PUBLIC_ID_LENGTH = 22  # 16 random bytes, URL-safe base64


def new_public_id() -> str:
    """A random id for a link's URL (128 bits): unlike a row's key, it says nothing and
    cannot be enumerated."""
    return secrets.token_urlsafe(16)


class Outcome(StrEnum):
    OK = "ok"
    UNKNOWN = "unknown"  # no such row, or no secret issued for it
    EXPIRED = "expired"
    DEAD = "dead"  # too many wrong codes
    # A wrong code or token (counted when the secret counts attempts); the value is the
    # audit trail's reason for links.
    WRONG = "wrong_token"


@dataclass(frozen=True)
class Check:
    outcome: Outcome
    # Wrong tries left before the code is dead (None when attempts are not counted).
    left: int | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.OK


@dataclass(frozen=True)
class OneTimeSecret:
    """One kind of secret and where a row keeps it."""

    purpose: str
    hash_field: str = "code_hash"
    expires_field: str = "expires_at"
    # Set for codes a person types: wrong tries are counted there and capped.
    attempts_field: str | None = None
    # Codes typed from paper use a reader-friendly alphabet; some links carry longer tokens.
    alphabet: str = codes.CODE_ALPHABET
    length: int = codes.CODE_LENGTH

    def new(self) -> str:
        """A fresh secret from `secrets`, shown once (sent), never stored."""
        return codes.new_code(self.alphabet, self.length)

    def _purpose(self, binding) -> str:
        return ":".join([self.purpose, *(str(b) for b in binding)])

    def hash(self, secret: str, *binding) -> str:
        """The keyed hash to store, bound to this purpose and to `binding` (the row's
        identity: a subscriber, a public id, a request)."""
        return codes.hash_code(secret, self._purpose(binding))

    def matches(self, secret: str, stored_hash: str, *binding) -> bool:
        """Constant-time comparison of a given secret with a stored hash (an empty hash, no
        secret issued, never matches)."""
        if not stored_hash:
            return False
        return codes.code_matches(secret, self._purpose(binding), stored_hash)

    def issue(self, *binding) -> tuple[str, dict]:
        """A new secret and the fields to store for it (hash, expiry left to the caller, tries
        reset): `secret, values = KIND.issue(...)`."""
        secret = self.new()
        values = {self.hash_field: self.hash(secret, *binding)}
        if self.attempts_field:
            values[self.attempts_field] = 0
        return secret, values

    def expired(self, row: models.Model, now: datetime | None = None) -> bool:
        expires_at = getattr(row, self.expires_field)
        return expires_at is None or expires_at <= (now or clock.now())

    def tries(self, row: models.Model) -> int:
        return getattr(row, self.attempts_field) if self.attempts_field else 0

    def dead(self, row: models.Model) -> bool:
        return bool(self.attempts_field) and self.tries(row) >= settings.MAX_CODE_ATTEMPTS

    def check(
        self,
        row: models.Model | None,
        secret: str,
        *binding,
        now: datetime | None = None,
        check_expiry: bool = True,
        count: bool = True,
    ) -> Check:
        """Whether `secret` is the row's, still valid: UNKNOWN, EXPIRED, DEAD, WRONG or OK, in
        that order. Call with the row locked (`select_for_update`) inside a transaction that
        commits even when it refuses: a wrong code is counted there (codes only, unless `count`
        is False: the caller counts it elsewhere)."""
        if row is None or not getattr(row, self.hash_field):
            return Check(Outcome.UNKNOWN)
        if check_expiry and self.expired(row, now):
            return Check(Outcome.EXPIRED)
        if self.dead(row):
            return Check(Outcome.DEAD, left=0)
        if self.matches(secret, getattr(row, self.hash_field), *binding):
            return Check(Outcome.OK, left=self._left(row))
        if not self.attempts_field or not count:
            return Check(Outcome.WRONG, left=self._left(row))
        type(row)._default_manager.filter(pk=row.pk).update(
            **{self.attempts_field: F(self.attempts_field) + 1}
        )
        row.refresh_from_db(fields=[self.attempts_field])
        if self.dead(row):
            return Check(Outcome.DEAD, left=0)
        return Check(Outcome.WRONG, left=self._left(row))

    def _left(self, row: models.Model) -> int | None:
        if not self.attempts_field:
            return None
        return max(settings.MAX_CODE_ATTEMPTS - self.tries(row), 0)

    def consume(self, row: models.Model) -> bool:
        """Use the secret once: delete its row on the condition that the hash is still the one
        checked. False if another request used or replaced it first. Call in the transaction
        that does what the secret allows ("delete first")."""
        deleted, _ = (
            type(row)
            ._default_manager.filter(pk=row.pk, **{self.hash_field: getattr(row, self.hash_field)})
            .delete()
        )
        return bool(deleted)
