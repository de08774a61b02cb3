import pytest

from audit.models import Action
from audit.trail import ACTING, record
from core.context import acting, current
from tests.factories import SubscriberFactory


def test_outside_any_request_nobody_acts_from_nowhere():
    assert current().ip_address is None
    assert current().actor() is None


@pytest.mark.django_db
def test_the_trail_records_who_acts_and_from_where_without_a_request():
    lila = SubscriberFactory()
    with acting(ip_address="203.0.113.7", actor=lambda: lila):
        event = record(Action.LOGIN_FAILED, target="x", actor=ACTING)
        anonymous = record(Action.LOGIN_FAILED, target="y")
    assert (event.actor, event.ip_address) == (lila, "203.0.113.7")
    # An event names no actor unless its code says who acts (not whoever is logged in).
    assert (anonymous.actor, anonymous.ip_address) == (None, "203.0.113.7")
    after = record(Action.LOGIN_FAILED, target="z")
    assert (after.actor, after.ip_address) == (None, None)


@pytest.mark.django_db
def test_a_page_sets_the_address_for_the_trail(client):
    from audit.models import AuditEvent

    client.post(
        "/", {"username": "nobody@example.fr", "password": "x" * 20}, REMOTE_ADDR="198.51.100.4"
    )
    assert AuditEvent.objects.filter(ip_address="198.51.100.4").exists()


@pytest.mark.django_db
def test_a_public_link_followed_in_a_logged_in_browser_names_no_actor(client):
    """Following someone's reset link with a wrong token while logged in as oneself: the
    failure is not put on the logged-in subscriber."""
    from audit.models import Action as AuditAction
    from audit.models import AuditEvent

    client.force_login(SubscriberFactory())
    client.get("/mot-de-passe-oublie/lien/AAAAAAAAAAAAAAAAAAAAAA/BBBBBBBBBBBB/")
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_RESET_LINK_FAILED)
    assert event.actor is None and event.ip_address == "127.0.0.1"
