import pytest

from companies.identifiers import format_siren, normalize_company_identifier
from core.refusals import Refusal


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("987654324", "987654324"),
        ("987 654 324", "987654324"),
        (" 552.100.554 ", "552100554"),
        ("p12345678", "P12345678"),
    ],
)
def test_sirens_with_spaces_and_idsps_are_accepted(raw, expected):
    assert normalize_company_identifier(raw) == expected


@pytest.mark.parametrize(
    "raw", ["987654321", "98765432", "9876543245", "ABCDEFGHI", "", "P1234567"]
)
def test_a_bad_siren_is_refused_with_the_rules_message(raw):
    with pytest.raises(Refusal) as refused:
        normalize_company_identifier(raw)
    assert refused.value.code == "company.invalid_identifier"
    assert refused.value.message == "Numéro SIREN invalide"


@pytest.mark.parametrize(
    "raw",
    [
        "P\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668",  # Arabic-Indic digits
        "P1234567\u0669",
        "P\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18",  # full-width digits
        "\u0669\u0668\u0667\u0666\u0665\u0664\u0663\u0662\u0664",
    ],
)
def test_an_identifier_takes_ascii_digits_only(raw):
    """docs/companies.md §1: digits are 0-9; other scripts' digits are refused, not stored."""
    with pytest.raises(Refusal) as refused:
        normalize_company_identifier(raw)
    assert refused.value.code == "company.invalid_identifier"


def test_sirens_are_shown_in_groups_of_three():
    assert format_siren("987654324") == "987 654 324"
    assert format_siren("P12345678") == "P12345678"
    # Only a SIREN of ASCII digits (docs/companies.md §1.5) is grouped; anything else is
    # shown as given.
    assert format_siren("٩٨٧٦٥٤٣٢٤") == "٩٨٧٦٥٤٣٢٤"
