"""The day's limits of the company's side (config/rules.py): a refused message saves nothing."""

import pytest

from core.refusals import Refusal
from messaging import actions
from messaging.models import Message
from messaging.motifs import Motif
from messaging.tests.helpers import PDF, bordeaux_company, holder, upload

pytestmark = pytest.mark.django_db


def _write(person, company, files=()):
    return actions.start_thread(person, company, Motif.OTHER, "Objet", "Texte", files)


def test_messages_per_person_per_day(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "messaging.person": "2/1d"}
    company = bordeaux_company()
    person, colleague = holder(company), holder(company, "AC")
    _write(person, company)
    thread = _write(person, company)
    with pytest.raises(Refusal) as refused:
        actions.reply(person, thread, "Troisième")
    assert refused.value.code == "messaging.limit_person"
    assert Message.objects.count() == 2
    _write(colleague, company)  # another person of the same company still may
    assert Message.objects.count() == 3


def test_messages_per_company_per_day(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "messaging.company": "2/1d"}
    company = bordeaux_company()
    _write(holder(company), company)
    _write(holder(company, "AC"), company)
    with pytest.raises(Refusal) as refused:
        _write(holder(company, "AD"), company)
    assert refused.value.code == "messaging.limit_company"
    assert Message.objects.count() == 2
    other = bordeaux_company()
    _write(holder(other), other)


def test_attachment_bytes_per_company_per_day(settings, attachments_dir):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "messaging.bytes": f"{len(PDF) * 2}/1d"}
    company = bordeaux_company()
    person = holder(company)
    _write(person, company, [upload("a.pdf", PDF), upload("b.pdf", PDF)])
    with pytest.raises(Refusal) as refused:
        _write(person, company, [upload("c.pdf", PDF)])
    assert refused.value.code == "messaging.limit_bytes"
    assert Message.objects.count() == 1
    assert len([p for p in attachments_dir.rglob("*") if p.is_file()]) == 2
