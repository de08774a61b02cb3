"""Benchmark of the secure messaging (issue 23, docs/messaging.md) through HTTP with the
production server, next to the bare-Django floor in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_msg .venv/bin/python bench/messaging.py
    … bench/messaging.py --rounds 300 --workers 2 (SQLite without DATABASE_URL: var/…)

On an empty database (migrated here), it
1. builds the data in bulk: a company with 1,000 threads (one message each, some answered)
   whose Messagerie an accountant holds, with a token (`messages:read`, `dossiers:read`); and a
   firm holding the Messagerie of 3,000 dossiers, 90 of them with an answer it has not read;
2. counts the SQL queries of `GET /api/v1/dossiers/{siren}` (the dossier, no messaging) and of
   `GET /api/v1/dossiers/{siren}/threads?limit=50` (Django's test client, same settings), and
   of `messaging.queries.unread_dossiers` (the home page's « Messages non lus : N dossiers »),
   and prints the plan of the thread list's and the unread count's query;
3. starts the product under gunicorn in production mode (as bench/api.py) and the bare app of
   bench/load/bare.py (the floor), and measures one after the other on one kept-alive
   connection: the floor, the dossier, the first and a later page of the thread list;
4. times `unread_dossiers` for the firm in-process (the home page's unread count is wired by
   the pages, not in this branch: the query itself is measured, not the page).
Prints req/s (one connection, sequential: 1000 / p50), p50 and p99 (ms, client side).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "load"))

from run import ROOT, Processes, free_port, product_env, wait_until_up  # noqa: E402

SETUP = r"""
import json, sys, time, statistics
from datetime import timedelta
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from stdnum.luhn import calc_check_digit
from api import tokens
from companies.models import Company
from companies.names import search_key
from core import clock
from habilitations.portfolio import sync as portfolio_sync
from habilitations.models import Habilitation, Origin, Role
from messaging.models import Message, Thread
from messaging.queries import threads_of, unread_dossiers
from tests.factories import SubscriberFactory

THREADS, DOSSIERS, UNREAD = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
now = clock.now()

def companies(start, size, name):
    rows = []
    for n in range(start, start + size):
        base = f"{50000000 + n:08d}"
        rows.append(Company(identifier=base + calc_check_digit(base), name=name.format(n=n),
                            search_name=search_key(name.format(n=n)), postal_code="33000"))
    return Company.objects.bulk_create(rows)

def messagerie(subscriber, firms, role=Role.TITULAR_ADMIN):
    Habilitation.objects.bulk_create(
        Habilitation(subscriber=subscriber, company=c, service="messagerie",
                     elementary_service="messagerie", role=role, origin=Origin.ADHESION,
                     granted_at=now, changed_at=now) for c in firms)

def threads(company, author, count, answered_every):
    at = lambda i: now - timedelta(minutes=i)
    made = Thread.objects.bulk_create(
        Thread(company=company, office="SIE-BORDEAUX", motif="autre", subject=f"Question {i}",
               state="waiting_company" if i % answered_every == 0 else "new", created_by=author,
               created_at=at(i), last_message_at=at(i), last_company_message_at=at(i),
               last_admin_message_at=at(i) if i % answered_every == 0 else None,
               awaiting_since=None if i % answered_every == 0 else at(i))
        for i in range(count))
    Message.objects.bulk_create(
        Message(thread=t, side="company", author_subscriber=author, author_name="Bench",
                author_role="Administrateur titulaire", body="Bonjour", created_at=t.created_at)
        for t in made)

accountant = SubscriberFactory()
(big,) = companies(1, 1, "SOCIETE AUX MILLE CONVERSATIONS {n}")
messagerie(accountant, [big])
threads(big, accountant, THREADS, 10)
firm = SubscriberFactory()
dossiers = companies(100, DOSSIERS, "DOSSIER {n:05d}")
messagerie(firm, dossiers)
for c in dossiers[:UNREAD]:
    threads(c, firm, 1, 1)
portfolio_sync.rebuild_all()
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # statistics of the bulk-loaded tables, as autovacuum would
_, token = tokens.create_token(accountant, "bench", ["messages:read", "dossiers:read"],
                               now + timedelta(days=1))

def queries_of(path):
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {token}")
    client.get(path)
    with CaptureQueriesContext(connection) as seen:
        answer = client.get(path)
    assert answer.status_code == 200, answer.content[:300]
    return len(seen)

def plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(prefix + sql, params)
        return [" | ".join(str(c) for c in row) for row in cursor.fetchall()]

with CaptureQueriesContext(connection) as seen:
    found = list(unread_dossiers(firm))
unread_queries = len(seen)
times = []
for _ in range(int(sys.argv[4])):
    start = time.perf_counter()
    list(unread_dossiers(firm))
    times.append((time.perf_counter() - start) * 1000)
