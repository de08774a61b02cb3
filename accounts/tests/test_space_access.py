"""What an agent does to a space's access, at the domain level (docs/backoffice.md §4, §7)."""

import pytest
from django.contrib.auth import authenticate

from accounts import assistance, space_access, throttle
from accounts.models import Subscriber
from core import context
from core.refusals import Refusal
from habilitations.rights.queries import rights_on
from tests.factories import CompanyFactory, HabilitationFactory, SubscriberFactory
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_session_hash_is_unchanged_until_access_is_first_ended():
    space = SubscriberFactory()
    before = space.get_session_auth_hash()
    assert Subscriber.objects.get(pk=space.pk).get_session_auth_hash() == before
    space_access.end_access(space)
    space.refresh_from_db()
    assert space.access_epoch == 1 and space.get_session_auth_hash() != before


def test_a_frozen_space_is_refused_with_the_assistance_contact_only_with_its_password():
    space = SubscriberFactory()
    space_access.freeze(space)
    assert authenticate(username=space.email, password="pas le bon") is None
    with pytest.raises(Refusal) as refused:
        authenticate(username=space.email, password=PASSWORD)
    assert refused.value.code == "space.frozen" and "0809 400 210" in refused.value.message


def test_a_frozen_space_has_no_rights_and_cannot_be_frozen_twice():
    space = SubscriberFactory()
    company = CompanyFactory()
    HabilitationFactory(company=company, subscriber=space, code="declarer_tva")
    assert rights_on(space, company).roles
    space = space_access.freeze(space)
    assert not rights_on(space, company).roles
    with pytest.raises(Refusal):
        space_access.freeze(space)
    space = space_access.unfreeze(space)
    assert rights_on(space, company).roles


def test_an_unlock_lifts_the_lock_from_every_address():
    space = SubscriberFactory()
    for address in ("192.0.2.1", "198.51.100.7"):
        with context.acting(ip_address=address):
            for _ in range(5):
                throttle.count_failure(space.email)
            assert throttle.gate(space.email).locked_minutes
    assistance.unlock_login(space.email)
    for address in ("192.0.2.1", "198.51.100.7"):
        with context.acting(ip_address=address):
            assert throttle.gate(space.email).open
