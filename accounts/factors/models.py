"""The rows of the second factors (docs/security.md §14). Imported by `accounts.models`, so
they belong to the accounts app and its migrations."""

from base64 import b32encode
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import models
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.util import hex_validator, random_hex

from core import clock, sealing

TOTP_KEY_PURPOSE = "accounts.totp-key"


class LoginFactor(models.TextChoices):
    """The factor a login asks after the password (the person's choice in *Sécurité de
    connexion*). Recovery codes are never the choice: they stand in for a lost one."""

    EMAIL = "email", "Code envoyé par courriel"
    TOTP = "totp", "Application d'authentification"


class EmailCode(models.Model):
    """The live 6-digit code e-mailed to a person for a login or a step-up: one at a time (a new
    one replaces it), a keyed hash, expiring, tries counted (`core.one_time`)."""

    subscriber = models.OneToOneField(
        "accounts.Subscriber", on_delete=models.CASCADE, related_name="+"
    )
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Code de connexion de {self.subscriber_id}"


class SecondEmail(models.Model):
    """A second address that receives the login codes too, once confirmed by a code sent to
    it (the code's fields hold that confirmation code until then)."""

    subscriber = models.OneToOneField(
        "accounts.Subscriber", on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(max_length=100)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    code_hash = models.CharField(max_length=64, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"Adresse de secours de {self.subscriber_id}"


class TotpDevice(Device):
    """The person's authenticator app (RFC 6238, 30 s, 6 digits), verified by django-otp's
    `oath.TOTP`. As the agents' device (backoffice.models.AgentDevice) and not django-otp's
    `TOTPDevice`: the key is sealed at rest (a TOTP secret must be read back to compute codes,
    so it cannot be hashed; `core.sealing`, a key derived from SECRET_KEY). One confirmed app at
    most, and at most one being enrolled. Wrong codes are counted by `factor.code` (core.limits,
    every process), not by django-otp's per-device throttle."""

    step, t0, digits, tolerance, drift = 30, 0, 6, 1, 0

    user = models.ForeignKey(
        "accounts.Subscriber", on_delete=models.CASCADE, related_name="totp_devices"
    )
    sealed_key = models.TextField()
    # The last time step used: a code of that step or before is refused (no replay).
    last_t = models.BigIntegerField(default=-1)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "application d'authentification"
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(confirmed=True), name="one_confirmed_totp"
            ),
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(confirmed=False), name="one_pending_totp"
            ),
        ]

    @classmethod
    def new(cls, subscriber, hex_key: str | None = None, *, confirmed: bool = False):
        return cls.objects.create(
            user=subscriber,
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
    def base32_key(self) -> str:
        return b32encode(bytes.fromhex(self.hex_key)).decode()

    def totp(self) -> TOTP:
        totp = TOTP(bytes.fromhex(self.hex_key), self.step, self.t0, self.digits, self.drift)
        totp.time = clock.now().timestamp()  # core.clock: tests move it
        return totp

    def verify_token(self, token) -> bool:
        """This step's code or one step either side, never a step already used (replay);
        exactly six digits. Call on a row locked with `select_for_update`."""
        token = "".join(str(token).split())
        totp = self.totp()
        ok = (
            token.isdigit()
            and len(token) == self.digits
            and totp.verify(int(token), self.tolerance, self.last_t + 1)
        )
        if ok:
            self.last_t = totp.t()
            self.save(update_fields=["last_t"])
        return bool(ok)

    @property
    def config_url(self) -> str:
        issuer = settings.SUBSCRIBER_TOTP_ISSUER.replace(":", "")
        label = quote(f"{issuer}:{self.user.email}")
        params = urlencode({"secret": self.base32_key, "algorithm": "SHA1", "digits": self.digits})
        return f"otpauth://totp/{label}?{params}&period={self.step}&issuer={quote(issuer)}"


class RecoveryCode(models.Model):
    """One of the ten codes shown once, for a lost factor: a keyed hash, single use (deleted
    when used). Not django-otp's StaticToken, which keeps the codes in clear."""

    subscriber = models.ForeignKey(
        "accounts.Subscriber", on_delete=models.CASCADE, related_name="+"
    )
    code_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "code_hash"], name="one_subscriber_recovery_code"
            )
        ]

    def __str__(self) -> str:
        return f"Code de secours de {self.subscriber_id}"


class RememberedBrowser(models.Model):
    """A browser that need not give the second factor at login until `expires_at`: its
    cookie holds a random token, only the token's keyed hash is here; checked in the
    database at each use, so revoking it works at once from any process."""

    subscriber = models.ForeignKey(
        "accounts.Subscriber", on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["subscriber", "-created_at"], name="remembered_recent")]

    def __str__(self) -> str:
        return f"Navigateur de {self.subscriber_id} : {self.label}"
