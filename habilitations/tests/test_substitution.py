"""Substitution (docs/habilitations.md §8): one request for several services of one company, the
current AT told by e-mail when it is asked and when it is done, the others' habilitations kept."""

import pytest
import time_machine

from core.refusals import Refusal
from correspondence.models import Kind, Message
from habilitations.models import (
    Habilitation,
    Origin,
    PortfolioEntry,
    RequestKind,
    RequestState,
    Role,
)
from habilitations.postal.activation import activate_services
from habilitations.postal.substitution import submit_substitution
from tests.factories import CompanyFactory, HabilitationFactory, PostalRequestFactory
from tests.helpers import CURRENT_TIME, letter_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def simonet(db, alice, carol):
    """Alice runs SARL SIMONET's TVA, IS and Payer; Carol is her deputy and an actor."""
    company = CompanyFactory(with_fiscal_address=True, name="SARL SIMONET")
    for service in ("declarer_tva", "declarer_is", "payer"):
        HabilitationFactory(
            origin=Origin.SIMPLIFIED, company=company, subscriber=alice, code=service
        )
    HabilitationFactory(
        deputy_admin=True, company=company, subscriber=carol, code="declarer_tva", by=alice
    )
    HabilitationFactory(actor=True, company=company, subscriber=carol, code="payer_tva", by=alice)
    return company


def test_only_services_with_a_titular_other_than_oneself(simonet, alice, bob):
    with pytest.raises(Refusal, match="« Messagerie » n'a pas d'administrateur titulaire"):
        submit_substitution(bob, simonet, ["declarer_tva", "messagerie"])
    with pytest.raises(Refusal, match="Vous êtes déjà administrateur titulaire"):
        submit_substitution(alice, simonet, ["declarer_tva"])
    with pytest.raises(Refusal, match="Cochez au moins un service"):
        submit_substitution(bob, simonet, [])
    assert not Message.objects.exists()


def test_every_problem_of_a_substitution_is_listed_at_once(simonet, alice):
    """Issue 12 §5: the form shows them all in one go."""
    from habilitations.postal.substitution import substitution_problems

    problems = substitution_problems(alice, simonet, ["messagerie", "declarer_tva", "payer"])
    assert [p.message for p in problems] == [
        Refusal("substitution.no_titular", service="Messagerie").message,
        Refusal("postal.already_yours", service="Déclarer TVA").message,
        Refusal("postal.already_yours", service="Payer").message,
    ]


def test_the_letter_goes_at_once_and_the_titular_is_told(simonet, alice, bob):
    req = submit_substitution(bob, simonet, ["payer", "declarer_tva"])
    assert req.kind == RequestKind.SUBSTITUTION and req.state == RequestState.LETTER_SENT
    assert req.services == ["declarer_tva", "payer"]
    letter = Message.objects.get(kind=Kind.LETTER)
    assert "remplacer l'administrateur titulaire actuel" in letter.body
    assert "- Déclarer TVA\n- Payer" in letter.body
    notice = Message.objects.get(kind=Kind.EMAIL, to=alice.email)
    assert notice.purpose == "substitution_requested"
    assert "« Mme Bob SUPPLEANT » a demandé" in notice.body
    assert "SARL SIMONET" in notice.body and "- Déclarer TVA\n- Payer" in notice.body
    assert bob.subscriber_number not in notice.body  # the number is the holder's to give
    # Nothing changes before the code.
    assert Habilitation.objects.get(company=simonet, service="payer", role="AT").subscriber == alice


def test_the_code_switches_the_titular_and_keeps_the_others(simonet, alice, bob, carol):
    req = submit_substitution(bob, simonet, ["declarer_tva", "payer"])
    with time_machine.travel(CURRENT_TIME, tick=False):
        done = activate_services(bob, req.pk, letter_code(req))
    assert done.granted == ["declarer_tva", "payer"] and done.not_granted == []
    rows = {
        (h.subscriber.first_name, h.elementary_service, h.role)
        for h in Habilitation.objects.filter(company=simonet).select_related("subscriber")
    }
    assert rows == {
        ("Alice", "declarer_is", Role.TITULAR_ADMIN),  # not asked for: kept
        ("Bob", "declarer_tva", Role.TITULAR_ADMIN),
        ("Bob", "payer", Role.TITULAR_ADMIN),  # Payer as a whole
        ("Carol", "declarer_tva", Role.DEPUTY_ADMIN),  # others' habilitations stay
        ("Carol", "payer_tva", Role.ACTOR),
    }
    assert Habilitation.objects.get(subscriber=bob, service="payer").origin == Origin.SUBSTITUTION
    done_notice = Message.objects.get(to=alice.email, purpose="substitution_done")
    assert "« Mme Bob SUPPLEANT » vous remplace désormais" in done_notice.body
    # When the code was typed, in Paris time (it was missing: « a été saisi le  : »).
    assert "a été saisi le 02/03/2026 à 10:30 (heure de Paris) :" in done_notice.body
    assert "- Déclarer TVA\n- Payer" in done_notice.body
    assert PortfolioEntry.objects.get(subscriber=alice, company=simonet).titular_count == 1


def test_a_service_whose_titular_left_meanwhile_is_simply_granted(simonet, alice, bob):
    req = PostalRequestFactory(
        substitution=True, requester=bob, company=simonet, services=["declarer_is"]
    )
    Habilitation.objects.filter(company=simonet, service="declarer_is").delete()
    done = activate_services(bob, req.pk, letter_code(req))
    assert done.granted == ["declarer_is"]
    assert not Message.objects.filter(purpose="substitution_done").exists()


def test_two_titulars_are_each_told_of_their_own_services(simonet, alice, bob, carol):
    other = CompanyFactory(with_fiscal_address=True, name="SARL SIMONET FILS")
    HabilitationFactory(company=other, subscriber=alice, code="declarer_tva")
    HabilitationFactory(company=other, subscriber=carol, code="declarer_is")
    req = submit_substitution(bob, other, ["declarer_tva", "declarer_is"])
    assert "- Déclarer TVA\n\nUn" in Message.objects.get(to=alice.email).body
    assert "- Déclarer l'impôt sur les sociétés\n\nUn" in Message.objects.get(to=carol.email).body
    activate_services(bob, req.pk, letter_code(req))
    assert Message.objects.filter(purpose="substitution_done").count() == 2
