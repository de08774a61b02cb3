"""docs/habilitations.md §4.5 and §4.6: an administrator's suspension sticks. The holder cannot
renounce it into a clean slate, and only an administrator (AT/AS of the service) gives that
person that right again."""

import pytest

from core.refusals import Refusal
from habilitations.delegation.actions import designate, renounce, set_delegation_state
from habilitations.delegation.many import designate_many
from habilitations.delegation.rules import Designation
from habilitations.models import Habilitation, Origin, Role, State
from habilitations.rights.actions import grant
from habilitations.rights.queries import Permission, may

pytestmark = pytest.mark.django_db


@pytest.fixture
def suspended_actor(company, alice, bob, carol):
    """Alice (AT) suspended Carol, an actor whom Bob (delegating actor) had designated."""
    grant(company, alice, "declarer_tva", Role.TITULAR_ADMIN, Origin.ADHESION)
    designate(alice, company, bob, [Designation("declarer_tva", Role.DELEGATING_ACTOR)])
    (actor,) = designate(bob, company, carol, [Designation("declarer_tva", Role.ACTOR)])
    set_delegation_state(alice, actor.pk, State.SUSPENDED)
    return actor


def test_a_right_an_administrator_suspended_cannot_be_renounced(company, carol, suspended_actor):
    with pytest.raises(Refusal, match="administrateur") as refused:
        renounce(carol, suspended_actor.pk)
    assert refused.value.code == "delegation.suspended_by_admin_not_renounced"
    suspended_actor.refresh_from_db()
    assert suspended_actor.state == State.SUSPENDED and suspended_actor.suspended_by_admin


def test_renounce_then_redesignate_does_not_undo_an_administrators_suspension(
    company, bob, carol, suspended_actor
):
    with pytest.raises(Refusal):
        renounce(carol, suspended_actor.pk)
    with pytest.raises(Refusal, match="administrateur") as refused:
        designate(bob, company, carol, [Designation("declarer_tva", Role.ACTOR)])
    assert refused.value.code == "delegation.suspended_by_admin"
    plan = designate_many(bob, carol, Role.ACTOR, ["declarer_tva"], [company])
    assert not plan.granted
    assert [(c.pk, "seul l'administrateur" in why) for c, why in plan.refused] == [
        (company.pk, True)
    ]
    assert not may(carol, Permission.USE, "declarer_tva", company)


def test_only_an_administrator_gives_the_right_again(company, alice, carol, suspended_actor):
    designate(alice, company, carol, [Designation("declarer_tva", Role.ACTOR)])
    assert may(carol, Permission.USE, "declarer_tva", company)


def test_a_right_suspended_by_its_granter_may_still_be_renounced(company, alice, bob, carol):
    grant(company, alice, "declarer_tva", Role.TITULAR_ADMIN, Origin.ADHESION)
    designate(alice, company, bob, [Designation("declarer_tva", Role.DELEGATING_ACTOR)])
    (actor,) = designate(bob, company, carol, [Designation("declarer_tva", Role.ACTOR)])
    set_delegation_state(bob, actor.pk, State.SUSPENDED)
    renounce(carol, actor.pk)
    assert not Habilitation.objects.filter(pk=actor.pk).exists()


def test_an_administrator_suspending_an_already_suspended_right_makes_it_stick(
    company, alice, bob, carol
):
    """Bob (delegating actor) put Carol's right on hold; Alice (AT) suspends it too: from then
    on it is an administrator's suspension, which Carol cannot renounce."""
    grant(company, alice, "declarer_tva", Role.TITULAR_ADMIN, Origin.ADHESION)
    designate(alice, company, bob, [Designation("declarer_tva", Role.DELEGATING_ACTOR)])
    (actor,) = designate(bob, company, carol, [Designation("declarer_tva", Role.ACTOR)])
    set_delegation_state(bob, actor.pk, State.SUSPENDED)
    set_delegation_state(alice, actor.pk, State.SUSPENDED)
    actor.refresh_from_db()
    assert actor.suspended_by_admin
    with pytest.raises(Refusal) as refused:
        renounce(carol, actor.pk)
    assert refused.value.code == "delegation.suspended_by_admin_not_renounced"
