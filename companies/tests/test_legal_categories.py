"""INSEE's legal categories in words (companies/legal_categories.py): the label, the short form
people use, and an unknown code named as one rather than shown bare or guessed."""

import re

import pytest

from companies.legal_categories import (
    LEGAL_CATEGORIES,
    legal_category_label,
    legal_category_short,
    legal_category_text,
)


@pytest.mark.parametrize(
    ("code", "short", "label"),
    [
        ("1000", "EI", "Entrepreneur individuel"),
        ("5499", "SARL", "Société à responsabilité limitée (sans autre indication)"),
        ("5710", "SAS", "SAS, société par actions simplifiée"),
        ("5599", "SA", "SA à conseil d'administration (s.a.i.)"),
        ("6540", "SCI", "Société civile immobilière"),
        ("9220", "Association déclarée", "Association déclarée"),
    ],
)
def test_common_categories_have_insee_label_and_usual_short_form(code, short, label):
    assert legal_category_label(code) == label
    assert legal_category_short(code) == short


def test_an_unknown_code_is_named_as_a_legal_category_and_none_is_empty():
    assert legal_category_label("1234") == "Catégorie juridique 1234"
    assert legal_category_short("1234") == "Catégorie juridique 1234"
    assert legal_category_text("1234") == "Catégorie juridique 1234"
    assert legal_category_label("") == legal_category_text("") == ""


def test_the_text_gives_both_where_there_is_a_short_form():
    assert legal_category_text("5499") == (
        "SARL — Société à responsabilité limitée (sans autre indication)"
    )
    assert legal_category_text("9220") == "Association déclarée"


def test_every_entry_is_a_four_digit_code_with_a_clean_label():
    assert len(LEGAL_CATEGORIES) > 250  # the whole of niveau III, not a sample
    for code, category in LEGAL_CATEGORIES.items():
        assert re.fullmatch(r"[0-9]{4}", code) and category.code == code
        assert category.label == category.label.strip() and "  " not in category.label
