"""The habilitations' tables: rights held (`habilitation`), requests by letter (`postal`),
delegation requests from firms (`delegation_request`), groups of dossiers (`groups`)."""

from habilitations.models.delegation_request import (
    DelegationRequest,
    DelegationRequestItem,
    DelegationRequestState,
    FirmBlock,
)
from habilitations.models.groups import DossierGroup, GroupDossier, GroupGrant, GroupMember
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
    "DelegationRequest",
    "DelegationRequestItem",
    "DelegationRequestState",
    "DossierGroup",
    "FirmBlock",
    "GroupDossier",
    "GroupGrant",
    "GroupMember",
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
