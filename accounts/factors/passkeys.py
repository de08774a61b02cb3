"""Passkeys (WebAuthn, docs/security.md §14.6): several per person, named, removable; a strong
factor; a proof at the login's second step and at step-up; and, alone, a login without
password (user verification is required: the authenticator checked a PIN or a biometric).

Built on django-otp-webauthn: its credential model (`WebAuthnCredential`, a django-otp
`Device`: name, created / last used, sign count, the credential's public key), its user
handles, and its `WebAuthnHelper` around py_webauthn (options, attestation and assertion
checks: no CBOR or signature parsing here). Its views are not used: they rely on django-otp's
`OTPMiddleware` and its `login`, and log in without our second step, throttle, freeze or
audit. The ceremony's state (the challenge) is kept in the session under one key per purpose,
taken out before it is checked (single use) and refused after PASSKEY_CEREMONY_WINDOW.

The relying party is this site: its ID is the host of SITE_URL (or PASSKEY_RP_ID), the one
origin accepted is SITE_URL, both read at each ceremony."""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django_otp_webauthn.exceptions import CredentialNotFound, OTPWebAuthnApiError
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential
from webauthn.helpers import parse_authentication_credential_json
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import AuthenticatorSelectionCriteria, UserVerificationRequirement

from accounts import throttle
from accounts.factors.registry import refresh_strong_factor
from accounts.models import Subscriber
from accounts.sessions import describe_browser
from audit.models import Action
from audit.trail import record
from core import clock, limits
from core.refusals import Refusal

logger = logging.getLogger(__name__)

# The session keys of a ceremony's state, one per purpose.
REGISTER = "passkey_register"
LOGIN = "passkey_login"  # passwordless, from the login page
SECOND_STEP = "passkey_second_step"
STEP_UP = "passkey_step_up"
NAME_MAX = 64  # django-otp's Device.name
# What py_webauthn and django-otp-webauthn raise for a response that does not verify.
CEREMONY_ERRORS = (WebAuthnException, OTPWebAuthnApiError, KeyError, TypeError, ValueError)

Passkey = WebAuthnCredential


def rp_id() -> str:
    return settings.PASSKEY_RP_ID or urlsplit(settings.SITE_URL).hostname or ""


def possible() -> bool:
    """Whether browsers will run a ceremony for this site: over https, or http on localhost
    (WebAuthn refuses other plain-http origins and IP addresses)."""
    site = urlsplit(settings.SITE_URL)
    return site.scheme == "https" or site.hostname == "localhost"


class PasskeyHelper(WebAuthnHelper):
    """django-otp-webauthn's helper with this site's relying party, user verification
    required (a passkey alone may log in), the name the person gives, and core.clock."""

    def __init__(self, request=None, *, name: str = ""):
        super().__init__(request)
        self.name = name

    def get_relying_party_domain(self) -> str:
        return rp_id()

    def get_relying_party_name(self) -> str:
        return settings.PASSKEY_RP_NAME

    def get_allowed_origins(self) -> list[str]:
        return [settings.SITE_URL]

    def get_credential_display_name(self, user) -> str:
        return user.email

    def get_generate_registration_options_kwargs(self, *, user) -> dict:
        kwargs = super().get_generate_registration_options_kwargs(user=user)
        kwargs["authenticator_selection"] = AuthenticatorSelectionCriteria(
            user_verification=UserVerificationRequirement.REQUIRED,
            resident_key=self.get_discoverable_credentials_preference(),
        )
        kwargs["timeout"] = _timeout_ms()
        return kwargs

    def get_generate_authentication_options_kwargs(self, *, user=None, **kwargs) -> dict:
        kwargs = super().get_generate_authentication_options_kwargs(user=user, **kwargs)
        kwargs["timeout"] = _timeout_ms()
        return kwargs

    def create_credential(self, user, response, parsed_credential, original_data):
        credential = super().create_credential(user, response, parsed_credential, original_data)
        credential.name = self.name[:NAME_MAX]
        credential.created_at = clock.now()
        return credential


