"""The examples of docs/api.md, run as written against a live server: the client of §8, the
webhook's registration and signature check of §7."""

import re
from pathlib import Path

import pytest

from api import webhooks
from api.models import WebhookDelivery
from api.tests import receiver
from api.tests.helpers import token_for
from habilitations.choices import Role
from habilitations.models import Habilitation
from tests.factories import HabilitationFactory, bulk_portfolio

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def _example(section_title: str = "## 8. Example client") -> dict:
    section = DOC.read_text(encoding="utf-8").split(section_title, 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace: dict = {}
    exec(compile(code, str(DOC), "exec"), namespace)  # our own documentation
    return namespace


@pytest.mark.django_db(transaction=True)
def test_the_documented_client_lists_the_portfolio_and_delegates(live_server, alice, bob):
    bulk_portfolio(alice, 230)
    sirens = _example()["delegate_first_dossier"](
        live_server.url, token_for(alice), bob.subscriber_number
    )
    assert len(sirens) == len(set(sirens)) == 230
    held = Habilitation.objects.get(subscriber=bob)
    assert (held.company.identifier, held.role) == (sirens[0], Role.ACTOR)


@pytest.mark.django_db(transaction=True)
def test_the_documented_receiver_takes_real_deliveries(
    live_server, alice, bob, carol, company, settings, tmp_path
):
    example = _example("## 7. Webhooks")

    class Documented(example["Receiver"]):
        seen: set = set()
        events: list = []

    served, stop = receiver.serve(tmp_path, Documented)
    settings.API_WEBHOOK_ALLOW_PRIVATE = True
    settings.API_WEBHOOK_CA_BUNDLE = served.ca_file
    try:
        Documented.secret = example["register_webhook"](
            live_server.url, token_for(alice, scopes=["webhooks:write"]), served.url("/x")
        )
        HabilitationFactory(subscriber=alice, company=company)
        HabilitationFactory(subscriber=bob, company=company, actor=True, by=alice)
        granted = [e["data"]["subscriber"] for e in Documented.events]
        assert granted == [alice.subscriber_number, bob.subscriber_number]
        assert all(d.delivered_at for d in WebhookDelivery.objects.all())
        # A retry of a delivered event is taken once.
        delivery = WebhookDelivery.objects.last()
        WebhookDelivery.objects.filter(pk=delivery.pk).update(delivered_at=None)
        assert webhooks.deliver(delivery.pk) and len(Documented.events) == 2
        # An event signed with another secret is refused (401) and retried later.
        Documented.secret = "whsec_autre"
        HabilitationFactory(subscriber=carol, company=company, actor=True, by=alice)
        refused = WebhookDelivery.objects.order_by("pk").last()
        assert (refused.last_status, refused.delivered_at) == (401, None)
        assert len(Documented.events) == 2
    finally:
        stop()
    with pytest.raises(RuntimeError, match=r"^api\.webhook_https_only: "):
        example["register_webhook"](live_server.url, token_for(alice), "http://hooks.example/x")
