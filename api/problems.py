"""Errors as `application/problem+json` (RFC 9457, docs/api.md §5): the stable refusal code of
`core.refusals` and its French message, with the HTTP status the code calls for.

A 401, 403 or 404 never says whether a company exists to someone without rights on it: an
unknown company and a company without rights are the same 404 (`api.not_found`), as the pages
answer the same 403 for both."""

import json

from django.http import HttpResponse

from core.refusals import Refusal

MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:espace-professionnel:refus:"

TITLES = {
    400: "Requête invalide",
    401: "Authentification requise",
    403: "Action refusée",
    404: "Ressource introuvable",
    405: "Méthode non autorisée",
    409: "Conflit",
    422: "Refusée par les règles",
    429: "Trop de requêtes",
    500: "Erreur du serveur",
}

# The status of each code that is not a plain rule's refusal (422).
STATUS = {
    "api.unauthenticated": 401,
    "api.token_invalid": 401,
    "api.invalid_client": 401,
    "api.scope_missing": 403,
    "api.service_clients_only": 403,
    "api.subscribers_only": 403,
    "api.forbidden": 403,
    "api.not_found": 404,
    "api.rate_limited": 429,
    "api.idempotency_key_reused": 422,
    "api.idempotency_key_invalid": 400,
    "api.invalid_cursor": 400,
    "api.invalid_request": 400,
    "api.batch_too_large": 400,
    "api.unsupported_grant_type": 400,
    # Beyond one's rights on a dossier one may see: refused as the pages refuse, 403.
    "delegation.above_granter": 403,
    "delegation.not_manageable": 403,
    "delegation.role_not_yours_to_change": 403,
    "delegation.suspended_by_admin": 403,
    "delegation.gone": 404,
    # The company requires a strong factor the caller's space lacks (docs/habilitations.md §14).
    "company.strong_factor_required": 403,
    "habilitation.gone": 404,
    "postal.unknown_request": 404,
    "postal.not_withdrawable": 409,
    "postal.code_used": 409,
    # The messaging (docs/api.md §2): a company whose Messagerie one may not use, whether it
    # exists or not, is a 404, as a dossier without rights.
    "messaging.forbidden": 404,
    "messaging.closed": 409,
}


class ApiProblem(Exception):
    """A refusal answered by the API, with its status (from `STATUS`, else 422)."""

    def __init__(self, refusal: Refusal, status: int | None = None, headers=None):
        super().__init__(refusal.message)
        self.refusal = refusal
        self.status = status or STATUS.get(refusal.code, 422)
        self.headers = headers or {}


def problem(code: str, status: int | None = None, headers=None, **params) -> ApiProblem:
    return ApiProblem(Refusal(code, **params), status, headers)


def response(
    refusal: Refusal, status: int | None = None, instance: str = "", headers=None
) -> HttpResponse:
    status = status or STATUS.get(refusal.code, 422)
    body = {
        "type": TYPE_PREFIX + refusal.code,
        "title": TITLES.get(status, "Erreur"),
        "status": status,
        "detail": refusal.message,
        "code": refusal.code,
    }
    if refusal.field:
        body["field"] = refusal.field
    if instance:
        body["instance"] = instance
    answer = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=MEDIA_TYPE
    )
    for name, value in (headers or {}).items():
        answer[name] = value
    if status == 401:
        answer["WWW-Authenticate"] = 'Bearer realm="api"'
    return answer


def from_exception(exc: ApiProblem, instance: str = "") -> HttpResponse:
    return response(exc.refusal, exc.status, instance, exc.headers)
