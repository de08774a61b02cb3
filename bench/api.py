"""Benchmark of the JSON API through HTTP (docs/api.md §9): p50/p99 of the authorization check
(one triple, a batch of 1,000) and of `GET /dossiers` on the largest portfolio of the data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/big .venv/bin/python bench/api.py
    … bench/api.py --rounds 300 --workers 2

On a database filled by `manage.py generate_data` (PostgreSQL; Redis at REDIS_URL if set,
passed on to the product as it is), it
1. creates, in the database, a personal access token for the space with the most dossiers
   (the `--big-firm-dossiers` one) and a service client, and picks the triples to check:
   habilitations of the data (allowed) mixed with the same people on other companies (denied);
2. starts the product (`config.wsgi`, gunicorn.conf.py) under gunicorn in production mode over
   plain http on 127.0.0.1, as bench/load/run.py does, with the API's rate limits raised out of
   the way (RATE_API_SPACE, RATE_API_CLIENT, RATE_API_ADDRESS);
3. starts the bare Django app of the load test (bench/load/bare.py) under gunicorn with as
   many workers: the floor, what gunicorn, Django and this client cost by themselves;
4. obtains the service bearer by `POST /api/v1/oauth/token`, then sends the requests one after
   the other on one kept-alive connection and prints p50/p99 (ms, client side, network
   included) of each, next to the floor's (the same POST to the bare app).
Every process it started is stopped at the end.

The figures of the last run, and what bounds them, are in docs/api.md §9.
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
import json, random, sys
from datetime import timedelta
import django
django.setup()
from django.db.models import Count
from api import clients, tokens
from core import clock
from habilitations.models import Habilitation, PortfolioEntry
random.seed(7)
big = (
    PortfolioEntry.objects.filter(is_dossier=True).values("subscriber")
    .order_by().annotate(n=Count("id")).order_by("-n").first()
)
if big is None:
    sys.exit("No portfolio: run `manage.py generate_data` first.")
from accounts.models import Subscriber
owner = Subscriber.objects.get(pk=big["subscriber"])
_, token = tokens.create_token(owner, "bench", ["dossiers:read"], clock.now() + timedelta(days=1))
client, secret = clients.create_client("bench")
last = Habilitation.objects.order_by("-pk").values_list("pk", flat=True).first()
rows = list(
    Habilitation.objects.filter(pk__gt=random.randint(0, max(0, last - 5000)))
    .values_list("subscriber__subscriber_number", "company__identifier", "elementary_service")
    [:1000]
)
sirens = [siren for _, siren, _ in rows]
items = []
for i, (number, siren, code) in enumerate(rows):
    other = sirens[(i * 7 + 3) % len(sirens)]
    items.append({"subscriber_number": number, "siren": siren if i % 2 else other, "service": code})
json.dump({
    "token": token, "client_id": client.client_id, "client_secret": secret,
    "dossiers": big["n"], "items": items,
}, sys.stdout)
"""


def setup(env: dict) -> dict:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SETUP],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(f"Setup failed:\n{result.stderr}")
    return json.loads(result.stdout)


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
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    return name, statistics.median(times), p99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database filled by `manage.py generate_data`.")
    port = free_port()
    env = product_env(port, args.workers)
    env.update(
        RATE_API_SPACE="1000000/1m", RATE_API_CLIENT="1000000/1m", RATE_API_ADDRESS="1000000/1m"
    )
    data = setup(env)
    processes = Processes()
    log = ROOT / "var" / "bench-api.log"
    log.parent.mkdir(exist_ok=True)
    try:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            env=env,
            cwd=ROOT,
            check=True,
        )
        server = processes.start(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "--config",
                "gunicorn.conf.py",
                "--workers",
                str(args.workers),
                "--bind",
                f"127.0.0.1:{port}",
                "config.wsgi",
            ],
            env,
            log,
        )
        bare_port = free_port()
        bare = processes.start(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "--workers",
                str(args.workers),
                "--bind",
                f"127.0.0.1:{bare_port}",
                "--chdir",
                str(HERE / "load"),
                "bare:application",
            ],
            env,
            ROOT / "var" / "bench-api-bare.log",
        )
        base = f"http://127.0.0.1:{port}"
        wait_until_up(f"{base}/api/v1/openapi.json", server, log)
        wait_until_up(f"http://127.0.0.1:{bare_port}/", bare, ROOT / "var" / "bench-api-bare.log")
        with httpx.Client(base_url=f"{base}/api/v1", timeout=30) as http:
            bearer = http.post(
                "/oauth/token",
                data={"grant_type": "client_credentials"},
                auth=(data["client_id"], data["client_secret"]),
            ).json()["access_token"]
            service = {"Authorization": f"Bearer {bearer}"}
            token = {"Authorization": f"Bearer {data['token']}"}
            items = data["items"]
            one = iter(items * (args.rounds // len(items) + 2))
            later = http.get("/dossiers?limit=50", headers=token).json()["next_cursor"]
            with httpx.Client(base_url=f"http://127.0.0.1:{bare_port}", timeout=30) as floor:
                rows = [
                    measure(
                        "bare Django floor (same POST, no work)",
                        args.rounds,
                        lambda: floor.post("/", json=items[0], headers=service),
                    )
                ]
            rows += [
                measure(
                    "check, one triple",
                    args.rounds,
                    lambda: http.post("/authorizations/check", json=next(one), headers=service),
                ),
                measure(
                    f"check, batch of {len(items)}",
                    max(30, args.rounds // 5),
                    lambda: http.post(
                        "/authorizations/check", json={"items": items}, headers=service
                    ),
                ),
                measure(
                    "GET /dossiers (first page of 50)",
                    args.rounds,
                    lambda: http.get("/dossiers?limit=50", headers=token),
                ),
                measure(
                    "GET /dossiers (a later page of 200)",
                    args.rounds,
                    lambda: http.get(f"/dossiers?limit=200&cursor={later}", headers=token),
                ),
                measure(
                    "GET /dossiers?q=… (a search by words)",
                    args.rounds,
                    lambda: http.get("/dossiers?q=sarl&limit=50", headers=token),
                ),
            ]
    finally:
        processes.stop_all()
    print(
        f"\nJSON API through HTTP: {data['dossiers']:,} dossiers in the portfolio, "
        f"{args.workers} gunicorn workers, {args.rounds} rounds"
    )
    print(f"machine load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"{'request':42} {'p50 ms':>8} {'p99 ms':>8} {'floor share':>12}")
    floor_p50 = rows[0][1]
    for name, p50, p99 in rows:
        print(f"{name:42} {p50:8.2f} {p99:8.2f} {floor_p50 / p50:11.0%}")
    print(
        "floor share: the bare Django app's p50 (bench/load/bare.py, gunicorn, same workers, "
        "same connection reuse) over this request's p50."
    )


if __name__ == "__main__":
    main()
