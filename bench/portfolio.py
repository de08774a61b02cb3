"""Benchmark of the portfolio pages and of the authorization function (not a test).

Prints p50/p95/p99 server time (in-process, through the whole middleware stack and
template rendering, without the network) of *Voir tous mes dossiers* (first page, a later
page, a search), of the dossier home and of the authorization function, next to a trivial
page of the same app measured in the same run (the framework's floor).

Usage (on a database filled by `manage.py generate_data`):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/portfolio.py
    VAR_DIR=/tmp/bench .venv/bin/python bench/portfolio.py          # SQLite under VAR_DIR
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnop")
os.environ.setdefault("SITE_URL", "http://testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # the test client speaks plain http
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_COOKIES", "0")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import Subscriber  # noqa: E402
from habilitations.models import PortfolioEntry  # noqa: E402
from habilitations.portfolio import queries as portfolio  # noqa: E402
from habilitations.rights.queries import Permission, may  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "300"))


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    q = statistics.quantiles(ordered, n=100, method="inclusive")
    return q[49], q[94], q[98]


def time_calls(fn, rounds: int = ROUNDS) -> list[float]:
    for _ in range(min(20, rounds)):
        fn()
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def page(client: Client, url: str):
    def call():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return call


def main() -> None:
    big = (
        PortfolioEntry.objects.filter(is_dossier=True)
        .values("subscriber")
        .order_by()
        .annotate(n=django.db.models.Count("id"))
        .order_by("-n")
        .first()
    )
    if not big:
        sys.exit("No portfolio: run `manage.py generate_data` first.")
    subscriber = Subscriber.objects.get(pk=big["subscriber"])
    entries = PortfolioEntry.objects.filter(subscriber=subscriber, is_dossier=True)
    size = entries.count()
    middle = entries.order_by("search_name", "company_id")[size // 2]
    later_cursor = portfolio._encode(middle, portfolio.SORTS["nom"])
    words = middle.search_name.split()
    prefix = words[0] + " " + words[1][:2]
    # Words in another order than the name's, each cut short, in lower case.
    multi_word = f"{words[1][:4]} {words[0][:5]}".lower()
    dossier = entries.order_by("company_id").first()
    client = Client()
    client.force_login(subscriber)

    from companies.models import Company

    print(
        f"Database: {connection.vendor}; {Company.objects.count():,} companies; "
        f"portfolio of {subscriber.email}: {size:,} dossiers; {ROUNDS} rounds each"
    )
    rows = [
        ("trivial page (framework floor)", page(client, "/conditions-generales/")),
        ("Voir tous mes dossiers, page 1", page(client, "/espace/dossiers/")),
        (
            "Voir tous mes dossiers, later page",
            page(client, f"/espace/dossiers/?apres={later_cursor}"),
        ),
        (f"search « {prefix} »", page(client, f"/espace/dossiers/?q={prefix}")),
        (f"multi-word search « {multi_word} »", page(client, f"/espace/dossiers/?q={multi_word}")),
        (
            f"Choisir un dossier « {multi_word} »",
            page(client, f"/espace/dossiers/choisir/?q={multi_word}"),
        ),
        (
            f"one-letter search « {words[0][0].lower()} »",
            page(client, f"/espace/dossiers/?q={words[0][0]}"),
        ),
        ("search by SIREN prefix", page(client, f"/espace/dossiers/?q={dossier.identifier[:5]}")),
        ("sort by SIREN, page 1", page(client, "/espace/dossiers/?tri=siren")),
        ("dossier home", page(client, f"/espace/dossiers/{dossier.identifier}/")),
        ("Voir tous mes dossiers, last page", page(client, "/espace/dossiers/?fin=1")),
        ("Consulter vos services", page(client, "/espace/habilitations/")),
        (
            "Consulter vos services, service + role",
            page(client, "/espace/habilitations/?service=declarer_tva&role=AT"),
        ),
        (
            "Consulter vos services, rare service",
            page(client, "/espace/habilitations/?service=cession_droits_sociaux"),
        ),
        (
            f"Consulter vos services « {multi_word} » + service",
            page(client, f"/espace/habilitations/?q={multi_word}&service=declarer_tva"),
        ),
    ]
    company_ids = list(entries.values_list("company_id", flat=True)[:2000])
    rng = random.Random(1)  # noqa: S311
    rows.append(
        (
            "authorization function (may)",
            lambda: may(subscriber, Permission.USE, "declarer_tva", rng.choice(company_ids)),
        )
    )
    print(f"{'what':<48} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for label, fn in rows:
        p50, p95, p99 = percentiles(time_calls(fn, ROUNDS * (5 if "authorization" in label else 1)))
        print(f"{label:<48} {p50:>8.2f} {p95:>8.2f} {p99:>8.2f}")


if __name__ == "__main__":
    main()
