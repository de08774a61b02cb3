"""`GET /catalogue`: services, elementary services, derived accesses, roles and what each role
may (docs/habilitations.md §1, §2), from `habilitations.catalogue` and
`habilitations.rights.queries.ROLE_RIGHTS`."""

from ninja import Router

from api.auth import AnyCaller
from api.schemas import CatalogueOut, role_name
from habilitations.catalogue import DERIVED_ACCESSES, SERVICES, elementary_codes_of, label
from habilitations.rights.queries import ROLE_RIGHTS, Permission

router = Router()


@router.get("/catalogue", response=CatalogueOut, auth=AnyCaller(), summary="Le catalogue")
def catalogue(request):
    return {
        "services": [
            {
                "code": s.code,
                "label": s.label,
                "menu": s.menu.value,
                "elementary_services": [
                    {"code": code, "label": label(code)} for code in elementary_codes_of(s.code)
                ],
            }
            for s in SERVICES
        ],
        "derived_accesses": [
            {"code": d.code, "label": d.label, "requires": d.requires} for d in DERIVED_ACCESSES
        ],
        "roles": [
            {
                "role": role_name(role),
                "label": role.label,
                "permissions": [p for p in Permission if p in permissions],
            }
            for role, permissions in ROLE_RIGHTS.items()
        ],
    }
