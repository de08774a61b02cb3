"""The load test's users (locust): people using the portal as they do, and the bare floor.

Run by `bench/load/run.py`, one user class per scenario (`locust -f bench/load/locustfile.py
HomeUser --host …`). The accounts come from `manage.py generate_data` (see
`demo/synthetic.py`): run.py finds them in the database and passes them in the file named
by LOAD_ACCOUNTS (JSON: password, firm, big, single); without it, the layout of
`generate_data --firms 50 --collaborators 30` is assumed.

Each user logs in with its own account (two users logging in at once with one e-mail from
one address would trip the login limits, as they should); users of one account (the big
firm) log in one after the other. Statistics are reset once every user of a logged-in
scenario has logged in, so that its figures are those of the pages, not of the logins.
LOAD_THINK_SECONDS (default 0) adds a pause between requests; the default measures the
most the servers answer.

Every path requested and every reading of a page is in portal.py, with the Django URL name
each path must resolve to: tests/test_load_locustfile.py checks them, so a renamed URL
breaks a test, not a load run.
"""

import itertools
import json
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import gevent
from gevent.lock import Semaphore
from locust import FastHttpUser, constant, events, task
from portal import (
    DELEGATIONS,
    DOSSIER,
    DOSSIER_LIST,
    HOME,
    LOGGED_IN,
    LOGIN,
    LOGIN_STEP,
    LOGOUT,
    PORTFOLIO,
    SERVICES,
    TERMS,
    csrf_token,
    dossier_names,
    dossiers,
    next_page,
    search_path,
    seconds_to_next_step,
    totp,
)

# The bare app's paths (bench/load/bare.py).
FLOOR = "/"
ARGON2 = "/argon2/"
SYNTHETIC_PASSWORD = "Trois pommes vertes sur la table du jardin"


def _default_accounts() -> dict:
    """`generate_data --firms 50 --collaborators 30` (demo/synthetic.py): firm f's owner is
    user{31 f}; firm 0 is the big one; the subscribers past the firms' staff run one company."""

    def email(n: int) -> str:
        return f"user{n}@synthetic.example"

    return {
        "password": SYNTHETIC_PASSWORD,
        "big": [email(0)],
        "firm": [email(31 * f) for f in range(1, 50)],
        "single": [email(n) for n in range(50 * 31, 50 * 31 + 2000)],
    }


def _load_accounts() -> dict:
    path = os.environ.get("LOAD_ACCOUNTS")
    if not path:
        return _default_accounts()
    with open(path, encoding="utf-8") as f:
        return json.load(f)


ACCOUNTS = _load_accounts()
THINK = constant(float(os.environ.get("LOAD_THINK_SECONDS", "0")))
_next_index = {kind: itertools.count() for kind in ("firm", "big", "single")}
_one_login_at_a_time = Semaphore()
_ready = {"users": 0}


def start_measure(environment) -> None:
    """From now on the figures count: statistics reset, run.py told (LOAD_READY_FILE), and
    the run stopped LOAD_MEASURE_SECONDS later (so a slow set-up never shortens the measure)."""
    if _ready.get("measuring"):
        return
    _ready["measuring"] = True
    environment.runner.stats.reset_all()
    if os.environ.get("LOAD_READY_FILE"):
        with open(os.environ["LOAD_READY_FILE"], "w") as f:
            f.write("ready\n")
    seconds = float(os.environ.get("LOAD_MEASURE_SECONDS") or 0)
    if seconds:
        gevent.spawn_later(seconds, environment.runner.quit)


@events.spawning_complete.add_listener
def _measure_at_once(user_count, **kwargs):
    """Users who do not log in first are measured as soon as they are all started."""
    environment = _environment["current"]
    if not any(issubclass(cls, LoggedInUser) for cls in environment.user_classes):
        start_measure(environment)


_environment: dict = {}


@events.init.add_listener
def _keep_environment(environment, **kwargs):
    _environment["current"] = environment


def _account(kind: str) -> str:
    accounts = ACCOUNTS[kind]
    return accounts[next(_next_index[kind]) % len(accounts)]


class FloorUser(FastHttpUser):
    """The floor: the bare Django app's one page (run against bench/load/bare.py)."""

    wait_time = THINK

    @task
    def floor(self):
        self.client.get(FLOOR, name="floor")


class Argon2FloorUser(FastHttpUser):
    """The Argon2id floor: one hash with the product's parameters a request (bare app)."""

    wait_time = THINK

    @task
    def argon2(self):
        self.client.get(ARGON2, name="argon2 hash")


