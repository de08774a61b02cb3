from datetime import datetime

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.crypto import salted_hmac

from core.one_time import new_public_id
from core.text import normalize_email


class Civility(models.TextChoices):
    MADAME = "MME", "Madame"
    MONSIEUR = "M", "Monsieur"


class TrustQuestion(models.TextChoices):
    """The trust questions (docs/accounts.md §3); the first one is preselected."""

    NICKNAME = "surnom", "Quel est votre surnom ?"
    PET = "animal", "Le nom de votre animal de compagnie ?"
    BIRTH_CITY = "ville_naissance", "Votre ville de naissance ?"
    FIRST_SCHOOL = "ecole", "Le nom de votre école primaire ?"
    CHILDHOOD_FRIEND = "ami", "Le prénom de votre ami(e) d'enfance ?"
    FAVOURITE_BOOK = "livre", "Le titre de votre livre préféré ?"


class Identity(models.Model):
    """The registration form's fields (docs/accounts.md §3), shared by a pending registration and a
    space."""

    email = models.EmailField("Adresse électronique", max_length=100, unique=True)
    civility = models.CharField("Civilité", max_length=3, choices=Civility.choices)
    last_name = models.CharField("Nom", max_length=100)
    first_name = models.CharField("Prénom", max_length=100)
    foreign_company = models.BooleanField("Entreprise étrangère", default=False)
    company_identifier = models.CharField("S.I.R.E.N ou équivalent", max_length=30)
    company_name = models.CharField("Raison sociale", max_length=250, blank=True)
    phone = models.CharField("Numéro de téléphone", max_length=30)
    street_number = models.CharField("Numéro de la voie", max_length=10, blank=True)
    street_type = models.CharField("Nature de la voie", max_length=40, blank=True)
    street_name = models.CharField("Libellé de la voie", max_length=150, blank=True)
    address_complement = models.CharField("Complément d'adresse", max_length=150, blank=True)
    postal_code = models.CharField("Code postal", max_length=10, blank=True)
    city = models.CharField("Ville", max_length=100)
    country = models.CharField("Pays", max_length=60, default="FRANCE")
    trust_question = models.CharField(
        "Question", max_length=20, choices=TrustQuestion.choices, default=TrustQuestion.NICKNAME
    )
    # Hashed like a password (docs/security.md §2), after folding case and accents.
    trust_answer_hash = models.CharField(max_length=200)

    class Meta:
        abstract = True

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name.upper()}"

    @property
    def display_name(self) -> str:
        short = "Mme" if self.civility == Civility.MADAME else "M."
        return f"{short} {self.first_name} {self.last_name.upper()}"

    @property
    def address_lines(self) -> list[str]:
        street = " ".join(p for p in [self.street_number, self.street_type, self.street_name] if p)
        town = " ".join(p for p in [self.postal_code, self.city] if p)
        return [line for line in [street, self.address_complement, town, self.country] if line]


def _email_is_lowercase(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=models.Q(email=Lower("email")), name=name)


class SubscriberManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email=normalize_email(username))


