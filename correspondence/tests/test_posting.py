"""Letters are handed to the print-and-post step (`manage.py post_letters`); outside
development the PDF kept afterwards no longer carries the code (docs/correspondence.md §3.4)."""

from io import BytesIO, StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from correspondence.letters import send_letter
from correspondence.models import Message, letters_storage
from tests.helpers import CURRENT_TIME, LETTER_CONTEXT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("letters_dir")]

CODE = LETTER_CONTEXT["code"]


@pytest.fixture
def printer(settings, tmp_path) -> Path:
    """The print-and-post step's drop folder."""
    settings.LETTERS_OUTBOX_DIR = str(tmp_path / "printer")
    return tmp_path / "printer"


def _text(pdf: Path | bytes) -> str:
    """The text of a PDF: a file of the printer's folder, or a letter's PDF (its bytes)."""
    source = BytesIO(pdf) if isinstance(pdf, bytes) else pdf
    return "\n".join(page.extract_text() for page in PdfReader(source).pages)


def _post() -> str:
    out = StringIO()
    call_command("post_letters", stdout=out)
    return out.getvalue()


def test_outside_development_the_posted_letter_keeps_no_code(elegance, printer, settings):
    settings.OUTBOX_ENABLED = False
    with time_machine.travel(CURRENT_TIME, tick=False):
        message = send_letter("adhesion_code", elegance, LETTER_CONTEXT)
        assert CODE in _text(message.pdf_bytes())
        assert "1 courrier(s) remis" in _post()
    # The printer got the letter with its code…
    (handed,) = printer.iterdir()
    assert handed.name == Path(message.pdf).name
    assert CODE in _text(handed)
    # … and what stays here is the same letter with the code masked (the original is gone).
    original = message.pdf
    message.refresh_from_db()
    kept = _text(message.pdf_bytes())
    assert CODE not in kept and "[masqué]" in kept
    assert "SARL ÉLÉGANCE & FILS" in kept and "45 AVENUE JEAN JAURÈS" in kept
    assert not letters_storage().exists(original)
    assert message.delivered_at == CURRENT_TIME
    # Posted once only.
    assert "0 courrier(s) remis" in _post()
    assert len(list(printer.iterdir())) == 1


def test_in_development_the_outbox_still_shows_the_code_after_posting(elegance, printer, client):
    message = send_letter("adhesion_code", elegance, LETTER_CONTEXT)
    _post()
    assert CODE in _text(message.pdf_bytes())
    response = client.get(f"/outbox/courrier/{message.pk}.pdf")
    content = b"".join(response.streaming_content)
    response.close()
    assert CODE in _text(BytesIO(content))


def test_a_missing_pdf_does_not_stop_the_other_letters(elegance, printer, settings):
    settings.OUTBOX_ENABLED = False
    lost = send_letter("adhesion_code", elegance, LETTER_CONTEXT)
    letters_storage().delete(lost.pdf)
    other = send_letter("substitution_code", elegance, LETTER_CONTEXT)
    err = StringIO()
    call_command("post_letters", stdout=StringIO(), stderr=err)
    assert str(lost.pk) in err.getvalue()
    assert [p.name for p in printer.iterdir()] == [Path(other.pdf).name]
    assert list(Message.objects.filter(delivered_at=None)) == [lost]


def test_without_a_drop_folder_nothing_is_posted(elegance, settings):
    settings.LETTERS_OUTBOX_DIR = ""
    settings.OUTBOX_ENABLED = False
    message = send_letter("adhesion_code", elegance, LETTER_CONTEXT)
    with pytest.raises(CommandError, match="LETTERS_OUTBOX_DIR"):
        call_command("post_letters")
    assert CODE in _text(message.pdf_bytes())
    message.refresh_from_db()
    assert message.delivered_at is None


def test_a_run_interrupted_after_the_copy_never_hands_over_a_masked_letter(
    elegance, printer, settings, monkeypatch
):
    """The process dies after copying and masking, before the letter is marked posted; the
    next run copies it again: the printer's copy still carries the code."""
    from correspondence import letters

    settings.OUTBOX_ENABLED = False
    message = send_letter("adhesion_code", elegance, LETTER_CONTEXT)

    class Died(Exception):
        pass

    def dies():
        raise Died

    printer.mkdir(parents=True, exist_ok=True)
    with monkeypatch.context() as patched:
        # The process "dies" at a chosen instant: a crash made deterministic.
        patched.setattr(letters.clock, "now", dies)
        with pytest.raises(Died):
            letters.post_letter(message, printer)
    assert CODE in _text(next(printer.iterdir()))  # the copy was made before dying
    assert "1 courrier(s) remis" in _post()
    (handed,) = printer.iterdir()
    assert CODE in _text(handed)
    # What stays is the masked copy alone: the one left by the run that died was replaced.
    message.refresh_from_db()
    assert letters_storage().listdir("")[1] == [message.pdf]
    assert CODE not in _text(message.pdf_bytes())
