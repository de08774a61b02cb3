"""The messaging's demo: conversations in each state for Lila and Paul, an agent of SIE-BORDEAUX,
nothing added when run again."""

import pytest
from django.core.files.storage import FileSystemStorage

from accounts.models import Subscriber
from backoffice.demo import load_demo_agents
from backoffice.models import Agent
from demo.demo import load_demo
from demo.messaging_demo import load_messaging_demo
from messaging import queries
from messaging.models import Attachment, Thread, ThreadState

pytestmark = pytest.mark.django_db


def test_the_messaging_demo_has_each_state_and_is_idempotent(tmp_path, monkeypatch):
    monkeypatch.setattr(
        Attachment._meta.get_field("file"), "storage", FileSystemStorage(location=tmp_path)
    )
    load_demo()
    load_demo_agents()
    first = load_messaging_demo()
    assert first["threads_added"] == 9 and first["agent_created"]
    assert Agent.objects.get(email="sie.bordeaux@agents.example.fr").office == "SIE-BORDEAUX"
    states = set(Thread.objects.values_list("state", flat=True))
    assert states == {
        ThreadState.NEW,
        ThreadState.ASSIGNED,
        ThreadState.WAITING_COMPANY,
        ThreadState.CLOSED,
    }
    assert Attachment.objects.count() == 5  # each answer has its PDF
    with Attachment.objects.first().file.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"
    lila = Subscriber.objects.get(email="lila.rosemonde@example.fr")
    paul = Subscriber.objects.get(email="paul.martin@example.fr")
    assert [c.name for c in queries.unread_dossiers(lila)] == ["SARL MARIANNE"]
    assert queries.unread_dossiers(paul).count() == 2
    counts = (Thread.objects.count(), Attachment.objects.count(), Agent.objects.count())
    again = load_messaging_demo()
    assert again["threads_added"] == 0 and not again["agent_created"]
    assert (Thread.objects.count(), Attachment.objects.count(), Agent.objects.count()) == counts
