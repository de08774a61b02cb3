"""The synthetic dataset on PostgreSQL: COPY in bulk, national scale in minutes.

Each table is loaded in two steps. The plan's rows are streamed with COPY (psycopg 3's
`cursor.copy()`) into a temporary staging table keyed by row number (n); one
`INSERT … SELECT … ON CONFLICT DO NOTHING` then moves them into the real table, resolving
row numbers into ids by joins on the server, so Python never holds more than one row and
a re-run adds nothing. When the real table is empty, its secondary indexes, unique and
foreign-key constraints are dropped first and rebuilt after the load, in the same
transaction (rebuilding validates them: a broken invariant rolls the table back); check
constraints stay and are checked row by row. The Payer trigger of habilitations
(migration habilitations 0003) is disabled during the load, under a lock that keeps other
writers out, and its rule is checked once over the table before commit.
"""

import sys

from django.db import connection, transaction

from accounts.models import Subscriber
from companies.models import BankAccount, Company, CompanyEmail
from core import clock
from demo import pg_copy as pg
from demo import synthetic
from demo.synthetic import BIC, Plan, Progress
from habilitations.models import Habilitation, PortfolioEntry
from habilitations.portfolio import sync as portfolio_sync

# Session settings for the load: big sorts and hashes in memory, index builds in memory,
# no wait for the WAL flush at each commit (a crash loses at most the last phase, which a
# re-run redoes).
SESSION = {
    "work_mem": "512MB",
    "maintenance_work_mem": "1GB",
    "synchronous_commit": "off",
}
STAGING_TABLES = (
    "syn_company",
    "syn_company_id",
    "syn_subscriber",
    "syn_subscriber_id",
    "syn_company_email",
    "syn_bank_account",
    "syn_habilitation",
)


def generate_with_copy(plan: Plan, out=sys.stderr) -> int:
    """Load the plan's rows; returns the number of portfolio entries."""
    now = clock.now()
    with connection.cursor() as cursor:
        before = pg.set_session(cursor, SESSION)
        try:
            entries = _generate(cursor, plan, now, out)
        finally:
            pg.set_session(cursor, before)
            for name in STAGING_TABLES:
                cursor.execute(f"DROP TABLE IF EXISTS {name}")
    return entries


def _generate(cursor, plan: Plan, now, out) -> int:
    tables = [
        pg.table_of(m) for m in (Company, Subscriber, CompanyEmail, BankAccount, Habilitation)
    ]
    if all(pg.is_empty(cursor, table) for table in tables):
        _load_direct(cursor, plan, now, out)
    else:
        _load_staged(cursor, plan, now, out)
    progress = Progress("Statistiques (ANALYZE)", 0, out)
    for model in (Company, Subscriber, CompanyEmail, BankAccount, Habilitation, PortfolioEntry):
        cursor.execute(f"ANALYZE {pg.table_of(model)}")
    progress.finish()
    return PortfolioEntry.objects.count()


