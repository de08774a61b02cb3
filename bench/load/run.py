"""The load test in one command: the bare floor and the product under gunicorn, driven by locust.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/big .venv/bin/python bench/load/run.py
    … run.py --run-time 60s --users 8 --only floor,home,journey

On a database filled by `manage.py generate_data` (PostgreSQL; Redis at REDIS_URL if set,
passed on to the product as it is), it
1. finds the accounts in the data: the firm spaces nearest 3,000 dossiers, the largest one
   (the 100,000 of `--big-firm-dossiers 100000`), and spaces with one company for logins;
2. runs `collectstatic` (the product's static storage may need its manifest), then starts
   the bare app (bench/load/bare.py) and the product (`config.wsgi`, with gunicorn.conf.py
   when the repository has one) under gunicorn with the same number of sync workers
   (WEB_CONCURRENCY, default 4), in production mode (DEBUG off) but over plain http on
   127.0.0.1 (no HTTPS redirect, no secure cookies, no HSTS);
3. runs locust headless, one scenario after the other, each bounded (`--run-time`), and
   prints a table (req/s, p50/p95/p99 ms, errors, share of the floor; full logins as a
   share of the Argon2id floor), with the machine's load and the CPU the servers and the
   load generator used, and writes it as JSON under var/ (var/load-<time>.json and
   var/load.json).
Every process it started is stopped at the end, on an error or on Ctrl-C.
"""

import argparse
import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from report import Row, make_row, print_table, read_stats, verdicts  # bench/load/report.py

ROOT = Path(__file__).resolve().parent.parent.parent
HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
SETUP_LIMIT = 300  # seconds for the users of a scenario to log in before the measure


@dataclass
class Scenario:
    key: str
    label: str
    user_class: str
    server: str  # "bare" or "product"
    entries: list[str]  # locust names whose figures make the row (the first gives req/s)
    kind: str = "page"  # floor, argon2, anonymous, login, page, big, journey
    details: bool = False  # print each page of the scenario too


SCENARIOS = [
    Scenario("floor", "bare Django floor", "FloorUser", "bare", ["floor"], kind="floor"),
    Scenario(
        "argon2",
        "Argon2id floor (one hash a request)",
        "Argon2FloorUser",
        "bare",
        ["argon2 hash"],
        kind="argon2",
    ),
    Scenario(
        "terms",
        "Conditions générales, anonymous",
        "TermsAnonymousUser",
        "product",
        ["conditions générales (anonymous)"],
        kind="anonymous",
    ),
    Scenario(
        "login_page",
        "login page, anonymous",
        "LoginPageUser",
        "product",
        ["login page"],
        kind="anonymous",
    ),
    Scenario(
        "logins",
        "full logins (GET + POST)",
        "FullLoginUser",
        "product",
        ["full login: POST /", "full login: GET /"],
        kind="login",
        details=True,
    ),
    Scenario(
        "terms_in",
        "Conditions générales, logged in (firm {firm})",
        "TermsLoggedInUser",
        "product",
        ["conditions générales (logged in)"],
    ),
    Scenario("home", "home page (firm {firm})", "HomeUser", "product", ["home"]),
    Scenario(
        "portfolio",
        "Voir tous mes dossiers, page 1 (firm {firm})",
        "PortfolioUser",
        "product",
        ["portfolio page 1"],
    ),
    Scenario("dossier", "a dossier's page (firm {firm})", "DossierUser", "product", ["dossier"]),
    Scenario(
        "big_portfolio",
        "Voir tous mes dossiers, page 1 (firm {big})",
        "BigPortfolioUser",
        "product",
        ["portfolio page 1 (big firm)"],
        kind="big",
    ),
    Scenario(
        "journey",
        "mixed journey (firm {firm}), all requests",
        "JourneyUser",
        "product",
        ["Aggregated"],
        kind="journey",
        details=True,
    ),
]


# --- processes -------------------------------------------------------------------------