def _timeout_ms() -> int:
    return int(settings.PASSKEY_CEREMONY_WINDOW.total_seconds() * 1000)


def passkeys_of(subscriber: Subscriber) -> list[Passkey]:
    return list(Passkey.objects.filter(user=subscriber).order_by("created_at", "pk"))


def has_passkey(subscriber: Subscriber) -> bool:
    return Passkey.objects.filter(user=subscriber, confirmed=True).exists()


def default_name(user_agent: str) -> str:
    """« Clé d'accès — Chrome sur Linux »: the browser and system that made it."""
    return f"Clé d'accès — {describe_browser(user_agent)}"[:NAME_MAX]


def _keep_state(session, key: str, state: dict) -> None:
    session[key] = {**state, "at": clock.now().timestamp()}


def _take_state(session, key: str) -> dict:
    """The ceremony's state, removed from the session (and the session saved) before anything
    is checked: a challenge serves once, even when what follows fails."""
    state = session.pop(key, None)
    if hasattr(session, "save"):
        session.save()
    if not isinstance(state, dict) or "challenge" not in state:
        raise Refusal("factor.passkey_expired")
    age = clock.now().timestamp() - state.get("at", 0)
    if not 0 <= age < settings.PASSKEY_CEREMONY_WINDOW.total_seconds():
        raise Refusal("factor.passkey_expired")
    return state


# --- enrolment ------------------------------------------------------------------------------


def begin_registration(subscriber: Subscriber, session) -> dict:
    """The options the browser's `navigator.credentials.create` needs (the person's passkeys
    excluded: an authenticator holds one per person)."""
    options, state = PasskeyHelper().register_begin(user=subscriber)
    _keep_state(session, REGISTER, state)
    return options


def complete_registration(subscriber: Subscriber, session, data: dict, *, user_agent: str):
    """Check the authenticator's answer and keep the passkey, named after the browser (the
    person may rename it); a strong factor now. Audited `factor.enrolled`."""
    state = _take_state(session, REGISTER)
    helper = PasskeyHelper(name=default_name(user_agent))
    try:
        with transaction.atomic():
            passkey = helper.register_complete(user=subscriber, state=state, data=data)
            refresh_strong_factor(subscriber)
            record(
                Action.FACTOR_ENROLLED,
                actor=subscriber,
                target=subscriber.subscriber_number,
                kind="passkey",
                passkey=passkey.pk,
            )
    except CEREMONY_ERRORS as error:
        logger.info("passkey registration refused: %r", error)
        record(
            Action.FACTOR_CODE_FAILED,
            actor=subscriber,
            target=subscriber.subscriber_number,
            kind="passkey",
            step="enrolment",
        )
        raise Refusal("factor.passkey_failed") from None
    return passkey


def rename(subscriber: Subscriber, pk: int, name: str) -> Passkey | None:
    name = " ".join(name.split())[:NAME_MAX]
    if not name:
        raise Refusal("factor.passkey_name_missing", field="name")
    passkey = Passkey.objects.filter(user=subscriber, pk=pk).first()
    if passkey is not None:
        passkey.name = name
        passkey.save(update_fields=["name"])
    return passkey


def remove(subscriber: Subscriber, pk: int) -> Passkey | None:
    """Remove one of the person's passkeys (another's: nothing); audited `factor.removed`."""
    with transaction.atomic():
        passkey = Passkey.objects.select_for_update().filter(user=subscriber, pk=pk).first()
        if passkey is None:
            return None
        passkey.delete()
        refresh_strong_factor(subscriber)
        record(
            Action.FACTOR_REMOVED,
            actor=subscriber,
            target=subscriber.subscriber_number,
            kind="passkey",
            passkey=pk,
        )
    return passkey


def remove_all(subscriber: Subscriber) -> int:
    """Every passkey of the person (a reset of the factors, §14.5); the caller refreshes."""
    return Passkey.objects.filter(user=subscriber).delete()[1].get(Passkey._meta.label, 0)


