"""The synthetic dataset written by the ORM's bulk inserts: SQLite, and any database but
PostgreSQL (which `demo.bulk_postgres` loads by COPY). The rows are `demo.synthetic`'s."""

from django.db import connection, transaction

from accounts.models import Subscriber
from companies.models import BankAccount, Company, CompanyEmail
from core import clock
from demo.synthetic import (
    BIC,
    Plan,
    Progress,
    _batches,
    _subscribers,
    bank_account_rows,
    company_email_rows,
    company_rows,
    habilitation_rows,
    siren,
    subscriber_email,
)
from habilitations.models import Habilitation
from habilitations.portfolio import sync as portfolio_sync


def _ids(model, field: str, keys: list[str]) -> dict[str, int]:
    found = {}
    for batch in _batches(iter(keys), 10_000):
        found.update(model.objects.filter(**{f"{field}__in": batch}).values_list(field, "id"))
    return found


def generate_with_orm(plan: Plan, out) -> int:
    """Write the plan's rows with the ORM's bulk inserts (conflicts ignored); returns the number
    of portfolio entries."""
    now = clock.now()
    progress = Progress("Entreprises", plan.companies, out)
    for batch in _batches(company_rows(plan)):
        Company.objects.bulk_create(
            [
                Company(
                    identifier=identifier,
                    name=name,
                    search_name=search_name,
                    legal_category="5499",
                    street_line=street,
                    postal_code=postal_code,
                    city=city,
                )
                for _, identifier, name, search_name, street, postal_code, city in batch
            ],
            ignore_conflicts=True,
        )
        progress.add(len(batch))
    progress.finish()
    progress = Progress("Abonnés", plan.subscribers, out)
    for batch in _batches(_subscribers(plan)):
        Subscriber.objects.bulk_create(batch, ignore_conflicts=True)
        progress.add(len(batch))
    progress.finish()
    company_map = _ids(Company, "identifier", [siren(n) for n in range(plan.companies)])
    company_ids = [company_map[siren(n)] for n in range(plan.companies)]
    emails = [subscriber_email(n) for n in range(plan.subscribers)]
    subscriber_map = _ids(Subscriber, "email", emails)
    subscriber_ids = [subscriber_map[email] for email in emails]
    progress = Progress("Habilitations", plan.expected_habilitations(), out)
    for batch in _batches(habilitation_rows(plan)):
        with transaction.atomic():
            Habilitation.objects.bulk_create(
                [
                    Habilitation(
                        subscriber_id=subscriber_ids[s],
                        company_id=company_ids[c],
                        service=service,
                        elementary_service=elementary,
                        role=role,
                        origin=origin,
                        granted_by_id=None if by is None else subscriber_ids[by],
                        granted_at=now,
                        changed_at=now,
                    )
                    for s, c, service, elementary, role, origin, by in batch
                ],
                ignore_conflicts=True,
            )
        progress.add(len(batch))
    progress.finish()
    progress = Progress("Adresses électroniques et comptes bancaires", 0, out)
    for batch in _batches(company_email_rows(plan)):
        CompanyEmail.objects.bulk_create(
            [
                CompanyEmail(
                    company_id=company_ids[c],
                    email=email,
                    confirmed_at=now,
                    changed_by_id=subscriber_ids[s],
                )
                for c, email, s in batch
            ],
            ignore_conflicts=True,
        )
        progress.add(len(batch))
    for batch in _batches(bank_account_rows(plan)):
        BankAccount.objects.bulk_create(
            [
                BankAccount(
                    company_id=company_ids[c],
                    iban=account,
                    bic=BIC,
                    holder=holder,
                    added_at=now,
                    added_by_id=subscriber_ids[s],
                    changed_at=now,
                )
                for c, account, holder, s in batch
            ],
            ignore_conflicts=True,
        )
        progress.add(len(batch))
    progress.finish()
    progress = Progress("Portefeuilles", 0, out)
    with transaction.atomic():
        entries = portfolio_sync.rebuild_all()
    progress.add(entries)
    progress.finish()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics after a bulk load
    return entries
