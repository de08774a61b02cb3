"""A realistic synthetic dataset for load tests and benchmarks (`manage.py generate_data`).

Accounting firms hold many dossiers (one of them a very large portfolio) and share them
with collaborators by delegation; the other subscribers each run their own company. SIRENs
are valid (Luhn) and spread over the whole range; inserts are in bulk, and re-running adds
nothing (conflicts are ignored).
"""

import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from stdnum import luhn

from accounts.models import Subscriber
from accounts.trust import hash_answer
from companies.models import Company
from companies.names import search_key
from core import clock
from habilitations import portfolio_sync
from habilitations.models import Habilitation, Origin, Role

PASSWORD = "Trois pommes vertes sur la table du jardin"
EMAIL_DOMAIN = "synthetic.example"
BATCH = 5_000

_FORMS = ["SARL", "SAS", "SA", "EURL", "SCI", "SNC", "SASU", "SELARL"]
_WORDS = [
    "ATLANTIQUE",
    "AVENIR",
    "BOIS",
    "BOULANGERIE",
    "CAP",
    "CENTRE",
    "COTE",
    "DISTRIBUTION",
    "DU",
    "EST",
    "ETOILE",
    "EXPERTISE",
    "FORET",
    "GARONNE",
    "HORIZON",
    "IMMOBILIER",
    "INDUSTRIE",
    "JARDINS",
    "LOIRE",
    "LUMIERE",
    "MARINE",
    "MARTIN",
    "MEDITERRANEE",
    "MONTAGNE",
    "NORD",
    "OCEAN",
    "OUEST",
    "PARC",
    "PIERRE",
    "PLAINE",
    "PORT",
    "PROVENCE",
    "RHONE",
    "RIVIERA",
    "ROCHER",
    "SAINT",
    "SERVICES",
    "SIMONET",
    "SOLEIL",
    "SUD",
    "TECHNOLOGIES",
    "TRANSPORTS",
    "VALLEE",
    "VERGER",
    "VIGNOBLE",
    "VOSGES",
]
_CITIES = ["PARIS", "LYON", "MARSEILLE", "LILLE", "NANTES", "BORDEAUX", "TOULOUSE", "RENNES"]


def siren(n: int) -> str:
    """The n-th synthetic SIREN: a permutation of 8-digit bases (7919 is prime) + Luhn."""
    base = f"{(n * 7919 + 10_000_019) % 100_000_000:08d}"
    return base + luhn.calc_check_digit(base)


def subscriber_number(n: int) -> str:
    return f"2025{(n * 7_919_993 + 1_234_567_891) % 10**10:010d}"


@dataclass
class Plan:
    companies: int = 10_000
    subscribers: int = 1_000
    firms: int = 10
    collaborators: int = 20
    dossiers_per_firm: int = 500
    big_firm_dossiers: int = 10_000
    seed: int = 2026

    def firm_range(self, firm: int) -> range:
        if firm == 0:
            return range(0, min(self.big_firm_dossiers, self.companies))
        start = self.big_firm_dossiers + (firm - 1) * self.dossiers_per_firm
        return range(
            min(start, self.companies), min(start + self.dossiers_per_firm, self.companies)
        )


def _batches(items: Iterator, size: int = BATCH) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class Progress:
    def __init__(self, label: str, total: int, out=sys.stderr):
        self.label, self.total, self.out, self.done = label, total, out, 0
        self.started = time.perf_counter()

    def add(self, n: int) -> None:
        self.done += n
        elapsed = time.perf_counter() - self.started
        rate = self.done / elapsed if elapsed else 0
        total = f"/{self.total:,}" if self.total else ""
        self.out.write(f"\r{self.label}: {self.done:,}{total} ({rate:,.0f}/s)   ")
        self.out.flush()

    def finish(self) -> None:
        self.out.write("\n")


def _companies(plan: Plan, rng: random.Random) -> Iterator[Company]:
    for n in range(plan.companies):
        name = f"{rng.choice(_FORMS)} {rng.choice(_WORDS)} {rng.choice(_WORDS)} {n % 997}"
        yield Company(
            identifier=siren(n),
            name=name,
            search_name=search_key(name),
            legal_category="5499",
            street_line=f"{1 + n % 120} RUE {rng.choice(_WORDS)}",
            postal_code=f"{1000 + n % 95000:05d}",
            city=rng.choice(_CITIES),
        )


def _letters(n: int) -> str:
    """`n` written with letters (0 → "A", 26 → "BA"): a name holds no digit (docs/accounts.md
    §14)."""
    text = ""
    while True:
        n, digit = divmod(n, 26)
        text = chr(ord("A") + digit) + text
        if not n:
            return text.capitalize()


