"""What gives a program lasting access to a space — its live personal access tokens and
webhooks — seen together, and ended together by its owner (docs/api.md §3, docs/security.md
§8.5): after a routine password change, the page lists them and offers to revoke them."""

from dataclasses import dataclass

from django.db import transaction

from api import tokens, webhooks
from api.models import AccessToken, Webhook
from core import clock


@dataclass(frozen=True)
class SoftwareAccess:
    tokens: list[AccessToken]
    webhooks: list[Webhook]

    def __bool__(self) -> bool:
        return bool(self.tokens or self.webhooks)


def live_access(subscriber) -> SoftwareAccess:
    """The space's live tokens and webhooks, newest first (two queries)."""
    return SoftwareAccess(
        tokens=list(tokens.live_tokens(subscriber, clock.now())),
        webhooks=list(webhooks.webhooks_of(subscriber)),
    )


def revoke_all_access(subscriber) -> SoftwareAccess:
    """The owner ends every live token and webhook of their space at once, each revocation
    audited as theirs; returns what was live. One transaction: all or nothing."""
    with transaction.atomic():
        access = live_access(subscriber)
        tokens.revoke_all(subscriber, "owner", actor=subscriber)
        for webhook in access.webhooks:
            webhooks.revoke(subscriber, webhook.pk)
    return access
