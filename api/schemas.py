"""The API's documents (django-ninja schemas): English identifiers, French labels; SIREN (or
IDSP) and subscriber numbers identify companies and people; timestamps are ISO 8601 in UTC."""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import BaseModel, field_serializer

from api.models import DeliveryState
from api.webhooks import LOG_SIZE
from habilitations.choices import Role
from habilitations.rights.queries import Permission

SIREN = Annotated[str, Field(pattern=r"^(P[0-9]{8}|[0-9]{9})$", examples=["987654324"])]
SUBSCRIBER_NUMBER = Annotated[str, Field(pattern=r"^[0-9]{14}$", examples=["20101670101919"])]
CODE = Annotated[str, Field(min_length=1, max_length=40, examples=["declarer_tva"])]


class RoleName(StrEnum):
    titular_admin = "titular_admin"
    deputy_admin = "deputy_admin"
    delegating_actor = "delegating_actor"
    actor = "actor"


ROLE_OF_NAME = {
    RoleName.titular_admin: Role.TITULAR_ADMIN,
    RoleName.deputy_admin: Role.DEPUTY_ADMIN,
    RoleName.delegating_actor: Role.DELEGATING_ACTOR,
    RoleName.actor: Role.ACTOR,
}
NAME_OF_ROLE = {role: name for name, role in ROLE_OF_NAME.items()}


def role_name(role) -> RoleName:
    return NAME_OF_ROLE[Role(role)]


class UtcSchema(Schema):
    """Timestamps written in UTC with a Z."""

    @field_serializer("*", when_used="json", check_fields=False)
    def _utc(self, value):
        if isinstance(value, datetime):
            return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
        return value


class TokenOut(UtcSchema):
    name: str
    scopes: list[str]
    expires_at: datetime


class MeOut(Schema):
    subscriber_number: str
    first_name: str
    last_name: str
    email: str
    token: TokenOut


class ElementaryServiceOut(Schema):
    code: str
    label: str


class ServiceOut(Schema):
    code: str
    label: str
    menu: str
    elementary_services: list[ElementaryServiceOut]


class DerivedAccessOut(Schema):
    code: str
    label: str
    requires: str


class RoleOut(Schema):
    role: RoleName
    label: str
    permissions: list[Permission]


class CatalogueOut(Schema):
    services: list[ServiceOut]
    derived_accesses: list[DerivedAccessOut]
    roles: list[RoleOut]


class DossierSummary(Schema):
    siren: str
    name: str
    titular_admin: int
    deputy_admin: int
    delegating_actor: int
    actor: int
    suspended: int


class DossierPage(Schema):
    items: list[DossierSummary]
    total: int
    next_cursor: str | None


class RightOut(Schema):
    service: str
    elementary_service: str
    label: str
    role: RoleName


class DossierOut(Schema):
    siren: str
    name: str
    rights: list[RightOut]
    usable: list[str]
    # What the company's requirement of a strong factor withholds from the caller, who has none
    # (docs/habilitations.md §14): the Payer codes, and whether designating.
    withheld_by_policy: list[str] = []
    designation_withheld: bool = False


class HabilitationOut(UtcSchema):
    id: int
    subscriber_number: str
    first_name: str
    last_name: str
    service: str
    elementary_service: str
    label: str
    role: RoleName
    state: str
    origin: str
    granted_by: str | None
    granted_at: datetime


class DesignationIn(Schema):
    code: CODE
    role: RoleName


class DelegationIn(Schema):
    subscriber_number: SUBSCRIBER_NUMBER
    designations: Annotated[list[DesignationIn], Field(min_length=1, max_length=40)]


class DelegationStateIn(Schema):
    state: Annotated[str, Field(pattern="^(active|suspended)$")]


class WithdrawAllOut(Schema):
    removed: int


class BulkDelegationIn(Schema):
    subscriber_number: SUBSCRIBER_NUMBER
    role: RoleName
    codes: Annotated[list[CODE], Field(min_length=1, max_length=28)]
    sirens: Annotated[list[SIREN], Field(min_length=1, max_length=1000)]


class BulkReportItem(Schema):
    siren: str
    outcome: Annotated[str, Field(pattern="^(granted|unchanged|refused)$")]
    code: str | None = None
    detail: str | None = None


class BulkDelegationOut(Schema):
    granted: int
    items: list[BulkReportItem]


class BankIn(Schema):
    iban: Annotated[str, Field(max_length=50)]
    bic: Annotated[str, Field(max_length=20)]
    holder: Annotated[str, Field(max_length=70)]


class DemandeIn(Schema):
    kind: Annotated[str, Field(pattern="^(adhesion|substitution)$")]
    siren: SIREN
    services: Annotated[list[CODE], Field(min_length=1, max_length=20)]
    company_email: Annotated[str, Field(max_length=100)] = ""
    general_information: bool = False
    bank: BankIn | None = None


class DemandeOut(UtcSchema):
    id: int
    kind: str
    siren: str
    company_name: str
    services: list[str]
    state: str
    state_label: str
    created_at: datetime
    code_expires_at: datetime | None
    granted: list[str]
    not_granted: list[str]


class ActivationIn(Schema):
    code: Annotated[str, Field(min_length=1, max_length=40)]


# The check's documents are plain pydantic models, not django-ninja's `Schema`: a batch
# validates 1,000 items in and 1,000 answers out, and `Schema`'s per-object wrapper (for Django
# objects, never given here) took half of the batch's 25 ms (bench/README.md).
class CheckItem(BaseModel):
    subscriber_number: SUBSCRIBER_NUMBER
    siren: SIREN
    service: CODE
    action: Permission = Permission.USE


class CheckIn(BaseModel):
    """One triple, or `items`: a batch of up to 1,000."""

    subscriber_number: SUBSCRIBER_NUMBER | None = None
    siren: SIREN | None = None
    service: CODE | None = None
    action: Permission = Permission.USE
    items: Annotated[list[CheckItem], Field(max_length=1000)] | None = None


class CheckResult(BaseModel):
    allowed: bool
    # Why not, when the company's requirement of a strong factor withholds it
    # (`company.strong_factor_required`, docs/habilitations.md §14); absent otherwise.
    reason: str | None = None


class CheckOut(BaseModel):
    allowed: bool | None = None
    reason: str | None = None
    results: list[CheckResult] | None = None


class OAuthTokenOut(Schema):
    access_token: str
    token_type: str
    expires_in: int


class WebhookIn(Schema):
    url: Annotated[
        str,
        Field(
            description=(
                "Une adresse `https://` d'un serveur public (500 caractères au plus), sans "
                "identifiants."
            ),
            examples=["https://logiciel.example.fr/evenements"],
        ),
    ]


class WebhookOut(UtcSchema):
    id: int
    url: str
    created_at: datetime


class WebhookCreatedOut(WebhookOut):
    secret: Annotated[
        str,
        Field(
            description=(
                "Le secret de signature (`whsec_…`), affiché cette seule fois : il sert à "
                "vérifier l'en-tête `Webhook-Signature` de chaque événement."
            )
        ),
    ]


class DeliveryOut(UtcSchema):
    event_id: str
    event: str
    siren: str | None
    created_at: datetime
    state: DeliveryState
    attempts: int
    last_status: int | None
    last_error: str
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    given_up_at: datetime | None
    payload: dict[str, Any] = Field(description="L'événement tel qu'il est envoyé.")


class WebhookDetailOut(WebhookOut):
    deliveries: list[DeliveryOut] = Field(
        description=f"Le journal des envois : les {LOG_SIZE} derniers, le plus récent en tête."
    )
