"""A company's requirement of a strong factor (docs/habilitations.md §14): who may set it, the
date's notice, the e-mails, and what `Rights` withhold once it applies, in the one query."""

from datetime import timedelta

import pytest
import time_machine

from audit.models import AuditEvent
from core.refusals import Refusal
from correspondence.models import Message
from habilitations.company_data.strong_factor import (
    compliance,
    lift_requirement,
    require_strong_factor,
)
from habilitations.delegation.actions import designate, set_delegation_state
from habilitations.delegation.rules import Designation, rights_by_company
from habilitations.models import Role, State, StrongFactorPolicy
from habilitations.rights.queries import Permission, dossier_of, rights_of_pairs, rights_on
from tests.factories import HabilitationFactory, SubscriberFactory
from tests.helpers import CURRENT_TIME

AT, AS, AD, AC = Role.TITULAR_ADMIN, Role.DEPUTY_ADMIN, Role.DELEGATING_ACTOR, Role.ACTOR
DAY = timedelta(days=1)
TODAY = CURRENT_TIME.date()
APPLIES = TODAY + 14 * DAY


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        yield traveller


@pytest.fixture
def admin(company, alice):
    alice.strong_factor = True
    alice.save(update_fields=["strong_factor"])
    HabilitationFactory(company=company, subscriber=alice, code="payer")
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    HabilitationFactory(company=company, subscriber=alice, code="messagerie")
    return alice


def _after_the_date(clock):
    clock.move_to(CURRENT_TIME + 14 * DAY)


def test_the_company_admin_sets_it_and_the_concerned_are_told(company, admin, bob, carol):
    HabilitationFactory(company=company, subscriber=bob, code="payer_cvae", role=AC, by=admin)
    HabilitationFactory(company=company, subscriber=carol, code="declarer_tva", role=AC, by=admin)
    require_strong_factor(admin, company, APPLIES)
    policy = StrongFactorPolicy.objects.get(company=company)
    assert (policy.applies_from, policy.set_by) == (APPLIES, admin)
    told = set(
        Message.objects.filter(subject__contains="authentification forte").values_list(
            "to", flat=True
        )
    )
    assert told == {admin.email, bob.email}  # carol only declares: not concerned
    body = Message.objects.get(to=bob.email, subject__contains="exige").body
    assert "16/03/2026" in body and "vous ne pourrez plus utiliser le service Payer" in body
    event = AuditEvent.objects.get(action="strong_factor_policy.required")
    assert event.actor == admin and event.details["applies_from"] == "2026-03-16"
    assert compliance(company).concerned == 2
    assert compliance(company).missing == [bob]


def test_the_date_needs_the_notice(company, admin):
    with pytest.raises(Refusal) as refused:
        require_strong_factor(admin, company, APPLIES - DAY)
    assert refused.value.code == "company.strong_factor_too_soon"
    assert refused.value.field == "applies_from"
    assert "16/03/2026" in refused.value.message and "14 jours" in refused.value.message
    assert not StrongFactorPolicy.objects.exists()


@pytest.mark.parametrize("role", [AD, AC])
def test_only_administrators_set_it(company, admin, bob, role):
    bob.strong_factor = True
    bob.save()
    HabilitationFactory(company=company, subscriber=bob, code="payer_tva", role=role, by=admin)
    with pytest.raises(Refusal) as refused:
        require_strong_factor(bob, company, APPLIES)
    assert refused.value.code == "company.strong_factor_not_administrator"
    assert not StrongFactorPolicy.objects.exists()


def test_a_deputy_sets_it_but_needs_a_strong_factor_himself(company, admin, bob):
    HabilitationFactory(company=company, subscriber=bob, code="declarer_tva", role=AS, by=admin)
    with pytest.raises(Refusal) as refused:
        require_strong_factor(bob, company, APPLIES)
    assert refused.value.code == "company.strong_factor_own_missing"
    bob.strong_factor = True
    bob.save()
    require_strong_factor(bob, company, APPLIES)
    assert StrongFactorPolicy.objects.get(company=company).set_by == bob


def test_before_the_date_nothing_is_withheld(company, admin, bob, _clock):
    HabilitationFactory(company=company, subscriber=bob, code="payer_tva", role=AD, by=admin)
    require_strong_factor(admin, company, APPLIES)
    _clock.move_to(CURRENT_TIME + 13 * DAY)
    rights = rights_on(bob, company)
    assert rights.allows(Permission.USE, "payer_tva") and not rights.strong_factor_missing
    assert rights.concerned_by_policy() and rights.policy_from == APPLIES


