import json
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import override_settings

from correspondence.mail import send_email
from correspondence.models import Kind, Message, letters_storage
from tests.helpers import ACTIVATION_EXPIRES_AT, CURRENT_TIME, send_two_emails

pytestmark = pytest.mark.django_db


def test_an_email_is_recorded_and_delivered(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = send_email(
            "space_activation_code",
            "lila@example.fr",
            {"code": "VspJiHEQjPAq", "hours": 48, "expires_at": ACTIVATION_EXPIRES_AT},
        )
    assert message.kind == Kind.EMAIL
    assert "VspJiHEQjPAq" in message.body
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lila@example.fr"]
    assert mail.outbox[0].subject == message.subject
    message.refresh_from_db()
    assert message.delivered_at is not None


def test_nothing_is_delivered_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send_email(
            "space_activation_code",
            "x@example.fr",
            {"code": "C" * 12, "hours": 48, "expires_at": ACTIVATION_EXPIRES_AT},
        )
        raise RuntimeError
    assert mail.outbox == []
    assert not Message.objects.exists()


def test_the_command_prints_json_newest_first():
    send_two_emails()
    out = StringIO()
    call_command("outbox", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert [m["to"] for m in data] == ["second@example.fr", "first@example.fr"]
    first = data[1]
    assert first["kind"] == "email"
    assert "AAAAAAAAAAAA" in first["body"]
    assert first["sent_at"] == CURRENT_TIME.isoformat()
    assert first["subject"]


def test_letters_carry_siren_address_and_pdf(letters_dir):
    pdf = letters_storage().save("letter.pdf", ContentFile(b"%PDF-1.4"))
    Message.objects.create(
        kind=Kind.LETTER,
        purpose="adhesion_code",
        to="SARL MARIANNE",
        subject="Code",
        body="...",
        sent_at=CURRENT_TIME,
        siren="552100554",
        address="3 PLACE DE LA REPUBLIQUE\n69002 LYON",
        pdf=pdf,
    )
    out = StringIO()
    call_command("outbox", "--json", stdout=out)
    (letter,) = json.loads(out.getvalue())
    assert letter["kind"] == "letter"
    assert letter["siren"] == "552100554"
    assert letter["address"].endswith("69002 LYON")
    assert letter["pdf"] == "letter.pdf"
    assert letter["pdf_path"] == str(letters_dir / "letter.pdf")


@override_settings(OUTBOX_ENABLED=False)
def test_one_time_codes_are_not_kept_in_clear_once_sent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = send_email(
            "space_activation_code",
            "lila@example.fr",
            {"code": "VspJiHEQjPAq", "hours": 48, "expires_at": ACTIVATION_EXPIRES_AT},
        )
    # Delivered with the code…
    assert "VspJiHEQjPAq" in mail.outbox[0].body
    # … recorded without it, and the sealed copy is gone once delivered.
    message.refresh_from_db()
    assert "VspJiHEQjPAq" not in message.body
    assert "[masqué]" in message.body
    assert message.sealed_body == ""


@override_settings(OUTBOX_ENABLED=False)
def test_an_undelivered_email_is_delivered_later_by_the_command():
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        # Outside a captured commit, delivery never ran: as after an SMTP failure.
        message = send_email(
            "space_activation_code",
            "x@example.fr",
            {"code": "Q" * 12, "hours": 48, "expires_at": ACTIVATION_EXPIRES_AT},
        )
        assert message.sealed_body and "Q" * 12 not in message.body
        traveller.shift(timedelta(minutes=2))
        out = StringIO()
        call_command("deliver_emails", stdout=out)
    assert "1 courriel(s) remis" in out.getvalue()
    assert "Q" * 12 in mail.outbox[0].body
    message.refresh_from_db()
    assert message.delivered_at is not None and message.sealed_body == ""


def test_subjects_and_bodies_are_plain_text(tmp_path):
    from django.test import override_settings as override

    template_dir = tmp_path / "correspondence" / "email"
    template_dir.mkdir(parents=True)
    (template_dir / "probe_subject.txt").write_text("Pour {{ name }}")
    (template_dir / "probe_body.txt").write_text("Bonjour {{ name }}")
    from django.conf import settings

    templates = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]} for engine in settings.TEMPLATES]
    with override(TEMPLATES=templates):
        message = send_email("probe", "x@example.fr", {"name": "L'ATELIER D&CO"})
    assert message.subject == "Pour L'ATELIER D&CO"
    assert message.body.strip() == "Bonjour L'ATELIER D&CO"


def test_letters_are_plain_text(db, tmp_path, settings):
    from companies.models import Company
    from correspondence.letters import render_letter

    company = Company(identifier="987654324", name="L'ATELIER D&CO")
    context = {
        "company": company,
        "code": "ABCDEFGHJKMN",
        # The rest of what the adhesion flow passes its letter.
        "requester_name": "Mme Lila ROSEMONDE",
        "requester_number": "20101670101919",
        "services": ["Messagerie"],
        "payer_labels": [],
        "days": 60,
        "expires_at": CURRENT_TIME,
    }
    subject, body = render_letter("adhesion_code", context)
    assert "&#x27;" not in subject + body and "&amp;" not in subject + body
