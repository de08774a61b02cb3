"""An agent corrects a company's data (docs/backoffice.md §6): its name and fiscal address,
e.g. before a letter is reissued to the corrected address. Audited with the old and new values."""

from django.db import transaction

from audit.models import Action
from audit.trail import record
from companies.models import Company
from companies.provisional import Entity

FIELDS = ("name", "street_line", "postal_code", "city", "country")


@transaction.atomic
def correct(company: Company, entity: Entity) -> Company:
    entity = entity.checked()
    company = Company.objects.select_for_update().get(pk=company.pk)
    changes = {}
    for field in FIELDS:
        new = getattr(entity, field).upper() if field != "postal_code" else entity.postal_code
        old = getattr(company, field)
        if new != old:
            changes[field] = [old, new]
            setattr(company, field, new)
    if changes:
        company.save()
        record(Action.COMPANY_CHANGED, target=company.identifier, changes=changes)
    return company
