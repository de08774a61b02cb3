"""Every refusal code raised in the code base is in the catalogue, with a French message."""

import re
from pathlib import Path

import pytest

from core.refusals import CATALOGUE, Plural, Refusal

ROOT = Path(__file__).resolve().parents[2]
# `Refusal("code"` with the code as a literal, possibly on the next line.
RAISED = re.compile(r"""\bRefusal\(\s*["']([a-z_]+\.[a-z_]+)["']""")
SOURCES = [
    p
    for p in ROOT.rglob("*.py")
    if not ({".venv", "tests", "migrations", "node_modules"} & set(p.relative_to(ROOT).parts))
]


def _raised_codes() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in SOURCES:
        for code in RAISED.findall(path.read_text(encoding="utf-8")):
            found.setdefault(code, []).append(str(path.relative_to(ROOT)))
    return found


def test_the_sources_raise_refusals_found_by_the_scan():
    codes = _raised_codes()
    # The scan sees the flows converted to refusals (a broken regex would pass vacuously).
    for code in ["activation.wrong_code", "password_reset.link_invalid", "postal.link_expired"]:
        assert code in codes


def test_every_code_raised_is_in_the_catalogue():
    missing = {code: where for code, where in _raised_codes().items() if code not in CATALOGUE}
    assert not missing, f"codes raised but not in core.refusals.CATALOGUE: {missing}"


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_message_is_a_french_sentence(code):
    entry = CATALOGUE[code]
    for message in [entry.singular, entry.plural] if isinstance(entry, Plural) else [entry]:
        _assert_french_sentence(code, message)


def _assert_french_sentence(code, message):
    assert re.fullmatch(r"[a-z_]+\.[a-z_]+", code)
    assert message.strip() and message[0].isupper()
    assert "  " not in message and not message.endswith(" ")
    # French: an accented letter, a French word or French punctuation (space before ":").
    # ("inconnu": "Service inconnu." has none of the others.)
    french = r"[éèêàçùôî«]|\b(le|la|les|de|du|des|est|un|une|ce|cette|inconnu)\b| [:;?!]"
    assert re.search(french, message.lower())


def test_an_unknown_code_cannot_be_raised():
    with pytest.raises(ValueError, match="unknown refusal code"):
        Refusal("nowhere.unknown")


def test_a_refusal_formats_its_catalogue_message():
    refusal = Refusal("postal.wrong_code", field="code", left=2)
    assert refusal.message == "Le code d'activation est incorrect. Il vous reste 2 essais."
    assert (refusal.code, refusal.field) == ("postal.wrong_code", "code")


def test_plural_messages_agree_with_their_number():
    assert Refusal("postal.wrong_code", left=1).message.endswith("Il vous reste 1 essai.")
    assert Refusal("postal.wrong_code", left=0).message.endswith("Il vous reste 0 essai.")
    assert Refusal("postal.wrong_code", left=3).message.endswith("Il vous reste 3 essais.")
