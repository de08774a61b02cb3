"""Webhooks (docs/api.md §7): a token owner registers an HTTPS address; when a delegation is
granted, changed, suspended, reactivated or withdrawn on one of their dossiers, or a letter's
code is activated there, the worker posts a signed event to it, with retries and backoff.

Events come from the audit trail (`audit.trail.events_recorded`), which every change of rights
already writes in its transaction: no domain function needs to know about webhooks. Each
event is one `WebhookDelivery` per webhook, created in that same transaction and handed to the
worker once it commits. The body is signed with HMAC-SHA256 over "<timestamp>.<body>" with the
webhook's secret (`Webhook-Signature: t=<timestamp>,v1=<hex>`)."""

import hashlib
import hmac
import json
import logging
import secrets
import uuid
from datetime import timedelta

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.tasks import task
from django.utils import timezone

from accounts.models import Subscriber
from accounts.signals import credentials_revoked
from api.models import Webhook, WebhookDelivery
from api.webhook_addresses import AddressRefused, check_url, post
from audit.models import Action
from audit.trail import events_recorded, record
from core import clock, sealing
from core.refusals import Refusal
from correspondence.mail import send_email
from habilitations.portfolio.queries import administrator_entries
from messaging.queries import messaging_users_of

logger = logging.getLogger(__name__)
SEALING_PURPOSE = "api-webhook-secret"
EVENTS = {
    Action.HABILITATION_GRANTED: "delegation.granted",
    Action.HABILITATION_CHANGED: "delegation.changed",
    Action.HABILITATION_SUSPENDED: "delegation.suspended",
    Action.HABILITATION_REACTIVATED: "delegation.reactivated",
    Action.HABILITATION_REMOVED: "delegation.withdrawn",
    Action.POSTAL_REQUEST_ACTIVATED: "letter_code.activated",
    Action.MESSAGE_ANSWERED: "message.answered",
}
# Events heard by whoever may use the company's Messagerie (not only its administrators).
MESSAGING_EVENTS = {Action.MESSAGE_ANSWERED}
DETAILS = (
    "subscriber",
    "service",
    "role",
    "state",
    "request_id",
    "granted",
    "not_granted",
    "thread",
    "message",
    "attachments",
)
LOG_SIZE = 50  # deliveries shown in the log


def webhooks_of(subscriber):
    """The space's live webhooks, newest first."""
    return Webhook.objects.filter(subscriber=subscriber, revoked_at=None)


def webhook_of(subscriber, webhook_id: int) -> Webhook | None:
    """One of the space's live webhooks (None for another's, or a deleted one)."""
    return webhooks_of(subscriber).filter(pk=webhook_id).first()


def register(subscriber, url: str) -> tuple[Webhook, str]:
    """A new webhook, at most `API_WEBHOOKS_PER_SUBSCRIBER` live per space; returns it and its
    signing secret, shown once."""
    url = check_url(url)
    with transaction.atomic():
        # Counted under the subscriber's lock: two registrations at once cannot pass the cap
        # (a FOR UPDATE on the webhooks themselves locks nothing when there are none, and
        # Django drops it from a COUNT).
        Subscriber.objects.select_for_update().filter(pk=subscriber.pk).first()
        count = webhooks_of(subscriber).count()
        if count >= settings.API_WEBHOOKS_PER_SUBSCRIBER:
            raise Refusal("api.too_many_webhooks", count=count)
        secret = "whsec_" + secrets.token_urlsafe(32)
        webhook = Webhook.objects.create(
            subscriber=subscriber,
            url=url,
            sealed_secret=sealing.seal(secret, SEALING_PURPOSE),
            created_at=clock.now(),
        )
        record(
            Action.API_WEBHOOK_CREATED,
            actor=subscriber,
            target=subscriber.subscriber_number,
            webhook=webhook.pk,
            url=url,
        )
        send_email(
            "api_webhook_created",
            subscriber.email,
            {
                "subscriber": subscriber,
                "url": url,
                "created_at": timezone.localtime(webhook.created_at),
            },
        )
    return webhook, secret