class Processes:
    """Every process started here, each in its own process group: stopped at the end."""

    def __init__(self):
        self.started: list[subprocess.Popen] = []

    def start(self, args: list[str], env: dict, log: Path) -> subprocess.Popen:
        handle = log.open("ab")
        process = subprocess.Popen(  # noqa: S603 (our own commands)
            args,
            env=env,
            cwd=ROOT,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started.append(process)
        return process

    def stop(self, process: subprocess.Popen, grace: float = 10) -> None:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(grace)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        # A process group whose leader is gone may still hold children (gunicorn's workers).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)

    def stop_all(self) -> None:
        for process in reversed(self.started):
            self.stop(process)
        self.started.clear()


def seconds(text: str) -> float:
    """locust's durations: 30, 30s, 2m, 1h30m."""
    total, number = 0.0, ""
    for char in text.strip():
        if char.isdigit() or char == ".":
            number += char
        elif char in "hms" and number:
            total += float(number) * {"h": 3600, "m": 60, "s": 1}[char]
            number = ""
        else:
            sys.exit(f"Not a duration: {text!r} (e.g. 30s, 2m)")
    return total + float(number or 0)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"The server stopped (exit {process.returncode}); see {log}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (localhost)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    sys.exit(f"{url} did not answer within {timeout:.0f} s; see {log}")


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU of the live processes of a process group (gunicorn and workers)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command: state, ppid, pgrp, …; utime and stime are fields 14 and 15.
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def uptime() -> str:
    return subprocess.run(
        ["/usr/bin/uptime"], capture_output=True, text=True, check=False
    ).stdout.strip()


# --- the product's environment and accounts --------------------------------------------


def product_env(port: int, workers: int) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        OUTBOX_ENABLED="0",
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{port}",
        # Plain http on 127.0.0.1: no redirect to https, cookies without Secure/__Host-.
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        WEB_CONCURRENCY=str(workers),
        PORT=str(port),
    )
    env.setdefault("LOG_LEVEL", "WARNING")
    return env


def find_accounts(env: dict, path: Path) -> dict:
    """The generate_data spaces to log in with, read in the database (a child process, with
    the product's settings)."""
    code = r"""
import json, sys
import django
django.setup()
from django.db.models import Count
from accounts.models import Subscriber
from demo.synthetic import EMAIL_DOMAIN, PASSWORD
from habilitations.models import PortfolioEntry
counts = dict(
    PortfolioEntry.objects.filter(is_dossier=True, subscriber__email__endswith="@" + EMAIL_DOMAIN)
    .values_list("subscriber").order_by().annotate(n=Count("id")).values_list("subscriber", "n")
)
if not counts:
    sys.exit("No synthetic portfolio: run `manage.py generate_data` first.")
emails = dict(Subscriber.objects.filter(pk__in=list(counts)).values_list("pk", "email"))
ranked = sorted(counts.items(), key=lambda item: -item[1])
big_pk, big_n = ranked[0]
firm = sorted((p for p in ranked[1:] if p[1] >= 100), key=lambda item: abs(item[1] - 3000))
firm = [p for p in firm if p[1] == firm[0][1]] or firm[:1]
single = [pk for pk, n in counts.items() if n == 1][:2000]
# The second step (docs/security.md §14.3): every load account holds an authenticator app of a
# known key, so that the users compute its codes (bench/load/portal.py).
from accounts.factors.models import TotpDevice
from core import clock, sealing
sys.path.insert(0, "bench/load")
from portal import LOAD_TOTP_HEX
used = {emails[big_pk], *(emails[pk] for pk, _ in firm[:64]), *(emails[pk] for pk in single)}
users = list(Subscriber.objects.filter(email__in=used).exclude(totp_devices__confirmed=True))
TotpDevice.objects.bulk_create(
    TotpDevice(user=u, name="TOTP", confirmed=True, created_at=clock.now(),
               sealed_key=sealing.seal(LOAD_TOTP_HEX, "accounts.totp-key"))
    for u in users
)
Subscriber.objects.filter(email__in=used).update(login_factor="totp", strong_factor=True)
json.dump({
    "password": PASSWORD,
    "big": [emails[big_pk]], "big_dossiers": big_n,
    "firm": [emails[pk] for pk, _ in firm[:64]], "firm_dossiers": firm[0][1] if firm else 0,
    "single": [emails[pk] for pk in single],
}, sys.stdout)
"""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(f"Could not read the accounts:\n{result.stderr}")
    accounts = json.loads(result.stdout)
    if not accounts["firm"] or not accounts["single"]:
        sys.exit("The data has no firm space or no space with one company: see generate_data.")
    path.write_text(json.dumps(accounts))
    return accounts


