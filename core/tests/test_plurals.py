"""Every plural message of the project follows the French rule (0 and 1 singular), which
needs it in the project's catalogue (`locale/fr/LC_MESSAGES/django.po`, compiled to .mo)."""

import ast
from pathlib import Path

import pytest
from django.utils.translation import ngettext, override

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ["accounts", "companies", "core", "correspondence", "habilitations", "web"]


def _pairs():
    for source in SOURCES:
        for path in (ROOT / source).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                args = node.args[:2]
                if name in ("ngettext", "Plural") and all(
                    isinstance(a, ast.Constant) for a in args
                ):
                    yield path.relative_to(ROOT), args[0].value, args[1].value


PAIRS = list(_pairs())


def test_the_scan_finds_the_plural_messages():
    assert len(PAIRS) >= 6


@pytest.mark.parametrize(("where", "singular", "plural"), PAIRS)
def test_french_plural_rule(where, singular, plural):
    with override("fr"):
        assert ngettext(singular, plural, 0) == singular, where
        assert ngettext(singular, plural, 1) == singular, where
        assert ngettext(singular, plural, 2) == plural, where


def _catalogue_pairs():
    import re

    po = (ROOT / "locale/fr/LC_MESSAGES/django.po").read_text()
    return re.findall(r'^msgid "(.+)"\nmsgid_plural "(.+)"$', po, re.MULTILINE)


def test_the_compiled_catalogue_holds_every_plural_of_the_po_file():
    pairs = _catalogue_pairs()
    assert len(pairs) >= len(PAIRS)
    with override("fr"):
        for singular, plural in pairs:
            singular, plural = (s.replace('\\"', '"') for s in (singular, plural))
            assert ngettext(singular, plural, 0) == singular
            assert ngettext(singular, plural, 2) == plural


@pytest.mark.django_db
def test_pages_count_in_french(client):
    from tests.factories import SubscriberFactory

    client.force_login(SubscriberFactory())
    page = client.get("/espace/dossiers/").content.decode()
    assert "Vous avez 0 dossier." in page
