"""Attachments (docs/messaging.md §4): PDF, JPEG or PNG only, the type read from the content
(libmagic) and agreeing with the name's extension; at most MESSAGING_ATTACHMENT_MAX_BYTES each
(refused from the upload's announced size before it is read, and checked again while it is
read) and MESSAGING_MAX_ATTACHMENTS a message; names cleaned. Every file of a message is
checked before anything is stored: one refused, none kept."""

import hashlib
import unicodedata
from dataclasses import dataclass

import magic
from django.conf import settings

from core.refusals import Refusal

# Content type read by libmagic → the extensions a name of that type may have.
ACCEPTED: dict[str, tuple[str, ...]] = {
    "application/pdf": ("pdf",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/png": ("png",),
}
# Enough of the head of a file for libmagic to recognise these three types.
SNIFF_BYTES = 4096
NAME_MAX_LENGTH = 100
_FORBIDDEN = set('<>:"/\\|?*')


@dataclass(frozen=True)
class CheckedFile:
    upload: object  # the uploaded file (Django's UploadedFile or any file with .name, .size)
    name: str
    content_type: str
    size: int
    sha256: str


def clean_name(raw: str) -> str:
    """The name shown for a file: no folder, no control or invisible character, none of the
    characters file systems refuse, accents kept (NFC), at most NAME_MAX_LENGTH characters
    with its extension kept."""
    name = unicodedata.normalize("NFC", str(raw or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        "_" if ch in _FORBIDDEN else ch
        for ch in name
        if not unicodedata.category(ch).startswith("C")
    )
    name = " ".join(name.split()).strip(" .")
    if len(name) > NAME_MAX_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[: NAME_MAX_LENGTH - len(extension) - 1].rstrip(" .") + "." + extension
        else:
            name = name[:NAME_MAX_LENGTH]
    return name


def extension_of(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def _max_mb() -> int:
    return settings.MESSAGING_ATTACHMENT_MAX_BYTES // (1024 * 1024)


def check_file(upload) -> CheckedFile:
    """Check one upload; its content is read by chunks (never whole in memory)."""
    name = clean_name(getattr(upload, "name", "")) or "piece-jointe"
    limit = settings.MESSAGING_ATTACHMENT_MAX_BYTES
    announced = getattr(upload, "size", None)
    if announced is not None and announced > limit:
        raise Refusal("messaging.file_too_large", field="files", name=name, max_mb=_max_mb())
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    if not head:
        raise Refusal("messaging.file_empty", field="files", name=name)
    content_type = magic.from_buffer(head, mime=True)
    if content_type not in ACCEPTED:
        raise Refusal("messaging.file_type", field="files", name=name)
    if extension_of(name) not in ACCEPTED[content_type]:
        raise Refusal("messaging.file_type_mismatch", field="files", name=name)
    digest, size = hashlib.sha256(head), len(head)
    while chunk := upload.read(64 * 1024):
        size += len(chunk)
        if size > limit:  # a size announced wrong
            raise Refusal("messaging.file_too_large", field="files", name=name, max_mb=_max_mb())
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(upload, name, content_type, size, digest.hexdigest())


def check_files(uploads) -> list[CheckedFile]:
    """Check every file of a message, in order; the first refusal stops it."""
    uploads = list(uploads or [])
    if len(uploads) > settings.MESSAGING_MAX_ATTACHMENTS:
        raise Refusal(
            "messaging.too_many_files", field="files", max=settings.MESSAGING_MAX_ATTACHMENTS
        )
    return [check_file(upload) for upload in uploads]
