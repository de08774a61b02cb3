"""The factories build what their traits say, through the domain's functions."""

import pytest

from audit.models import Action, AuditEvent
from habilitations.models import PortfolioEntry, RequestKind, RequestState, Role, State
from tests.factories import CompanyFactory, HabilitationFactory, PostalRequestFactory

pytestmark = pytest.mark.django_db


def test_companies_get_distinct_valid_sirens_and_an_address_on_demand():
    from companies.identifiers import normalize_company_identifier

    first, second = CompanyFactory(), CompanyFactory(with_fiscal_address=True)
    assert first.identifier != second.identifier
    assert normalize_company_identifier(first.identifier) == first.identifier
    assert first.city == "" and second.city == "BORDEAUX"
    assert CompanyFactory(email_address="c@x.example").email_address.email == "c@x.example"


@pytest.mark.parametrize(
    ("trait", "role"),
    [
        ("titular_admin", Role.TITULAR_ADMIN),
        ("deputy_admin", Role.DEPUTY_ADMIN),
        ("delegating_actor", Role.DELEGATING_ACTOR),
        ("actor", Role.ACTOR),
    ],
)
def test_habilitations_by_role_go_through_grant(trait, role):
    habilitation = HabilitationFactory(**{trait: True})
    assert habilitation.role == role and habilitation.state == State.ACTIVE
    assert AuditEvent.objects.filter(action=Action.HABILITATION_GRANTED).count() == 1
    assert PortfolioEntry.objects.filter(subscriber=habilitation.subscriber).exists()


def test_payer_is_the_whole_service_for_an_admin_and_payer_tva_for_a_delegate():
    assert HabilitationFactory(payer=True).elementary_service == "payer"
    assert HabilitationFactory(payer=True, actor=True).elementary_service == "payer_tva"


def test_a_suspended_habilitation():
    assert HabilitationFactory(actor=True, suspended=True).state == State.SUSPENDED


def test_postal_requests():
    adhesion = PostalRequestFactory()
    assert adhesion.kind == RequestKind.ADHESION and adhesion.state == RequestState.LETTER_SENT
    waiting = PostalRequestFactory(awaiting_email=True)
    assert waiting.state == RequestState.AWAITING_EMAIL and waiting.company_email
    titular = HabilitationFactory()
    substitution = PostalRequestFactory(substitution=True, company=titular.company)
    assert substitution.kind == RequestKind.SUBSTITUTION
    assert substitution.state == RequestState.LETTER_SENT
