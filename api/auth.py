"""The endpoints' authentication (django-ninja's `HttpBearer`): each endpoint says which kind
of caller and which scope it needs, and its class authenticates the bearer django-ninja gives
it (`api.gate.principal_for`: the gate's identification of the same token, made once for the
rate limits). A token
never carries more than its scopes, nor more rights than its owner holds at the time of the
call (the endpoints ask the domain as the owner)."""

from ninja.security import HttpBearer

from api import problems
from api.gate import principal_for
from api.models import Scope


class SubscriberToken(HttpBearer):
    """A subscriber's personal access token, with `scope` (any scope when None)."""

    def __init__(self, scope: Scope | None = None):
        super().__init__()
        self.scope = scope

    def authenticate(self, request, token):
        principal = principal_for(request, token)
        if principal is None:
            raise problems.problem("api.token_invalid")
        if principal.token is None:
            raise problems.problem("api.subscribers_only")
        if self.scope is not None and self.scope not in principal.token.scopes:
            raise problems.problem("api.scope_missing", scope=self.scope.value)
        return principal


class ServiceClientBearer(HttpBearer):
    """A service client's bearer (from `POST /oauth/token`)."""

    def authenticate(self, request, token):
        principal = principal_for(request, token)
        if principal is None:
            raise problems.problem("api.token_invalid")
        if principal.client is None:
            raise problems.problem("api.service_clients_only")
        return principal


class AnyCaller(HttpBearer):
    """A token (any scope) or a service client."""

    def authenticate(self, request, token):
        principal = principal_for(request, token)
        if principal is None:
            raise problems.problem("api.token_invalid")
        return principal


def subscriber_of(request):
    return request.auth.subscriber