@receiver(credentials_revoked, dispatch_uid="api.webhooks.revoke_all")
def _revoke_all(sender, subscriber, reason, **kwargs):
    """Whatever ends the space's credentials (a reset through *Mot de passe oublié*, an agent
    ending its access or freezing it) ends its webhooks too: they would go on telling."""
    webhooks_of(subscriber).update(revoked_at=clock.now())


def revoke(subscriber, webhook_id: int) -> bool:
    with transaction.atomic():
        changed = webhooks_of(subscriber).filter(pk=webhook_id).update(revoked_at=clock.now())
        if changed:
            record(
                Action.API_WEBHOOK_REVOKED,
                actor=subscriber,
                target=subscriber.subscriber_number,
                webhook=webhook_id,
            )
    return bool(changed)


def deliveries_of(subscriber):
    """Every delivery of the space, newest first."""
    return WebhookDelivery.objects.filter(webhook__subscriber=subscriber).select_related("webhook")


def delivery_log(subscriber, webhook: Webhook | None = None) -> list[WebhookDelivery]:
    """The delivery log: the last `LOG_SIZE` deliveries of the space (the page) or of one of
    its webhooks (the API), newest first."""
    deliveries = deliveries_of(subscriber)
    if webhook is not None:
        deliveries = deliveries.filter(webhook=webhook)
    return list(deliveries[:LOG_SIZE])


@receiver(events_recorded, dispatch_uid="api.webhooks.events")
def _on_events(sender, events, **kwargs):
    """Turn the audit events of a transaction into deliveries, for the webhooks whose owner
    administers the company concerned (AT or AS: who may see its holders) or is the person the
    event is about (a new AT has no dossier yet when the grant is recorded): two queries."""
    relevant = [e for e in events if e.action in EVENTS]
    if not relevant:
        return
    by_siren = _administrators_hooks(
        {e.target for e in relevant if e.action not in MESSAGING_EVENTS}
    )
    by_reader = _messaging_hooks({e.target for e in relevant if e.action in MESSAGING_EVENTS})
    by_person: dict[str, set[int]] = {}
    for webhook_id, number in Webhook.objects.filter(
        revoked_at=None,
        subscriber__frozen_at__isnull=True,
        subscriber__is_active=True,
        subscriber__subscriber_number__in={e.details.get("subscriber", "") for e in relevant}
        | {e.actor.subscriber_number for e in relevant if e.actor},
    ).values_list("pk", "subscriber__subscriber_number"):
        by_person.setdefault(number, set()).add(webhook_id)
    hooks = [
        sorted(
            by_reader.get(e.target, set())
            if e.action in MESSAGING_EVENTS
            else by_siren.get(e.target, set())
            | by_person.get(e.details.get("subscriber", ""), set())
            | (by_person.get(e.actor.subscriber_number, set()) if e.actor else set())
        )
        for e in relevant
    ]
    if not any(hooks):
        return
    now = clock.now()
    deliveries = []
    for event, webhook_ids in zip(relevant, hooks, strict=True):
        for webhook_id in webhook_ids:
            event_id = str(uuid.uuid4())
            deliveries.append(
                WebhookDelivery(
                    webhook_id=webhook_id,
                    event_id=event_id,
                    event=EVENTS[event.action],
                    payload={
                        "id": event_id,
                        "type": EVENTS[event.action],
                        "occurred_at": event.at.isoformat().replace("+00:00", "Z"),
                        "data": {
                            "siren": event.target,
                            "by": event.actor.subscriber_number if event.actor else None,
                            **{k: event.details[k] for k in DETAILS if k in event.details},
                        },
                    },
                    created_at=now,
                )
            )
    created = WebhookDelivery.objects.bulk_create(deliveries)
    ids = [d.pk for d in created]
    transaction.on_commit(lambda: deliver_webhooks.enqueue(ids))


def _grouped(rows) -> dict[str, set[int]]:
    grouped: dict[str, set[int]] = {}
    for identifier, webhook_id in rows:
        grouped.setdefault(identifier, set()).add(webhook_id)
    return grouped


