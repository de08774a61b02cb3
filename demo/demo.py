"""Demo data: a few companies and activated spaces with known credentials (idempotent)."""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction

from accounts.factors import app
from accounts.factors.models import LoginFactor
from accounts.factors.registry import refresh_strong_factor
from accounts.models import Civility, Subscriber, TrustQuestion
from accounts.trust import hash_answer
from companies.bank import BankDetails, add_account
from companies.models import BankAccount, Company, CompanyEmail
from companies.names import search_key
from core import clock
from demo import synthetic
from habilitations.company_data import email as company_email
from habilitations.models import Habilitation, Origin, PortfolioEntry, Role
from habilitations.portfolio import sync as portfolio_sync
from habilitations.rights.actions import grant

DEMO_PASSWORD = "Trois pommes vertes sur la table du jardin"
# The demo's second factors (docs/security.md §14): Lila ROSEMONDE holds an authenticator app
# of this fixed key (demo data only: `manage.py subscriber_totp` prints its code); every other
# space gets the e-mailed code, which the outbox shows in development.
DEMO_TOTP_HEX = "44656d6f2d4c696c612d524f53454d4f4e44452d"
DEMO_APP_SPACES = {"lila.rosemonde@example.fr"}
DEMO_TRUST_ANSWER = "Lili"

COMPANIES = [
    ("987654324", "SARLALERIS", "5499", "12 RUE DES LILAS", "75011", "PARIS"),
    ("552100554", "SARL MARIANNE", "5499", "3 PLACE DE LA REPUBLIQUE", "69002", "LYON"),
    (
        "732829320",
        "CABINET FIDUCIAIRE DU MARAIS",
        "5710",
        "8 RUE VIEILLE DU TEMPLE",
        "75004",
        "PARIS",
    ),
    ("123456782", "SAS LES JARDINS DE PROVENCE", "5710", "1 AVENUE DU PRADO", "13008", "MARSEILLE"),
    ("111111118", "SARL MARTIN DISTRIBUTION", "5499", "45 AVENUE JEAN JAURES", "33000", "BORDEAUX"),
    ("442306510", "SARL SIMONET", "5499", "7 QUAI DE LA LOIRE", "44000", "NANTES"),
]
# (holder e-mail, company, code, role, origin, granter e-mail): the three ways of obtaining rights
# (docs/habilitations.md §4, §7, §8).
HABILITATIONS = [
    # SARL MARIANNE is run by its manager, who created her space in simplified mode…
    *[
        ("marianne.dupont@example.fr", "552100554", code, "AT", "simplified", None)
        for code in (
            "messagerie",
            "declarer_tva",
            "declarer_is",
            "payer",
            "consulter_compte_fiscal",
        )
    ],
    # … and shares it with her accountant's collaborator by delegation.
    (
        "lila.rosemonde@example.fr",
        "552100554",
        "declarer_tva",
        "AD",
        "delegation",
        "marianne.dupont@example.fr",
    ),
    (
        "lila.rosemonde@example.fr",
        "552100554",
        "payer_tva",
        "AC",
        "delegation",
        "marianne.dupont@example.fr",
    ),
    # SARL MARTIN DISTRIBUTION: services nobody managed, obtained by adhesion (its Messagerie
    # and Payer are still free, for trying an adhesion).
    ("lila.rosemonde@example.fr", "111111118", "declarer_tva", "AT", "adhesion", None),
    ("lila.rosemonde@example.fr", "111111118", "consulter_compte_fiscal", "AT", "adhesion", None),
    # SARL SIMONET: the former titular was replaced by substitution.
    ("lila.rosemonde@example.fr", "442306510", "declarer_is", "AT", "substitution", None),
    ("lila.rosemonde@example.fr", "442306510", "declarer_resultat", "AT", "substitution", None),
    # … its manager still runs the rest (for trying a substitution).
    *[
        ("jean.simonet@example.fr", "442306510", code, "AT", "simplified", None)
        for code in ("messagerie", "declarer_tva", "payer")
    ],
]
FIRM_DOSSIERS = 300  # the accounting firm's portfolio (Paul MARTIN)
# The companies' data managed by their Payer and Messagerie administrators
# (docs/habilitations.md §2). SARL MARTIN DISTRIBUTION has none: an adhesion to its Payer asks for
# an account.
BANK_ACCOUNTS = [
    ("552100554", "FR7630006000011234567890189", "BNPAFRPP", "SARL MARIANNE", "Compte courant"),
    ("442306510", "FR1420041010050500013M02606", "PSSTFRPPNTE", "SARL SIMONET", "Compte pro"),
]
COMPANY_EMAILS = [
    ("552100554", "contact@sarl-marianne.example"),
    ("442306510", "contact@sarl-simonet.example"),
]


@dataclass(frozen=True)
class DemoSpace:
    email: str
    number: str
    civility: str
    first_name: str
    last_name: str
    company: str
    city: str
    role: str
    # How old the password is at creation (to try the expiry warnings and the expired flow).
    password_age_days: int = 0


