"""Benchmark of the secure messaging (issue 23, docs/messaging.md) through HTTP with the
production server, next to the bare-Django floor in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_msg .venv/bin/python bench/messaging.py
    … bench/messaging.py --rounds 300 --workers 2 (SQLite without DATABASE_URL: var/…)

On an empty database (migrated here), it
1. builds the data in bulk: a company with 1,000 threads (one message each, some answered)
   whose Messagerie an accountant holds, with a token (`messages:read`, `dossiers:read`); a
   firm holding the Messagerie of 3,000 dossiers, 90 of them with an answer it has not read;
   and a firm holding the same 3,000 dossiers without their Messagerie;
2. opens a session for the accountant and each firm in the product's session store, as a
   login does once its two steps are passed (`Client.force_login`: session hash, login time,
   the SubscriberSession row), and counts the SQL queries (Django's test client, same
   settings) of the API's `GET /api/v1/dossiers/{siren}` and `…/threads?limit=50`, and of the
   pages: the dossier (`espace/dossiers/<siren>/`), its thread list (`…/messagerie/`, first
   and 30th page), the home page of each firm (« Messages non lus : N dossiers »); prints
   the pages' SQL, the plan of the thread list's and the unread count's query;
3. starts the product under gunicorn in production mode (as bench/api.py) and the bare app of
   bench/load/bare.py (the floor), and measures one after the other, each on one kept-alive
   connection: the floor, the API's calls (bearer token), the pages (the session's cookie);
4. times `unread_dossiers` for the firm in-process.
Prints req/s (one connection, sequential: 1000 / p50), p50 and p99 (ms, client side), the
share of the floor (floor p50 / p50) and the load average before and after the measures.
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
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from stdnum.luhn import calc_check_digit
from accounts.models import SubscriberSession
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

def messagerie(subscriber, firms, role=Role.TITULAR_ADMIN, service="messagerie"):
    Habilitation.objects.bulk_create(
        Habilitation(subscriber=subscriber, company=c, service=service,
                     elementary_service=service, role=role, origin=Origin.ADHESION,
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
# The same 3,000 dossiers held by a firm without their Messagerie: its home page's unread count
# finds nothing, the rest of the page is the same.
plain = SubscriberFactory()
messagerie(plain, dossiers, service="consulter_compte_fiscal")
portfolio_sync.rebuild_all()
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # statistics of the bulk-loaded tables, as autovacuum would
_, token = tokens.create_token(accountant, "bench", ["messages:read", "dossiers:read"],
                               now + timedelta(days=1))

def session(subscriber):
    # A logged-in session, as after the login's two steps: Django's login (the session hash,
    # the login time, the SubscriberSession row through user_logged_in) in the product's
    # session store (same DATABASE_URL / REDIS_URL). The client serves the in-process counts,
    # the cookie's value the HTTP requests.
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(subscriber)
    assert SubscriberSession.objects.filter(subscriber=subscriber).exists()
    return client, client.cookies[settings.SESSION_COOKIE_NAME].value

def page_queries(client, path, expect=None):
    client.get(path)
    with CaptureQueriesContext(connection) as seen:
        answer = client.get(path)
    assert answer.status_code == 200, (path, answer.status_code, answer.content[:300])
    if expect is not None:
        assert expect in answer.content.decode(), (path, expect)
    return [q["sql"] for q in seen.captured_queries]

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
accountant_client, accountant_cookie = session(accountant)
firm_client, firm_cookie = session(firm)
plain_client, plain_cookie = session(plain)
space = f"/espace/dossiers/{big.identifier}/"
pages = {
    "dossier": page_queries(accountant_client, space),
    "threads": page_queries(accountant_client, space + "messagerie/", "Question 0"),
    "threads_later": page_queries(accountant_client, space + "messagerie/?page=30"),
    "home_unread": page_queries(firm_client, "/espace/",
                                f"Messages non lus : {UNREAD} dossiers"),
    "home_plain": page_queries(plain_client, "/espace/"),
}
assert "Messages non lus" not in plain_client.get("/espace/").content.decode()
json.dump({
    "pages": pages,
    "cookies": {"accountant": accountant_cookie, "firm": firm_cookie, "plain": plain_cookie},
    "cookie_name": settings.SESSION_COOKIE_NAME,
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
    # The pages need the static files' manifest, in the setup's counts as under gunicorn.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        env=env,
        cwd=ROOT,
        check=True,
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
        load_before = os.getloadavg()
        rows = measure_all(args, data, base, f"http://127.0.0.1:{bare_port}")
        load_after = os.getloadavg()
    finally:
        processes.stop_all()
    report(args, data, rows, load_before, load_after)


def measure_all(args, data: dict, base: str, floor_url: str) -> list[tuple[str, float, float]]:
    """The floor, the API's calls (bearer token), then the pages (session cookie), one after
    the other on one kept-alive connection each."""
    token = {"Authorization": f"Bearer {data['token']}"}
    path = f"/dossiers/{data['siren']}"
    with httpx.Client(base_url=floor_url, timeout=30) as floor:
        rows = [measure("bare Django floor", args.rounds, lambda: floor.get("/"))]
    with httpx.Client(base_url=f"{base}/api/v1", timeout=30) as http:
        later = http.get(f"{path}/threads?limit=50", headers=token).json()["next_cursor"]
        rows += [
            measure(
                "API GET /dossiers/{siren} (no messaging)",
                args.rounds,
                lambda: http.get(path, headers=token),
            ),
            measure(
                f"API GET …/threads?limit=50 ({args.threads} threads)",
                args.rounds,
                lambda: http.get(f"{path}/threads?limit=50", headers=token),
            ),
            measure(
                "API GET …/threads, a later page of 50",
                args.rounds,
                lambda: http.get(f"{path}/threads?limit=50&cursor={later}", headers=token),
            ),
        ]
    space = f"/espace/dossiers/{data['siren']}/"
    pages = [
        ("accountant", "page: the dossier (espace/dossiers/<siren>/)", space),
        (
            "accountant",
            f"page: thread list, page 1 ({args.threads} threads)",
            space + "messagerie/",
        ),
        ("accountant", "page: thread list, page 30 of 20", space + "messagerie/?page=30"),
        ("firm", f"page: home, {args.dossiers} dossiers, {args.unread} unread", "/espace/"),
        ("plain", f"page: home, {args.dossiers} dossiers, no Messagerie", "/espace/"),
    ]
    for who, name, url in pages:
        cookie = {"Cookie": f"{data['cookie_name']}={data['cookies'][who]}"}
        with httpx.Client(base_url=base, timeout=30, headers=cookie) as http:
            rows.append(measure(name, args.rounds, lambda url=url, http=http: http.get(url)))
    return rows


def report(args, data: dict, rows, load_before, load_after) -> None:
    print(
        f"\nSecure messaging through HTTP ({data['vendor']}): {args.workers} gunicorn workers, "
        f"{args.rounds} rounds, one kept-alive connection, {time.strftime('%Y-%m-%d %H:%M')}"
    )
    print(
        "machine load average (1, 5, 15 min): before "
        + " ".join(f"{x:.1f}" for x in load_before)
        + ", after "
        + " ".join(f"{x:.1f}" for x in load_after)
    )
    floor_p50 = rows[0][1]
    print(f"{'request':52} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'floor':>6}")
    for name, p50, p99 in rows:
        print(f"{name:52} {1000 / p50:7.0f} {p50:8.2f} {p99:8.2f} {floor_p50 / p50:6.1%}")
    pages = data["pages"]
    n = {key: len(sqls) for key, sqls in pages.items()}
    reading_threads = [sql for sql in pages["home_unread"] if "messaging_thread" in sql]
    print(
        f"\nqueries (in-process, test client, logged in): API GET /dossiers/{{siren}} "
        f"{data['queries_dossier']}, API GET …/threads {data['queries_threads']}"
    )
    print(
        f"home page: {n['home_unread']} with {args.unread} unread dossiers, {n['home_plain']} "
        f"without Messagerie (difference {n['home_unread'] - n['home_plain']}); "
        f"{len(reading_threads)} of them reads the threads (the unread count)"
    )
    print(
        f"dossier page {n['dossier']}, thread list {n['threads']} (page 30: "
        f"{n['threads_later']}): the list adds {n['threads'] - n['dossier']}"
    )
    for key in ("dossier", "threads", "home_unread"):
        print(f"  {key}:")
        for sql in pages[key]:
            print("    " + " ".join(sql.split())[:150])
    print(
        f"unread_dossiers: {data['queries_unread']} query for {args.dossiers} dossiers; "
        f"in-process ({data['unread']} unread): "
        f"p50 {data['unread_p50']:.2f} ms, p99 {data['unread_p99']:.2f} ms"
    )
    print("\nplan, thread list page (API, 50):\n  " + "\n  ".join(data["plan_threads"]))
    print("plan, unread_dossiers:\n  " + "\n  ".join(data["plan_unread"]))


if __name__ == "__main__":
    main()