def _subscribers(plan: Plan) -> Iterator[Subscriber]:
    now = clock.now()
    password = make_password(PASSWORD)
    answer = hash_answer("Lili")
    for n in range(plan.subscribers):
        yield Subscriber(
            email=f"user{n}@{EMAIL_DOMAIN}",
            subscriber_number=subscriber_number(n),
            civility="M" if n % 2 else "MME",
            last_name=f"Synthetique-{_letters(n)}",
            first_name="Camille",
            company_identifier=siren(n % plan.companies),
            phone="01 02 03 04 05",
            city="PARIS",
            trust_question="animal",
            trust_answer_hash=answer,
            registered_at=now,
            password_changed_at=now,
            password=password,
        )


def _ids(model, field: str, keys: list[str]) -> dict[str, int]:
    found = {}
    for batch in _batches(iter(keys), 10_000):
        found.update(model.objects.filter(**{f"{field}__in": batch}).values_list(field, "id"))
    return found


def _habilitations(plan: Plan, company_ids, subscriber_ids) -> Iterator[Habilitation]:
    now = clock.now()

    def hab(subscriber, company, code, service, role, origin, by=None):
        return Habilitation(
            subscriber_id=subscriber,
            company_id=company,
            service=service,
            elementary_service=code,
            role=role,
            origin=origin,
            granted_by_id=by,
            granted_at=now,
            changed_at=now,
        )

    firm_staff = plan.firms * (1 + plan.collaborators)
    for firm in range(plan.firms):
        owner = subscriber_ids[firm * (1 + plan.collaborators)]
        staff = [
            subscriber_ids[firm * (1 + plan.collaborators) + 1 + c]
            for c in range(plan.collaborators)
        ]
        for position, n in enumerate(plan.firm_range(firm)):
            company = company_ids[n]
            for service in ("declarer_tva", "declarer_is", "consulter_compte_fiscal"):
                yield hab(owner, company, service, service, Role.TITULAR_ADMIN, Origin.ADHESION)
            if n % 3 == 0:
                yield hab(owner, company, "payer", "payer", Role.TITULAR_ADMIN, Origin.SUBSTITUTION)
            if staff:
                collaborator = staff[position % len(staff)]
                role = Role.DELEGATING_ACTOR if position % 5 == 0 else Role.ACTOR
                yield hab(
                    collaborator,
                    company,
                    "declarer_tva",
                    "declarer_tva",
                    role,
                    Origin.DELEGATION,
                    by=owner,
                )
    # Everyone else runs one company of their own (simplified mode), past the firms' ones.
    first_own = plan.big_firm_dossiers + max(plan.firms - 1, 0) * plan.dossiers_per_firm
    for k, subscriber in enumerate(subscriber_ids[firm_staff:]):
        n = first_own + k
        if n >= plan.companies:
            break
        for service in ("messagerie", "declarer_tva", "payer", "consulter_compte_fiscal"):
            yield hab(
                subscriber, company_ids[n], service, service, Role.TITULAR_ADMIN, Origin.SIMPLIFIED
            )


def generate(plan: Plan, out=sys.stderr) -> dict:
    """Insert the plan's data in bulk; returns counts and the big firm's credentials."""
    rng = random.Random(plan.seed)  # noqa: S311 (synthetic data, not security)
    progress = Progress("Entreprises", plan.companies, out)
    for batch in _batches(_companies(plan, rng)):
        Company.objects.bulk_create(batch, ignore_conflicts=True)
        progress.add(len(batch))
    progress.finish()
    progress = Progress("Abonnés", plan.subscribers, out)
    for batch in _batches(_subscribers(plan)):
        Subscriber.objects.bulk_create(batch, ignore_conflicts=True)
        progress.add(len(batch))
    progress.finish()
    company_map = _ids(Company, "identifier", [siren(n) for n in range(plan.companies)])
    company_ids = [company_map[siren(n)] for n in range(plan.companies)]
    subscriber_map = _ids(
        Subscriber, "email", [f"user{n}@{EMAIL_DOMAIN}" for n in range(plan.subscribers)]
    )
    subscriber_ids = [subscriber_map[f"user{n}@{EMAIL_DOMAIN}"] for n in range(plan.subscribers)]
    progress = Progress("Habilitations", 0, out)
    for batch in _batches(_habilitations(plan, company_ids, subscriber_ids)):
        with transaction.atomic():
            Habilitation.objects.bulk_create(batch, ignore_conflicts=True)
        progress.add(len(batch))
    progress.finish()
    with transaction.atomic():
        entries = portfolio_sync.rebuild_all()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics after a bulk load
    return {
        "companies": Company.objects.count(),
        "subscribers": Subscriber.objects.count(),
        "habilitations": Habilitation.objects.count(),
        "portfolio_entries": entries,
        "big_firm_email": f"user0@{EMAIL_DOMAIN}",
        "big_firm_number": subscriber_number(0),
        "password": PASSWORD,
    }
