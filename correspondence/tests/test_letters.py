"""Postal letters (docs/correspondence.md §1): a PDF addressed to the company's fiscal address,
recorded in the outbox with its SIREN, address and path."""

import json
from io import BytesIO, StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.template import TemplateDoesNotExist
from pypdf import PdfReader

from correspondence.letters import send_letter
from correspondence.models import Kind, Message
from tests.helpers import CURRENT_TIME, LETTER_CONTEXT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("letters_dir")]


def test_a_letter_is_a_pdf_to_the_fiscal_address_recorded_in_the_outbox(elegance, tmp_path):
    with time_machine.travel(CURRENT_TIME, tick=False):
        message = send_letter("adhesion_code", elegance, LETTER_CONTEXT)
    assert message.kind == Kind.LETTER and message.purpose == "adhesion_code"
    assert message.to == "SARL ÉLÉGANCE & FILS"
    assert message.siren == "111111118"
    assert message.address == "45 AVENUE JEAN JAURÈS\n33000 BORDEAUX"
    assert message.sent_at == CURRENT_TIME
    assert "&amp;" not in message.body and "SARL ÉLÉGANCE & FILS" in message.body
    # Recorded by its name in the letters' storage (a folder by default), not by a path.
    assert message.pdf.endswith(".pdf") and "/" not in message.pdf
    pdf = message.pdf_bytes()
    assert pdf.startswith(b"%PDF") and (tmp_path / "letters" / message.pdf).read_bytes() == pdf
    text = PdfReader(BytesIO(pdf)).pages[0].extract_text()
    for expected in [
        "DIRECTION GÉNÉRALE DES FINANCES PUBLIQUES",
        "SARL ÉLÉGANCE & FILS",
        "45 AVENUE JEAN JAURÈS",
        "Le 02/03/2026",
        "Objet : Demande d'adhésion aux services en ligne",
        "VspJiHEQjPAq",
        "Payer TVA",
    ]:
        assert expected in text, expected


def test_the_command_prints_letters_with_siren_address_and_pdf(elegance, letters_dir):
    message = send_letter("substitution_code", elegance, LETTER_CONTEXT)
    out = StringIO()
    call_command("outbox", "--json", stdout=out)
    (letter,) = json.loads(out.getvalue())
    assert letter["kind"] == "letter"
    assert (letter["siren"], letter["pdf"]) == ("111111118", message.pdf)
    # With letters kept in a folder, where to open the PDF on this machine.
    assert letter["pdf_path"] == str(letters_dir / message.pdf)
    assert letter["address"].endswith("33000 BORDEAUX")


def test_outside_development_the_code_is_only_in_the_pdf(elegance, settings):
    settings.OUTBOX_ENABLED = False
    message = send_letter("adhesion_code", elegance, LETTER_CONTEXT)
    assert "VspJiHEQjPAq" not in message.body and "[masqué]" in message.body
    assert "VspJiHEQjPAq" in PdfReader(BytesIO(message.pdf_bytes())).pages[0].extract_text()


def test_an_unknown_letter_template_fails_loudly(elegance):
    with pytest.raises(TemplateDoesNotExist):
        send_letter("nothing_like_this", elegance, LETTER_CONTEXT)
    assert not Message.objects.exists()
