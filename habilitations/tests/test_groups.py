"""Groups of dossiers (docs/habilitations.md §13): one action grants a collaborator a level on
every dossier of a group; removing withdraws what the group gave, and only that."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.refusals import Refusal
from correspondence.models import Message
from habilitations.groups import actions as groups
from habilitations.models import GroupGrant, Habilitation, Origin, Role, State
from habilitations.rights.actions import grant, set_state
from tests.factories import CompanyFactory, HabilitationFactory, SubscriberFactory, bulk_portfolio

pytestmark = pytest.mark.django_db

AD, AC = Role.DELEGATING_ACTOR, Role.ACTOR


@pytest.fixture
def owner():
    return SubscriberFactory(first_name="Paul", last_name="Martin")


@pytest.fixture
def hugo():
    return SubscriberFactory(first_name="Hugo", last_name="Lefebvre")


def _group_of(owner, companies, name="Clients A-M"):
    group = groups.create(owner, name)
    groups.add_dossiers(owner, group.pk, [c.identifier for c in companies])
    return group


def _held(subscriber):
    return set(
        Habilitation.objects.filter(subscriber=subscriber).values_list(
            "company__identifier", "elementary_service", "role"
        )
    )


def test_a_member_gets_the_level_on_every_dossier_then_later_additions(owner, hugo):
    companies = bulk_portfolio(owner, 5)
    group = _group_of(owner, companies[:4])
    _member, plan = groups.add_member(owner, group.pk, hugo, AC, ["declarer_tva"])
    assert len(plan.granted) == 4
    assert _held(hugo) == {(c.identifier, "declarer_tva", AC) for c in companies[:4]}
    # A dossier added later is delegated at once.
    added = groups.add_dossiers(owner, group.pk, [companies[4].identifier])
    assert [len(p.granted) for _, p in added.plans] == [1]
    assert len(_held(hugo)) == 5
    assert Message.objects.filter(to=hugo.email, purpose="delegations_granted").count() == 2


def test_only_dossiers_of_ones_own_portfolio_enter_a_group(owner):
    stranger = CompanyFactory()
    HabilitationFactory(company=stranger, code="declarer_tva")
    mine = bulk_portfolio(owner, 1)
    group = groups.create(owner, "G")
    added = groups.add_dossiers(owner, group.pk, [stranger.identifier, mine[0].identifier])
    assert added.companies == mine
    assert [(i, r.code) for i, r in added.refused] == [(stranger.identifier, "group.not_a_dossier")]
    again = groups.add_dossiers(owner, group.pk, [mine[0].identifier])
    assert [r.code for _, r in again.refused] == ["group.already_in"]
    with pytest.raises(Refusal) as refused:
        groups.create(owner, " G ")
    assert refused.value.code == "group.name_taken"
    with pytest.raises(Refusal):
        groups.add_dossiers(SubscriberFactory(), group.pk, [mine[0].identifier])


def test_removing_a_member_withdraws_what_the_group_gave_and_only_that(owner, hugo):
    companies = bulk_portfolio(owner, 3)
    had_anyway = companies[0]
    # Hugo held Déclarer TVA on the first company before the group: it is not the group's.
    grant(had_anyway, hugo, "declarer_tva", AC, Origin.DELEGATION, by=owner)
    group = _group_of(owner, companies)
    member, plan = groups.add_member(owner, group.pk, hugo, AD, ["declarer_tva"])
    assert len(plan.granted) == 2  # the held one is left as it is (neither changed nor claimed)
    assert (had_anyway.identifier, "declarer_tva", AC) in _held(hugo)
    removed, kept = groups.remove_member(owner, group.pk, member.pk)
    assert (removed, kept) == (2, [])
    assert _held(hugo) == {(had_anyway.identifier, "declarer_tva", AC)}
    assert Message.objects.filter(to=hugo.email, purpose="group_delegations_withdrawn").count() == 1


def test_a_habilitation_two_groups_give_stays_until_neither_gives_it(owner, hugo):
    companies = bulk_portfolio(owner, 2)
    first = _group_of(owner, companies, "Premier")
    second = _group_of(owner, companies[:1], "Second")
    in_first, _ = groups.add_member(owner, first.pk, hugo, AC, ["declarer_tva"])
    in_second, plan = groups.add_member(owner, second.pk, hugo, AC, ["declarer_tva"])
    assert plan.granted == []  # already held, through the first group: linked, not re-created
    assert GroupGrant.objects.filter(member=in_second).count() == 1
    groups.remove_member(owner, first.pk, in_first.pk)
    assert _held(hugo) == {(companies[0].identifier, "declarer_tva", AC)}
    groups.remove_dossiers(owner, second.pk, [companies[0].pk])
    assert _held(hugo) == set()


def test_a_right_changed_by_someone_else_is_no_longer_the_groups(owner, hugo):
    companies = bulk_portfolio(owner, 2)
    group = _group_of(owner, companies)
    member, _ = groups.add_member(owner, group.pk, hugo, AC, ["declarer_tva"])
    # The AT raises Hugo to delegating actor on the first company: a new row, not the group's.
    grant(companies[0], hugo, "declarer_tva", AD, Origin.DELEGATION, by=owner)
    removed, _ = groups.remove_member(owner, group.pk, member.pk)
    assert removed == 1
    assert _held(hugo) == {(companies[0].identifier, "declarer_tva", AD)}


def test_a_right_the_owner_may_no_longer_manage_is_kept(owner, hugo):
    """An administrator's suspension sticks (§4.5.1): the group's owner, a delegating actor,
    cannot withdraw it."""
    titular = SubscriberFactory()
    company = CompanyFactory()
    HabilitationFactory(company=company, subscriber=titular, code="declarer_tva")
    HabilitationFactory(
        company=company, subscriber=owner, code="declarer_tva", delegating_actor=True, by=titular
    )
    group = _group_of(owner, [company])
    member, _ = groups.add_member(owner, group.pk, hugo, AC, ["declarer_tva"])
    given = Habilitation.objects.get(subscriber=hugo)
    set_state(given, State.SUSPENDED, by=titular, by_admin=True)
    removed, kept = groups.remove_member(owner, group.pk, member.pk)
    assert (removed, [h.pk for h in kept]) == (0, [given.pk])
    assert Habilitation.objects.filter(pk=given.pk).exists()


def test_deleting_a_group_withdraws_what_it_gave(owner, hugo):
    companies = bulk_portfolio(owner, 3)
    group = _group_of(owner, companies)
    groups.add_member(owner, group.pk, hugo, AC, ["declarer_tva"])
    assert groups.delete(owner, group.pk) == 3
    assert _held(hugo) == set()


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


@pytest.mark.parametrize("action", ["add_member", "add_by_search", "remove_member", "remove"])
def test_each_action_takes_the_same_number_of_queries_for_10_or_200_dossiers(action, owner):
    counts = []
    for size, start in ((10, 1000), (200, 2000)):
        companies = bulk_portfolio(owner, size, start=start, name=f"LOT{size} {{n:05d}}")
        collaborator = SubscriberFactory()
        group = groups.create(owner, f"Lot {size}")
        if action == "add_by_search":
            groups.add_member(owner, group.pk, collaborator, AC, ["declarer_tva"])
            counts.append(_queries(lambda: groups.add_by_search(owner, group.pk, f"lot{size}")))
            assert len(_held(collaborator)) == size
            continue
        groups.add_dossiers(owner, group.pk, [c.identifier for c in companies])
        if action == "add_member":
            counts.append(
                _queries(
                    lambda: groups.add_member(owner, group.pk, collaborator, AC, ["declarer_tva"])
                )
            )
            assert len(_held(collaborator)) == size
            continue
        member, _ = groups.add_member(owner, group.pk, collaborator, AC, ["declarer_tva"])
        if action == "remove_member":
            counts.append(_queries(lambda: groups.remove_member(owner, group.pk, member.pk)))
        else:
            ids = [c.pk for c in companies]
            counts.append(_queries(lambda: groups.remove_dossiers(owner, group.pk, ids)))
        assert _held(collaborator) == set()
    assert counts[0] == counts[1], counts
