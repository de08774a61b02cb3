"""The AT of Payer is told when someone else adds an account or makes one active
(docs/companies.md §4.6)."""

import pytest

from companies.bank import BankDetails
from correspondence.models import Message
from habilitations.company_data.bank_accounts import add_account, set_active
from tests.factories import HabilitationFactory, SubscriberFactory
from tests.helpers import last_email_to

pytestmark = pytest.mark.django_db

IBAN = "FR7630006000011234567890189"
DETAILS = BankDetails.parse(IBAN, "BNPAFRPP", "SARL MARIANNE")


@pytest.fixture
def titular(company):
    subscriber = SubscriberFactory(first_name="Marianne", last_name="Dupont")
    HabilitationFactory(company=company, subscriber=subscriber, code="payer")
    return subscriber


@pytest.fixture
def deputy(company, titular):
    subscriber = SubscriberFactory(first_name="Lila", last_name="Rosemonde")
    HabilitationFactory(
        company=company, subscriber=subscriber, code="payer", deputy_admin=True, by=titular
    )
    return subscriber


def _notices(titular):
    return Message.objects.filter(to=titular.email, purpose="bank_account_changed")


def test_the_titular_is_told_when_the_deputy_adds_an_account(company, titular, deputy):
    add_account(company, DETAILS, label="Compte courant", by=deputy)
    notice = last_email_to(titular.email, "bank_account_changed")
    assert company.name in notice.subject
    assert "ajouté" in notice.subject
    assert f"« {deputy.display_name} »" in notice.body
    assert deputy.subscriber_number in notice.body
    assert "*** **** **** **** **** **** 0189" in notice.body
    assert IBAN not in notice.body and "FR76" not in notice.body
    assert "« SARL MARIANNE »" in notice.body


def test_the_titular_is_told_when_the_deputy_makes_an_account_active(company, titular, deputy):
    account = add_account(company, DETAILS, by=titular)
    set_active(account, False, by=deputy)
    assert not _notices(titular).exists()
    set_active(account, True, by=deputy)
    notice = last_email_to(titular.email, "bank_account_changed")
    assert "réactivé" in notice.subject and "rendu actif" in notice.body
    assert f"« {deputy.display_name} »" in notice.body
    assert "0189" in notice.body and IBAN not in notice.body


def test_the_titular_is_not_told_of_their_own_changes(company, titular, deputy):
    account = add_account(company, DETAILS, by=titular)
    set_active(account, False, by=titular)
    set_active(account, True, by=titular)
    assert not _notices(titular).exists()
    assert not Message.objects.filter(to=deputy.email).exists()


def test_the_notice_is_part_of_the_change(
    company, titular, deputy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        add_account(company, DETAILS, by=deputy)
    assert _notices(titular).count() == 1
    assert len(callbacks) == 1  # delivered once the change commits
