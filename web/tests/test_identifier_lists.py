"""A list of companies, a CSV file or its content pasted (web/identifier_lists.py)."""

import time

import pytest
from django import forms

from web.identifier_lists import decode, parse, separator

# The shape that made `csv.Sniffer` backtrack: 27 s for 39 kB of `;"`, 19 s for `,"a`
# (measured on the project's machine before the fix; issue 21).
CRAFTED = [(';"' * 19_500), (',"a' * 13_000)]


@pytest.mark.parametrize(
    "text",
    [
        "SIREN;Nom\n732 829 320;Cabinet\n552100554;Autre\n",
        'siren,name\r\n732829320,"Cabinet, et fils"\r\n552100554,x\r\n',
        "732829320\n\n552100554\n",
        "732829320\t\n552100554\t\n",
        '"Numéro SIREN, ou IDSP";Nom\n732829320;Dupont, Durand\n552100554;x\n',
    ],
)
def test_the_first_column_of_each_line_in_order_a_header_skipped(text):
    parsed = parse(text)
    assert parsed.identifiers == ["732829320", "552100554"]
    assert parsed.refused == []


@pytest.mark.parametrize(
    ("first_line", "expected"),
    [
        ("SIREN;Nom, prénom", ";"),
        ("732829320,Dupont;Durand", ","),
        ("732829320\tDupont;Durand", "\t"),
        ('"SIREN, ou IDSP";Nom', ";"),
        ("732829320", ";"),
    ],
)
def test_the_separator_is_the_first_of_the_first_line_outside_quotes(first_line, expected):
    assert separator(first_line) == expected


def test_lines_refused_say_which_and_why():
    parsed = parse("732829320\n123456789\n732829320\nP12345678\n")
    assert parsed.identifiers == ["732829320", "P12345678"]
    assert [(n, raw) for n, raw, _ in parsed.refused] == [(2, "123456789"), (3, "732829320")]
    assert "déjà plus haut" in parsed.refused[1][2]


def test_too_many_lines_are_refused_whole_before_they_are_read(settings):
    settings.IDENTIFIER_LIST_MAX_LINES = 3
    assert len(parse("732829320\n\n552100554\n\n\n").identifiers) == 2
    with pytest.raises(forms.ValidationError) as refused:
        parse("x\n" * 4)
    assert "La liste compte 4 lignes : au plus 100 Ko et 3 lignes à la fois." in str(refused.value)


def test_a_text_past_the_size_limit_is_refused_whole(settings):
    settings.IDENTIFIER_LIST_MAX_BYTES = 1024
    assert parse("732829320\n" * 102).identifiers == ["732829320"]
    with pytest.raises(forms.ValidationError) as refused:
        parse("732829320\n" * 103)
    assert "trop longue : au plus 1 Ko" in str(refused.value)


@pytest.mark.parametrize("text", CRAFTED)
def test_the_line_that_stalled_the_sniffer_is_read_at_once(text):
    started = time.perf_counter()
    parsed = parse(text)
    assert time.perf_counter() - started < 0.2
    assert parsed.identifiers == []


def test_an_unclosed_quote_takes_the_rest_of_the_text_in_one_pass():
    started = time.perf_counter()
    parsed = parse('732829320\n"552100554\n' + "x;" * 40_000)
    assert time.perf_counter() - started < 0.2
    assert parsed.identifiers == ["732829320"]
    assert parsed.refused[0][0] == 2


@pytest.mark.parametrize(
    ("content", "text"),
    [
        ("Numéro;Nom\n732829320;Société générale\n".encode(), "Numéro;Nom"),
        ("\ufeffSIREN;Nom\n".encode(), "SIREN;Nom"),
        ("Numéro;Dénomination €\n".encode("cp1252"), "Numéro;Dénomination €"),
        (b"Num\xe9ro\x81\n", "Num\xe9ro\x81"),  # 0x81 means nothing in cp1252: Latin-1
    ],
)
def test_a_file_is_read_as_utf8_else_windows_else_latin1(content, text):
    assert decode(content).splitlines()[0] == text


@pytest.mark.parametrize(
    ("content", "told"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00", "Ce fichier est un classeur (Excel, LibreOffice)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Ce fichier est un classeur"),
        ("SIREN\n".encode("utf-16"), "n'est pas un fichier texte"),
        (b"%PDF-1.7\n\x01\x02", "n'est pas un fichier texte"),
    ],
)
def test_a_binary_file_is_refused_saying_what_to_send(content, told):
    with pytest.raises(forms.ValidationError) as refused:
        decode(content)
    assert told in str(refused.value)


def test_a_field_past_what_csv_reads_is_refused_with_its_line(settings):
    """Python's csv stops at 128 KiB a field: reachable if the size limit is raised past it."""
    settings.IDENTIFIER_LIST_MAX_BYTES = 300 * 1024
    with pytest.raises(forms.ValidationError) as refused:
        parse('732829320\n"' + "x" * 140_000)
    assert "La ligne 2 n'a pu être lue : vérifiez ses guillemets." in str(refused.value)
