"""The refusals of the habilitation rules carry a stable code (listed in
core.refusals.CATALOGUE) and their French message (docs/habilitations.md §2)."""

import pytest

from core.refusals import CATALOGUE, Refusal
from habilitations.delegation.actions import designate
from habilitations.delegation.many import plan_many
from habilitations.delegation.rules import Designation
from habilitations.models import Habilitation, Origin, Role
from habilitations.rights.actions import grant, grant_many, remove_many, replace_titular
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db

AT, AS, AD, AC = Role.TITULAR_ADMIN, Role.DEPUTY_ADMIN, Role.DELEGATING_ACTOR, Role.ACTOR


def refused(call) -> Refusal:
    with pytest.raises(Refusal) as info:
        call()
    assert info.value.code in CATALOGUE
    return info.value


def test_every_habilitation_and_delegation_code_has_a_french_message():
    codes = [c for c in CATALOGUE if c.startswith(("habilitation.", "delegation."))]
    assert len(codes) >= 19
    assert all(CATALOGUE[c].strip() for c in codes)


def test_unknown_services(company, alice):
    refusal = refused(lambda: grant(company, alice, "payer_tva", AT, Origin.ADHESION))
    assert (refusal.code, refusal.message) == ("habilitation.unknown_service", "Service inconnu.")
    refusal = refused(lambda: grant(company, alice, "payer", AC, Origin.DELEGATION))
    assert refusal.code == "habilitation.unknown_elementary_service"
    refusal = refused(lambda: replace_titular(company, "nope", alice, Origin.SUBSTITUTION))
    assert refusal.code == "habilitation.unknown_service"


def test_one_titular_and_one_deputy_per_service(company, alice, bob, carol):
    grant(company, alice, "declarer_tva", AT, Origin.ADHESION)
    grant(company, alice, "declarer_tva", AT, Origin.ADHESION)  # the same holder: no refusal
    refusal = refused(lambda: grant(company, bob, "declarer_tva", AT, Origin.ADHESION))
    assert refusal.code == "habilitation.one_titular_per_service"
    assert refusal.message == (
        "Le service « Déclarer TVA » a déjà un administrateur titulaire pour cette entreprise."
    )
    grant(company, bob, "declarer_tva", AS, Origin.DELEGATION)
    refusal = refused(lambda: grant(company, carol, "declarer_tva", AS, Origin.DELEGATION))
    assert refusal.code == "habilitation.one_deputy_per_service"
    assert refusal.message == (
        "Le service « Déclarer TVA » a déjà un administrateur suppléant pour cette entreprise."
    )


def test_titular_admin_refusals(company, alice):
    titular = grant(company, alice, "declarer_tva", AT, Origin.ADHESION)
    assert refused(lambda: remove_many([titular])).code == "habilitation.titular_not_removed"
    delegate = Habilitation(
        subscriber=alice, company=company, service="declarer_is", elementary_service="declarer_is"
    )
    delegate.role = AS
    assert (
        refused(lambda: grant_many([delegate], [])).code
        == "habilitation.admins_one_service_at_a_time"
    )


def test_delegation_refusals_carry_their_code_and_message(company, alice, bob, carol):
    grant(company, alice, "declarer_tva", AT, Origin.ADHESION)
    grant(company, alice, "payer", AT, Origin.ADHESION)
    designate(alice, company, bob, [Designation("declarer_tva", AC)])
    refusal = refused(lambda: designate(bob, company, carol, [Designation("declarer_tva", AC)]))
    assert refusal.code == "delegation.above_granter"
    assert refusal.message == (
        "Vos habilitations ne vous permettent pas de désigner un acteur sur « Déclarer TVA »."
    )
    refusal = refused(lambda: designate(alice, company, alice, [Designation("declarer_tva", AC)]))
    assert (refusal.code, refusal.message) == (
        "delegation.not_oneself",
        "Vous ne pouvez pas vous désigner vous-même.",
    )
    refusal = refused(lambda: designate(alice, company, bob, [Designation("declarer_is", AC)]))
    assert refusal.code == "delegation.no_titular"
    assert "« Déclarer l'impôt sur les sociétés »" in refusal.message
    designate(alice, company, carol, [Designation("payer", AS)])
    refusal = refused(lambda: designate(alice, company, carol, [Designation("payer_tva", AC)]))
    assert refusal.code == "delegation.already_service_admin"
    assert refusal.message == (
        "Cet abonné est déjà administrateur suppléant du service « Payer » : retirez d'abord "
        "ce rôle."
    )


def test_the_bulk_plan_lists_refusals_by_company_and_refuses_a_wrong_level(alice, bob):
    with_titular, without = CompanyFactory(), CompanyFactory()
    grant(with_titular, alice, "payer", AT, Origin.ADHESION)
    grant(with_titular, bob, "payer", AS, Origin.DELEGATION)
    plan = plan_many(alice, bob, AC, ["payer_tva"], [with_titular, without])
    assert plan.refused == [
        (with_titular, "déjà administrateur du service « Payer »"),
        (
            without,
            "La délégation n'est possible que si le client a au préalable adhéré au service "
            "« Payer » : ce service n'a pas d'administrateur titulaire pour cette entreprise.",
        ),
    ]
    refusal = refused(lambda: plan_many(alice, bob, AS, ["payer_tva"], [with_titular]))
    assert refusal.code == "delegation.choose_level"
    refusal = refused(lambda: plan_many(alice, alice, AC, ["payer_tva"], [with_titular]))
    assert refusal.code == "delegation.not_oneself"
