"""The refusals' French messages: the JSON API (docs/api.md)."""

from __future__ import annotations

from core.plural import Plural

MESSAGES: dict[str, str | Plural] = {
    # --- the JSON API (docs/api.md): credentials, scopes, limits, idempotency ----------
    "api.unauthenticated": (
        "Authentification requise : présentez un jeton d'accès valable dans l'en-tête "
        "« Authorization: Bearer … »."
    ),
    "api.token_invalid": (
        "Ce jeton d'accès n'est pas valable : il est inconnu, expiré ou révoqué."
    ),
    "api.scope_missing": "Ce jeton d'accès n'a pas la portée « {scope} » nécessaire.",
    "api.service_clients_only": (
        "Seuls les clients de service (services en ligne) peuvent appeler ce point d'accès."
    ),
    "api.subscribers_only": (
        "Ce point d'accès est réservé aux jetons d'accès personnels des abonnés."
    ),
    "api.not_found": "Cette ressource n'existe pas ou vous n'y avez pas accès.",
    "api.forbidden": "Vos habilitations ne vous permettent pas cette action.",
    "api.unknown_subscriber": "Aucun espace professionnel ne correspond à ce numéro d'abonné.",
    "api.rate_limited": (
        "Trop de requêtes avec ces identifiants : réessayez dans {seconds} secondes."
    ),
    "api.idempotency_key_reused": (
        "Cette clé d'idempotence a déjà servi pour une autre requête : choisissez-en une nouvelle."
    ),
    "api.idempotency_key_invalid": (
        "La clé d'idempotence compte de 1 à 255 caractères imprimables."
    ),
    "api.invalid_cursor": "Ce curseur de pagination n'est pas valable.",
    "api.invalid_request": "La requête est invalide : {detail}",
    "api.batch_too_large": "Une vérification compte au plus {max} demandes.",
    "api.invalid_client": "Identifiant ou secret du client de service incorrect.",
    "api.unsupported_grant_type": "Seul le type « client_credentials » est accepté.",
    "api.token_name_missing": "Donnez un nom à ce jeton (le logiciel qui l'utilisera).",
    "api.token_no_scope": "Cochez au moins une portée.",
    "api.token_expiry_invalid": (
        "La date d'expiration doit être postérieure à aujourd'hui et au plus dans {days} jours."
    ),
    "api.too_many_tokens": (
        "Vous avez déjà {count} jetons actifs : révoquez-en un avant d'en créer un autre."
    ),
    "api.webhook_https_only": "L'adresse doit commencer par « https:// ».",
    "api.webhook_address_refused": (
        "Cette adresse n'est pas acceptée : elle doit désigner un serveur public sur Internet."
    ),
    "api.too_many_webhooks": "Vous avez déjà {count} webhooks : supprimez-en un d'abord.",
    "api.webhook_url_too_long": "L'adresse compte au plus {max} caractères.",
    "api.webhook_url_invalid": (
        "Cette adresse n'est pas une adresse web valable, par exemple "
        "« https://logiciel.example.fr/evenements »."
    ),
}
