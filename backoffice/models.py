"""The agents' accounts (docs/backoffice.md §1): not subscribers. Their own table, their own
second factor (a django-otp TOTP device, its secret sealed at rest), recovery codes (hashed,
single use), their own session table, and the four-eyes unfreeze."""

from base64 import b32encode
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models.functions import Lower
from django_otp.models import Device, ThrottlingMixin
from django_otp.oath import TOTP
from django_otp.util import hex_validator, random_hex

from accounts.models import Subscriber
from backoffice.roles import AgentRole
from core import clock, sealing

TOTP_KEY_PURPOSE = "backoffice.totp-key"


class Agent(models.Model):
    email = models.EmailField("Adresse électronique", max_length=100, unique=True)
    first_name = models.CharField("Prénom", max_length=100)
    last_name = models.CharField("Nom", max_length=100)
    role = models.CharField("Rôle", max_length=20, choices=AgentRole.choices)
    # The tax office whose messaging queue the agent works (a code of messaging.offices);
    # blank: a national role, every office's queues (docs/messaging.md §7).
    office = models.CharField("Service", max_length=20, blank=True, default="")
    # A password hash (Django's hashers); empty until the agent activates the account.
    password = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField("Actif", default=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Raised to end the agent's sessions (deactivation, new password, new device).
    session_epoch = models.PositiveIntegerField(default=0)
    # The one-time code handed to a new agent to activate the account (keyed hash, 72 hours).
    activation_code_hash = models.CharField(max_length=64, blank=True)
    activation_expires_at = models.DateTimeField(null=True, blank=True)
    activation_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "agent"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")), name="agent_email_lowercase"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=AgentRole.values), name="agent_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name.upper()}"

    def identity(self) -> dict[str, str]:
        """How the audit trail names the agent."""
        return {"id": str(self.pk), "email": self.email, "role": self.role}

    @property
    def is_activated(self) -> bool:
        """The agent chose a password (with the code e-mailed to them, §1.1)."""
        return bool(self.password)

    @property
    def device(self) -> "AgentDevice | None":
        """The confirmed TOTP application, the one a login asks a code of."""
        return self.devices.filter(confirmed=True).first()


