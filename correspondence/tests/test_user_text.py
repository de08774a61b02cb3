"""Letters and e-mails print what people typed on one line, quoted as a name, without any
control or bidi character (docs/correspondence.md §5)."""

import re
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from accounts.models import Subscriber
from companies.models import Company
from correspondence.letters import render_letter
from correspondence.mail import render_pair
from correspondence.safety import one_line, one_line_context, quoted_name, strip_invisible
from habilitations.models import RequestKind
from tests.factories import HabilitationFactory, PostalRequestFactory, SubscriberFactory
from tests.helpers import LETTER_CONTEXT, last_email_to

# A name stored before the rule of docs/accounts.md §14 (or behind its back).
HOSTILE_FIRST = "Service des impôts\nAppelez le 01 23 45 67 89\r\nhttps://evil.example/\u2028"
HOSTILE_LAST = "Rosemonde\u202e\u2066edoc el zettemer\u200b\x0b"
TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "correspondence"
INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2028\u2029\r\x0b\x0c]")


@pytest.fixture
def hostile(db):
    subscriber = SubscriberFactory(email="hostile@example.fr")
    Subscriber.objects.filter(pk=subscriber.pk).update(
        first_name=HOSTILE_FIRST, last_name=HOSTILE_LAST
    )
    subscriber.refresh_from_db()
    return subscriber


def _the_line_with(text: str, body: str) -> str:
    [line] = [line for line in body.splitlines() if text in line]
    return line


def test_a_letter_prints_a_hostile_stored_name_on_one_line_quoted(hostile, letters_dir):
    req = PostalRequestFactory(requester=hostile)
    body = req.letter.body
    assert not INVISIBLE.search(body)
    line = _the_line_with("Service des impôts", body)
    assert line.startswith(
        "« Mme Service des impôts Appelez le 01 23 45 67 89 https://evil.example/ "
        "ROSEMONDEEDOC EL ZETTEMER » (numéro d'abonné "
    )
    assert not any(line.startswith(("Appelez", "https")) for line in body.splitlines())
    text = PdfReader(BytesIO(req.letter.pdf_bytes())).pages[0].extract_text()
    assert "\u202e" not in text and "\u2066" not in text


def test_the_simplified_letter_quotes_the_name_too(letters_dir):
    context = {**LETTER_CONTEXT, "requester_name": "Mme Lila\nROSEMONDE"}
    company = Company(identifier="987654324", name="SARLALERIS")
    _, body = render_letter("simplified_code", {**context, "company": company})
    assert "« Mme Lila ROSEMONDE » a demandé la création d'un espace professionnel" in body


def test_an_email_prints_a_hostile_stored_name_on_one_line_quoted(hostile, letters_dir, alice):
    HabilitationFactory(subscriber=alice, titular_admin=True, code="declarer_tva")
    company = alice.habilitations.get().company
    PostalRequestFactory(requester=hostile, company=company, kind=RequestKind.SUBSTITUTION)
    notice = last_email_to(alice.email, "substitution_requested")
    assert not INVISIBLE.search(notice.body + notice.subject)
    line = _the_line_with("Service des impôts", notice.body)
    assert line.startswith("« Mme Service des impôts Appelez le 01 23 45 67 89 ")
    assert "ROSEMONDEEDOC EL ZETTEMER » a demandé le " in line


def test_every_context_string_is_made_one_line_even_inside_objects_and_lists():
    class Person:
        def __init__(self):
            self.name = "Lila\nRose"

        def shout(self):
            return "A\u202eB"

        def __str__(self):
            return "Person\r\n1"

    context = one_line_context(
        {
            "name": "Lila\u2029Rose",
            "people": [Person()],
            "by_key": {"x": "a\tb"},
            "count": 3,
            "flag": True,
        }
    )
    assert context["name"] == "Lila Rose"
    assert context["people"][0].name == "Lila Rose"
    assert context["people"][0].shout() == "AB"
    assert str(context["people"][0]) == "Person 1"
    assert context["by_key"] == {"x": "a b"}
    assert (context["count"], context["flag"]) == (3, True)


def test_the_template_engine_sees_the_one_line_values():
    person = SubscriberFactory.build(first_name="A\nB")
    _, body = render_pair(
        "delegations_withdrawn", {"delegate": person, "by": person, "habilitations": []}
    )
    assert "Bonjour A B ROSEMONDE," in body
    assert "« Mme A B ROSEMONDE » (abonné" in body


def test_the_helpers():
    assert one_line("  a\n\n b\u202ec\u0085d ") == "a bc d"
    assert quoted_name("Lila\nROSE") == "« Lila ROSE »"
    assert strip_invisible("a\u202eb\r\nc\x00d\te") == "ab\ncde"


def test_the_templates_print_names_through_as_name_and_hold_no_invisible_character():
    names = re.compile(r"\{\{\s*([\w.]*(requester_name|display_name))\s*(\|[^}]*)?\}\}")
    for path in TEMPLATES.rglob("*.txt"):
        text = path.read_text(encoding="utf-8")
        assert not INVISIBLE.search(text.replace("\n", "")), path
        for match in names.finditer(text):
            assert (match.group(3) or "").startswith("|as_name"), (path.name, match.group(0))
