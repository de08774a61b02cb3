"""Provisional identifiers (IDSP, docs/companies.md §1.3, docs/backoffice.md §6): an agent gives
one to an entity without SIREN, which can then be the object of an adhesion like any company.
Its conversion to a SIREN, which carries habilitations along, is
`habilitations.company_data.conversion`."""

import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from audit.models import Action
from audit.trail import record
from companies.identifiers import IDSP_RE
from companies.models import Company
from core.refusals import Refusal


@dataclass(frozen=True)
class Entity:
    """What an agent knows of an entity without SIREN: its name and address."""

    name: str
    street_line: str
    postal_code: str
    city: str
    country: str

    def checked(self) -> "Entity":
        cleaned = Entity(**{k: " ".join(v.split()) for k, v in self.__dict__.items()})
        if not cleaned.name:
            raise Refusal("company.name_missing", field="name")
        if not cleaned.city:
            raise Refusal("company.city_missing", field="city")
        return cleaned


def new_idsp() -> str:
    """'P' and 8 random digits: never a SIREN (docs/companies.md §1.3)."""
    return f"P{secrets.randbelow(10**8):08d}"


def is_idsp(identifier: str) -> bool:
    return bool(IDSP_RE.fullmatch(identifier or ""))


def issue_idsp(entity: Entity) -> Company:
    """Register the entity under a new IDSP (a few tries should two numbers collide)."""
    entity = entity.checked()
    for _ in range(5):
        try:
            with transaction.atomic():
                company = Company.objects.create(
                    identifier=new_idsp(),
                    name=entity.name.upper(),
                    street_line=entity.street_line.upper(),
                    postal_code=entity.postal_code,
                    city=entity.city.upper(),
                    country=entity.country.upper(),
                )
                record(Action.IDSP_ISSUED, target=company.identifier, name=company.name)
                return company
        except IntegrityError:
            continue
    raise RuntimeError("no free IDSP after 5 tries")
