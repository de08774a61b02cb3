"""Demo data: a few companies and activated spaces with known credentials (idempotent)."""

from dataclasses import dataclass

from django.db import transaction

from accounts.models import Civility, Subscriber, TrustQuestion
from accounts.trust import hash_answer
from companies.models import Company
from portal import clock

DEMO_PASSWORD = "Trois pommes vertes sur la table du jardin"
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
        "paul.martin@example.fr",
        "20230412589637",
        Civility.MONSIEUR,
        "Paul",
        "Martin",
        "732829320",
        "PARIS",
        "expert-comptable, cabinet fiduciaire",
    ),
]


@transaction.atomic
def load_demo() -> list[tuple[DemoSpace, bool]]:
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
        if Subscriber.objects.filter(email=space.email).exists():
            results.append((space, False))
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
            registered_at=now,
            password_changed_at=now,
        )
        subscriber.set_password(DEMO_PASSWORD)
        subscriber.save()
        results.append((space, True))
    return results
