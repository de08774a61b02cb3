"""docs/habilitations.md §2's delegation rules, each with a test."""

import pytest

from audit.models import Action as AuditAction
from audit.models import AuditEvent
from core.refusals import Refusal
from correspondence.models import Message
from habilitations.delegation.actions import (
    designate,
    renounce,
    revoke,
    set_delegation_state,
    withdraw_all,
    withdrawable,
)
from habilitations.delegation.many import designate_many
from habilitations.delegation.rules import Designation
from habilitations.models import Habilitation, Origin, PortfolioEntry, Role, State
from habilitations.rights.actions import grant
from habilitations.rights.queries import Permission, may
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def _at(company, subscriber, *services):
    for service in services:
        grant(company, subscriber, service, Role.TITULAR_ADMIN, Origin.ADHESION)


def _role(company, subscriber, code):
    row = Habilitation.objects.filter(
        company=company, subscriber=subscriber, elementary_service=code
    )
    return row.values_list("role", flat=True).first()


def test_an_at_designates_a_delegating_actor_with_immediate_effect(company, alice, bob):
    _at(company, alice, "declarer_tva")
    designate(alice, company, bob, [Designation("declarer_tva", Role.DELEGATING_ACTOR)])
    assert may(bob, Permission.USE, "declarer_tva", company)
    assert PortfolioEntry.objects.get(subscriber=bob).is_dossier


def test_delegation_only_on_a_service_with_an_at(company, alice, bob):
    _at(company, alice, "declarer_tva")
    with pytest.raises(Refusal, match="au préalable adhéré") as refused:
        designate(alice, company, bob, [Designation("declarer_is", Role.ACTOR)])
    assert refused.value.code == "delegation.no_titular"


def test_no_self_designation(company, alice):
    _at(company, alice, "declarer_tva")
    with pytest.raises(Refusal, match="vous-même") as refused:
        designate(alice, company, alice, [Designation("declarer_tva", Role.ACTOR)])
    assert refused.value.code == "delegation.not_oneself"


def test_an_actor_designates_no_one(company, alice, bob, carol):
    _at(company, alice, "declarer_tva")
    designate(alice, company, bob, [Designation("declarer_tva", Role.ACTOR)])
    with pytest.raises(Refusal) as refused:
        designate(bob, company, carol, [Designation("declarer_tva", Role.ACTOR)])
    assert refused.value.code == "delegation.above_granter"


def test_a_delegating_actor_designates_actors_only_on_its_own_services(company, alice, bob, carol):
    _at(company, alice, "declarer_tva", "declarer_is")
    designate(alice, company, bob, [Designation("declarer_tva", Role.DELEGATING_ACTOR)])
    designate(bob, company, carol, [Designation("declarer_tva", Role.ACTOR)])
    assert _role(company, carol, "declarer_tva") == Role.ACTOR
    with pytest.raises(Refusal) as refused:
        designate(bob, company, carol, [Designation("declarer_tva", Role.DELEGATING_ACTOR)])
    assert refused.value.code == "delegation.above_granter"
    with pytest.raises(Refusal) as refused:
        designate(bob, company, carol, [Designation("declarer_is", Role.ACTOR)])
    assert refused.value.code == "delegation.above_granter"


def test_an_as_designates_no_as_but_delegates(company, alice, bob, carol):
    _at(company, alice, "declarer_tva")
    designate(alice, company, bob, [Designation("declarer_tva", Role.DEPUTY_ADMIN)])
    with pytest.raises(Refusal) as refused:
        designate(bob, company, carol, [Designation("declarer_tva", Role.DEPUTY_ADMIN)])
    assert refused.value.code == "delegation.above_granter"
    designate(bob, company, carol, [Designation("declarer_tva", Role.DELEGATING_ACTOR)])
    assert _role(company, carol, "declarer_tva") == Role.DELEGATING_ACTOR


def test_one_as_per_service_a_new_one_replaces_the_former(company, alice, bob, carol):
    _at(company, alice, "payer")
    designate(alice, company, bob, [Designation("payer", Role.DEPUTY_ADMIN)])
    designate(alice, company, carol, [Designation("payer", Role.DEPUTY_ADMIN)])
    assert _role(company, bob, "payer") is None
    assert _role(company, carol, "payer") == Role.DEPUTY_ADMIN
    assert Message.objects.filter(to=bob.email, body__contains="retirée, remplacée").exists()


def test_roles_change_but_never_upwards_past_the_granter(company, alice, bob, carol):
    _at(company, alice, "declarer_tva")
    designate(alice, company, bob, [Designation("declarer_tva", Role.DELEGATING_ACTOR)])
    designate(alice, company, carol, [Designation("declarer_tva", Role.DELEGATING_ACTOR)])
    # Bob (a delegating actor) cannot turn Carol, a delegating actor, into an actor.
    with pytest.raises(Refusal, match="ne pouvez pas modifier") as refused:
        designate(bob, company, carol, [Designation("declarer_tva", Role.ACTOR)])
    assert refused.value.code == "delegation.role_not_yours_to_change"
    # The AT can: roles change, they do not accumulate.
    designate(alice, company, carol, [Designation("declarer_tva", Role.ACTOR)])
    assert Habilitation.objects.filter(company=company, subscriber=carol).count() == 1
    assert _role(company, carol, "declarer_tva") == Role.ACTOR


