"""Helpers for the tests of services obtained by postal letter: read what was "sent" the way a
person would (the link in the e-mail, the code in the letter)."""

import re

from stdnum import luhn

from companies.models import Company
from correspondence.models import Kind, Message

LINK_RE = re.compile(r"/([A-Za-z0-9_-]{22})/([A-Za-z0-9]{12})/$", re.MULTILINE)
CODE_RE = re.compile(r"^([A-Za-z0-9]{12})$", re.MULTILINE)
IBAN = "FR7630006000011234567890189"
BIC = "BNPAFRPP"


def link_for(link_id: str, token: str) -> str:
    return f"https://portail.example/adresse-electronique-entreprise/{link_id}/{token}/"


def make_company(n: int = 1, name: str = "SARL MARTIN DISTRIBUTION") -> Company:
    base = f"{30000000 + n:08d}"
    return Company.objects.create(
        identifier=base + luhn.calc_check_digit(base),
        name=name,
        street_line="45 AVENUE JEAN JAURES",
        postal_code="33000",
        city="BORDEAUX",
    )


def last_link(email: str) -> tuple[str, str]:
    """(public link id, token) of the link in the latest e-mail to this address."""
    message = Message.objects.filter(kind=Kind.EMAIL, to=email).latest("sent_at", "id")
    match = LINK_RE.search(message.body)
    assert match, message.body
    return match.group(1), match.group(2)


def letter_code(req) -> str:
    """The code printed in the request's letter."""
    req.refresh_from_db()
    assert req.letter is not None, "no letter was sent"
    match = CODE_RE.search(req.letter.body)
    assert match, req.letter.body
    return match.group(1)


def wrong(code: str) -> str:
    return code[:-1] + ("A" if code[-1] != "A" else "B")
