"""SIREN and IDSP: parsing and checking (docs/companies.md §1)."""

import re

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren as stdnum_siren

from core.refusals import Refusal

# ASCII digits only (docs/companies.md §1.5): `\d` would take any script's digits.
IDSP_RE = re.compile(r"P[0-9]{8}")


def normalize_company_identifier(raw: str) -> str:
    """A SIREN (9 digits, Luhn) or an IDSP (P + 8 digits), spaces ignored; else refused
    (`company.invalid_identifier`)."""
    value = re.sub(r"[\s.\-]", "", raw or "").upper()
    if IDSP_RE.fullmatch(value):
        return value
    try:
        return stdnum_siren.validate(value)
    except StdnumError as exc:
        raise Refusal("company.invalid_identifier") from exc


def format_siren(value: str) -> str:
    """'987654321' -> '987 654 321' (an IDSP is shown as is)."""
    if len(value) == 9 and value.isascii() and value.isdigit():
        return f"{value[:3]} {value[3:6]} {value[6:]}"
    return value
