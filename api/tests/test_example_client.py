"""The examples of docs/api.md, run as written against a live server: the client of §8, the
webhook's registration and signature check of §7."""

import re
from pathlib import Path

import pytest

from api.tests.helpers import token_for
from habilitations.models import Habilitation, Role
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
def test_the_documented_webhook_is_registered_and_its_events_verified(
    live_server, alice, bob, company, received
):
    example = _example("## 7. Webhooks")
    secret = example["register_webhook"](
        live_server.url, token_for(alice, scopes=["webhooks:write"]), "https://hooks.example/x"
    )
    HabilitationFactory(subscriber=alice, company=company)
    HabilitationFactory(subscriber=bob, company=company, actor=True, by=alice)
    _, body, headers = received[-1]  # bob's grant (alice's own came first)
    assert bob.subscriber_number.encode() in body
    assert example["valid"](secret, headers, body)
    assert not example["valid"](secret, headers, body.replace(b"granted", b"withdrawn"))
    with pytest.raises(RuntimeError, match=r"^api\.webhook_https_only: "):
        example["register_webhook"](live_server.url, token_for(alice), "http://hooks.example/x")
