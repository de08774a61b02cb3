"""« Même niveau pour tous les services » (issue 12 §3): one level on every service one may
delegate, leaving alone what is not the granter's to change."""

import pytest

from habilitations.delegation.actions import designate
from habilitations.delegation.rules import Designation, same_level_for_all
from habilitations.models import Habilitation, Origin, Role
from habilitations.rights.actions import grant
from habilitations.rights.queries import rights_on

pytestmark = pytest.mark.django_db


def _held(company, subscriber) -> dict[str, Habilitation]:
    return {
        h.elementary_service: h
        for h in Habilitation.objects.filter(company=company, subscriber=subscriber)
    }


def _plan(granter, company, delegate, role):
    return same_level_for_all(granter, rights_on(granter, company), role, _held(company, delegate))


def test_the_level_goes_on_every_service_the_granter_may_delegate(company, alice, bob):
    for service in ("declarer_tva", "payer", "messagerie"):
        grant(company, alice, service, Role.TITULAR_ADMIN, Origin.ADHESION)
    designations, kept = _plan(alice, company, bob, Role.DELEGATING_ACTOR)
    assert len(designations) == 11  # Déclarer TVA, Messagerie and Payer's nine
    assert {d.role for d in designations} == {Role.DELEGATING_ACTOR}
    assert kept == []
    designate(alice, company, bob, designations)
    assert Habilitation.objects.filter(subscriber=bob, role=Role.DELEGATING_ACTOR).count() == 11


def test_a_delegating_actor_gives_actor_on_its_own_services_only(company, alice, bob, carol):
    grant(company, alice, "declarer_tva", Role.TITULAR_ADMIN, Origin.ADHESION)
    grant(company, alice, "payer", Role.TITULAR_ADMIN, Origin.ADHESION)
    designate(alice, company, bob, [Designation("payer_tva", Role.DELEGATING_ACTOR)])
    assert _plan(bob, company, carol, Role.DELEGATING_ACTOR) == ([], [])
    assert _plan(bob, company, carol, Role.ACTOR) == ([Designation("payer_tva", Role.ACTOR)], [])


def test_an_administrator_of_a_service_keeps_that_role(company, alice, bob):
    grant(company, alice, "declarer_tva", Role.TITULAR_ADMIN, Origin.ADHESION)
    grant(company, alice, "payer", Role.TITULAR_ADMIN, Origin.ADHESION)
    designate(alice, company, bob, [Designation("payer", Role.DEPUTY_ADMIN)])
    designations, kept = _plan(alice, company, bob, Role.ACTOR)
    assert designations == [Designation("declarer_tva", Role.ACTOR)]
    assert len(kept) == 9 and "Payer TVA" in kept
    designate(alice, company, bob, designations)  # nothing refused
    assert Habilitation.objects.get(subscriber=bob, service="payer").role == Role.DEPUTY_ADMIN


def test_a_right_someone_else_granted_stays_as_it_is(company, alice, bob, carol):
    grant(company, alice, "declarer_tva", Role.TITULAR_ADMIN, Origin.ADHESION)
    grant(company, alice, "payer", Role.TITULAR_ADMIN, Origin.ADHESION)
    designate(alice, company, bob, [Designation("payer_tva", Role.DELEGATING_ACTOR)])
    designate(alice, company, bob, [Designation("declarer_tva", Role.DELEGATING_ACTOR)])
    designate(alice, company, carol, [Designation("payer_tva", Role.DELEGATING_ACTOR)])
    # Bob, a delegating actor, may give Carol « Acteur » on his services: Payer TVA is held by
    # Carol at a level Alice granted, which is not Bob's to lower.
    designations, kept = _plan(bob, company, carol, Role.ACTOR)
    assert designations == [Designation("declarer_tva", Role.ACTOR)]
    assert kept == ["Payer TVA"]
