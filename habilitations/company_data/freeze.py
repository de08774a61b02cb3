"""Freezing a company as the back office does it (docs/backoffice.md §7): the rule itself is
`companies.freezing`; here, who is told — the company's e-mail and its administrators."""

from companies import freezing
from companies.models import Company, CompanyEmail
from habilitations.models import ADMIN_ROLES, Habilitation


def _addresses(company: Company) -> list[str]:
    admins = Habilitation.objects.filter(company=company, role__in=ADMIN_ROLES).values_list(
        "subscriber__email", flat=True
    )
    own = CompanyEmail.objects.filter(company=company).values_list("email", flat=True)
    return [*admins, *own]


def freeze_company(company: Company) -> Company:
    return freezing.freeze(company, tell=_addresses(company))


def unfreeze_company(company: Company) -> Company:
    return freezing.unfreeze(company, tell=_addresses(company))
