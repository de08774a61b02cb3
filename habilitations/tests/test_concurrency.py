"""Two transactions racing to create a second AT: exactly one wins (on PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from core.refusals import Refusal
from habilitations.models import Habilitation, Origin, Role
from habilitations.rights.actions import grant
from tests.factories import CompanyFactory, SubscriberFactory


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_adhesions_make_one_titular_admin():
    if connection.vendor != "postgresql":
        pytest.skip("true concurrency needs PostgreSQL (SQLite serializes writers)")
    company = CompanyFactory()
    first, second = SubscriberFactory(), SubscriberFactory()
    barrier = threading.Barrier(2)
    outcomes = []

    def adhere(subscriber):
        try:
            barrier.wait()
            grant(company, subscriber, "declarer_tva", Role.TITULAR_ADMIN, Origin.ADHESION)
            outcomes.append("granted")
        except Refusal:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=adhere, args=(s,)) for s in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["granted", "refused"]
    assert Habilitation.objects.filter(company=company, role=Role.TITULAR_ADMIN).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_unique_index_alone_stops_a_second_titular_admin_even_without_the_lock():
    """The database constraint is the backstop if some code forgot to lock the company."""
    if connection.vendor != "postgresql":
        pytest.skip("true concurrency needs PostgreSQL")
    import psycopg
    from django.conf import settings

    company = CompanyFactory()
    first, second = SubscriberFactory(), SubscriberFactory()
    db = settings.DATABASES["default"]
    name = connection.settings_dict["NAME"]
    dsn = f"host={db['HOST']} port={db['PORT'] or 5432} user={db['USER']} dbname={name}"
    insert = (
        "INSERT INTO habilitations_habilitation (subscriber_id, company_id, service, "
        "elementary_service, role, state, origin, granted_at, changed_at) VALUES "
        "(%s, %s, 'declarer_tva', 'declarer_tva', 'AT', 'active', 'adhesion', now(), now())"
    )
    with psycopg.connect(dsn) as a, psycopg.connect(dsn) as b:
        a.execute(insert, (first.pk, company.pk))
        errors = []

        def second_insert():
            try:
                b.execute(insert, (second.pk, company.pk))
                b.commit()
            except psycopg.errors.UniqueViolation:
                errors.append("unique")

        thread = threading.Thread(target=second_insert)
        thread.start()  # blocks on the unique index until the first commits
        a.commit()
        thread.join()
    assert errors == ["unique"]
