"""The example client of docs/api.md §8, run as written against a live server."""

import re
from pathlib import Path

import pytest

from api.tests.helpers import token_for
from habilitations.models import Habilitation, Role
from tests.factories import bulk_portfolio

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def _example() -> dict:
    section = DOC.read_text(encoding="utf-8").split("## 8. Example client", 1)[1]
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
