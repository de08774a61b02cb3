"""`manage.py generate_data` on a small scale: the ORM path on SQLite, COPY on PostgreSQL (the
PostgreSQL-only tests skip on SQLite: run the suite with DATABASE_URL=postgres://… too)."""

from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.db.models import F
from stdnum import luhn
from stdnum.fr import siren as stdnum_siren

from accounts.models import Subscriber
from companies.bank import BankDetails
from companies.models import BankAccount, Company, CompanyEmail
from core import clock
from demo import synthetic
from demo.synthetic import Plan
from habilitations.models import Habilitation, Origin, PortfolioEntry, Role, State
from habilitations.portfolio import queries as portfolio
from habilitations.rights.queries import Permission, may
from tests.factories import CompanyFactory, HabilitationFactory

SMALL = Plan(
    companies=3_000,
    subscribers=400,
    firms=4,
    collaborators=3,
    dossiers_per_firm=150,
    big_firm_dossiers=600,
)
OPTIONS = {
    "companies": SMALL.companies,
    "subscribers": SMALL.subscribers,
    "firms": SMALL.firms,
    "collaborators": SMALL.collaborators,
    "dossiers_per_firm": SMALL.dossiers_per_firm,
    "big_firm_dossiers": SMALL.big_firm_dossiers,
}


def generate(**options) -> str:
    out = StringIO()
    call_command("generate_data", stdout=out, stderr=StringIO(), **(OPTIONS | options))
    return out.getvalue()


def counts() -> dict[str, int]:
    models = (Company, Subscriber, Habilitation, PortfolioEntry, CompanyEmail, BankAccount)
    return {model.__name__: model.objects.count() for model in models}


def entries_from_habilitations() -> dict[tuple[int, int], tuple]:
    """The portfolio entries the habilitations call for (docs/habilitations.md §10), computed
    here in Python from the rows."""
    roles = defaultdict(Counter)
    for subscriber, company, role, state in Habilitation.objects.values_list(
        "subscriber_id", "company_id", "role", "state"
    ):
        roles[(subscriber, company)][role if state == State.ACTIVE else "suspended"] += 1
    return {
        pair: (
            c[Role.TITULAR_ADMIN],
            c[Role.DEPUTY_ADMIN],
            c[Role.DELEGATING_ACTOR],
            c[Role.ACTOR],
            c["suspended"],
        )
        for pair, c in roles.items()
    }


