"""Builders of the messaging's tests: holders of Messagerie, agents, files of each type."""

import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from backoffice.roles import AgentRole
from backoffice.tests.helpers import make_agent
from habilitations.models import Role
from tests.factories import CompanyFactory, HabilitationFactory, SubscriberFactory

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64


def png() -> bytes:
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def bordeaux_company(**kwargs):
    """A company served by the SIE of Bordeaux (SARL MARTIN DISTRIBUTION's office)."""
    return CompanyFactory(postal_code="33000", city="BORDEAUX", **kwargs)


def holder(company, role=Role.TITULAR_ADMIN, **subscriber):
    """A subscriber holding the company's Messagerie in `role`."""
    person = SubscriberFactory(**subscriber)
    code = "messagerie"
    HabilitationFactory(company=company, subscriber=person, code=code, role=role)
    return person


def agent(office="SIE-BORDEAUX", role=AgentRole.GESTION):
    found = make_agent(role)
    found.office = office
    found.save(update_fields=["office"])
    return found