class PortalUser(FastHttpUser):
    """Someone on the portal: logs in with the form, as a browser does."""

    abstract = True
    wait_time = THINK

    def get_page(self, path: str, name: str, expect: str = "") -> str:
        """GET a page that must answer 200 (and contain `expect`): anything else is an error."""
        with self.client.get(path, name=name, catch_response=True) as response:
            text = response.text or ""
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif expect and expect not in text:
                response.failure(f"{expect!r} missing")
            return text

    def log_in(self, email: str, name: str = "login") -> bool:
        """GET the login page, POST e-mail and password with its CSRF token: a 302 to home."""
        page = self.get_page(LOGIN, f"{name}: GET /", expect="csrfmiddlewaretoken")
        with self.client.post(
            LOGIN,
            data={
                "csrfmiddlewaretoken": csrf_token(page),
                "username": email,
                "password": ACCOUNTS["password"],
            },
            name=f"{name}: POST /",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "") if response.headers else ""
            if location.endswith(LOGIN_STEP):
                pass  # the second step follows
            elif response.status_code != 302 or not location.endswith(HOME):
                response.failure(f"login refused: HTTP {response.status_code} {location!r}")
                return False
            else:
                return True  # a remembered browser
        return self.second_step(name)

    def second_step(self, name: str) -> bool:
        """The authenticator app's code (the load accounts' key, LOAD_TOTP_HEX). A code is
        accepted once per account and 30-second step: users sharing an account, or an account
        logged in again within the step, wait for the next step (at most twice)."""
        page = self.get_page(LOGIN_STEP, f"{name}: GET second step", expect="csrfmiddlewaretoken")
        for _ in range(3):
            with self.client.post(
                LOGIN_STEP,
                data={"csrfmiddlewaretoken": csrf_token(page), "code": totp(), "remember": "on"},
                name=f"{name}: POST second step",
                allow_redirects=False,
                catch_response=True,
            ) as response:
                location = response.headers.get("Location", "") if response.headers else ""
                if response.status_code == 302 and location.endswith(HOME):
                    return True
                page = response.text or page
                response.success()  # a code of a step already used: not the server's error
            gevent.sleep(seconds_to_next_step())
        return False

    def log_out(self, page: str) -> None:
        self.client.post(
            LOGOUT, data={"csrfmiddlewaretoken": csrf_token(page)}, name="logout: POST /quitter/"
        )
        # The remembered browser's cookie stays, as in a browser: the next login skips the step.
        for cookie in list(self.client.cookiejar):
            if "navigateur" not in cookie.name:
                self.client.cookiejar.clear(cookie.domain, cookie.path, cookie.name)


class LoggedInUser(PortalUser):
    """Logs in once (one login at a time), then reads pages; the statistics start when every
    user of the scenario is in."""

    abstract = True
    account_kind = "firm"

    def on_start(self):
        with _one_login_at_a_time:
            self.log_in(_account(self.account_kind), name="setup login")
        self.prepare()
        _ready["users"] += 1
        runner = self.environment.runner
        if runner is not None and _ready["users"] == runner.target_user_count:
            start_measure(self.environment)

    def prepare(self) -> None:
        """What the user reads once logged in, before the measure starts."""


class TermsAnonymousUser(PortalUser):
    """*Conditions générales*, not logged in (same layout, no database read for the page)."""

    @task
    def terms(self):
        self.get_page(TERMS, "conditions générales (anonymous)")


class LoginPageUser(PortalUser):
    """The login page, not logged in."""

    @task
    def login_page(self):
        self.get_page(LOGIN, "login page", expect="csrfmiddlewaretoken")


class FullLoginUser(PortalUser):
    """Full logins (GET the form, POST it, then the app's code on the second step: a 302 to
    home), each from a fresh browser."""

    @task
    def full_login(self):
        self.client.cookiejar.clear()
        self.log_in(_account("single"), name="full login")


class TermsLoggedInUser(LoggedInUser):
    @task
    def terms(self):
        self.get_page(TERMS, "conditions générales (logged in)")


class HomeUser(LoggedInUser):
    """The home page of a firm with ~3,000 dossiers."""

    @task
    def home(self):
        self.get_page(HOME, "home", expect=LOGGED_IN)


class PortfolioUser(LoggedInUser):
    """*Voir tous mes dossiers*, first page, firm with ~3,000 dossiers."""

    @task
    def portfolio(self):
        self.get_page(PORTFOLIO, "portfolio page 1", expect=DOSSIER_LIST)


class DossierUser(LoggedInUser):
    """A dossier's page (one of the firm's, picked at random from its first pages)."""

    def prepare(self) -> None:
        self.dossiers = dossiers(self.get_page(PORTFOLIO, "setup portfolio"))

    @task
    def dossier(self):
        identifier = random.choice(self.dossiers)  # noqa: S311 (not security)
        self.get_page(DOSSIER.format(identifier=identifier), "dossier", expect=identifier)


class BigPortfolioUser(LoggedInUser):
    """*Voir tous mes dossiers*, first page, of the firm space with ~100,000 dossiers."""

    account_kind = "big"

    @task
    def portfolio(self):
        self.get_page(PORTFOLIO, "portfolio page 1 (big firm)", expect=DOSSIER_LIST)


class JourneyUser(PortalUser):
    """A session as a firm's accountant has them: log in, home, *Voir tous mes dossiers* and
    a few pages, a search, a dossier, *Consulter vos services*, the dossier's delegations,
    sometimes a second dossier, log out. Then another session, with the same account."""

    def on_start(self):
        self.email = _account("firm")

    @task
    def session(self):
        rng = random  # not security: which page a person opens
        if not self.log_in(self.email, name="journey login"):
            self.client.cookiejar.clear()
            return
        self.get_page(HOME, "home", expect=LOGGED_IN)
        page = self.get_page(PORTFOLIO, "portfolio page 1", expect=DOSSIER_LIST)
        seen, names = dossiers(page), dossier_names(page)
        for _ in range(rng.randint(1, 3)):  # a few pages further
            path = next_page(page)
            if not path:
                break
            page = self.get_page(path, "portfolio next page", expect=DOSSIER_LIST)
            seen += dossiers(page)
        if names:  # the beginning of a name seen in the list, typed in the search box
            self.get_page(search_path(rng.choice(names)), "portfolio search", expect=DOSSIER_LIST)
        last = page
        for _ in range(1 if rng.random() < 0.6 else 2):  # one dossier, sometimes two
            if seen:
                identifier = rng.choice(seen)
                last = self.get_page(DOSSIER.format(identifier=identifier), "dossier")
        self.get_page(SERVICES, "consulter vos services")
        if seen:
            last = self.get_page(
                DELEGATIONS.format(identifier=rng.choice(seen)), "gérer vos délégations"
            )
        self.log_out(last)