SPACES = [
    DemoSpace(
        "lila.rosemonde@example.fr",
        "20101670101919",
        Civility.MADAME,
        "Lila",
        "Rosemonde",
        "987654324",
        "PARIS",
        "collaboratrice d'un cabinet (voir les fiches)",
    ),
    DemoSpace(
        "marianne.dupont@example.fr",
        "20191991901919",
        Civility.MADAME,
        "Marianne",
        "Dupont",
        "552100554",
        "LYON",
        "gérante de SARL MARIANNE",
    ),
    DemoSpace(
        "jean.simonet@example.fr",
        "20150317204816",
        Civility.MONSIEUR,
        "Jean",
        "Simonet",
        "442306510",
        "NANTES",
        "gérant de SARL SIMONET",
    ),
    DemoSpace(
        "paul.martin@example.fr",
        "20230412589637",
        Civility.MONSIEUR,
        "Paul",
        "Martin",
        "732829320",
        "PARIS",
        "expert-comptable, cabinet fiduciaire",
    ),
    DemoSpace(
        "jeanne.bientot@example.fr",
        "20240815263041",
        Civility.MADAME,
        "Jeanne",
        "Bientot",
        "123456782",
        "MARSEILLE",
        "mot de passe qui expire dans 30 jours",
        3 * 365 - 30,
    ),
    DemoSpace(
        "victor.expire@example.fr",
        "20220307194582",
        Civility.MONSIEUR,
        "Victor",
        "Expire",
        "123456782",
        "MARSEILLE",
        "mot de passe expiré",
        3 * 365 + 5,
    ),
]


@transaction.atomic
def load_demo() -> list[tuple[DemoSpace, Subscriber, bool]]:
    for identifier, name, category, street, postal_code, city in COMPANIES:
        Company.objects.update_or_create(
            identifier=identifier,
            defaults={
                "name": name,
                "legal_category": category,
                "street_line": street,
                "postal_code": postal_code,
                "city": city,
            },
        )
    results = []
    now = clock.now()
    for space in SPACES:
        if existing := Subscriber.objects.filter(email=space.email).first():
            results.append((space, existing, False))
            continue
        subscriber = Subscriber(
            email=space.email,
            subscriber_number=space.number,
            civility=space.civility,
            first_name=space.first_name,
            last_name=space.last_name,
            company_identifier=space.company,
            company_name=Company.objects.get(identifier=space.company).name,
            phone="01 24 57 88 77",
            city=space.city,
            country="FRANCE",
            trust_question=TrustQuestion.PET,
            trust_answer_hash=hash_answer(DEMO_TRUST_ANSWER),
            registered_at=now - timedelta(days=space.password_age_days),
            password_changed_at=now - timedelta(days=space.password_age_days),
        )
        subscriber.set_password(DEMO_PASSWORD)
        subscriber.save()
        results.append((space, subscriber, True))
    for _, subscriber, _ in results:
        _load_factor(subscriber)
    _load_habilitations()
    _load_company_data()
    _load_firm_portfolio(Subscriber.objects.get(email="paul.martin@example.fr"))
    return results


def _load_factor(subscriber: Subscriber) -> None:
    if subscriber.email not in DEMO_APP_SPACES or app.has_app(subscriber):
        return
    app.start_enrolment(subscriber, DEMO_TOTP_HEX)
    subscriber.totp_devices.update(confirmed=True)
    subscriber.login_factor = LoginFactor.TOTP
    subscriber.save(update_fields=["login_factor"])
    refresh_strong_factor(subscriber)


def factor_label(subscriber: Subscriber) -> str:
    """What `make run` prints beside a demo space."""
    if subscriber.login_factor == LoginFactor.TOTP and app.has_app(subscriber):
        key = app.device(subscriber).base32_key
        return f"application d'authentification (clé {key} ; manage.py subscriber_totp)"
    return "code par courriel (voir /outbox/)"


def _load_habilitations() -> None:
    for email, identifier, code, role, origin, granter in HABILITATIONS:
        holder = Subscriber.objects.get(email=email)
        company = Company.objects.get(identifier=identifier)
        if Habilitation.objects.filter(
            subscriber=holder, company=company, elementary_service=code, role=role
        ).exists():
            continue
        by = Subscriber.objects.get(email=granter) if granter else None
        grant(company, holder, code, Role(role), Origin(origin), by=by)


def _load_company_data() -> None:
    for identifier, iban, bic, holder, label in BANK_ACCOUNTS:
        company = Company.objects.get(identifier=identifier)
        if not BankAccount.objects.filter(company=company, iban=iban).exists():
            add_account(company, BankDetails.parse(iban, bic, holder), label=label)
    for identifier, email in COMPANY_EMAILS:
        company = Company.objects.get(identifier=identifier)
        if not CompanyEmail.objects.filter(company=company).exists():
            company_email.set_address(company, email, general_information=False)


def _load_firm_portfolio(firm: Subscriber) -> None:
    """A few hundred dossiers for the firm, in bulk (they are many)."""
    if PortfolioEntry.objects.filter(subscriber=firm).count() >= FIRM_DOSSIERS:
        return
    rng = random.Random(7)  # noqa: S311 (demo data)
    numbers = range(50_000_000, 50_000_000 + FIRM_DOSSIERS)
    Company.objects.bulk_create(
        [
            Company(
                identifier=synthetic.siren(n),
                name=(
                    name := f"{rng.choice(synthetic._FORMS)} {rng.choice(synthetic._WORDS)} "
                    f"{rng.choice(synthetic._WORDS)}"
                ),
                search_name=search_key(name),
                street_line=f"{1 + n % 90} RUE {rng.choice(synthetic._WORDS)}",
                postal_code="75010",
                city="PARIS",
            )
            for n in numbers
        ],
        ignore_conflicts=True,
    )
    companies = Company.objects.filter(identifier__in=[synthetic.siren(n) for n in numbers])
    now = clock.now()
    rows = []
    for index, company in enumerate(companies):
        for code in ("declarer_tva", "declarer_is") + (("payer",) if index % 3 == 0 else ()):
            rows.append(
                Habilitation(
                    subscriber=firm,
                    company=company,
                    service=code,
                    elementary_service=code,
                    role=Role.TITULAR_ADMIN,
                    origin=Origin.ADHESION,
                    granted_at=now,
                    changed_at=now,
                )
            )
    Habilitation.objects.bulk_create(rows, ignore_conflicts=True)
    portfolio_sync.refresh({(firm.pk, company.pk) for company in companies})