class Subscriber(Identity, AbstractBaseUser):
    """A person's space (*espace abonné*). It exists only once activated (docs/accounts.md §3)."""

    subscriber_number = models.CharField("Numéro d'abonné", max_length=14, unique=True)
    registered_at = models.DateTimeField("Inscrit le")
    password_changed_at = models.DateTimeField("Mot de passe défini le")
    is_active = models.BooleanField(default=True)
    # Set by an agent (docs/backoffice.md §7): no login, no session, no token, no right.
    frozen_at = models.DateTimeField("Gelé le", null=True, blank=True)
    # Raised when an agent ends every session and token of the space (docs/backoffice.md §4):
    # part of the session hash, so the space's open sessions no longer match it.
    access_epoch = models.PositiveIntegerField(default=0)
    # Whether the person holds a phishing-resistant or app-based second factor (an authenticator
    # app or a passkey), kept in step by the factors' enrolment and removal (docs/security.md
    # §11): a company may require one from its Payer holders and delegators, and `rights_on`
    # reads it in the same query as the rights.
    strong_factor = models.BooleanField(default=False, db_default=False)
    # The factor a login asks after the password (accounts.factors.models.LoginFactor): the
    # e-mailed code unless the person chose an app (docs/security.md §14).
    login_factor = models.CharField(max_length=20, default="email", db_default="email")

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = SubscriberManager()

    class Meta:
        verbose_name = "abonné"
        constraints = [
            _email_is_lowercase("subscriber_email_lowercase"),
            models.CheckConstraint(
                condition=models.Q(subscriber_number__regex=r"^20[0-9]{12}$"),
                name="subscriber_number_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.subscriber_number})"

    @property
    def password_expires_at(self) -> datetime:
        """A password is valid for PASSWORD_VALIDITY (3 years) from when it was set
        (docs/accounts.md §8)."""
        return self.password_changed_at + settings.PASSWORD_VALIDITY

    # Sessions carry this hash; changing the password *or the login e-mail* changes it, so
    # every other session ends (docs/security.md §8) while `update_session_auth_hash` keeps the
    # current one.
    def get_session_auth_hash(self) -> str:
        return self._credentials_hash(settings.SECRET_KEY)

    def get_session_auth_fallback_hash(self):
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._credentials_hash(secret)

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    def _credentials_hash(self, secret: str) -> str:
        # The epoch joins the hash once raised, so sessions opened before it was added last.
        epoch = f"\n{self.access_epoch}" if self.access_epoch else ""
        return salted_hmac(
            "accounts.Subscriber.session_auth_hash",
            f"{self.password}\n{self.email}{epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class PendingRegistration(Identity):
    """A registration waiting for its e-mailed code (docs/accounts.md §3): not a space, no login, no
    number."""

    password_hash = models.CharField(max_length=200)
    code_hash = models.CharField(max_length=64)
    code_sent_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    # The address the registration came from: only wrong codes from there count towards the
    # code's 5 tries; from elsewhere they count against that address (docs/security.md §5.3).
    registered_from = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        constraints = [_email_is_lowercase("pending_email_lowercase")]

    def __str__(self) -> str:
        return f"Pré-inscription de {self.email}"


class EmailChangeRequest(models.Model):
    """A new login e-mail waiting for the code sent to it (docs/accounts.md §11); one per space, the
    newest."""

    subscriber = models.OneToOneField(
        Subscriber, on_delete=models.CASCADE, related_name="email_change_request"
    )
    new_email = models.EmailField(max_length=100)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(new_email=Lower("new_email")), name="email_change_lowercase"
            )
        ]

    def __str__(self) -> str:
        return f"Changement d'adresse vers {self.new_email}"


class PasswordResetRequest(models.Model):
    """The link of *Mot de passe oublié* (docs/accounts.md §10, docs/security.md §5): one per space,
    the newest, single use."""

    subscriber = models.OneToOneField(
        Subscriber, on_delete=models.CASCADE, related_name="password_reset_request"
    )
    # The link's URL carries this random id, never the row's key (docs/security.md §5).
    public_id = models.CharField(max_length=22, unique=True, default=new_public_id)
    token_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Réinitialisation du mot de passe de {self.subscriber_id}"


class PasswordExpiryReminder(models.Model):
    """One reminder e-mail sent for one password (its `password_changed_at`): never twice."""

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="password_expiry_reminders"
    )
    password_changed_at = models.DateTimeField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "password_changed_at", "days_before"],
                name="one_reminder_per_password_and_delay",
            )
        ]

    def __str__(self) -> str:
        return f"Rappel J-{self.days_before} pour {self.subscriber_id}"


class SubscriberSession(models.Model):
    """A session opened for a space (docs/security.md §8.4): written at login, removed at logout
    and when an agent ends the space's access, purged once past SESSION_ABSOLUTE_SECONDS. The
    session store cannot be listed by user; this table can (`accounts.sessions.open_sessions`).
    `session_key` is the store's own key (the store keeps it in the clear too): it is what lets
    the space's sessions be deleted from the store; it is never shown."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    opened_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["subscriber", "-opened_at"], name="subscriber_session_recent"),
            models.Index(fields=["opened_at"], name="subscriber_session_opened"),
        ]

    def __str__(self) -> str:
        return f"Session de {self.subscriber_id} ouverte le {self.opened_at:%d/%m/%Y %H:%M}"


# The second factors' rows (docs/security.md §14), kept in a module of their own.
from accounts.factors.models import (  # noqa: E402, F401
    EmailCode,
    RecoveryCode,
    RememberedBrowser,
    SecondEmail,
    TotpDevice,
)
