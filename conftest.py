"""Shared fixtures: small builders, no world built before every test. The factories and helpers
they use are in tests/factories.py and tests/helpers.py: tests import those, never a conftest."""

import os
import secrets

import pytest

from accounts.flows.registration import RegistrationData
from companies.models import Company
from tests.factories import CompanyFactory, SubscriberFactory
from tests.helpers import STRONG_PASSWORD


@pytest.fixture
def company(db) -> Company:
    """The company of the subscribers the factories make (their SIREN and name)."""
    return CompanyFactory(
        identifier=SubscriberFactory.company_identifier,
        name=SubscriberFactory.company_name,
        street_line="12 RUE DES LILAS",
        postal_code="75011",
        city="PARIS",
    )


@pytest.fixture
def registration(company) -> RegistrationData:
    return RegistrationData(
        email="lila.rosemonde@example.fr",
        password=STRONG_PASSWORD,
        civility="MME",
        last_name="Rosemonde",
        first_name="Lila",
        foreign_company=False,
        company_identifier=company.identifier,
        company_name=company.name,
        phone="01 24 57 88 77",
        street_number="",
        street_type="",
        street_name="",
        address_complement="",
        postal_code="",
        city="PARIS",
        country="FRANCE",
        trust_question="animal",
        trust_answer="Lili",
    )


@pytest.fixture
def alice(db):
    return SubscriberFactory(first_name="Alice", last_name="Titulaire")


@pytest.fixture
def bob(db):
    return SubscriberFactory(first_name="Bob", last_name="Suppleant")


@pytest.fixture
def carol(db):
    return SubscriberFactory(first_name="Carol", last_name="Actrice")


@pytest.fixture
def simplified_data(registration, company):
    """A simplified-mode creation for `company`, with its e-mail and a bank account."""
    from companies.bank import BankDetails
    from habilitations.postal.simplified import SimplifiedData
    from tests.helpers import BIC, IBAN, SIMPLIFIED_COMPANY_EMAIL

    return SimplifiedData(
        registration=registration,
        company_identifier=company.identifier,
        company_email=SIMPLIFIED_COMPANY_EMAIL,
        general_information=True,
        bank=BankDetails.parse(IBAN, BIC, "SARLALERIS"),
    )


@pytest.fixture
def elegance(db):
    """A company whose name and address need escaping and accents in a PDF."""
    return CompanyFactory(
        identifier="111111118",
        name="SARL ÉLÉGANCE & FILS",
        street_line="45 AVENUE JEAN JAURÈS",
        postal_code="33000",
        city="BORDEAUX",
    )


@pytest.fixture
def letters_dir(settings, tmp_path):
    """Letters' PDFs go to this test's own folder (the letters' storage, a folder, moved)."""
    from config.letters_storage import letters_storage

    settings.LETTERS_DIR = tmp_path / "letters"
    settings.STORAGES = {
        **settings.STORAGES,
        "letters": letters_storage("local", settings.LETTERS_DIR),
    }
    return settings.LETTERS_DIR


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (rate-limit stamps, CAPTCHAs' images…)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield


@pytest.fixture
def redis_cache_alias(settings):
    """A Redis cache under an alias of the test's own, for the code that finds its cache by
    alias (rate limits, the API's bearers): database 9 of a local server, a key prefix per
    alias, emptied before and after; skips the test when no Redis answers. Gives a function
    (alias, backend) -> the cache; the backend is the site's unless said."""
    import redis
    from django.core.cache import caches

    url = "redis://127.0.0.1:6379/9"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    made = []

    def make(alias: str, backend: str = "core.cache.KeptClientRedisCache"):
        settings.CACHES = {
            **settings.CACHES,
            alias: {"BACKEND": backend, "LOCATION": url, "KEY_PREFIX": f"test-{alias}"},
        }
        caches[alias].clear()
        made.append(alias)
        return caches[alias]

    yield make
    for alias in made:
        caches[alias].clear()


@pytest.fixture
def redis_sessions(settings, db):
    """The production configuration with Redis (docs/security.md §11.7): the site's RedisCache
    and `cached_db` sessions, on REDIS_TEST_URL (by default database 3 of a local server),
    under a key prefix of this test's own whose keys are deleted afterwards (never a flush).
    Yields the redis-py client and a function listing the test's keys; skips the test when no
    Redis server answers."""
    import redis

    url = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/3")
    client = redis.Redis.from_url(url, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis server at {url}")
    prefix = f"test-{secrets.token_hex(6)}"
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.KeptClientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.PORTFOLIO_COUNT_CACHE = "default"

    def keys() -> list[bytes]:
        return list(client.scan_iter(match=f"{prefix}:*"))

    yield client, keys
    for key in keys():
        client.delete(key)
