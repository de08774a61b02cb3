"""`POST /oauth/token`: OAuth2 client credentials (RFC 6749 §4.4) for service clients; the
client authenticates with HTTP Basic or with `client_id` and `client_secret` in the form."""

import base64
import binascii
from typing import Annotated

from ninja import Form, Router

from api import clients, problems
from api.schemas import OAuthTokenOut
from core import context, limits

router = Router()


def _credentials(request, client_id: str, client_secret: str) -> tuple[str, str]:
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return "", ""
        client_id, _, client_secret = decoded.partition(":")
    return client_id, client_secret


@router.post(
    "/oauth/token",
    response=OAuthTokenOut,
    auth=None,
    summary="Obtenir un jeton de service (client credentials)",
)
def token(
    request,
    grant_type: Annotated[str, Form(max_length=40)],
    client_id: Annotated[str, Form(max_length=40)] = "",
    client_secret: Annotated[str, Form(max_length=200)] = "",
):
    if grant_type != "client_credentials":
        raise problems.problem("api.unsupported_grant_type")
    address = context.current().ip_address or "-"
    usage = limits.peek("api.oauth_address", address)
    if usage.reached:
        raise problems.problem(
            "api.rate_limited",
            headers={"Retry-After": str(usage.retry_after)},
            seconds=usage.retry_after,
        )
    client_id, client_secret = _credentials(request, client_id, client_secret)
    issued = clients.issue_bearer(client_id, client_secret) if client_id else None
    if issued is None:
        limits.hit("api.oauth_address", address)
        raise problems.problem("api.invalid_client")
    raw, lifetime = issued
    return {"access_token": raw, "token_type": "Bearer", "expires_in": lifetime}
