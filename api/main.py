"""The JSON API, version 1 (docs/api.md): django-ninja, OpenAPI 3.1 at `/api/v1/openapi.json`,
a documentation page of the site at `/api/v1/docs` (api/docs_page.py)."""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from api import problems
from api.gate import gate
from api.routes import (
    authorizations,
    catalogue,
    delegations,
    dossiers,
    me,
    messages,
    oauth,
    postal_requests,
    webhooks,
)
from core.refusals import Refusal
from messaging.uploads import takes_attachments

DESCRIPTION = """API des services en ligne des professionnels : portefeuille de dossiers,
délégations, demandes par courrier (adhésion, substitution), messagerie sécurisée, webhooks
(être prévenu des changements sur vos dossiers), vérification des habilitations pour les
services en ligne.

Authentification : un jeton d'accès personnel (« Accès pour vos logiciels » dans votre espace)
ou, pour un service en ligne, un jeton obtenu par `POST /api/v1/oauth/token` ; dans l'en-tête
`Authorization: Bearer …`. Erreurs au format `application/problem+json` (RFC 9457) avec un
`code` stable. Dates en ISO 8601, UTC."""

PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "Le message, en français."},
        "code": {"type": "string", "description": "Le code stable du refus."},
        "field": {"type": "string"},
        "instance": {"type": "string"},
    },
}
ERROR_STATUSES = {
    "400": "Requête invalide",
    "401": "Authentification requise",
    "403": "Action refusée",
    "404": "Ressource introuvable",
    "405": "Méthode non autorisée",
    "409": "Conflit",
    "422": "Refusée par les règles",
    "429": "Trop de requêtes",
}
IDEMPOTENCY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        "Une clé choisie par le client : la même clé avec la même requête rend la première "
        "réponse ; avec une autre requête, elle est refusée."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
}


class Api(NinjaAPI):
    def _get_urls(self):
        """The API's views are public to the site's login requirement (`LoginRequiredMiddleware`,
        which fails closed): a call authenticates by its bearer (`api.auth`), never a session."""
        patterns = super()._get_urls()
        for pattern in patterns:
            pattern.callback.login_required = False
            if "/threads" in str(pattern.pattern):
                # A message's attachments, posted as multipart (messaging.uploads).
                takes_attachments(pattern.callback)
        return patterns

    def get_openapi_schema(self, *args, **kwargs):
        """Errors are documented as `application/problem+json`; every POST takes an
        `Idempotency-Key`."""
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        ref = {"$ref": "#/components/schemas/Problem"}
        for path in schema["paths"].values():
            for method, operation in path.items():
                responses = operation.setdefault("responses", {})
                for status, title in ERROR_STATUSES.items():
                    responses[status] = {
                        "description": title,
                        "content": {problems.MEDIA_TYPE: {"schema": ref}},
                    }
                if method == "post":
                    operation.setdefault("parameters", []).append(IDEMPOTENCY_PARAMETER)
        return schema


api = Api(
    title="Espace professionnel — API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url=None,  # the page is api/docs_page.py: the site's own, accessible
)

# Before each operation's own checks (its authentication, its parameters): api/gate.py.
api.add_decorator(gate, mode="view")

api.add_router("/", me.router, tags=["Abonné"])
api.add_router("/", catalogue.router, tags=["Catalogue"])
api.add_router("/", dossiers.router, tags=["Dossiers"])
api.add_router("/", delegations.router, tags=["Délégations"])
api.add_router("/", messages.router, tags=["Messagerie sécurisée"])
api.add_router("/", postal_requests.router, tags=["Demandes par courrier"])
api.add_router("/", webhooks.router, tags=["Webhooks"])
api.add_router("/", authorizations.router, tags=["Vérification des habilitations"])
api.add_router("/", oauth.router, tags=["Clients de service"])


@api.exception_handler(problems.ApiProblem)
def _problem(request, exc):
    return problems.from_exception(exc, request.path)


@api.exception_handler(Refusal)
def _refusal(request, exc):
    return problems.response(exc, instance=request.path)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    code = "api.token_invalid" if request.headers.get("Authorization") else "api.unauthenticated"
    return problems.response(Refusal(code), instance=request.path)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    first = exc.errors[0] if exc.errors else {}
    where = ".".join(str(part) for part in first.get("loc", ()))
    detail = f"{where} : {first.get('msg', 'valeur invalide')}" if where else "corps invalide."
    return problems.response(
        Refusal("api.invalid_request", detail=detail), status=400, instance=request.path
    )


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problems.response(Refusal("api.not_found"), instance=request.path)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    code = "api.not_found" if exc.status_code == 404 else "api.invalid_request"
    params = {} if code == "api.not_found" else {"detail": str(exc)}
    return problems.response(Refusal(code, **params), status=exc.status_code, instance=request.path)
