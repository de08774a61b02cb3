"""The habilitations' vocabularies (docs/glossary.md §3.5, §3.8, §3.10): roles, states, origins,
postal requests' kinds and states, delegation requests' states. Stored values; the models use them
and the front doors import them from here, never the models (`.importlinter`)."""

from django.db import models


class Role(models.TextChoices):
    """The four roles of docs/habilitations.md §2, from the most to the least powerful."""

    TITULAR_ADMIN = "AT", "Administrateur titulaire"
    DEPUTY_ADMIN = "AS", "Administrateur suppléant"
    DELEGATING_ACTOR = "AD", "Acteur délégant"
    ACTOR = "AC", "Acteur"

    @property
    def is_admin(self) -> bool:
        return self in (Role.TITULAR_ADMIN, Role.DEPUTY_ADMIN)


ADMIN_ROLES = (Role.TITULAR_ADMIN, Role.DEPUTY_ADMIN)
DELEGATE_ROLES = (Role.DELEGATING_ACTOR, Role.ACTOR)


class State(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "En veille"


class Origin(models.TextChoices):
    ADHESION = "adhesion", "Adhésion"
    SUBSTITUTION = "substitution", "Substitution"
    DELEGATION = "delegation", "Délégation"
    SIMPLIFIED = "simplified", "Mode simplifié"
    DEMO = "demo", "Données de démonstration"


class RequestKind(models.TextChoices):
    ADHESION = "adhesion", "Adhésion"
    SUBSTITUTION = "substitution", "Substitution"
    SIMPLIFIED = "simplified", "Création en mode simplifié"


class RequestState(models.TextChoices):
    AWAITING_EMAIL = (
        "awaiting_email",
        "En attente de la confirmation de l'adresse électronique de l'entreprise",
    )
    LETTER_SENT = "letter_sent", "Courrier envoyé"
    ACTIVATED = "activated", "Activée"
    EXPIRED = "expired", "Expirée"
    WITHDRAWN = "withdrawn", "Supprimée"
    BLOCKED = "blocked", "Annulée (code saisi trop de fois de manière erronée)"


OPEN_STATES = (RequestState.AWAITING_EMAIL, RequestState.LETTER_SENT)


class DelegationRequestState(models.TextChoices):
    PENDING = "pending", "En attente"
    ACCEPTED = "accepted", "Acceptée"
    PARTLY_ACCEPTED = "partly_accepted", "Acceptée en partie"
    REFUSED = "refused", "Refusée"
    EXPIRED = "expired", "Expirée"
    WITHDRAWN = "withdrawn", "Retirée"