# --- proofs ---------------------------------------------------------------------------------


def begin_authentication(session, key: str, subscriber: Subscriber | None = None) -> dict:
    """The options of `navigator.credentials.get`: the person's passkeys when known (second
    step, step-up), none for a login without password (the browser offers its discoverable
    ones); user verification always required."""
    helper = PasskeyHelper()
    options, state = helper.authenticate_begin(user=subscriber, require_user_verification=True)
    _keep_state(session, key, state)
    return options


def prove(subscriber: Subscriber, session, key: str, data: dict, *, purpose: str) -> Passkey:
    """A passkey of this person, verified now (the login's second step, step-up). Counted with
    the typed codes in `factor.code` (before the check, given back when right); audited
    `factor.verified` or `factor.code_failed`. Raises `Refusal`."""
    state = _take_state(session, key)
    counter = str(subscriber.pk)
    usage = limits.hit("factor.code", counter)
    if usage.exceeded:
        limits.hit("factor.code", counter, -1)
        raise Refusal("factor.too_many_tries", minutes=usage.retry_minutes)
    try:
        passkey = PasskeyHelper().authenticate_complete(user=subscriber, state=state, data=data)
    except CEREMONY_ERRORS as error:
        logger.info("passkey refused: %r", error)
        record(
            Action.FACTOR_CODE_FAILED,
            actor=subscriber,
            target=subscriber.subscriber_number,
            kind="passkey",
            purpose=purpose,
        )
        raise Refusal("factor.passkey_failed") from None
    limits.hit("factor.code", counter, -1)
    _verified(subscriber, passkey, purpose)
    return passkey


def _verified(subscriber: Subscriber, passkey: Passkey, purpose: str) -> None:
    record(
        Action.FACTOR_VERIFIED,
        actor=subscriber,
        target=subscriber.subscriber_number,
        kind="passkey",
        purpose=purpose,
        passkey=passkey.pk,
    )


def _owner(data: dict) -> Subscriber | None:
    try:
        raw_id = parse_authentication_credential_json(data).raw_id
        return Passkey.get_by_credential_id(raw_id).user
    except (Passkey.DoesNotExist, *CEREMONY_ERRORS):
        return None


def log_in(session, data: dict) -> Subscriber:
    """A login without password (docs/security.md §14.6): the passkey alone, user verified.
    Throttled as a password is (`accounts.throttle`): the try counts on the address before
    anything is checked, then on the e-mail it belongs to; a frozen or closed space is refused.
    Returns the person to log in; raises `Refusal` (`login.locked`, `space.frozen`, …)."""
    state = _take_state(session, LOGIN)
    if minutes := throttle.address_attempt():
        raise Refusal("login.locked", minutes=minutes)
    owner = _owner(data)
    if owner is None or not owner.is_active:
        record(Action.LOGIN_FAILED, target="passkey")
        raise Refusal("factor.passkey_unknown")
    email = owner.email
    if minutes := throttle.locked_minutes(email):
        throttle.address_given_back()
        raise Refusal("login.locked", minutes=minutes)
    try:
        passkey = PasskeyHelper().authenticate_complete(user=owner, state=state, data=data)
    except (CredentialNotFound, *CEREMONY_ERRORS) as error:
        logger.info("passkey login refused: %r", error)
        throttle.address_given_back()
        throttle.count_failure(email)
        record(
            Action.FACTOR_CODE_FAILED,
            actor=owner,
            target=owner.subscriber_number,
            kind="passkey",
            purpose="passwordless",
        )
        raise Refusal("factor.passkey_failed") from None
    throttle.succeeded(email)
    if owner.frozen_at is not None:
        record(Action.LOGIN_REFUSED_FROZEN, target=owner.subscriber_number)
        raise Refusal("space.frozen")
    _verified(owner, passkey, "passwordless")
    return owner
