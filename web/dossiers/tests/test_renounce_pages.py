"""*Renoncer à une habilitation* on a right an administrator suspended (docs/habilitations.md
§4.6): not offered, and a forged POST is refused with the message, nothing removed."""

import pytest

from habilitations.choices import Role, State
from habilitations.delegation.actions import designate, set_delegation_state
from habilitations.delegation.rules import Designation
from habilitations.models import Habilitation
from tests.factories import HabilitationFactory

pytestmark = pytest.mark.django_db


def test_a_right_an_administrator_suspended_is_not_renounced_from_the_page(
    client, company, alice, bob
):
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    (actor,) = designate(alice, company, bob, [Designation("declarer_tva", Role.ACTOR)])
    set_delegation_state(alice, actor.pk, State.SUSPENDED)
    client.force_login(bob)
    url = f"/espace/habilitations/{actor.pk}/renoncer/"
    page = client.get("/espace/habilitations/").content.decode()
    assert url not in page and "Mise en veille par un administrateur" in page
    page = client.post(url, follow=True).content.decode()
    assert "vous ne pouvez pas y renoncer" in page
    assert Habilitation.objects.get(pk=actor.pk).state == State.SUSPENDED
