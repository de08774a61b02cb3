"""Two requests on one delegation (a double submit, two administrators at once): every operation
locks the company, then reads the habilitation it decides on, so the second one meets a clean
`Refusal`, never a `DoesNotExist` (docs/habilitations.md §3)."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from audit.models import Action as AuditAction
from audit.models import AuditEvent
from core.refusals import Refusal
from habilitations.delegation.actions import designate, renounce, revoke, set_delegation_state
from habilitations.delegation.rules import Designation
from habilitations.models import Habilitation, Origin, Role, State
from habilitations.rights import actions as changes
from habilitations.rights.actions import grant
from tests.factories import CompanyFactory, SubscriberFactory


def _actor(company, titular, holder) -> Habilitation:
    grant(company, titular, "declarer_tva", Role.TITULAR_ADMIN, Origin.ADHESION)
    (actor,) = designate(titular, company, holder, [Designation("declarer_tva", Role.ACTOR)])
    return actor


SECOND = {
    "suspend": lambda titular, holder, pk: set_delegation_state(titular, pk, State.SUSPENDED),
    "revoke": lambda titular, holder, pk: revoke(titular, pk),
    "renounce": lambda titular, holder, pk: renounce(holder, pk),
}


@pytest.mark.django_db
@pytest.mark.parametrize("second", sorted(SECOND))
def test_an_operation_on_a_delegation_revoked_meanwhile_is_refused(company, alice, bob, second):
    actor = _actor(company, alice, bob)
    revoke(alice, actor.pk)
    with pytest.raises(Refusal, match="n'existe plus") as refused:
        SECOND[second](alice, bob, actor.pk)
    assert refused.value.code == "delegation.gone"
    removals = AuditEvent.objects.filter(action=AuditAction.HABILITATION_REMOVED)
    assert removals.count() == 1


@pytest.mark.django_db
def test_changes_refuse_a_stale_habilitation(company, alice, bob):
    actor = _actor(company, alice, bob)
    stale = Habilitation.objects.select_related("company", "subscriber").get(pk=actor.pk)
    changes.remove(actor, by=alice)
    for change in (
        lambda: changes.set_state(stale, State.SUSPENDED, by=alice),
        lambda: changes.remove(stale, by=alice),
    ):
        with pytest.raises(Refusal) as refused:
            change()
        assert refused.value.code == "habilitation.gone"
    assert AuditEvent.objects.filter(action=AuditAction.HABILITATION_REMOVED).count() == 1


def _waits_on_a_lock(pid: int) -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE pid = %s AND NOT granted", [pid])
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("second", sorted(SECOND))
def test_a_concurrent_revoke_then_another_operation_gives_a_refusal(second):
    if connection.vendor != "postgresql":
        pytest.skip("true concurrency needs PostgreSQL (SQLite serializes writers)")
    company = CompanyFactory()
    titular, holder = SubscriberFactory(), SubscriberFactory()
    actor = _actor(company, titular, holder)
    started, outcome = threading.Event(), []
    pid = []

    def other_request():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid.append(cursor.fetchone()[0])
            started.set()
            SECOND[second](titular, holder, actor.pk)
            outcome.append("done")
        except Refusal as refusal:
            outcome.append(refusal.code)
        except Exception as exc:
            outcome.append(repr(exc))
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_request)
    with transaction.atomic():
        revoke(titular, actor.pk)  # holds the company's lock until this block commits
        thread.start()
        started.wait(5)
        deadline = time.monotonic() + 10
        while not _waits_on_a_lock(pid[0]) and time.monotonic() < deadline:
            threading.Event().wait(0.01)
    thread.join(10)
    assert outcome == ["delegation.gone"]
    assert not Habilitation.objects.filter(pk=actor.pk).exists()
