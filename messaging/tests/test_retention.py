"""Retention: old threads go with their messages, notes, marks and files, by `purge_expired`."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from core import clock
from messaging import actions, agent_actions
from messaging.models import Attachment, InternalNote, Message, ReadMark, Thread
from messaging.motifs import Motif
from messaging.tests.helpers import PDF, agent, bordeaux_company, holder, upload

pytestmark = pytest.mark.django_db


def _files(folder):
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


def test_purge_expired_erases_old_threads_and_their_files(
    settings, attachments_dir, django_capture_on_commit_callbacks
):
    settings.MESSAGING_RETENTION_DAYS = 365
    company = bordeaux_company()
    person = holder(company)
    start = clock.now()
    closed_old = actions.start_thread(
        person, company, Motif.OTHER, "Ancien", "Texte", [upload("a.pdf", PDF)]
    )
    agent_actions.add_note(agent(), closed_old, "Note")
    agent_actions.close_by_agent(agent(), closed_old)
    idle_old = actions.start_thread(person, company, Motif.OTHER, "Sans suite", "Texte")
    with time_machine.travel(start + timedelta(days=200), tick=False):
        recent = actions.start_thread(
            person, company, Motif.OTHER, "Récent", "Texte", [upload("b.pdf", PDF)]
        )
    kept_file = Attachment.objects.get(message__thread=recent).file.name.rsplit("/", 1)[-1]
    with time_machine.travel(start + timedelta(days=366), tick=False):
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("purge_expired", stdout=out)
        assert "2 conversation(s) de la messagerie supprimée(s)" in out.getvalue()
        assert list(Thread.objects.all()) == [recent]
        assert not Message.objects.filter(thread_id__in=[closed_old.pk, idle_old.pk]).exists()
        assert not InternalNote.objects.exists()
        assert ReadMark.objects.filter(thread=recent).exists()
        assert _files(attachments_dir) == [kept_file]
        with django_capture_on_commit_callbacks(execute=True):
            call_command("purge_expired", stdout=StringIO())
        assert list(Thread.objects.all()) == [recent]
