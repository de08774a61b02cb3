"""Creating a space in expert mode (docs/accounts.md §3): from the identifiers to the e-mailed
code."""

from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import datetime

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import PendingRegistration, Subscriber
from accounts.names import clean_names
from accounts.passwords import password_errors
from accounts.trust import hash_answer
from audit.models import Action
from audit.trail import record
from core import clock, context, limits
from core.dates import date_at_time
from core.one_time import OneTimeSecret
from core.refusals import CATALOGUE, Refusal
from core.text import normalize_email
from correspondence.mail import send_email

EMAIL_TAKEN = CATALOGUE["registration.email_taken"]
# The 48-hour e-mailed code of a pending registration (docs/accounts.md §3).
ACTIVATION_CODE = OneTimeSecret("space-activation", attempts_field="failed_attempts")


@dataclass
class RegistrationData:
    email: str
    password: str
    civility: str
    last_name: str
    first_name: str
    foreign_company: bool
    company_identifier: str
    company_name: str
    phone: str
    street_number: str
    street_type: str
    street_name: str
    address_complement: str
    postal_code: str
    city: str
    country: str
    trust_question: str
    trust_answer: str

    @classmethod
    def from_dict(cls, data: dict) -> "RegistrationData":
        return cls(**{f.name: data[f.name] for f in fields(cls)})

    def with_clean_names(self) -> "RegistrationData":
        """The same data, its names normalised; a `Refusal` if one breaks the rule
        (docs/accounts.md §14), whatever door the data came through."""
        return replace(
            self, **clean_names({"last_name": self.last_name, "first_name": self.first_name})
        )


def discard_expired(email: str) -> None:
    """A pending registration whose code has expired is gone (docs/accounts.md §3,
    docs/durations.md §1)."""
    expired = PendingRegistration.objects.filter(email=email, expires_at__lte=clock.now())
    for _pending in expired:
        record(Action.REGISTRATION_DISCARDED, target=email, reason="expired")
    expired.delete()


# Other ways of creating a space that hold an e-mail meanwhile (the simplified mode, in
# `habilitations`, registers itself here at start-up): `holds(email, now) -> bool`.
_EMAIL_HOLDERS: list[Callable[[str, datetime], bool]] = []


def register_email_holder(holds: Callable[[str, datetime], bool]) -> None:
    if holds not in _EMAIL_HOLDERS:
        _EMAIL_HOLDERS.append(holds)


def email_problem(email: str) -> str | None:
    """One e-mail = one space, also while a registration is pending (docs/accounts.md §2,
    docs/accounts.md §3): the refusal anyone may read (e.g. someone changing their login e-mail)."""
    return EMAIL_TAKEN if registration_email_problem(email) else None


def registration_email_problem(email: str) -> str | None:
    """`email_problem` as the sign-up says it: a pending creation is told as pending, with
    until when and what to do (the same fact as "taken", no more), for the person who started
    it."""
    email = normalize_email(email)
    if Subscriber.objects.filter(email=email).exists():
        return EMAIL_TAKEN
    pending = (
        PendingRegistration.objects.filter(email=email, expires_at__gt=clock.now())
        .values_list("expires_at", flat=True)
        .first()
    )
    if pending is not None:
        return Refusal("registration.pending", date=date_at_time(pending)).message
    if any(holds(email, clock.now()) for holds in _EMAIL_HOLDERS):
        return CATALOGUE["registration.pending_letter"]
    return None


def checked_email_problem(email: str) -> str | None:
    """`email_problem` as the sign-up's identifiers step asks it: the one place that tells
    whether an e-mail has a space (docs/security.md §7.3), so each client address may ask a
    limited number of times (`registration.address`)."""
    address = context.current().ip_address or "-"
    if limits.hit("registration.address", address).exceeded:
        record(
            Action.RATE_LIMITED, target=normalize_email(email)[:200], limit="registration.address"
        )
        return CATALOGUE["registration.too_many_checks"]
    return registration_email_problem(email)


def submit_registration(data: RegistrationData) -> PendingRegistration:
    """Record the pending registration and e-mail its activation code, in one transaction."""
    data = data.with_clean_names()
    email = normalize_email(data.email)
    errors = password_errors(data.password, email=email, names=(data.last_name, data.first_name))
    if errors:
        raise Refusal("registration.weak_password", errors[0], field="password1")
    code, code_fields = ACTIVATION_CODE.issue()
    now = clock.now()
    try:
        with transaction.atomic():
            discard_expired(email)
            if problem := registration_email_problem(email):
                raise Refusal("registration.email_taken", problem, field="email")
            values = {f.name: getattr(data, f.name) for f in fields(RegistrationData)}
            values.pop("password")
            values.pop("trust_answer")
            values["email"] = email
            pending = PendingRegistration.objects.create(
                **values,
                trust_answer_hash=hash_answer(data.trust_answer),
                password_hash=make_password(data.password),
                **code_fields,
                code_sent_at=now,
                expires_at=now + settings.SPACE_ACTIVATION_CODE_VALIDITY,
                registered_from=context.current().ip_address,
            )
            send_email(
                "space_activation_code",
                email,
                {
                    "code": code,
                    "hours": int(settings.SPACE_ACTIVATION_CODE_VALIDITY.total_seconds() // 3600),
                    "expires_at": timezone.localtime(pending.expires_at),
                },
            )
            record(Action.REGISTRATION_SUBMITTED, target=email)
    except IntegrityError as exc:
        # Two submissions for the same e-mail at once: the unique constraint lets one through.
        raise Refusal("registration.email_taken", field="email") from exc
    return pending
