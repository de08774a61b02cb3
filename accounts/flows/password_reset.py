"""*Mot de passe oublié* (docs/accounts.md §10, docs/security.md §2, §5): the trust answer **and**
a link sent to the login e-mail; nothing tells whether an e-mail has a space."""

from collections.abc import Callable
from datetime import datetime
from functools import cache

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts import throttle
from accounts.flows.password_change import change_password, new_password_errors
from accounts.models import PasswordResetRequest, Subscriber
from accounts.trust import answer_matches, hash_answer
from audit.models import Action
from audit.trail import record
from core import clock, codes
from core.one_time import OneTimeSecret, Outcome, new_public_id
from core.refusals import CATALOGUE, Refusal
from core.text import normalize_email
from correspondence.mail import send_email

# The link of *Mot de passe oublié*, bound to the space; its URL carries the row's public id.
RESET_LINK = OneTimeSecret("password-reset", hash_field="token_hash", length=codes.TOKEN_LENGTH)
NO_MATCH = (
    "L'adresse électronique, la question de confiance ou la réponse ne correspond pas à nos "
    "informations."
)
LINK_INVALID = CATALOGUE["password_reset.link_invalid"]


@cache
def _decoy_hash() -> str:
    return hash_answer("une réponse qui ne sert qu'à prendre le même temps")


def link_minutes() -> int:
    return int(settings.PASSWORD_RESET_LINK_VALIDITY.total_seconds() // 60)


def request_reset(
    email: str,
    question: str,
    answer: str,
    link_for: Callable[[str, str], str],
) -> bool:
    """If the e-mail has a space whose trust question and answer these are, e-mail it a link.

    An unknown e-mail costs the same hash and counts towards the same lock as a wrong answer,
    so that neither the answer nor the time tells whether the e-mail has a space.
    """
    email = normalize_email(email)
    throttle.ensure_not_locked(email)
    subscriber = Subscriber.objects.filter(email=email, is_active=True).first()
    answer_hash = subscriber.trust_answer_hash if subscriber else _decoy_hash()
    answer_right = answer_matches(answer, answer_hash)
    if subscriber is None or not answer_right or subscriber.trust_question != question:
        throttle.count_failure(email)
        record(Action.PASSWORD_RESET_REFUSED, target=email)
        return False
    token, token_fields = RESET_LINK.issue(subscriber.pk)
    now = clock.now()
    with transaction.atomic():
        # One link per space: a new one replaces (and kills) the previous one.
        reset, _ = PasswordResetRequest.objects.update_or_create(
            subscriber=subscriber,
            defaults={
                **token_fields,
                "public_id": new_public_id(),
                "created_at": now,
                "expires_at": now + settings.PASSWORD_RESET_LINK_VALIDITY,
            },
        )
        send_email(
            "password_reset_link",
            subscriber.email,
            {
                "link": link_for(reset.public_id, token),
                "minutes": link_minutes(),
                "expires_at": timezone.localtime(reset.expires_at),
            },
        )
        record(
            Action.PASSWORD_RESET_REQUESTED,
            actor=subscriber,
            target=subscriber.subscriber_number,
        )
    return True


def valid_link(link_id: str, token: str) -> bool:
    """Whether the link works now, without using it. Wrong tokens are not counted
    (docs/security.md §5.3): nobody can kill another's link; the token's size, expiry and
    single use protect it."""
    with transaction.atomic():
        reset = PasswordResetRequest.objects.select_for_update().filter(public_id=link_id).first()
        problem = _link_problem(reset, token)
    if problem:
        _record_link_failure(link_id, problem)
    return problem is None


def _record_link_failure(link_id: str, problem: str) -> None:
    record(Action.PASSWORD_RESET_LINK_FAILED, target=link_id, reason=problem)


def _link_problem(reset: PasswordResetRequest | None, token: str) -> str | None:
    check = RESET_LINK.check(reset, token, reset.subscriber_id if reset else None)
    if check.outcome is Outcome.EXPIRED:
        reset.delete()
    return None if check.ok else check.outcome.value  # the audit trail's reason


def reset_password(link_id: str, token: str, new_password: str) -> datetime:
    """Use the link: the new password replaces the old one and the link is dead (single use)."""
    with transaction.atomic():
        reset = (
            PasswordResetRequest.objects.select_for_update()
            .select_related("subscriber")
            .filter(public_id=link_id)
            .first()
        )
        problem = _link_problem(reset, token)
        errors = [] if problem else new_password_errors(reset.subscriber, new_password)
        if not problem and not errors:
            # Deleting first makes the link single use even when two requests race.
            if RESET_LINK.consume(reset):
                # The link proves the e-mail: failed logins no longer stand in the way.
                throttle.clear(reset.subscriber.email)
                return change_password(reset.subscriber, new_password, via="reset")
            problem = "already_used"
    if problem:
        _record_link_failure(link_id, problem)
        raise Refusal("password_reset.link_invalid")
    record(
        Action.PASSWORD_CHANGE_FAILED,
        actor=reset.subscriber,
        target=reset.subscriber.subscriber_number,
        via="reset",
        reason="rules",
    )
    raise Refusal("password_reset.weak_password", field="new_password1", messages=errors)
