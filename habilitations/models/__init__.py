"""The habilitations' tables: rights held (`habilitation`), requests by letter (`postal`),
delegation requests from firms (`delegation_request`), groups of dossiers (`groups`), a
company's requirement of a strong factor (`strong_factor`)."""

from habilitations.choices import (
    ADMIN_ROLES,
    DELEGATE_ROLES,
    OPEN_STATES,
    DelegationRequestState,
    Origin,
    RequestKind,
    RequestState,
    Role,
    State,
)
from habilitations.models.delegation_request import (
    DelegationRequest,
    DelegationRequestItem,
    FirmBlock,
)
from habilitations.models.groups import DossierGroup, GroupDossier, GroupGrant, GroupMember
from habilitations.models.habilitation import Habilitation, PortfolioEntry
from habilitations.models.postal import (
    PostalRequest,
    SimplifiedRegistration,
    SimplifiedRegistrationQuerySet,
    ordered,
)
from habilitations.models.strong_factor import StrongFactorPolicy

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
    "StrongFactorPolicy",
    "ordered",
]
