"""The authorization function over docs/habilitations.md §2's table: role, action and state, derived
accesses."""

import itertools

import pytest

from habilitations.models import Role, State
from habilitations.rights.actions import set_state
from habilitations.rights.queries import ROLE_RIGHTS, Permission, may, rights_on
from tests.factories import HabilitationFactory

pytestmark = pytest.mark.django_db

# docs/habilitations.md §2, written out independently of the code's table.
EXPECTED = {
    Role.TITULAR_ADMIN: {
        "use",
        "manage_company_data",
        "designate_deputy",
        "designate_delegating_actor",
        "designate_actor",
    },
    Role.DEPUTY_ADMIN: {
        "use",
        "manage_company_data",
        "designate_delegating_actor",
        "designate_actor",
    },
    Role.DELEGATING_ACTOR: {"use", "designate_actor"},
    Role.ACTOR: {"use"},
}


def _hold(company, titular, subscriber, role, service, state=State.ACTIVE):
    """`subscriber` holds `role` on `service` (Payer TVA for a delegate of Payer), granted by
    `titular`, the service's AT, unless `subscriber` is that AT."""
    if role != Role.TITULAR_ADMIN:
        HabilitationFactory(company=company, subscriber=titular, code=service)
    return HabilitationFactory(
        role=role,
        company=company,
        subscriber=subscriber,
        **({"payer": True} if service == "payer" else {"code": service}),
        by=None if role == Role.TITULAR_ADMIN else titular,
        suspended=state == State.SUSPENDED,
    )


def test_the_code_table_is_the_spec_table():
    assert {role: {a.value for a in actions} for role, actions in ROLE_RIGHTS.items()} == EXPECTED


@pytest.mark.parametrize(
    ("role", "permission", "state"),
    # An AT is never suspended (a constraint), so that combination does not exist.
    [
        combination
        for combination in itertools.product(Role, Permission, State)
        if combination[0] != Role.TITULAR_ADMIN or combination[2] == State.ACTIVE
    ],
)
def test_each_role_permission_and_state(company, alice, bob, role, permission, state):
    holder = bob if role != Role.TITULAR_ADMIN else alice
    _hold(company, alice, holder, role, "declarer_tva", state)
    expected = state == State.ACTIVE and permission.value in EXPECTED[role]
    assert may(holder, permission, "declarer_tva", company) is expected
    # Rights are per elementary service: nothing on another one.
    assert may(holder, permission, "declarer_is", company) is False


def test_rights_do_not_leak_to_another_company(company, alice):
    from tests.factories import CompanyFactory

    other = CompanyFactory()
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    assert may(alice, Permission.USE, "declarer_tva", company)
    assert not may(alice, Permission.USE, "declarer_tva", other)


def test_payer_admins_act_on_the_nine_and_on_payer_as_a_whole(company, alice):
    HabilitationFactory(company=company, subscriber=alice, code="payer")
    assert may(alice, Permission.USE, "payer_autres", company)
    assert may(alice, Permission.DESIGNATE_DEPUTY, "payer", company)
    assert may(alice, Permission.MANAGE_COMPANY_DATA, "payer", company)
    assert not may(alice, Permission.MANAGE_COMPANY_DATA, "messagerie", company)


def test_a_payer_actor_on_one_tax_does_not_act_on_payer_as_a_whole(company, alice, bob):
    _hold(company, alice, bob, Role.ACTOR, "payer")
    assert may(bob, Permission.USE, "payer_tva", company)
    assert not may(bob, Permission.USE, "payer_is", company)
    assert not may(bob, Permission.USE, "payer", company)


@pytest.mark.parametrize("code", ["payer_pas", "payer_cfe", "payer_dette", "contrats_prelevement"])
def test_derived_payer_accesses_come_with_any_payer_service(company, alice, bob, code):
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    assert not may(alice, Permission.USE, code, company)
    actor = _hold(company, alice, bob, Role.ACTOR, "payer")
    assert may(bob, Permission.USE, code, company)
    assert not may(bob, Permission.DESIGNATE_ACTOR, code, company)
    set_state(actor, State.SUSPENDED)
    assert not may(bob, Permission.USE, code, company)


def test_any_service_gives_the_managers_contact_details(company, alice):
    assert not may(alice, Permission.USE, "coordonnees_gestionnaire", company)
    HabilitationFactory(company=company, subscriber=alice, code="biens_immobiliers")
    assert may(alice, Permission.USE, "coordonnees_gestionnaire", company)


def test_unknown_codes_grant_nothing(company, alice):
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    assert not may(alice, Permission.USE, "declarer_tva_bis", company)


def test_rights_take_one_query(company, alice, django_assert_num_queries):
    HabilitationFactory(company=company, subscriber=alice, code="payer")
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    with django_assert_num_queries(1):
        rights = rights_on(alice, company)
    assert rights.allows(Permission.USE, "payer_cvae")
    assert rights.allows(Permission.USE, "declarer_tva")
