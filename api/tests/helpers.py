"""Builders for the API's tests: a token for a subscriber, a service client's bearer."""

from datetime import timedelta

from api import clients, tokens
from api.models import Scope
from core import clock

ALL_SCOPES = list(Scope.values)


def token_for(subscriber, scopes=None, days: int = 30, name: str = "Logiciel") -> str:
    _, raw = tokens.create_token(
        subscriber,
        name,
        ALL_SCOPES if scopes is None else scopes,
        clock.now() + timedelta(days=days),
    )
    return raw


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def service_bearer(name: str = "Déclarer TVA") -> str:
    client, secret = clients.create_client(name)
    raw, _ = clients.issue_bearer(client.client_id, secret)
    return raw