times.sort()
json.dump({
    "token": token, "siren": big.identifier, "unread": len(found),
    "queries_dossier": queries_of(f"/api/v1/dossiers/{big.identifier}"),
    "queries_threads": queries_of(f"/api/v1/dossiers/{big.identifier}/threads?limit=50"),
    "queries_unread": unread_queries,
    "unread_p50": statistics.median(times), "unread_p99": times[int(len(times) * 0.99) - 1],
    "plan_threads": plan(threads_of(big, accountant)[:50]),
    "plan_unread": plan(unread_dossiers(firm)),
    "vendor": connection.vendor,
}, sys.stdout)
"""


def measure(name: str, rounds: int, call) -> tuple[str, float, float]:
    for _ in range(min(20, rounds)):  # warm-up: connections, caches, the workers' imports
        call()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = call()
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            sys.exit(f"{name}: HTTP {response.status_code} {response.text[:300]}")
    times.sort()
    return name, statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def _gunicorn(processes, env, args, port, log, app, *extra):
    return processes.start(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            *extra,
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
            app,
        ],
        env,
        log,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1000)
    parser.add_argument("--dossiers", type=int, default=3000)
    parser.add_argument("--unread", type=int, default=90)
    args = parser.parse_args()
    port = free_port()
    env = product_env(port, args.workers)
    env.update(RATE_API_SPACE="1000000/1m", RATE_API_ADDRESS="1000000/1m")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True
    )
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            SETUP,
            str(args.threads),
            str(args.dossiers),
            str(args.unread),
            str(args.rounds),
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(f"Setup failed:\n{result.stderr[-3000:]}")
    data = json.loads(result.stdout)
    processes = Processes()
    log, bare_log = ROOT / "var" / "bench-messaging.log", ROOT / "var" / "bench-messaging-bare.log"
    log.parent.mkdir(exist_ok=True)
    try:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            env=env,
            cwd=ROOT,
            check=True,
        )
        server = _gunicorn(
            processes, env, args, port, log, "config.wsgi", "--config", "gunicorn.conf.py"
        )
        bare_port = free_port()
        bare = _gunicorn(
            processes,
            env,
            args,
            bare_port,
            bare_log,
            "bare:application",
            "--chdir",
            str(HERE / "load"),
        )
        base = f"http://127.0.0.1:{port}"
        wait_until_up(f"{base}/api/v1/openapi.json", server, log)
        wait_until_up(f"http://127.0.0.1:{bare_port}/", bare, bare_log)
        token = {"Authorization": f"Bearer {data['token']}"}
        path = f"/dossiers/{data['siren']}"
        with httpx.Client(base_url=f"http://127.0.0.1:{bare_port}", timeout=30) as floor:
            rows = [measure("bare Django floor", args.rounds, lambda: floor.get("/"))]
        with httpx.Client(base_url=f"{base}/api/v1", timeout=30) as http:
            later = http.get(f"{path}/threads?limit=50", headers=token).json()["next_cursor"]
            rows += [
                measure(
                    "GET /dossiers/{siren} (no messaging)",
                    args.rounds,
                    lambda: http.get(path, headers=token),
                ),
                measure(
                    f"GET …/threads?limit=50 ({args.threads} threads)",
                    args.rounds,
                    lambda: http.get(f"{path}/threads?limit=50", headers=token),
                ),
                measure(
                    "GET …/threads, a later page of 50",
                    args.rounds,
                    lambda: http.get(f"{path}/threads?limit=50&cursor={later}", headers=token),
                ),
            ]
    finally:
        processes.stop_all()
    print(
        f"\nSecure messaging through HTTP ({data['vendor']}): {args.workers} gunicorn workers, "
        f"{args.rounds} rounds, one kept-alive connection"
    )
    print(f"machine load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"{'request':46} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8}")
    for name, p50, p99 in rows:
        print(f"{name:46} {1000 / p50:7.0f} {p50:8.2f} {p99:8.2f}")
    print(
        f"\nqueries: GET /dossiers/{{siren}} {data['queries_dossier']}, "
        f"GET …/threads {data['queries_threads']}; "
        f"unread_dossiers {data['queries_unread']} query for {args.dossiers} dossiers"
    )
    print(
        f"unread_dossiers in-process ({data['unread']} of {args.dossiers} dossiers unread): "
        f"p50 {data['unread_p50']:.2f} ms, p99 {data['unread_p99']:.2f} ms"
    )
    print("\nplan, thread list page:\n  " + "\n  ".join(data["plan_threads"]))
    print("plan, unread_dossiers:\n  " + "\n  ".join(data["plan_unread"]))


if __name__ == "__main__":
    main()
