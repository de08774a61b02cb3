"""The portfolio and one dossier (docs/habilitations.md §10, §2): `GET /dossiers` (search and
cursor pages, as *Voir tous mes dossiers*), `GET /dossiers/{siren}`, `GET
/dossiers/{siren}/holders` (*Qui a accès*, same right as the page)."""

from typing import Annotated

from ninja import Field as QueryField
from ninja import Router

from api import problems
from api.auth import SubscriberToken, subscriber_of
from api.models import Scope
from api.schemas import DossierOut, DossierPage, HabilitationOut, role_name
from habilitations.catalogue import label, service_of
from habilitations.portfolio import queries as portfolio
from habilitations.rights.queries import dossier_of, holders_of

router = Router(auth=SubscriberToken(Scope.DOSSIERS_READ))

MAX_LIMIT = 200


def dossier_or_404(request, siren: str):
    """The company and the caller's active rights on it, or a 404 that says nothing of whether
    the company exists (as the pages' 403)."""
    found = dossier_of(subscriber_of(request), siren)
    if found is None:
        raise problems.problem("api.not_found")
    return found


@router.get("/dossiers", response=DossierPage, summary="Le portefeuille de dossiers")
def dossiers(
    request,
    q: Annotated[str, QueryField(max_length=100)] = "",
    cursor: Annotated[str, QueryField(max_length=1000)] = "",
    limit: Annotated[int, QueryField(ge=1, le=MAX_LIMIT)] = 50,
    sort: Annotated[str, QueryField(pattern="^(nom|siren)$")] = "nom",
):
    if cursor and not portfolio.cursor_is_valid(cursor, query=q, sort=sort):
        raise problems.problem("api.invalid_cursor")
    page = portfolio.page(subscriber_of(request), query=q, sort=sort, after=cursor, size=limit)
    return {
        "items": [
            {
                "siren": e.identifier,
                "name": e.name,
                "titular_admin": e.titular_count,
                "deputy_admin": e.deputy_count,
                "delegating_actor": e.delegating_count,
                "actor": e.actor_count,
                "suspended": e.suspended_count,
            }
            for e in page.entries
        ],
        "total": page.total,
        "next_cursor": page.next_cursor,
    }


@router.get("/dossiers/{siren}", response=DossierOut, summary="Un dossier et vos rôles")
def dossier(request, siren: str):
    company, rights = dossier_or_404(request, siren)
    return {
        "siren": company.identifier,
        "name": company.name,
        "rights": [
            {
                "service": service_of(code),
                "elementary_service": code,
                "label": label(code),
                "role": role_name(role),
            }
            for code, role in sorted(rights.roles.items())
        ],
        "usable": sorted(rights.usable()),
        "withheld_by_policy": sorted(rights.withheld_by_policy),
        "designation_withheld": rights.designation_withheld(),
    }


def habilitation_out(h) -> dict:
    return {
        "id": h.pk,
        "subscriber_number": h.subscriber.subscriber_number,
        "first_name": h.subscriber.first_name,
        "last_name": h.subscriber.last_name,
        "service": h.service,
        "elementary_service": h.elementary_service,
        "label": h.label,
        "role": role_name(h.role),
        "state": h.state,
        "origin": h.origin,
        "granted_by": h.granted_by.subscriber_number if h.granted_by else None,
        "granted_at": h.granted_at,
    }


@router.get(
    "/dossiers/{siren}/holders",
    response=list[HabilitationOut],
    summary="Qui a accès à cette entreprise",
)
def holders(request, siren: str):
    company, rights = dossier_or_404(request, siren)
    if not rights.may_see_holders():
        raise problems.problem("api.forbidden")
    return [habilitation_out(h) for h in holders_of(company)]
