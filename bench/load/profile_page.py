"""Where a page's time goes (not a test): its queries and a profile of the view, in-process.

Logs in as a synthetic firm (the space nearest the number of dossiers asked), requests the
page through the whole middleware stack (Django's test client, production settings, no
network), and prints the queries of one request (count, time, the statements) and the
functions that took the most time over N requests (cProfile: cumulative, then own time).

    DATABASE_URL=postgres://… .venv/bin/python bench/load/profile_page.py /espace/ --dossiers 3000
    … profile_page.py /espace/dossiers/ --dossiers 100000 --rounds 200 --top 30
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "profile-only-secret-key-0123456789-abcdefghijklmnop")
os.environ.setdefault("SITE_URL", "http://testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_COOKIES", "0")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from demo.synthetic import EMAIL_DOMAIN, PASSWORD  # noqa: E402
from habilitations.models import PortfolioEntry  # noqa: E402


def firm_email(dossiers: int) -> tuple[str, int]:
    counts = (
        PortfolioEntry.objects.filter(is_dossier=True, subscriber__email__endswith=EMAIL_DOMAIN)
        .values("subscriber__email")
        .order_by()
        .annotate(n=Count("id"))
    )
    best = min(counts, key=lambda row: abs(row["n"] - dossiers))
    return best["subscriber__email"], best["n"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", help="e.g. /espace/ or /espace/dossiers/")
    parser.add_argument("--dossiers", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()

    email, n = firm_email(args.dossiers)
    client = Client()
    response = client.post("/", {"username": email, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    path = args.path
    if "{identifier}" in path:
        identifier = PortfolioEntry.objects.filter(
            subscriber__email=email, is_dossier=True
        ).values_list("identifier", flat=True)[0]
        path = path.format(identifier=identifier)
    for _ in range(10):  # warm-up
        assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    print(f"{path} as {email} ({n:,} dossiers): {len(queries)} queries")
    for q in queries.captured_queries:
        print(f"  {float(q['time']) * 1000:6.2f} ms  {q['sql'][:150]}")
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(args.rounds):
        client.get(path)
    profiler.disable()
    elapsed = (time.perf_counter() - started) / args.rounds * 1000
    print(f"\n{elapsed:.2f} ms a request (in-process, under the profiler) over {args.rounds}")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
