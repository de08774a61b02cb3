"""*Retirer toutes ses délégations* (docs/habilitations.md §5.2): only for those who administer a
company; the page names the person, so no one else reads a stranger's name through it."""

import pytest

from audit.models import Action as AuditAction
from audit.models import AuditEvent
from habilitations.choices import Role
from habilitations.delegation.actions import designate
from habilitations.delegation.rules import Designation
from habilitations.models import Habilitation
from tests.factories import HabilitationFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


def _url(subscriber) -> str:
    return f"/espace/delegataires/{subscriber.subscriber_number}/retirer/"


def test_a_mere_actor_cannot_read_a_strangers_name_through_the_page(client, company, alice, bob):
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    designate(alice, company, bob, [Designation("declarer_tva", Role.ACTOR)])
    stranger = SubscriberFactory(first_name="Zoé", last_name="Inconnue")
    client.force_login(bob)
    for response in (client.get(_url(stranger)), client.post(_url(stranger))):
        assert response.status_code == 403
        assert "INCONNUE" not in response.content.decode().upper()
    refused = AuditEvent.objects.filter(action=AuditAction.ACCESS_REFUSED, actor=bob)
    assert refused.count() == 2


def test_a_subscriber_without_any_right_is_refused_even_for_an_unknown_number(client, carol):
    client.force_login(carol)
    assert client.get("/espace/delegataires/20269999999999/retirer/").status_code == 403


def test_an_administrator_sees_the_page_and_withdraws(client, company, alice, bob):
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    designate(alice, company, bob, [Designation("declarer_tva", Role.ACTOR)])
    client.force_login(alice)
    page = client.get(_url(bob))
    assert page.status_code == 200 and "Bob SUPPLEANT" in page.content.decode()
    client.post(_url(bob))
    assert not Habilitation.objects.filter(subscriber=bob).exists()


def test_an_administrator_cannot_read_the_name_of_someone_holding_nothing_of_theirs(
    client, company, alice
):
    """Administering some company is not enough: the page names only a delegate of one's own
    companies; a stranger and an unknown number look the same (403)."""
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    stranger = SubscriberFactory(first_name="Zoé", last_name="Inconnue")
    client.force_login(alice)
    for url in (_url(stranger), "/espace/delegataires/20269999999999/retirer/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "INCONNUE" not in response.content.decode().upper()
