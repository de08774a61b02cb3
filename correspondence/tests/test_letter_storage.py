"""Letters' PDFs are written and read only through the storage STORAGES["letters"]
(docs/correspondence.md §3.5): the worker that writes a letter and the web process that shows
it share the storage, not a disk; a folder by default, an S3-compatible bucket as a setting."""

import importlib
import json
import os
import subprocess
import sys
from io import BytesIO, StringIO

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from pypdf import PdfReader
from storages.backends.s3 import S3Storage

from config.settings import letters_storage as letters_storage_setting
from correspondence.letters import send_letter
from correspondence.models import LetterPdfUnavailable, Message, letters_storage
from tests.helpers import LETTER_CONTEXT

pytestmark = pytest.mark.django_db

CODE = LETTER_CONTEXT["code"]


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def _served(client, message) -> bytes:
    response = client.get(f"/outbox/courrier/{message.pk}.pdf")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    response.close()
    return content


def test_a_letter_written_by_one_process_is_read_by_another(
    elegance, letters_dir, settings, client
):
    """Two processes (the worker, a web server) each build their own storage object from the
    same setting: what one wrote, the other reads, knowing only the letter's row."""
    worker_storage = letters_storage()
    message = send_letter("adhesion_code", elegance, LETTER_CONTEXT)
    with worker_storage.open(message.pdf) as pdf:
        written = pdf.read()
    # The web process: its own storage object, configured the same way.
    settings.STORAGES = {**settings.STORAGES}
    web_storage = letters_storage()
    assert isinstance(web_storage, FileSystemStorage) and web_storage is not worker_storage
    seen = Message.objects.get(pk=message.pk)
    assert seen.pdf_bytes() == written and CODE in _text(written)
    assert _served(client, seen) == written
    # A storage object made by hand on the same folder reads it too.
    with FileSystemStorage(location=letters_dir).open(seen.pdf) as pdf:
        assert pdf.read() == written