def _administrators_hooks(identifiers: set[str]) -> dict[str, set[int]]:
    """Who holds what on a company is for its administrators (AT, AS), as on the pages
    (`Rights.may_see_holders`); a frozen or deactivated space hears nothing. One query."""
    if not identifiers:
        return {}
    return _grouped(
        administrator_entries(identifiers)
        .filter(subscriber__api_webhooks__revoked_at=None, subscriber__api_webhooks__isnull=False)
        .values_list("identifier", "subscriber__api_webhooks__id")
        .distinct()
    )


def _messaging_hooks(identifiers: set[str]) -> dict[str, set[int]]:
    """A company's messages are for whoever may use its Messagerie now (the pages' rule,
    `messaging.access`): every active holder of it, in a live space. One query."""
    if not identifiers:
        return {}
    return _grouped(
        messaging_users_of(identifiers)
        .filter(subscriber__api_webhooks__revoked_at=None, subscriber__api_webhooks__isnull=False)
        .values_list("company__identifier", "subscriber__api_webhooks__id")
        .distinct()
    )


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


@task()
def deliver_webhooks(delivery_ids: list[int]) -> int:
    """Deliver these events (the worker); failures are retried by `deliver_webhooks`."""
    return sum(deliver(pk) for pk in delivery_ids)


def _claim(pk: int) -> bool:
    now = clock.now()
    lease = timedelta(seconds=settings.API_WEBHOOK_TIMEOUT_SECONDS * 3)
    return bool(
        WebhookDelivery.objects.filter(pk=pk, delivered_at=None, given_up_at=None)
        .filter(Q(next_attempt_at=None) | Q(next_attempt_at__lte=now))
        .update(next_attempt_at=now + lease)
    )


def retry_delay(attempts: int) -> timedelta:
    return settings.API_WEBHOOK_RETRY_FIRST_DELAY * 2 ** (attempts - 1)


def deliver(pk: int) -> bool:
    """Try one delivery now (True if delivered by this call)."""
    if not _claim(pk):
        return False
    delivery = WebhookDelivery.objects.select_related("webhook__subscriber").get(pk=pk)
    webhook = delivery.webhook
    status, error = None, ""
    if webhook.revoked_at is not None:
        error = "webhook supprimé"
    else:
        secret = sealing.unseal(webhook.sealed_secret, SEALING_PURPOSE) or ""
        body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
        timestamp = int(clock.now().timestamp())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "espace-professionnel-webhooks/1",
            "Webhook-Id": delivery.event_id,
            "Webhook-Timestamp": str(timestamp),
            "Webhook-Signature": sign(secret, timestamp, body),
        }
        owner = webhook.subscriber
        if owner.frozen_at is not None or not owner.is_active:
            error = "espace gelé ou fermé"
        else:
            try:
                status = post(webhook.url, body, headers)
            except AddressRefused:
                error = "adresse refusée (réseau non public)"
            except httpx.TimeoutException:
                error = "pas de réponse dans le délai"
            except httpx.HTTPError:
                # Not the exception's text: it would tell which internal ports answer.
                error = "connexion impossible"
            except Exception:
                # A fault of ours must not leave the event pending with no try counted: it is
                # logged for operators and the try counts, so the log shows it and backs off.
                logger.exception("Webhook delivery %s failed on our side", pk)
                error = "erreur interne à l'envoi"
    now = clock.now()
    attempts = delivery.attempts + 1
    if status is not None and 200 <= status < 300:
        WebhookDelivery.objects.filter(pk=pk).update(
            attempts=attempts,
            delivered_at=now,
            next_attempt_at=None,
            last_status=status,
            last_error="",
        )
        return True
    changes = {"attempts": attempts, "last_status": status, "last_error": error or f"HTTP {status}"}
    if (
        attempts >= settings.API_WEBHOOK_MAX_ATTEMPTS
        or webhook.revoked_at is not None
        or error == "espace gelé ou fermé"
    ):
        changes.update(given_up_at=now, next_attempt_at=None)
        logger.warning("Webhook delivery %s given up after %s tries", pk, attempts)
    else:
        changes["next_attempt_at"] = now + retry_delay(attempts)
    WebhookDelivery.objects.filter(pk=pk).update(**changes)
    return False


def due_deliveries():
    return WebhookDelivery.objects.filter(
        delivered_at=None, given_up_at=None, next_attempt_at__lte=clock.now()
    ).order_by("next_attempt_at", "id")
