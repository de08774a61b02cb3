"""`GET /me`: who the token acts for."""

from ninja import Router

from api.auth import SubscriberToken
from api.schemas import MeOut

router = Router()


@router.get("/me", response=MeOut, auth=SubscriberToken(), summary="L'abonné du jeton")
def me(request):
    subscriber, token = request.auth.subscriber, request.auth.token
    return {
        "subscriber_number": subscriber.subscriber_number,
        "first_name": subscriber.first_name,
        "last_name": subscriber.last_name,
        "email": subscriber.email,
        "token": {"name": token.name, "scopes": token.scopes, "expires_at": token.expires_at},
    }
