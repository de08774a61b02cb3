"""The content of a CSV file of SIRENs, pasted (web/identifier_lists.py)."""

import pytest
from django import forms

from web.identifier_lists import MAX_LINES, parse


@pytest.mark.parametrize(
    "text",
    [
        "SIREN;Nom\n732 829 320;Cabinet\n552100554;Autre\n",
        'siren,name\r\n732829320,"Cabinet, et fils"\r\n552100554,x\r\n',
        "732829320\n\n552100554\n",
        "732829320\t\n552100554\t\n",
    ],
)
def test_the_first_column_of_each_line_in_order_a_header_skipped(text):
    parsed = parse(text)
    assert parsed.identifiers == ["732829320", "552100554"]
    assert parsed.refused == []


def test_lines_refused_say_which_and_why():
    parsed = parse("732829320\n123456789\n732829320\nP12345678\n")
    assert parsed.identifiers == ["732829320", "P12345678"]
    assert [(n, raw) for n, raw, _ in parsed.refused] == [(2, "123456789"), (3, "732829320")]
    assert "déjà plus haut" in parsed.refused[1][2]


def test_too_many_lines_are_refused_whole():
    with pytest.raises(forms.ValidationError):
        parse("732829320\n" * (MAX_LINES + 1))
