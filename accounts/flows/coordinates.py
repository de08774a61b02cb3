"""*Gérer vos coordonnées* (docs/accounts.md §6, §11, docs/security.md §2): the registration form's
information, and the trust question, which only the current password lets change."""

from django.db import transaction
from django.utils import timezone

from accounts.models import Subscriber
from accounts.names import clean_names
from accounts.trust import hash_answer
from audit.models import Action
from audit.trail import record
from core import clock
from correspondence.mail import send_email

# What *Gérer vos coordonnées* may change: not the login e-mail (*Modifiez vos identifiants*),
# not the trust question (its own page, behind the current password).
PROFILE_FIELDS = [
    "civility",
    "last_name",
    "first_name",
    "foreign_company",
    "company_identifier",
    "company_name",
    "phone",
    "street_number",
    "street_type",
    "street_name",
    "address_complement",
    "postal_code",
    "city",
    "country",
]


def update_profile(subscriber: Subscriber, values: dict) -> list[str]:
    """Save the personal information; returns the names of the fields that changed. Names are
    normalised, and refused (`Refusal`) when they break the rule (docs/accounts.md §14)."""
    values = clean_names(values)
    changed = [f for f in PROFILE_FIELDS if f in values and getattr(subscriber, f) != values[f]]
    if not changed:
        return []
    with transaction.atomic():
        for field in changed:
            setattr(subscriber, field, values[field])
        subscriber.save(update_fields=changed)
        record(
            Action.PROFILE_CHANGED,
            actor=subscriber,
            target=subscriber.subscriber_number,
            fields=changed,
        )
    return changed


def change_trust_question(subscriber: Subscriber, question: str, answer: str) -> None:
    """A new trust question and answer (the answer hashed); the holder is told by e-mail.

    The caller has re-authenticated the person with the current password (docs/security.md §9).
    """
    with transaction.atomic():
        subscriber.trust_question = question
        subscriber.trust_answer_hash = hash_answer(answer)
        subscriber.save(update_fields=["trust_question", "trust_answer_hash"])
        record(
            Action.TRUST_QUESTION_CHANGED,
            actor=subscriber,
            target=subscriber.subscriber_number,
        )
        send_email(
            "trust_question_changed",
            subscriber.email,
            {"changed_at": timezone.localtime(clock.now())},
        )
