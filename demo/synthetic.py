"""A realistic synthetic dataset for load tests and benchmarks (`manage.py generate_data`).

Accounting firms hold many dossiers (one of them a very large portfolio) and share them
with collaborators by delegation; the other subscribers each run their own company
(simplified mode: every service they hold has its AT, the company e-mail is confirmed and
Payer has a bank account). SIRENs are valid (Luhn) and spread over the whole range.

The plan is a pure function of its numbers: the rows are generated in streaming (tuples of
row numbers, never the whole set in memory) and written in bulk, by the ORM on SQLite
(`demo.bulk_orm`) and by COPY on PostgreSQL (`demo.bulk_postgres`). Re-running adds nothing
(conflicts are ignored) on both.
"""

import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache

from django.contrib.auth.hashers import make_password
from django.db import connection

from accounts.models import Subscriber
from accounts.trust import hash_answer
from companies.models import Company
from companies.names import search_key
from core import clock
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


_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)  # a Luhn-doubled digit, its own digits summed


def _luhn_digit(base: str) -> str:
    """Luhn's check digit of `base` (what python-stdnum's `luhn.calc_check_digit` returns,
    about ten times faster: it runs for millions of rows)."""
    total = 0
    for position, char in enumerate(reversed(base)):
        digit = ord(char) - 48
        total += _DOUBLED[digit] if position % 2 == 0 else digit
    return str(-total % 10)


def siren(n: int) -> str:
    """The n-th synthetic SIREN: a permutation of 8-digit bases (7919 is prime) + Luhn."""
    base = f"{(n * 7919 + 10_000_019) % 100_000_000:08d}"
    return base + _luhn_digit(base)


def subscriber_number(n: int) -> str:
    return f"2025{(n * 7_919_993 + 1_234_567_891) % 10**10:010d}"