def index_names(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {
            name
            for name, _ in connection.introspection.get_constraints(cursor, table).items()
            if not name.startswith("sqlite_autoindex")
        }


def test_the_dataset_follows_the_plan_and_the_domain_rules(db):
    output = generate()

    plan = SMALL
    expected_habilitations = plan.expected_habilitations()
    assert counts() == {
        "Company": 3_000,
        "Subscriber": 400,
        "Habilitation": expected_habilitations,
        "PortfolioEntry": len(entries_from_habilitations()),
        "CompanyEmail": plan.own_companies,
        "BankAccount": plan.own_companies + len(range(0, plan.first_own_company, 3)),
    }
    assert f"{expected_habilitations:,} habilitations" in output
    # The portfolios are in step with the habilitations, entry by entry.
    entries = {
        (e.subscriber_id, e.company_id): (
            e.titular_count,
            e.deputy_count,
            e.delegating_count,
            e.actor_count,
            e.suspended_count,
        )
        for e in PortfolioEntry.objects.all()
    }
    assert entries == entries_from_habilitations()
    # The names the portfolio shows and searches are the companies' own.
    assert not PortfolioEntry.objects.exclude(name=F("company__name")).exists()
    assert not PortfolioEntry.objects.exclude(search_name=F("company__search_name")).exists()
    # The big firm sees its dossiers; a collaborator may use what was delegated to them.
    owner = Subscriber.objects.get(email=synthetic.subscriber_email(0))
    assert portfolio.count(owner) == plan.big_firm_dossiers
    delegation = Habilitation.objects.filter(origin=Origin.DELEGATION).first()
    assert may(delegation.subscriber, Permission.USE, "declarer_tva", delegation.company)
    assert not may(delegation.subscriber, Permission.USE, "declarer_is", delegation.company)


def test_each_company_service_has_one_titular_and_delegations_follow_their_rules(db):
    generate()

    titulars = Counter(
        Habilitation.objects.filter(role=Role.TITULAR_ADMIN).values_list("company_id", "service")
    )
    assert titulars and max(titulars.values()) == 1
    # Every delegation was granted by the AT of that service (docs/habilitations.md §4.2).
    for delegation in Habilitation.objects.filter(origin=Origin.DELEGATION):
        assert delegation.role in (Role.ACTOR, Role.DELEGATING_ACTOR)
        assert Habilitation.objects.filter(
            company=delegation.company,
            service=delegation.service,
            subscriber=delegation.granted_by,
            role=Role.TITULAR_ADMIN,
        ).exists()
    # A company run in simplified mode has its confirmed e-mail; every Payer AT's company
    # has a valid active bank account (docs/habilitations.md §7.4, §9).
    messagerie = set(
        Habilitation.objects.filter(service="messagerie", role=Role.TITULAR_ADMIN).values_list(
            "company_id", flat=True
        )
    )
    assert messagerie == set(CompanyEmail.objects.values_list("company_id", flat=True))
    payer = set(
        Habilitation.objects.filter(service="payer", role=Role.TITULAR_ADMIN).values_list(
            "company_id", flat=True
        )
    )
    assert payer == set(
        BankAccount.objects.filter(is_active=True).values_list("company_id", flat=True)
    )
    for account in BankAccount.objects.all()[:50]:
        assert BankDetails.parse(account.iban, account.bic, account.holder).iban == account.iban
    assert all(
        stdnum_siren.is_valid(c) for c in Company.objects.values_list("identifier", flat=True)
    )


def test_running_it_again_adds_nothing(db):
    generate()
    before = counts()
    last_ids = {
        model.__name__: model.objects.order_by("-id").values_list("id", flat=True).first()
        for model in (Company, Subscriber, Habilitation)
    }

    generate()

    assert counts() == before
    assert {
        model.__name__: model.objects.order_by("-id").values_list("id", flat=True).first()
        for model in (Company, Subscriber, Habilitation)
    } == last_ids


def test_existing_rows_are_kept_and_the_rules_still_hold(db):
    """A database that already holds one of the plan's companies, with an AT: the load keeps
    that AT (one per service), and the portfolios reflect it."""
    company = CompanyFactory(identifier=synthetic.siren(SMALL.first_own_company), name="DEJA LA")
    holder = HabilitationFactory(company=company, code="messagerie").subscriber

    generate()

    assert Company.objects.get(identifier=company.identifier).name == "DEJA LA"
    titulars = Habilitation.objects.filter(company=company, service="messagerie")
    assert list(titulars.values_list("subscriber", flat=True)) == [holder.pk]
    assert portfolio.count(holder) == 1
    assert Company.objects.count() == SMALL.companies


def test_a_habilitation_target_derives_the_subscribers():
    plan = SMALL.with_habilitations(SMALL.firm_habilitations() + 41)
    assert plan.expected_habilitations() == SMALL.firm_habilitations() + 44  # whole companies
    assert plan.subscribers == SMALL.firm_staff + 11
    with pytest.raises(ValueError, match="firms alone"):
        SMALL.with_habilitations(100)
    with pytest.raises(ValueError, match="need"):
        SMALL.with_habilitations(10**9)


def test_the_command_refuses_a_plan_that_does_not_fit(db):
    with pytest.raises(CommandError, match="firms alone"):
        generate(habilitations=100)
    with pytest.raises(CommandError, match="Not enough subscribers"):
        generate(subscribers=5)
    assert Company.objects.count() == 0


def test_the_fast_luhn_digit_is_luhns():
    for n in range(0, 100_000_000, 99_991):
        base = f"{n:08d}"
        assert synthetic._luhn_digit(base) == luhn.calc_check_digit(base)


# --- PostgreSQL: COPY, indexes dropped and rebuilt ------------------------------------------


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the COPY path runs on PostgreSQL only")


def test_the_load_leaves_every_index_constraint_and_trigger_in_place(db, postgresql):
    tables = [m._meta.db_table for m in (Company, Subscriber, Habilitation, PortfolioEntry)]
    before = {table: index_names(table) for table in tables}

    generate()

    assert {table: index_names(table) for table in tables} == before
    # The ids were given by the load: the sequences go on after them.
    assert CompanyFactory().pk == Company.objects.order_by("-pk").first().pk
    # The Payer trigger is enabled again: an AT of Payer cannot also be a Payer delegate.
    titular = Habilitation.objects.filter(service="payer", role=Role.TITULAR_ADMIN).first()
    with pytest.raises(IntegrityError):
        Habilitation.objects.create(
            subscriber=titular.subscriber,
            company=titular.company,
            service="payer",
            elementary_service="payer_tva",
            role=Role.ACTOR,
            origin=Origin.DELEGATION,
            granted_at=clock.now(),
            changed_at=clock.now(),
        )


def test_a_plan_that_breaks_a_rule_is_rolled_back_with_its_indexes(db, postgresql, monkeypatch):
    """Rebuilding the unique indexes validates the load: two ATs of one service fail it, and
    the table is left as it was, indexes included."""
    table = Habilitation._meta.db_table
    before = index_names(table)
    rows = synthetic.habilitation_rows

    def with_a_second_titular(plan):
        yield from rows(plan)
        yield 1, 0, "declarer_is", "declarer_is", Role.TITULAR_ADMIN, Origin.ADHESION, None

    # The real rows plus one that breaks a rule: the database's constraint refuses it.
    monkeypatch.setattr(synthetic, "habilitation_rows", with_a_second_titular)

    with pytest.raises(IntegrityError):
        generate()

    assert Habilitation.objects.count() == 0
    assert index_names(table) == before