def _load_direct(cursor, plan: Plan, now, out) -> None:
    """Into empty tables: COPY straight into each table, ids given (company n and subscriber
    n get id n + 1), no staging, no join."""
    companies = (
        (n + 1, identifier, name, search_name, street, postal_code, city)
        for n, identifier, name, search_name, street, postal_code, city in synthetic.company_rows(
            plan
        )
    )
    names = ["id", "identifier", "name", "search_name", "street_line", "postal_code", "city"]
    pg.copy_into_empty(
        cursor,
        Company,
        "Entreprises",
        plan.companies,
        names,
        {"legal_category": "5499"},
        companies,
        out,
    )
    subscribers = ((n + 1, *rest) for n, *rest in synthetic.subscriber_rows(plan))
    names = ["id", "email", "subscriber_number", "civility", "last_name", "company_identifier"]
    pg.copy_into_empty(
        cursor,
        Subscriber,
        "Abonnés",
        plan.subscribers,
        names,
        synthetic.subscriber_constants(),
        subscribers,
        out,
    )
    emails = ((c + 1, email, s + 1) for c, email, s in synthetic.company_email_rows(plan))
    pg.copy_into_empty(
        cursor,
        CompanyEmail,
        "Adresses électroniques d'entreprise",
        plan.own_companies,
        ["company", "email", "changed_by"],
        {"confirmed_at": now},
        emails,
        out,
    )
    accounts = (
        (c + 1, account, holder, s + 1)
        for c, account, holder, s in synthetic.bank_account_rows(plan)
    )
    pg.copy_into_empty(
        cursor,
        BankAccount,
        "Comptes bancaires",
        0,
        ["company", "iban", "holder", "added_by"],
        {"bic": BIC, "added_at": now, "changed_at": now},
        accounts,
        out,
    )
    habilitations = (
        (s + 1, c + 1, service, elementary, role, origin, None if by is None else by + 1)
        for s, c, service, elementary, role, origin, by in synthetic.habilitation_rows(plan)
    )
    names = [
        "subscriber",
        "company",
        "service",
        "elementary_service",
        "role",
        "origin",
        "granted_by",
    ]
    table = pg.table_of(Habilitation)
    with transaction.atomic():
        pg.set_trigger(cursor, table, enabled=False)
        pg.copy_into_empty(
            cursor,
            Habilitation,
            "Habilitations",
            plan.expected_habilitations(),
            names,
            {"granted_at": now, "changed_at": now},
            habilitations,
            out,
        )
        pg.check_payer_roles(cursor, table)
        pg.set_trigger(cursor, table, enabled=True)
        _rebuild_portfolios(cursor, 1, out)


