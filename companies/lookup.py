"""Reading the registry by identifier (docs/companies.md §1), for the domain and every front
door alike."""

from companies.models import Company


def company_name(identifier: str) -> str | None:
    """The registry's name for a SIREN/IDSP, or None when the registry does not know it."""
    return Company.objects.filter(identifier=identifier).values_list("name", flat=True).first()


def company_by_identifier(identifier: str) -> Company | None:
    """The company whose current SIREN or IDSP is `identifier` (docs/companies.md §1)."""
    return Company.objects.filter(identifier=identifier).first()