def test_after_the_date_payer_and_designation_are_withheld(company, admin, bob, carol, _clock):
    for code in ("payer_tva", "declarer_tva", "messagerie"):
        HabilitationFactory(company=company, subscriber=bob, code=code, role=AD, by=admin)
    require_strong_factor(admin, company, APPLIES)
    _after_the_date(_clock)
    rights = rights_on(bob, company)
    assert rights.strong_factor_missing
    assert not rights.allows(Permission.USE, "payer_tva")
    assert not rights.allows(Permission.USE, "payer_pas")  # derived from Payer
    assert not rights.allows(Permission.DESIGNATE_ACTOR, "declarer_tva")
    assert rights.allows(Permission.USE, "declarer_tva")
    assert rights.allows(Permission.USE, "messagerie")
    assert rights.allows(Permission.USE, "coordonnees_gestionnaire")
    assert "payer_tva" not in rights.usable() and "declarer_tva" in rights.usable()
    assert rights.withheld_by_policy >= {"payer_tva", "payer_pas"}
    assert rights.designation_withheld() and not rights.may_delegate()
    with pytest.raises(Refusal) as refused:
        designate(bob, company, carol, [Designation("declarer_tva", AC)])
    assert refused.value.code == "company.strong_factor_required"
    # Every door reads the same: the dossier, the service clients' batches, many companies.
    assert dossier_of(bob, company.identifier)[1] == rights
    pair = (bob.subscriber_number, company.identifier)
    assert rights_of_pairs([pair])[pair] == rights
    assert rights_by_company(bob, [company.pk])[company.pk] == rights


def test_an_administrator_without_factor_loses_management_and_the_policy(
    company, admin, bob, carol, _clock
):
    HabilitationFactory(company=company, subscriber=bob, code="declarer_tva", role=AS, by=admin)
    actor = HabilitationFactory(
        company=company, subscriber=carol, code="declarer_tva", role=AC, by=bob
    )
    require_strong_factor(admin, company, APPLIES)
    _after_the_date(_clock)
    rights = rights_on(bob, company)
    assert rights.may_see_holders() and not rights.may_set_factor_policy()
    with pytest.raises(Refusal) as refused:
        set_delegation_state(bob, actor.pk, State.SUSPENDED)
    assert refused.value.code == "company.strong_factor_required"


def test_with_a_strong_factor_everything_stays(company, admin, _clock):
    require_strong_factor(admin, company, APPLIES)
    _after_the_date(_clock)
    rights = rights_on(admin, company)
    assert not rights.strong_factor_missing and not rights.withheld_by_policy
    assert rights.may_manage_bank_accounts() and rights.may_manage_deputies()
    assert rights.may_set_factor_policy()


def test_an_actor_of_other_services_is_not_concerned(company, admin, bob, _clock):
    HabilitationFactory(company=company, subscriber=bob, code="declarer_tva", role=AC, by=admin)
    require_strong_factor(admin, company, APPLIES)
    _after_the_date(_clock)
    rights = rights_on(bob, company)
    assert not rights.concerned_by_policy() and not rights.withheld_by_policy
    assert rights.usable() >= {"declarer_tva"}


def test_changing_and_lifting_tell_them_too(company, admin, bob, _clock):
    HabilitationFactory(company=company, subscriber=bob, code="payer_tva", role=AC, by=admin)
    require_strong_factor(admin, company, APPLIES)
    require_strong_factor(admin, company, APPLIES + 7 * DAY)
    moved = Message.objects.filter(to=bob.email).order_by("id").last()
    assert "23/03/2026" in moved.body and "au lieu du 16/03/2026" in moved.body
    _clock.move_to(CURRENT_TIME + 30 * DAY)
    assert rights_on(bob, company).strong_factor_missing
    lift_requirement(admin, company)
    assert not rights_on(bob, company).strong_factor_missing
    lifted = Message.objects.filter(to=bob.email).order_by("id").last()
    assert "n'exige plus" in lifted.subject
    assert AuditEvent.objects.filter(action="strong_factor_policy.lifted").count() == 1
    with pytest.raises(Refusal) as refused:
        lift_requirement(admin, company)
    assert refused.value.code == "company.strong_factor_not_required"


def test_the_rights_stay_one_query(company, admin, bob, _clock, django_assert_num_queries):
    HabilitationFactory(company=company, subscriber=bob, code="payer_tva", role=AD, by=admin)
    require_strong_factor(admin, company, APPLIES)
    _after_the_date(_clock)
    fresh = SubscriberFactory._meta.model.objects.get(pk=bob.pk)
    pair = (bob.subscriber_number, company.identifier)
    with django_assert_num_queries(1):
        assert rights_on(fresh, company).strong_factor_missing
    with django_assert_num_queries(1):
        assert dossier_of(fresh, company.identifier)[1].strong_factor_missing
    with django_assert_num_queries(1):
        assert rights_of_pairs([pair])[pair].strong_factor_missing