def _load_staged(cursor, plan: Plan, now, out) -> None:
    """Into tables that already hold rows: staged, then inserted with ON CONFLICT DO NOTHING."""
    # Companies.
    progress = Progress("Entreprises (copie)", plan.companies, out)
    pg.stage(
        cursor,
        "syn_company",
        "n integer, identifier varchar(9), name varchar(250), search_name varchar(250), "
        "street_line varchar(250), postal_code varchar(10), city varchar(100)",
        synthetic.company_rows(plan),
        progress,
    )
    progress.finish()
    staged = {
        name: f"s.{name}"
        for name in ("identifier", "name", "search_name", "street_line", "postal_code", "city")
    }
    sql, params = pg.insert_sql(
        Company, staged, {"legal_category": "5499"}, "FROM syn_company s ORDER BY s.n"
    )
    pg.load(cursor, pg.table_of(Company), sql, params, "Entreprises", out)
    pg.load_ids(cursor, "syn_company_id", "syn_company", pg.table_of(Company), "identifier")
    cursor.execute("DROP TABLE syn_company")

    # Subscribers.
    progress = Progress("Abonnés (copie)", plan.subscribers, out)
    pg.stage(
        cursor,
        "syn_subscriber",
        "n integer, email varchar(100), subscriber_number varchar(14), civility varchar(3), "
        "last_name varchar(100), company_identifier varchar(30)",
        synthetic.subscriber_rows(plan),
        progress,
    )
    progress.finish()
    staged = {
        name: f"s.{name}"
        for name in ("email", "subscriber_number", "civility", "last_name", "company_identifier")
    }
    sql, params = pg.insert_sql(
        Subscriber, staged, synthetic.subscriber_constants(), "FROM syn_subscriber s ORDER BY s.n"
    )
    pg.load(cursor, pg.table_of(Subscriber), sql, params, "Abonnés", out)
    pg.load_ids(cursor, "syn_subscriber_id", "syn_subscriber", pg.table_of(Subscriber), "email")
    cursor.execute("DROP TABLE syn_subscriber")

    # Company e-mails and bank accounts.
    progress = Progress("Adresses électroniques d'entreprise (copie)", plan.own_companies, out)
    pg.stage(
        cursor,
        "syn_company_email",
        "company_n integer, email varchar(100), by_n integer",
        synthetic.company_email_rows(plan),
        progress,
    )
    progress.finish()
    sql, params = pg.insert_sql(
        CompanyEmail,
        {"company": "c.id", "email": "s.email", "changed_by": "b.id"},
        {"confirmed_at": now},
        "FROM syn_company_email s JOIN syn_company_id c ON c.n = s.company_n "
        "JOIN syn_subscriber_id b ON b.n = s.by_n",
    )
    pg.load(
        cursor, pg.table_of(CompanyEmail), sql, params, "Adresses électroniques d'entreprise", out
    )
    cursor.execute("DROP TABLE syn_company_email")

    progress = Progress("Comptes bancaires (copie)", 0, out)
    pg.stage(
        cursor,
        "syn_bank_account",
        "company_n integer, iban varchar(34), holder varchar(70), by_n integer",
        synthetic.bank_account_rows(plan),
        progress,
    )
    progress.finish()
    sql, params = pg.insert_sql(
        BankAccount,
        {"company": "c.id", "iban": "s.iban", "holder": "s.holder", "added_by": "b.id"},
        {"bic": BIC, "added_at": now, "changed_at": now},
        "FROM syn_bank_account s JOIN syn_company_id c ON c.n = s.company_n "
        "JOIN syn_subscriber_id b ON b.n = s.by_n",
    )
    pg.load(cursor, pg.table_of(BankAccount), sql, params, "Comptes bancaires", out)
    cursor.execute("DROP TABLE syn_bank_account")

    # Habilitations, and the portfolios in the same transaction.
    progress = Progress("Habilitations (copie)", plan.expected_habilitations(), out)
    pg.stage(
        cursor,
        "syn_habilitation",
        "subscriber_n integer, company_n integer, service varchar(40), "
        "elementary_service varchar(40), role varchar(2), origin varchar(15), by_n integer",
        synthetic.habilitation_rows(plan),
        progress,
    )
    progress.finish()
    sql, params = pg.insert_sql(
        Habilitation,
        {
            "subscriber": "s.id",
            "company": "c.id",
            "service": "h.service",
            "elementary_service": "h.elementary_service",
            "role": "h.role",
            "origin": "h.origin",
            "granted_by": "b.id",
        },
        {"granted_at": now, "changed_at": now},
        "FROM syn_habilitation h JOIN syn_subscriber_id s ON s.n = h.subscriber_n "
        "JOIN syn_company_id c ON c.n = h.company_n "
        "LEFT JOIN syn_subscriber_id b ON b.n = h.by_n",
    )
    table = pg.table_of(Habilitation)
    with transaction.atomic():
        pg.set_trigger(cursor, table, enabled=False)
        inserted = pg.load(cursor, table, sql, params, "Habilitations", out)
        pg.check_payer_roles(cursor, table)
        pg.set_trigger(cursor, table, enabled=True)
        _rebuild_portfolios(cursor, inserted, out)
    cursor.execute("DROP TABLE syn_habilitation")


def _rebuild_portfolios(cursor, inserted: int, out) -> int:
    """Rebuild the portfolio entries from the habilitations (indexes rebuilt after), unless no
    habilitation was added and the portfolios are there already."""
    table = pg.table_of(PortfolioEntry)
    progress = Progress("Portefeuilles", 0, out)
    if not inserted and not pg.is_empty(cursor, table):
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
        entries = cursor.fetchone()[0]
        progress.add(entries)
        progress.finish("aucune habilitation nouvelle : inchangés")
        return entries
    cursor.execute(f"TRUNCATE {table}")
    with pg.indexes_rebuilt_after(cursor, table, drop=True):
        entries = portfolio_sync.rebuild_all()
    progress.add(entries)
    progress.finish("reconstruits depuis les habilitations")
    return entries
