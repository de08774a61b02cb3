"""The habilitations' tables: rights held (`habilitation`), requests by letter (`postal`)."""

from habilitations.models.habilitation import (
    ADMIN_ROLES,
    DELEGATE_ROLES,
    Habilitation,
    Origin,
    PortfolioEntry,
    Role,
    State,
)
from habilitations.models.postal import (
    OPEN_STATES,
    PostalRequest,
    RequestKind,
    RequestState,
    SimplifiedRegistration,
    SimplifiedRegistrationQuerySet,
    ordered,
)

__all__ = [
    "ADMIN_ROLES",
    "DELEGATE_ROLES",
    "OPEN_STATES",
    "Habilitation",
    "Origin",
    "PortfolioEntry",
    "PostalRequest",
    "RequestKind",
    "RequestState",
    "Role",
    "SimplifiedRegistration",
    "SimplifiedRegistrationQuerySet",
    "State",
    "ordered",
]