def test_nobody_touches_the_at_by_delegation(company, alice, bob):
    _at(company, alice, "declarer_tva")
    designate(alice, company, bob, [Designation("declarer_tva", Role.DEPUTY_ADMIN)])
    at = Habilitation.objects.get(subscriber=alice)
    with pytest.raises(Refusal) as refused:
        revoke(bob, at.pk)
    assert refused.value.code == "delegation.not_manageable"
    with pytest.raises(Refusal) as refused:
        designate(bob, company, alice, [Designation("declarer_tva", Role.ACTOR)])
    assert refused.value.code == "delegation.role_not_yours_to_change"


def test_suspension_grants_nothing_and_reactivation_restores(company, alice, bob):
    _at(company, alice, "declarer_tva")
    (habilitation,) = designate(alice, company, bob, [Designation("declarer_tva", Role.ACTOR)])
    set_delegation_state(alice, habilitation.pk, State.SUSPENDED)
    assert not may(bob, Permission.USE, "declarer_tva", company)
    assert not PortfolioEntry.objects.get(subscriber=bob).is_dossier
    set_delegation_state(alice, habilitation.pk, State.ACTIVE)
    assert may(bob, Permission.USE, "declarer_tva", company)


def test_removing_a_delegating_actor_leaves_its_actors(company, alice, bob, carol):
    _at(company, alice, "declarer_tva")
    (da,) = designate(alice, company, bob, [Designation("declarer_tva", Role.DELEGATING_ACTOR)])
    designate(bob, company, carol, [Designation("declarer_tva", Role.ACTOR)])
    revoke(alice, da.pk)
    assert _role(company, bob, "declarer_tva") is None
    assert _role(company, carol, "declarer_tva") == Role.ACTOR


def test_a_delegating_actor_manages_only_the_actors_it_designated(company, alice, bob, carol):
    from tests.factories import SubscriberFactory

    dave = SubscriberFactory()
    _at(company, alice, "declarer_tva")
    designate(alice, company, bob, [Designation("declarer_tva", Role.DELEGATING_ACTOR)])
    (mine,) = designate(bob, company, carol, [Designation("declarer_tva", Role.ACTOR)])
    (theirs,) = designate(alice, company, dave, [Designation("declarer_tva", Role.ACTOR)])
    set_delegation_state(bob, mine.pk, State.SUSPENDED)
    with pytest.raises(Refusal) as refused:
        set_delegation_state(bob, theirs.pk, State.SUSPENDED)
    assert refused.value.code == "delegation.not_manageable"


def test_the_holder_can_renounce_but_the_at_cannot(company, alice, bob):
    _at(company, alice, "declarer_tva")
    (habilitation,) = designate(alice, company, bob, [Designation("declarer_tva", Role.ACTOR)])
    renounce(bob, habilitation.pk)
    assert _role(company, bob, "declarer_tva") is None
    with pytest.raises(Refusal) as refused:
        renounce(alice, Habilitation.objects.get(subscriber=alice).pk)
    assert refused.value.code == "delegation.titular_cannot_renounce"


def test_the_delegate_is_told_by_email_of_each_change(company, alice, bob):
    _at(company, alice, "declarer_tva")
    (habilitation,) = designate(alice, company, bob, [Designation("declarer_tva", Role.ACTOR)])
    set_delegation_state(alice, habilitation.pk, State.SUSPENDED)
    set_delegation_state(alice, habilitation.pk, State.ACTIVE)
    revoke(alice, habilitation.pk)
    bodies = list(
        Message.objects.filter(to=bob.email).order_by("id").values_list("body", flat=True)
    )
    assert [b.split("\n\n")[2] for b in bodies] == [
        "- Déclarer TVA : Acteur (accordée)",
        "- Déclarer TVA : Acteur (mise en veille)",
        "- Déclarer TVA : Acteur (réactivée)",
        "- Déclarer TVA : Acteur (supprimée)",
    ]
    assert all(company.name in b and alice.subscriber_number in b for b in bodies)


def test_every_change_is_audited_with_the_granter(company, alice, bob):
    _at(company, alice, "declarer_tva")
    (habilitation,) = designate(alice, company, bob, [Designation("declarer_tva", Role.ACTOR)])
    revoke(alice, habilitation.pk)
    events = AuditEvent.objects.filter(actor=alice, details__subscriber=bob.subscriber_number)
    assert set(events.values_list("action", flat=True)) == {
        AuditAction.HABILITATION_GRANTED,
        AuditAction.HABILITATION_REMOVED,
    }


def _firm(alice, bob, size):
    companies = [CompanyFactory() for _ in range(size)]
    for company in companies:
        _at(company, alice, "declarer_tva", "declarer_is")
        designate(alice, company, bob, [Designation("declarer_tva", Role.DELEGATING_ACTOR)])
    return companies