# --- locust and its figures -------------------------------------------------------------


def run_locust(
    scenario: Scenario,
    host: str,
    args,
    env: dict,
    tmp: Path,
    server: subprocess.Popen,
    procs: Processes,
) -> tuple[dict[str, dict], float, float, str]:
    prefix = tmp / scenario.key
    log = tmp / f"locust-{scenario.key}.log"
    command = [
        str(BIN / "locust"),
        "-f",
        str(HERE / "locustfile.py"),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.users),
        # The locustfile stops the run LOAD_MEASURE_SECONDS after its users are ready; this is
        # only the ceiling, should they never be.
        "--run-time",
        f"{args.measure + SETUP_LIMIT:.0f}s",
        "--host",
        host,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        scenario.user_class,
    ]
    # The server's CPU is counted from the moment the measure starts: at once for anonymous
    # scenarios, once every user has logged in for the others (the locustfile then resets
    # its statistics and touches LOAD_READY_FILE).
    ready = tmp / f"{scenario.key}.ready"
    env = {**env, "LOAD_READY_FILE": str(ready), "LOAD_MEASURE_SECONDS": str(args.measure)}
    started = time.monotonic()
    before = os.times()
    process = procs.start(command, env, log)
    measured_from, server_cpu = started, group_cpu_seconds(server.pid)
    waiting = True
    while process.poll() is None:
        if waiting and ready.exists():
            measured_from, server_cpu = time.monotonic(), group_cpu_seconds(server.pid)
            waiting = False
        time.sleep(0.1)
    procs.started.remove(process)
    if waiting:
        sys.exit(f"The users of {scenario.key} were not ready within {SETUP_LIMIT} s: see {log}")
    after = os.times()
    ended = time.monotonic()
    client_cores = (
        (after.children_user - before.children_user)
        + (after.children_system - before.children_system)
    ) / (ended - started)
    server_cores = (group_cpu_seconds(server.pid) - server_cpu) / (ended - measured_from)
    text = log.read_text(errors="replace")
    if "CPU usage above" in text:
        print(f"  ! locust says its CPU was saturated during {scenario.key}", flush=True)
    return read_stats(prefix), server_cores, client_cores, text


