"""Attachments: type from the content, extension agreeing, size and count bounded, names
cleaned; a refused file leaves nothing stored."""

import pytest

from core.refusals import Refusal
from messaging import actions
from messaging.attachments import clean_name
from messaging.models import Attachment, Message, Thread
from messaging.motifs import Motif
from messaging.tests.helpers import JPEG, PDF, bordeaux_company, holder, png, upload

pytestmark = pytest.mark.django_db


def _files_in(folder):
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def _start(files):
    company = bordeaux_company()
    return actions.start_thread(holder(company), company, Motif.OTHER, "Objet", "Texte", files)


def test_pdf_jpeg_and_png_are_stored_with_their_digest(attachments_dir):
    thread = _start(
        [upload("avis.pdf", PDF), upload("photo.JPG", JPEG), upload("écran.png", png())]
    )
    stored = Attachment.objects.filter(message__thread=thread).order_by("pk")
    assert [(a.name, a.content_type) for a in stored] == [
        ("avis.pdf", "application/pdf"),
        ("photo.JPG", "image/jpeg"),
        ("écran.png", "image/png"),
    ]
    assert stored[0].size == len(PDF) and len(stored[0].sha256) == 64
    with stored[0].file.open("rb") as stored_file:
        assert stored_file.read() == PDF
    assert "avis" not in stored[0].file.name  # stored under a random name
    assert len(_files_in(attachments_dir)) == 3


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("releve.pdf", png(), "messaging.file_type_mismatch"),  # a PNG named .pdf
        ("releve.pdf", b"juste du texte\n" * 20, "messaging.file_type"),  # text named .pdf
        ("image.png", PDF, "messaging.file_type_mismatch"),
        ("page.html", b"<html><body>x</body></html>", "messaging.file_type"),
        ("vide.pdf", b"", "messaging.file_empty"),
        ("sans-extension", PDF, "messaging.file_type_mismatch"),
    ],
)
def test_a_file_whose_content_is_not_its_type_is_refused_and_nothing_stored(
    attachments_dir, name, content, code
):
    with pytest.raises(Refusal) as refused:
        _start([upload("bon.pdf", PDF), upload(name, content)])
    assert refused.value.code == code and refused.value.field == "files"
    assert "PDF" in refused.value.message or "vide" in refused.value.message
    assert not Thread.objects.exists() and not Message.objects.exists()
    assert not Attachment.objects.exists() and _files_in(attachments_dir) == []


class _Huge:
    """An upload announcing 11 MB whose content must not be read."""

    name, size = "gros.pdf", 11 * 1024 * 1024

    def seek(self, _):
        raise AssertionError("read although its size was refused")

    read = seek


def test_an_11_mb_file_is_refused_before_it_is_read(attachments_dir):
    with pytest.raises(Refusal) as refused:
        _start([_Huge()])
    assert refused.value.code == "messaging.file_too_large"
    assert "10 Mo" in refused.value.message
    assert not Thread.objects.exists() and _files_in(attachments_dir) == []


def test_a_file_larger_than_it_said_is_refused_while_read(settings, attachments_dir):
    settings.MESSAGING_ATTACHMENT_MAX_BYTES = 10_000
    lying = upload("gros.pdf", PDF + b"0" * 20_000)
    lying.size = 100
    with pytest.raises(Refusal) as refused:
        _start([lying])
    assert refused.value.code == "messaging.file_too_large"
    assert _files_in(attachments_dir) == []


def test_six_files_are_refused(attachments_dir):
    with pytest.raises(Refusal) as refused:
        _start([upload(f"f{i}.pdf", PDF) for i in range(6)])
    assert refused.value.code == "messaging.too_many_files"
    assert refused.value.message == "Joignez au plus 5 fichiers à un message."
    assert not Thread.objects.exists() and _files_in(attachments_dir) == []


def test_a_failure_after_files_were_written_removes_them(attachments_dir, monkeypatch):
    from audit import trail

    def broken(*args, **kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(actions, "record", broken)
    with pytest.raises(RuntimeError):
        _start([upload("a.pdf", PDF)])
    assert not Attachment.objects.exists() and _files_in(attachments_dir) == []
    assert trail.record is not broken


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\moi\\Relevé été.pdf", "Relevé été.pdf"),
        ("a\x00b\x1fc\u202e.pdf", "abc.pdf"),
        ('bi<>:"|?*zarre.png', "bi_______zarre.png"),
        ("  ..caché.pdf  ", "caché.pdf"),
        ("e\u0301te\u0301.pdf", "été.pdf"),
        ("x" * 300 + ".pdf", "x" * 96 + ".pdf"),
    ],
)
def test_names_are_cleaned(raw, clean):
    assert clean_name(raw) == clean