@pytest.fixture
def in_memory_letters(settings, tmp_path):
    """Letters kept in memory, LETTERS_DIR pointing at a folder that must stay absent."""
    settings.LETTERS_DIR = tmp_path / "letters"
    settings.STORAGES = {
        **settings.STORAGES,
        "letters": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    settings.LETTERS_OUTBOX_DIR = str(tmp_path / "printer")
    return tmp_path


def test_with_letters_kept_elsewhere_nothing_is_written_under_letters_dir(
    elegance, in_memory_letters, settings, client
):
    settings.OUTBOX_ENABLED = False
    message = send_letter("adhesion_code", elegance, LETTER_CONTEXT)
    original = message.pdf
    assert CODE in _text(message.pdf_bytes())
    call_command("post_letters", stdout=StringIO())
    # The printer's drop folder (a local folder) got the letter with its code…
    (handed,) = (in_memory_letters / "printer").iterdir()
    assert CODE in _text(handed.read_bytes())
    # … and the storage keeps the masked copy alone.
    message.refresh_from_db()
    kept = _text(message.pdf_bytes())
    assert CODE not in kept and "[masqué]" in kept
    assert not letters_storage().exists(original)
    assert letters_storage().listdir("")[1] == [message.pdf]
    settings.OUTBOX_ENABLED = True
    assert _served(client, message) == message.pdf_bytes()
    # Nothing went to the local folder of letters.
    assert not settings.LETTERS_DIR.exists()
    assert sorted(p.name for p in in_memory_letters.iterdir()) == ["printer"]


def _migration():
    return importlib.import_module("correspondence.migrations.0004_letter_pdf_names")


def _letter(pdf: str) -> Message:
    return Message.objects.create(
        kind="letter",
        purpose="adhesion_code",
        to="SARL ÉLÉGANCE & FILS",
        subject="Code",
        body="…",
        sent_at="2026-03-02T09:30:00Z",
        siren="111111118",
        address="45 AVENUE JEAN JAURÈS\n33000 BORDEAUX",
        pdf=pdf,
    )


def test_paths_recorded_before_become_names_those_outside_letters_dir_fail_clearly(
    letters_dir, tmp_path, settings, client
):
    letters_dir.mkdir(parents=True)
    (letters_dir / "old.pdf").write_bytes(b"%PDF-1.4 old")
    elsewhere = tmp_path / "elsewhere.pdf"
    elsewhere.write_bytes(b"%PDF-1.4 elsewhere")
    under, outside = _letter(str(letters_dir / "old.pdf")), _letter(str(elsewhere))
    named = _letter("new.pdf")

    _migration().paths_to_names(apps, None)

    under.refresh_from_db(), outside.refresh_from_db(), named.refresh_from_db()
    assert (under.pdf, outside.pdf, named.pdf) == ("old.pdf", str(elsewhere), "new.pdf")
    assert under.pdf_bytes() == b"%PDF-1.4 old"
    # A path outside the storage is never read: the error says what to do.
    with pytest.raises(LetterPdfUnavailable, match="outside LETTERS_DIR"):
        outside.pdf_bytes()
    assert client.get(f"/outbox/courrier/{outside.pk}.pdf").status_code == 404
    settings.LETTERS_OUTBOX_DIR = str(tmp_path / "printer")
    named.delete()
    err = StringIO()
    call_command("post_letters", stdout=StringIO(), stderr=err)
    assert f"{outside.pk} à" in err.getvalue() and "outside LETTERS_DIR" in err.getvalue()
    assert [p.name for p in (tmp_path / "printer").iterdir()] == ["old.pdf"]

    # And back (the migration reversed).
    _migration().names_to_paths(apps, None)
    under.refresh_from_db()
    assert under.pdf == str(letters_dir / "old.pdf")


def test_the_outbox_command_copies_a_letters_pdf_out_of_the_storage(
    elegance, in_memory_letters, tmp_path
):
    message = send_letter("adhesion_code", elegance, LETTER_CONTEXT)
    target = tmp_path / "copie.pdf"
    call_command("outbox", "--pdf", str(message.pk), str(target), stdout=StringIO())
    assert target.read_bytes() == message.pdf_bytes()
    out = StringIO()
    call_command("outbox", "--json", stdout=out)
    (letter,) = json.loads(out.getvalue())
    assert letter["pdf"] == message.pdf and letter["pdf_path"] is None  # not on this disk


S3_ENVIRONMENT = {
    "LETTERS_S3_BUCKET": "lettres",
    "LETTERS_S3_ENDPOINT_URL": "https://s3.fr-par.example.fr",
    "LETTERS_S3_REGION": "fr-par",
}


@pytest.fixture
def s3_environment(monkeypatch):
    for name in [*os.environ]:
        if name.startswith(("LETTERS_S3_", "AWS_")):
            monkeypatch.delenv(name)
    for name, value in S3_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


def test_letters_storage_s3_is_a_private_encrypted_bucket(s3_environment, tmp_path):
    s3_environment.setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENV")
    s3_environment.setenv("AWS_SECRET_ACCESS_KEY", "secret-from-env")
    entry = letters_storage_setting("s3", tmp_path)
    assert entry["BACKEND"] == "storages.backends.s3.S3Storage"
    storage = S3Storage(**entry["OPTIONS"])  # no request is made until a file is read
    assert (storage.bucket_name, storage.endpoint_url, storage.region_name) == (
        "lettres",
        "https://s3.fr-par.example.fr",
        "fr-par",
    )
    # The standard AWS variables give the keys when no explicit ones are set.
    assert (storage.access_key, storage.secret_key) == ("AKIDFROMENV", "secret-from-env")
    # Every letter is written private and encrypted at rest…
    assert storage.get_object_parameters("x.pdf") == {"ServerSideEncryption": "AES256"}
    assert storage.default_acl == "private" and storage.file_overwrite is False
    # … and a URL, if one is ever asked for, is signed and short-lived (built locally).
    url = storage.url("20260302-lettre.pdf")
    assert url.startswith("https://s3.fr-par.example.fr/lettres/20260302-lettre.pdf?")
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=300" in url


def test_explicit_keys_and_encryption_choices(s3_environment, tmp_path):
    s3_environment.setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENV")
    s3_environment.setenv("LETTERS_S3_ACCESS_KEY_ID", "AKIDLETTERS")
    s3_environment.setenv("LETTERS_S3_SECRET_ACCESS_KEY", "secret-letters")
    s3_environment.setenv("LETTERS_S3_SSE", "aws:kms")
    s3_environment.setenv("LETTERS_S3_KMS_KEY_ID", "key-1")
    storage = S3Storage(**letters_storage_setting("s3", tmp_path)["OPTIONS"])
    assert (storage.access_key, storage.secret_key) == ("AKIDLETTERS", "secret-letters")
    assert storage.get_object_parameters("x.pdf") == {
        "ServerSideEncryption": "aws:kms",
        "SSEKMSKeyId": "key-1",
    }


def test_a_bucket_is_required_and_an_unknown_kind_refused(s3_environment, tmp_path):
    s3_environment.delenv("LETTERS_S3_BUCKET")
    with pytest.raises(ImproperlyConfigured, match="LETTERS_S3_BUCKET"):
        letters_storage_setting("s3", tmp_path)
    with pytest.raises(ImproperlyConfigured, match="LETTERS_STORAGE must be local or s3"):
        letters_storage_setting("ftp", tmp_path)


def _production_letters_storage(**env) -> dict:
    probe = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.STORAGES['letters'], default=str))"
    )
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "OUTBOX_ENABLED", "LETTERS_STORAGE"}
        and not k.startswith(("LETTERS_S3_", "AWS_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY="x" * 50,
        SITE_URL="https://espace-pro.example.fr",
        VAR_DIR="/srv/espace-pro",
        **env,
    )
    output = subprocess.run(
        [sys.executable, "-c", probe], env=environment, capture_output=True, text=True
    )
    assert output.returncode == 0, output.stderr
    return json.loads(output.stdout)


def test_production_keeps_letters_under_var_dir_unless_told_s3():
    assert _production_letters_storage() == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": "/srv/espace-pro/letters"},
    }
    s3 = _production_letters_storage(LETTERS_STORAGE="s3", **S3_ENVIRONMENT)
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3["OPTIONS"]["bucket_name"] == "lettres"
