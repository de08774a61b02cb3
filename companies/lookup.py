from companies.models import Company


def company_name(identifier: str) -> str | None:
    """The registry's name for a SIREN/IDSP, or None when the registry does not know it."""
    return Company.objects.filter(identifier=identifier).values_list("name", flat=True).first()
