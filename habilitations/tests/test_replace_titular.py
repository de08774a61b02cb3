"""`replace_titular` (docs/habilitations.md §8): the AT role changes hands; nothing else does."""

import pytest

from audit.models import Action, AuditEvent
from core.refusals import Refusal
from habilitations.models import Habilitation, Origin, PortfolioEntry, Role, State
from habilitations.rights.actions import replace_titular
from tests.factories import HabilitationFactory

pytestmark = pytest.mark.django_db


def _roles(company):
    return {
        (h.subscriber.first_name, h.elementary_service, h.role, h.state)
        for h in Habilitation.objects.filter(company=company).select_related("subscriber")
    }


def test_the_former_titular_loses_that_role_only(company, alice, bob, carol):
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    HabilitationFactory(company=company, subscriber=alice, code="declarer_is")
    HabilitationFactory(
        deputy_admin=True, company=company, subscriber=carol, code="declarer_tva", by=alice
    )
    habilitation, former = replace_titular(company, "declarer_tva", bob, Origin.SUBSTITUTION)
    assert former == alice
    assert (habilitation.subscriber, habilitation.role, habilitation.origin) == (
        bob,
        Role.TITULAR_ADMIN,
        Origin.SUBSTITUTION,
    )
    assert _roles(company) == {
        ("Alice", "declarer_is", Role.TITULAR_ADMIN, State.ACTIVE),
        ("Bob", "declarer_tva", Role.TITULAR_ADMIN, State.ACTIVE),
        ("Carol", "declarer_tva", Role.DEPUTY_ADMIN, State.ACTIVE),
    }
    removed = AuditEvent.objects.get(action=Action.HABILITATION_REMOVED)
    assert removed.details["subscriber"] == alice.subscriber_number
    assert removed.details["replaced_by"] == bob.subscriber_number
    assert (
        AuditEvent.objects.filter(action=Action.HABILITATION_GRANTED, details__role="AT").count()
        == 3
    )


def test_payer_changes_hands_as_a_whole_and_delegates_stay(company, alice, bob, carol):
    HabilitationFactory(company=company, subscriber=alice, code="payer")
    HabilitationFactory(actor=True, company=company, subscriber=carol, code="payer_tva", by=alice)
    HabilitationFactory(actor=True, company=company, subscriber=bob, code="payer_is", by=alice)
    replace_titular(company, "payer", bob, Origin.SUBSTITUTION)
    # Bob's own delegate role on Payer was replaced: roles never accumulate.
    assert _roles(company) == {
        ("Bob", "payer", Role.TITULAR_ADMIN, State.ACTIVE),
        ("Carol", "payer_tva", Role.ACTOR, State.ACTIVE),
    }


def test_the_deputy_can_become_the_titular(company, alice, bob):
    HabilitationFactory(company=company, subscriber=alice, code="messagerie")
    HabilitationFactory(
        deputy_admin=True, company=company, subscriber=bob, code="messagerie", by=alice
    )
    replace_titular(company, "messagerie", bob, Origin.SUBSTITUTION)
    assert _roles(company) == {("Bob", "messagerie", Role.TITULAR_ADMIN, State.ACTIVE)}


def test_the_former_titulars_dossier_goes_when_it_was_their_only_right(company, alice, bob):
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    replace_titular(company, "declarer_tva", bob, Origin.SUBSTITUTION)
    assert not PortfolioEntry.objects.filter(subscriber=alice).exists()
    assert PortfolioEntry.objects.get(subscriber=bob, company=company).titular_count == 1


def test_a_service_without_titular_is_simply_granted(company, bob):
    _, former = replace_titular(company, "declarer_tva", bob, Origin.SUBSTITUTION)
    assert former is None
    assert _roles(company) == {("Bob", "declarer_tva", Role.TITULAR_ADMIN, State.ACTIVE)}


def test_the_titular_replacing_themselves_changes_nothing(company, alice):
    kept = HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    habilitation, former = replace_titular(company, "declarer_tva", alice, Origin.SUBSTITUTION)
    assert former is None and habilitation.pk == kept.pk


def test_an_unknown_service_is_refused(company, alice):
    with pytest.raises(Refusal, match="Service inconnu") as refused:
        replace_titular(company, "payer_tva", alice, Origin.SUBSTITUTION)
    assert refused.value.code == "habilitation.unknown_service"