# Services of a firm's dossier (the firm's owner is their AT) and of a company run by its
# own subscriber in simplified mode (AT of each).
FIRM_SERVICES = ("declarer_tva", "declarer_is", "consulter_compte_fiscal")
OWN_SERVICES = ("messagerie", "declarer_tva", "payer", "consulter_compte_fiscal")


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

    @property
    def firm_staff(self) -> int:
        """Subscribers 0 … firm_staff - 1 are the firms' owners and their collaborators."""
        return self.firms * (1 + self.collaborators)

    @property
    def first_own_company(self) -> int:
        return self.big_firm_dossiers + max(self.firms - 1, 0) * self.dossiers_per_firm

    @property
    def own_companies(self) -> int:
        """Subscribers past the firms' staff each run one company past the firms' dossiers."""
        return max(
            0, min(self.subscribers - self.firm_staff, self.companies - self.first_own_company)
        )

    def firm_habilitations(self) -> int:
        total = 0
        for firm in range(self.firms):
            dossiers = self.firm_range(firm)
            # The firm's services, Payer on one dossier in three, one collaborator's delegation.
            total += len(dossiers) * (len(FIRM_SERVICES) + (1 if self.collaborators else 0))
            total += len(dossiers[(-dossiers.start) % 3 :: 3])
        return total

    def expected_habilitations(self) -> int:
        return self.firm_habilitations() + len(OWN_SERVICES) * self.own_companies

    def with_habilitations(self, target: int) -> "Plan":
        """The same plan with as many subscribers running their own company as it takes to
        reach `target` habilitations (rounded up to a whole company)."""
        missing = target - self.firm_habilitations()
        if missing < 0:
            raise ValueError(f"The firms alone make {self.firm_habilitations():,} habilitations.")
        own = -(-missing // len(OWN_SERVICES))
        if own > self.companies - self.first_own_company:
            raise ValueError(
                f"{target:,} habilitations need {self.first_own_company + own:,} companies."
            )
        return replace(self, subscribers=self.firm_staff + own)

    def check(self) -> None:
        """Refuse a plan whose firms do not fit (ValueError)."""
        needed = self.first_own_company
        if self.firms and needed > self.companies:
            raise ValueError(
                f"The firms need {needed:,} companies but only {self.companies:,} are asked."
            )
        if self.firm_staff > self.subscribers:
            raise ValueError("Not enough subscribers for the firms and their collaborators.")


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
    """One line per phase on the error stream: rows done, rate, and the phase's time at the
    end."""

    def __init__(self, label: str, total: int, out=sys.stderr):
        self.label, self.total, self.out, self.done = label, total, out, 0
        self.started = time.perf_counter()

    def add(self, n: int) -> None:
        self.done += n
        self.out.write(f"\r{self._line()}   ")
        self.out.flush()

    def _line(self) -> str:
        elapsed = time.perf_counter() - self.started
        rate = self.done / elapsed if elapsed else 0
        if not self.done and not self.total:
            return self.label
        total = f"/{self.total:,}" if self.total else ""
        return f"{self.label}: {self.done:,}{total} ({rate:,.0f}/s)"

    def finish(self, detail: str = "") -> None:
        elapsed = time.perf_counter() - self.started
        detail = f" — {detail}" if detail else ""
        self.out.write(f"\r{self._line()} en {elapsed:,.1f} s{detail}\n")
        self.out.flush()


# --- The rows, in streaming: plain tuples keyed by row numbers (n), not database ids ------


@cache
def _folded(prefix: str) -> str:
    """The search key of a name's prefix (legal form set aside, companies/names.py)."""
    return search_key(prefix)


def company_rows(plan: Plan) -> Iterator[tuple]:
    """(n, identifier, name, search_name, street_line, postal_code, city) for each company."""
    rng = random.Random(plan.seed)  # noqa: S311 (synthetic data, not security)
    forms, words, cities = len(_FORMS), len(_WORDS), len(_CITIES)
    for n in range(plan.companies):
        draw = rng.getrandbits(64)  # one draw split into the row's five choices
        draw, form = divmod(draw, forms)
        draw, first = divmod(draw, words)
        draw, second = divmod(draw, words)
        draw, street = divmod(draw, words)
        prefix = f"{_FORMS[form]} {_WORDS[first]} {_WORDS[second]}"
        suffix = f" {n % 997}"
        yield (
            n,
            siren(n),
            prefix + suffix,
            _folded(prefix) + suffix,
            f"{1 + n % 120} RUE {_WORDS[street]}",
            f"{1000 + n % 95000:05d}",
            _CITIES[draw % cities],
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


def subscriber_email(n: int) -> str:
    return f"user{n}@{EMAIL_DOMAIN}"


def subscriber_rows(plan: Plan) -> Iterator[tuple]:
    """(n, email, subscriber number, civility, last name, company identifier)."""
    for n in range(plan.subscribers):
        yield (
            n,
            subscriber_email(n),
            subscriber_number(n),
            "M" if n % 2 else "MME",
            f"Synthetique-{_letters(n)}",
            siren(n % plan.companies),
        )


def subscriber_constants() -> dict:
    """What every synthetic subscriber shares (one password hash, one trust answer)."""
    now = clock.now()
    return {
        "first_name": "Camille",
        "phone": "01 02 03 04 05",
        "city": "PARIS",
        "trust_question": "animal",
        "trust_answer_hash": hash_answer("Lili"),
        "registered_at": now,
        "password_changed_at": now,
        "password": make_password(PASSWORD),
    }


def _subscribers(plan: Plan) -> Iterator[Subscriber]:
    constants = subscriber_constants()
    for _, email, number, civility, last_name, company in subscriber_rows(plan):
        yield Subscriber(
            email=email,
            subscriber_number=number,
            civility=civility,
            last_name=last_name,
            company_identifier=company,
            **constants,
        )


def habilitation_rows(plan: Plan) -> Iterator[tuple]:
    """(subscriber n, company n, service, elementary service, role, origin, granted by n)."""
    for firm in range(plan.firms):
        owner = firm * (1 + plan.collaborators)
        for position, n in enumerate(plan.firm_range(firm)):
            for service in FIRM_SERVICES:
                yield owner, n, service, service, Role.TITULAR_ADMIN, Origin.ADHESION, None
            if n % 3 == 0:
                yield owner, n, "payer", "payer", Role.TITULAR_ADMIN, Origin.SUBSTITUTION, None
            if plan.collaborators:
                collaborator = owner + 1 + position % plan.collaborators
                role = Role.DELEGATING_ACTOR if position % 5 == 0 else Role.ACTOR
                yield (
                    collaborator,
                    n,
                    "declarer_tva",
                    "declarer_tva",
                    role,
                    Origin.DELEGATION,
                    owner,
                )
    for subscriber, n in _own_companies(plan):
        for service in OWN_SERVICES:
            yield subscriber, n, service, service, Role.TITULAR_ADMIN, Origin.SIMPLIFIED, None


def _own_companies(plan: Plan) -> Iterator[tuple[int, int]]:
    """(subscriber n, company n) of the companies run by their own subscriber."""
    for k in range(plan.own_companies):
        yield plan.firm_staff + k, plan.first_own_company + k


def company_email_rows(plan: Plan) -> Iterator[tuple]:
    """(company n, e-mail, confirmed by subscriber n): the simplified mode confirmed the company
    e-mail of each company run by its own subscriber (docs/habilitations.md §9)."""
    for subscriber, n in _own_companies(plan):
        yield n, f"contact-{siren(n)}@{EMAIL_DOMAIN}", subscriber


def _rib_key(bank: str, branch: str, account: str) -> str:
    return f"{97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97:02d}"


def iban(n: int) -> str:
    """A valid French IBAN (RIB key and IBAN check digits, ISO 13616 mod 97) for company n."""
    bank, branch, account = "30006", "00001", f"{n:011d}"
    bban = bank + branch + account + _rib_key(bank, branch, account)
    # The BBAN is all digits; "FR00" moved to the end reads 152700.
    return f"FR{98 - int(bban + '152700') % 97:02d}{bban}"


BIC = "AGRIFRPP"  # 8 characters: the head office (as valid as its 11-character form)


def bank_account_rows(plan: Plan) -> Iterator[tuple]:
    """(company n, IBAN, holder, added by subscriber n): a company whose Payer has an AT has an
    active bank account (an adhesion to Payer needs one, docs/habilitations.md §7.4)."""
    for firm in range(plan.firms):
        owner = firm * (1 + plan.collaborators)
        for n in plan.firm_range(firm):
            if n % 3 == 0:
                yield n, iban(n), f"ENTREPRISE {siren(n)}", owner
    for subscriber, n in _own_companies(plan):
        yield n, iban(n), f"ENTREPRISE {siren(n)}", subscriber


def generate(plan: Plan, out=sys.stderr) -> dict:
    """Insert the plan's data in bulk; returns counts and the big firm's credentials."""
    if connection.vendor == "postgresql":
        from demo.bulk_postgres import generate_with_copy

        entries = generate_with_copy(plan, out)
    else:
        from demo.bulk_orm import generate_with_orm

        entries = generate_with_orm(plan, out)
    return {
        "companies": Company.objects.count(),
        "subscribers": Subscriber.objects.count(),
        "habilitations": Habilitation.objects.count(),
        "portfolio_entries": entries,
        "big_firm_email": subscriber_email(0),
        "big_firm_number": subscriber_number(0),
        "password": PASSWORD,
    }
