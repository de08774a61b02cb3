"""The API's rows (docs/api.md): personal access tokens, service clients and their short-lived
bearers, the answers kept for `Idempotency-Key`, webhooks and their deliveries.

Every secret is stored as a keyed hash (`core.codes.hash_code`), except a webhook's signing
secret, which the server needs in clear to sign: it is kept sealed (`core.sealing`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Scope(models.TextChoices):
    """What a personal access token may do (docs/api.md §3); never more than its owner may."""

    DOSSIERS_READ = "dossiers:read", "Consulter vos dossiers et leurs habilitations"
    DELEGATIONS_WRITE = "delegations:write", "Gérer les délégations"
    POSTAL_REQUESTS_WRITE = "demandes:write", "Faire, suivre et activer des demandes par courrier"
    WEBHOOKS_WRITE = "webhooks:write", "Enregistrer, consulter et supprimer des webhooks"
    MESSAGES_READ = "messages:read", "Lire la messagerie sécurisée de vos dossiers"
    MESSAGES_WRITE = "messages:write", "Écrire dans la messagerie sécurisée de vos dossiers"


class AccessToken(models.Model):
    """A personal access token for software (*Accès pour vos logiciels*)."""

    subscriber = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80)
    scopes = models.JSONField(default=list)
    token_hash = models.CharField(max_length=64, unique=True)
    # The token's first characters, so that its owner recognises it in a list.
    hint = models.CharField(max_length=16)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=30, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subscriber", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="token_expires_later"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    def is_live(self, now) -> bool:
        return self.revoked_at is None and now < self.expires_at


class ServiceClient(models.Model):
    """An online tax service (OAuth2 client credentials), created by `create_service_client`;
    it may call only the authorization check."""

    client_id = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"


class ServiceBearer(models.Model):
    """A short-lived bearer token given to a service client by `POST /oauth/token`."""

    client = models.ForeignKey(ServiceClient, on_delete=models.CASCADE, related_name="bearers")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"bearer of {self.client_id} until {self.expires_at:%Y-%m-%d %H:%M}"


class IdempotentAnswer(models.Model):
    """The first answer to a POST carrying an `Idempotency-Key`, per credential (docs/api.md §6)."""

    # A digest of the credential that sent it: a key is never shared between two callers.
    owner = models.CharField(max_length=64)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # method, path and body
    status = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100)
    body = models.BinaryField()
    # The body is sealed (`core.sealing`) when it holds a secret shown once (a webhook's).
    sealed = models.BooleanField(default=False)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            # Also the lock of a call under way: a second call with the key waits on it.
            models.UniqueConstraint(fields=["owner", "key"], name="one_answer_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"


class Webhook(models.Model):
    """An HTTPS address that receives signed events about its owner's dossiers."""

    subscriber = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_webhooks"
    )
    url = models.URLField(max_length=500)
    sealed_secret = models.TextField()
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.url


class DeliveryState(models.TextChoices):
    """Where a delivery stands (the delivery log)."""

    PENDING = "pending", "En cours"
    RETRYING = "retrying", "Nouvel essai prévu"
    DELIVERED = "delivered", "Reçu"
    GIVEN_UP = "given_up", "Abandonné"


class WebhookDelivery(models.Model):
    """One event to deliver to one webhook, with its tries (the delivery log of the space)."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.CharField(max_length=36, unique=True)
    event = models.CharField(max_length=40)
    payload = models.JSONField()
    created_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    given_up_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["webhook", "-created_at"]),
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(delivered_at=None, given_up_at=None),
                name="webhook_delivery_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.event_id}"

    @property
    def state(self) -> DeliveryState:
        if self.delivered_at is not None:
            return DeliveryState.DELIVERED
        if self.given_up_at is not None:
            return DeliveryState.GIVEN_UP
        return DeliveryState.RETRYING if self.attempts else DeliveryState.PENDING