def test_a_collaborator_leaving_loses_every_delegation_in_one_go(alice, bob, carol):
    companies = _firm(alice, bob, 3)
    other = CompanyFactory()
    _at(other, carol, "declarer_tva")
    designate(carol, other, bob, [Designation("declarer_tva", Role.ACTOR)])  # not alice's
    designate(bob, companies[0], carol, [Designation("declarer_tva", Role.ACTOR)])
    assert len(withdrawable(alice, bob)) == 3
    assert withdraw_all(alice, bob) == 3
    assert list(Habilitation.objects.filter(subscriber=bob).values_list("company", flat=True)) == [
        other.pk
    ]
    assert _role(companies[0], carol, "declarer_tva") == Role.ACTOR  # its actors stay
    assert Message.objects.filter(to=bob.email, subject="Vos délégations ont été retirées").exists()
    assert (
        AuditEvent.objects.filter(action=AuditAction.HABILITATION_REMOVED, actor=alice).count() == 3
    )


def test_bulk_actions_take_a_constant_number_of_queries(
    alice, bob, carol, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import SubscriberFactory

    counts = []
    for size in (2, 12):
        newcomer = SubscriberFactory()
        companies = [CompanyFactory() for _ in range(size)]
        for company in companies:
            _at(company, alice, "declarer_tva", "declarer_is")
        with CaptureQueriesContext(connection) as grant_queries:
            plan = designate_many(
                alice, newcomer, Role.ACTOR, ["declarer_tva", "declarer_is"], companies
            )
        assert len(plan.granted) == 2 * size and not plan.refused
        with CaptureQueriesContext(connection) as withdraw_queries:
            assert withdraw_all(alice, newcomer) == 2 * size
        counts.append((len(grant_queries), len(withdraw_queries)))
    assert counts[0] == counts[1], counts


def test_bulk_designation_reports_what_it_cannot_do(alice, bob):
    mine = CompanyFactory()
    _at(mine, alice, "declarer_tva")
    no_titular = CompanyFactory()
    grant(no_titular, alice, "declarer_is", Role.TITULAR_ADMIN, Origin.ADHESION)
    plan = designate_many(alice, bob, Role.ACTOR, ["declarer_tva"], [mine, no_titular])
    assert [h.company_id for h in plan.granted] == [mine.pk]
    assert [c.pk for c, _ in plan.refused] == [no_titular.pk]


def test_a_delegating_actor_cannot_undo_an_administrators_suspension(company, alice, bob, carol):
    _at(company, alice, "declarer_tva")
    designate(alice, company, bob, [Designation("declarer_tva", Role.DELEGATING_ACTOR)])
    (actor,) = designate(bob, company, carol, [Designation("declarer_tva", Role.ACTOR)])
    set_delegation_state(alice, actor.pk, State.SUSPENDED)
    for undo, code in (
        (lambda: set_delegation_state(bob, actor.pk, State.ACTIVE), "delegation.not_manageable"),
        (lambda: revoke(bob, actor.pk), "delegation.not_manageable"),
        (
            lambda: designate(bob, company, carol, [Designation("declarer_tva", Role.ACTOR)]),
            "delegation.suspended_by_admin",
        ),
    ):
        with pytest.raises(Refusal) as refused:
            undo()
        assert refused.value.code == code
    actor.refresh_from_db()
    assert actor.state == State.SUSPENDED
    # Its own suspensions, the delegating actor may undo.
    set_delegation_state(alice, actor.pk, State.ACTIVE)
    set_delegation_state(bob, actor.pk, State.SUSPENDED)
    set_delegation_state(bob, actor.pk, State.ACTIVE)


def test_designating_a_suspended_holder_again_reactivates_it(company, alice, bob):
    _at(company, alice, "declarer_tva")
    (actor,) = designate(alice, company, bob, [Designation("declarer_tva", Role.ACTOR)])
    set_delegation_state(alice, actor.pk, State.SUSPENDED)
    designate(alice, company, bob, [Designation("declarer_tva", Role.ACTOR)])
    actor.refresh_from_db()
    assert actor.state == State.ACTIVE


def test_the_titular_admin_cannot_be_turned_into_another_role(company, alice, bob):
    _at(company, alice, "declarer_tva")
    with pytest.raises(Refusal, match="substitution") as refused:
        grant(company, alice, "declarer_tva", Role.ACTOR, Origin.DELEGATION, by=bob)
    assert refused.value.code == "habilitation.titular_changed_by_substitution_only"
    assert _role(company, alice, "declarer_tva") == Role.TITULAR_ADMIN


def test_the_bulk_designation_email_lists_homonymous_companies_apart(alice, bob):
    from correspondence.models import Message

    twins = [CompanyFactory(name="SARL DUPONT"), CompanyFactory(name="SARL DUPONT")]
    for company in twins:
        _at(company, alice, "declarer_tva")
    designate_many(alice, bob, Role.ACTOR, ["declarer_tva"], twins)
    body = Message.objects.get(purpose="delegations_granted", to=bob.email).body
    assert "pour 2 entreprises" in body
    for company in twins:
        assert f"- SARL DUPONT (SIREN ou équivalent {company.identifier})" in body