class AgentDevice(ThrottlingMixin, Device):
    """The agent's TOTP application (RFC 6238, 30 s, 6 digits): a django-otp device, verified
    by django-otp's `oath.TOTP` and throttled by its `ThrottlingMixin`. django-otp's concrete
    `TOTPDevice` cannot serve: its user is AUTH_USER_MODEL (the subscribers) and its key is
    stored in clear, so this device overrides the abstract device's user with the agent and
    seals its key (docs/backoffice.md §1.2). An agent has one confirmed device, and at most one
    unconfirmed: the first one being enrolled, or its replacement waiting for its first code
    while the former one still serves (§1.8)."""

    # TOTPDevice's parameters, fixed: 30 s steps from 0, 6 digits, one step of tolerance either
    # side, no drift learnt (an application off by more than a step is refused).
    step, t0, digits, tolerance, drift = 30, 0, 6, 1, 0

    user = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="devices")
    # The hex secret, sealed with a key derived from SECRET_KEY (docs/backoffice.md §1).
    sealed_key = models.TextField()
    last_t = models.BigIntegerField(default=-1)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "application d'authentification"
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(confirmed=True),
                name="one_confirmed_device_per_agent",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(confirmed=False),
                name="one_unconfirmed_device_per_agent",
            ),
        ]

    @classmethod
    def new(cls, agent: Agent, hex_key: str | None = None, *, confirmed: bool = False):
        """A device with a new random secret (20 bytes, as django-otp's), unless given."""
        return cls.objects.create(
            user=agent,
            name="TOTP",
            confirmed=confirmed,
            sealed_key=sealing.seal(hex_key or random_hex(20), TOTP_KEY_PURPOSE),
            created_at=clock.now(),
        )

    @property
    def hex_key(self) -> str:
        key = sealing.unseal(self.sealed_key, TOTP_KEY_PURPOSE) or ""
        hex_validator()(key)
        return key

    @property
    def bin_key(self) -> bytes:
        return bytes.fromhex(self.hex_key)

    @property
    def base32_key(self) -> str:
        return b32encode(self.bin_key).decode()

    def get_throttle_factor(self) -> int:
        return 1

    def totp(self) -> TOTP:
        totp = TOTP(self.bin_key, self.step, self.t0, self.digits, self.drift)
        totp.time = clock.now().timestamp()  # core.clock, the one "now" tests move
        return totp

    def verify_token(self, token) -> bool:
        """django-otp's `TOTPDevice.verify_token`: while the device is throttled no code is
        looked at; the code of this step or of the one either side is accepted, never one of a
        step already used (replay); a wrong code grows django-otp's delay. Exactly six digits
        (`int()` alone would take « 12345 » for « 012345 »)."""
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        totp = self.totp()
        token = str(token)
        ok = (
            token.isdigit()
            and len(token) == self.digits
            and totp.verify(int(token), self.tolerance, self.last_t + 1)
        )
        if ok:
            self.last_t = totp.t()
            self.throttle_reset(commit=False)
            self.save()
        else:
            self.throttle_increment(commit=True)
        return bool(ok)

    @property
    def config_url(self) -> str:
        """The otpauth:// address a TOTP application reads from the QR code (as django-otp's
        `TOTPDevice.config_url`, with the agent's e-mail as label)."""
        issuer = settings.AGENT_TOTP_ISSUER.replace(":", "")
        label = quote(f"{issuer}:{self.user.email}")
        params = urlencode({"secret": self.base32_key, "algorithm": "SHA1", "digits": self.digits})
        return f"otpauth://totp/{label}?{params}&period={self.step}&issuer={quote(issuer)}"


class AgentRecoveryCode(models.Model):
    """One of the ten codes shown once at enrolment, for a lost phone: a keyed hash, single use."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agent", "code_hash"], name="one_recovery_code")
        ]

    def __str__(self) -> str:
        return f"Code de secours de l'agent {self.agent_id}"


class AgentSession(AbstractBaseSession):
    """The agents' sessions: a table of their own, under a cookie of their own."""

    @classmethod
    def get_session_store_class(cls):
        from backoffice.sessions import SessionStore

        return SessionStore


class FourEyesRequest(models.Model):
    """What one agent asks about a space and another approves (four eyes, docs/backoffice.md §7):
    the fields; each kind names its own constraints."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    reason = models.TextField()
    ticket = models.CharField(max_length=40, blank=True)
    approved_by = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class UnfreezeRequest(FourEyesRequest):
    """An agent asks to unfreeze a space; another agent approves (four eyes, §7)."""

    class Meta:
        constraints = [
            # Four eyes: whoever asked cannot approve.
            models.CheckConstraint(
                condition=~models.Q(approved_by=models.F("requested_by")),
                name="unfreeze_approved_by_another_agent",
            ),
            models.UniqueConstraint(
                fields=["subscriber"],
                condition=models.Q(approved_at__isnull=True),
                name="one_pending_unfreeze_per_space",
            ),
        ]

    def __str__(self) -> str:
        return f"Dégel de l'espace {self.subscriber_id}"


class FactorResetRequest(FourEyesRequest):
    """An agent asks to reset the second factors of a space holding administrator roles on
    many companies; another agent approves (four eyes, docs/backoffice.md §7.4)."""

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(approved_by=models.F("requested_by")),
                name="factor_reset_approved_by_another_agent",
            ),
            models.UniqueConstraint(
                fields=["subscriber"],
                condition=models.Q(approved_at__isnull=True),
                name="one_pending_factor_reset_per_space",
            ),
        ]

    def __str__(self) -> str:
        return f"Réinitialisation des moyens de connexion de l'espace {self.subscriber_id}"