# --- the run ----------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--run-time", default="30s", help="measured per scenario, after its logins (30s, 2m)"
    )
    parser.add_argument("--users", type=int, default=8, help="concurrent users (default 8)")
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_CONCURRENCY") or 4),
        help="gunicorn sync workers of each server (WEB_CONCURRENCY, default 4)",
    )
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated scenario keys: " + ", ".join(s.key for s in SCENARIOS),
    )
    parser.add_argument("--no-collectstatic", action="store_true")
    parser.add_argument("--output", default=str(ROOT / "var"), help="folder of the JSON")
    args = parser.parse_args()
    args.measure = seconds(args.run_time)

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL database filled by `manage.py generate_data`.")
    chosen = [s for s in SCENARIOS if not args.only or s.key in args.only.split(",")]
    if not chosen:
        sys.exit(f"No such scenario: {args.only}")

    procs = Processes()

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    # Ctrl-C, a closed terminal or a kill: the same clean stop (SIGINT is set explicitly,
    # since a shell starting this in the background would have it ignored).
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupted)
    tmp = Path(tempfile.mkdtemp(prefix="load-"))
    bare_port, product_port = free_port(), free_port()
    env = product_env(product_port, args.workers)
    accounts_file = tmp / "accounts.json"
    env["LOAD_ACCOUNTS"] = str(accounts_file)
    rows: dict[str, Row] = {}
    load_before = uptime()
    try:
        print(
            f"Load test: {args.workers} workers a server, {args.users} users, "
            f"{args.run_time} a scenario; logs in {tmp}",
            flush=True,
        )
        print(f"  before: {load_before}", flush=True)
        accounts = find_accounts(env, accounts_file)
        firm = f"{accounts['firm_dossiers']:,} dossiers"
        big = f"{accounts['big_dossiers']:,} dossiers"
        print(
            f"  accounts: {len(accounts['firm'])} firm spaces of {firm}, one of {big}, "
            f"{len(accounts['single'])} one-company spaces for the logins",
            flush=True,
        )
        if not args.no_collectstatic:
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                env=env,
                cwd=ROOT,
                check=True,
            )
        gunicorn = [str(BIN / "gunicorn"), "--workers", str(args.workers)]
        bare = procs.start(
            [
                *gunicorn,
                "--bind",
                f"127.0.0.1:{bare_port}",
                "--chdir",
                str(HERE),
                "bare:application",
            ],
            env,
            tmp / "bare.log",
        )
        config = ["--config", "gunicorn.conf.py"] if (ROOT / "gunicorn.conf.py").exists() else []
        product = procs.start(
            [*gunicorn, *config, "--bind", f"127.0.0.1:{product_port}", "config.wsgi"],
            env,
            tmp / "product.log",
        )
        servers = {
            "bare": (bare, f"http://127.0.0.1:{bare_port}"),
            "product": (product, f"http://127.0.0.1:{product_port}"),
        }
        wait_until_up(servers["bare"][1] + "/", bare, tmp / "bare.log")
        wait_until_up(
            servers["product"][1] + "/conditions-generales/", product, tmp / "product.log"
        )
        for scenario in chosen:
            process, host = servers[scenario.server]
            label = scenario.label.format(firm=firm, big=big)
            print(f"- {label}…", flush=True)
            stats, server_cores, client_cores, _ = run_locust(
                scenario, host, args, env, tmp, process, procs
            )
            row = make_row(scenario, stats, label)
            row.server_cores, row.client_cores = server_cores, client_cores
            row.cpu_ms = server_cores * 1000 / row.rps if row.rps else None
            row.load = " ".join(f"{x:.2f}" for x in os.getloadavg())
            rows[scenario.key] = row
            print(
                f"  {row.rps:.1f} req/s, p50/p95/p99 {row.p50:.0f}/{row.p95:.0f}/"
                f"{row.p99:.0f} ms, {row.errors} errors; load {row.load}",
                flush=True,
            )
    except KeyboardInterrupt:
        print("\nInterrupted: stopping the servers.", file=sys.stderr)
    finally:
        procs.stop_all()
    load_after = uptime()
    if not rows:
        return
    floor = rows.get("floor")
    argon2 = rows.get("argon2")
    for key, row in rows.items():
        reference = argon2 if key == "logins" else floor if key != "argon2" else None
        if reference and reference.rps:
            row.share = row.rps / reference.rps
        if reference and reference.cpu_ms and row.cpu_ms:
            row.cpu_share = reference.cpu_ms / row.cpu_ms
    print()
    print_table(list(rows.values()))
    print(
        "\nshare: of the bare floor's req/s; full logins: logins/s as a share of the Argon2id "
        "floor (hashes/s).\nsrv/cli cores: CPU used by the server under test and by locust, "
        "in cores;\ncpu ms: the server's CPU time per request (gunicorn's processes; PostgreSQL's "
        "not counted);\ncpu share: the reference's cpu ms over this one's, the share of the floor "
        "the app servers' CPU alone allows, whatever else the machine runs."
    )
    print(f"\nbefore: {load_before}\nafter:  {load_after}\n")
    lines = verdicts(rows)
    print("\n".join(lines))
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    report = {
        "when": stamp,
        "workers": args.workers,
        "users": args.users,
        "run_time": args.run_time,
        "database": url.rsplit("@", 1)[-1],
        "redis": bool(os.environ.get("REDIS_URL")),
        "cpus": os.cpu_count(),
        "uptime_before": load_before,
        "uptime_after": load_after,
        "accounts": {k: accounts[k] for k in ("firm_dossiers", "big_dossiers")},
        "rows": [row.__dict__ for row in rows.values()],
        "targets": lines,
    }
    for name in (f"load-{stamp}.json", "load.json"):
        (out / name).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\nWritten: {out / f'load-{stamp}.json'}")


if __name__ == "__main__":
    main()
