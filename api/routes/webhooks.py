"""Webhooks (docs/api.md §7), through `api.webhooks` as the page *Webhooks de vos logiciels*:
list, register (the signing secret shown once), one with its delivery log, delete. Scope
`webhooks:write`, for reading too (one scope per area, as `demandes:write`)."""

from ninja import Router, Status

from api import idempotency, problems, webhooks
from api.auth import SubscriberToken, subscriber_of
from api.models import Scope, Webhook, WebhookDelivery
from api.schemas import WebhookCreatedOut, WebhookDetailOut, WebhookIn, WebhookOut

router = Router(auth=SubscriberToken(Scope.WEBHOOKS_WRITE))


def webhook_out(webhook: Webhook) -> dict:
    return {"id": webhook.pk, "url": webhook.url, "created_at": webhook.created_at}


def delivery_out(delivery: WebhookDelivery) -> dict:
    return {
        "event_id": delivery.event_id,
        "event": delivery.event,
        "siren": delivery.payload.get("data", {}).get("siren"),
        "created_at": delivery.created_at,
        "state": delivery.state,
        "attempts": delivery.attempts,
        "last_status": delivery.last_status,
        "last_error": delivery.last_error,
        "next_attempt_at": delivery.next_attempt_at,
        "delivered_at": delivery.delivered_at,
        "given_up_at": delivery.given_up_at,
        "payload": delivery.payload,
    }


def _own(request, webhook_id: int) -> Webhook:
    """One of the caller's live webhooks; another's, or a deleted one, is a 404."""
    webhook = webhooks.webhook_of(subscriber_of(request), webhook_id)
    if webhook is None:
        raise problems.problem("api.not_found")
    return webhook


@router.get("/webhooks", response=list[WebhookOut], summary="Vos webhooks")
def webhooks_list(request):
    return [webhook_out(w) for w in webhooks.webhooks_of(subscriber_of(request))]


@router.post(
    "/webhooks",
    response={201: WebhookCreatedOut},
    summary="Enregistrer un webhook (son secret affiché une seule fois)",
)
def register(request, body: WebhookIn):
    # The answer holds the secret: kept for a retry with the same Idempotency-Key, but sealed.
    idempotency.keep_sealed(request)
    webhook, secret = webhooks.register(subscriber_of(request), body.url)
    return Status(201, {**webhook_out(webhook), "secret": secret})


@router.get(
    "/webhooks/{webhook_id}",
    response=WebhookDetailOut,
    summary="Un webhook et son journal des envois",
)
def webhook(request, webhook_id: int):
    found = _own(request, webhook_id)
    log = webhooks.delivery_log(subscriber_of(request), found)
    return {**webhook_out(found), "deliveries": [delivery_out(d) for d in log]}


@router.delete("/webhooks/{webhook_id}", response={204: None}, summary="Supprimer un webhook")
def revoke(request, webhook_id: int):
    if not webhooks.revoke(subscriber_of(request), webhook_id):
        raise problems.problem("api.not_found")
    return Status(204, None)
