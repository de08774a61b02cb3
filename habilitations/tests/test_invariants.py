"""docs/habilitations.md §2's invariants: held by the functions, and by the database behind them."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.refusals import Refusal
from habilitations.catalogue import ELEMENTARY_SERVICES, PAYER_ELEMENTARY_CODES, SERVICES
from habilitations.models import Habilitation, Origin, PortfolioEntry, Role, State
from habilitations.rights.actions import grant, remove, set_state

pytestmark = pytest.mark.django_db


def _raw(company, subscriber, service, elementary, role, state=State.ACTIVE):
    now = timezone.now()
    return Habilitation.objects.create(
        company=company,
        subscriber=subscriber,
        service=service,
        elementary_service=elementary,
        role=role,
        state=state,
        origin=Origin.DEMO,
        granted_at=now,
        changed_at=now,
    )


def test_the_catalogue_has_20_services_and_28_elementary_services():
    assert len(SERVICES) == 20
    assert len(ELEMENTARY_SERVICES) == 28
    assert len(PAYER_ELEMENTARY_CODES) == 9


def test_a_second_titular_admin_is_refused(company, alice, bob):
    grant(company, alice, "declarer_tva", Role.TITULAR_ADMIN, Origin.ADHESION)
    with pytest.raises(Refusal, match="déjà un administrateur titulaire") as refused:
        grant(company, bob, "declarer_tva", Role.TITULAR_ADMIN, Origin.ADHESION)
    assert refused.value.code == "habilitation.one_titular_per_service"
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw(company, bob, "declarer_tva", "declarer_tva", Role.TITULAR_ADMIN)


def test_a_second_deputy_admin_is_refused_by_the_database(company, alice, bob, carol):
    _raw(company, alice, "payer", "payer", Role.DEPUTY_ADMIN)
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw(company, bob, "payer", "payer", Role.DEPUTY_ADMIN)


def test_payer_administrators_hold_the_nine_elementary_services_in_one_row(company, alice):
    grant(company, alice, "payer", Role.TITULAR_ADMIN, Origin.ADHESION)
    (row,) = Habilitation.objects.filter(subscriber=alice)
    assert row.elementary_codes == PAYER_ELEMENTARY_CODES
    # An administrator of one Payer elementary service alone cannot exist.
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw(company, alice, "payer", "payer_tva", Role.DEPUTY_ADMIN)


def test_roles_do_not_accumulate_on_an_elementary_service(company, alice, carol):
    grant(company, alice, "declarer_tva", Role.TITULAR_ADMIN, Origin.ADHESION)
    grant(company, carol, "declarer_tva", Role.ACTOR, Origin.DELEGATION, by=alice)
    grant(company, carol, "declarer_tva", Role.DELEGATING_ACTOR, Origin.DELEGATION, by=alice)
    assert list(Habilitation.objects.filter(subscriber=carol).values_list("role", flat=True)) == [
        Role.DELEGATING_ACTOR
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw(company, carol, "declarer_tva", "declarer_tva", Role.ACTOR)


def test_a_payer_administrator_cannot_also_be_a_payer_actor(company, alice):
    grant(company, alice, "payer", Role.TITULAR_ADMIN, Origin.ADHESION)
    with pytest.raises(Refusal, match="déjà administrateur") as refused:
        grant(company, alice, "payer_tva", Role.ACTOR, Origin.DELEGATION)
    assert refused.value.code == "habilitation.payer_admin_not_delegate"


@pytest.mark.parametrize("admin_first", [True, False])
def test_the_database_refuses_a_payer_administrator_who_is_also_a_payer_delegate(
    company, alice, admin_first
):
    rows = [("payer", Role.TITULAR_ADMIN), ("payer_tva", Role.ACTOR)]
    first, second = rows if admin_first else rows[::-1]
    _raw(company, alice, "payer", first[0], first[1])
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw(company, alice, "payer", second[0], second[1])


def test_the_database_refuses_turning_a_payer_delegate_into_an_administrator_row(company, alice):
    _raw(company, alice, "payer", "payer", Role.TITULAR_ADMIN)
    other = _raw(company, alice, "declarer_tva", "declarer_tva", Role.ACTOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        Habilitation.objects.filter(pk=other.pk).update(
            service="payer", elementary_service="payer_is"
        )


def test_becoming_payer_administrator_replaces_payer_delegations(company, alice, bob):
    grant(company, alice, "payer", Role.TITULAR_ADMIN, Origin.ADHESION)
    grant(company, bob, "payer_tva", Role.ACTOR, Origin.DELEGATION, by=alice)
    grant(company, bob, "payer_is", Role.DELEGATING_ACTOR, Origin.DELEGATION, by=alice)
    grant(company, bob, "payer", Role.DEPUTY_ADMIN, Origin.DELEGATION, by=alice)
    assert list(
        Habilitation.objects.filter(subscriber=bob).values_list("elementary_service", "role")
    ) == [("payer", Role.DEPUTY_ADMIN)]


def test_one_cannot_be_titular_and_deputy_of_one_service(company, alice):
    _raw(company, alice, "declarer_tva", "declarer_tva", Role.TITULAR_ADMIN)
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw(company, alice, "messagerie", "declarer_tva", Role.DEPUTY_ADMIN)


def test_the_database_refuses_codes_outside_the_catalogue(company, alice):
    for service, elementary in [
        ("declarer_xyz", "declarer_xyz"),
        ("payer", "declarer_tva"),
        ("declarer_tva", "payer_tva"),
    ]:
        with pytest.raises(IntegrityError), transaction.atomic():
            _raw(company, alice, service, elementary, Role.ACTOR)


def test_a_titular_admin_is_never_suspended(company, alice):
    habilitation = grant(company, alice, "declarer_tva", Role.TITULAR_ADMIN, Origin.ADHESION)
    with pytest.raises(Refusal) as refused:
        set_state(habilitation, State.SUSPENDED)
    assert refused.value.code == "habilitation.titular_not_suspended"
    with pytest.raises(IntegrityError), transaction.atomic():
        Habilitation.objects.filter(pk=habilitation.pk).update(state=State.SUSPENDED)


def test_the_portfolio_follows_every_change(company, alice, carol):
    grant(company, alice, "declarer_tva", Role.TITULAR_ADMIN, Origin.ADHESION)
    actor = grant(company, carol, "declarer_tva", Role.ACTOR, Origin.DELEGATION, by=alice)
    entry = PortfolioEntry.objects.get(subscriber=carol)
    assert entry.is_dossier and entry.actor_count == 1
    set_state(actor, State.SUSPENDED, by=alice)
    entry.refresh_from_db()
    assert not entry.is_dossier and entry.suspended_count == 1
    set_state(actor, State.ACTIVE, by=alice)
    entry.refresh_from_db()
    assert entry.is_dossier
    remove(actor, by=alice)
    assert not PortfolioEntry.objects.filter(subscriber=carol).exists()


def test_every_change_is_audited_with_the_granter(company, alice, carol):
    from audit.models import Action, AuditEvent

    grant(company, alice, "declarer_tva", Role.TITULAR_ADMIN, Origin.ADHESION)
    actor = grant(company, carol, "declarer_tva", Role.ACTOR, Origin.DELEGATION, by=alice)
    set_state(actor, State.SUSPENDED, by=alice)
    remove(actor, by=alice)
    events = list(
        AuditEvent.objects.filter(actor=alice).order_by("id").values_list("action", flat=True)
    )
    assert events == [
        Action.HABILITATION_GRANTED,
        Action.HABILITATION_SUSPENDED,
        Action.HABILITATION_REMOVED,
    ]


def test_the_rebuild_gives_the_same_portfolio_as_the_incremental_upkeep(company, alice, carol):
    from habilitations.portfolio import sync as portfolio_sync

    grant(company, alice, "payer", Role.TITULAR_ADMIN, Origin.ADHESION)
    grant(company, carol, "payer_tva", Role.ACTOR, Origin.DELEGATION, by=alice)
    suspended = grant(company, carol, "payer_is", Role.ACTOR, Origin.DELEGATION, by=alice)
    set_state(suspended, State.SUSPENDED, by=alice)
    fields = (
        "subscriber_id",
        "company_id",
        "titular_count",
        "actor_count",
        "suspended_count",
        "is_dossier",
        "search_name",
    )
    before = sorted(PortfolioEntry.objects.values_list(*fields))
    assert portfolio_sync.rebuild_all() == 2
    assert sorted(PortfolioEntry.objects.values_list(*fields)) == before
