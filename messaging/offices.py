"""The tax offices that answer the messaging: the demo's few *services des impôts des
entreprises* (SIE) and the départements each one serves (docs/messaging.md §1).

A data module standing in for the administration's directory of offices: replace `OFFICES`
and `DEPARTEMENTS` (or `office_for`) by a lookup in the real directory; nothing else in the
product knows how a company's office is found. An office is named by its code, stored on each
thread and on each agent (`backoffice.Agent.office`, blank for a national role)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Office:
    code: str
    name: str


OFFICES: tuple[Office, ...] = (
    Office("SIE-PARIS", "Service des impôts des entreprises de Paris"),
    Office("SIE-LYON", "Service des impôts des entreprises de Lyon"),
    Office("SIE-MARSEILLE", "Service des impôts des entreprises de Marseille"),
    Office("SIE-BORDEAUX", "Service des impôts des entreprises de Bordeaux"),
    Office("SIE-NANTES", "Service des impôts des entreprises de Nantes"),
    Office("SIE-AJACCIO", "Service des impôts des entreprises d'Ajaccio"),
    Office("SIE-OUTRE-MER", "Service des impôts des entreprises des Outre-mer"),
)
OFFICES_BY_CODE = {office.code: office for office in OFFICES}
# Companies whose département is not listed below (or whose address is abroad or unknown).
DEFAULT_OFFICE = "SIE-PARIS"


def _each(office: str, *departements: str) -> dict[str, str]:
    return dict.fromkeys(departements, office)


DEPARTEMENTS: dict[str, str] = {
    **_each("SIE-PARIS", "75", "77", "78", "91", "92", "93", "94", "95", "60", "02", "59", "62"),
    **_each("SIE-LYON", "69", "01", "38", "42", "73", "74", "71", "21", "63", "03"),
    **_each("SIE-MARSEILLE", "13", "83", "84", "04", "05", "06", "30", "34"),
    **_each("SIE-BORDEAUX", "33", "24", "40", "47", "64", "17", "16", "31", "32"),
    **_each("SIE-NANTES", "44", "35", "49", "53", "56", "72", "85", "29", "22"),
    **_each("SIE-AJACCIO", "2A", "2B"),
    **_each("SIE-OUTRE-MER", "971", "972", "973", "974", "976"),
}


def departement_of(postal_code: str) -> str | None:
    """The département of a French postal code: its two first digits, three for the overseas
    départements (97x), 2A or 2B for Corsica (20000 to 20199 is Corse-du-Sud); None if it is not
    a French postal code."""
    code = (postal_code or "").replace(" ", "")
    if len(code) != 5 or not code.isdigit():
        return None
    if code.startswith(("97", "98")):
        return code[:3]
    if code.startswith("20"):
        return "2A" if int(code) < 20200 else "2B"
    return code[:2]


def office_for(company) -> Office:
    """The office that answers this company's messages, from its address's postal code."""
    departement = departement_of(company.postal_code)
    return OFFICES_BY_CODE[DEPARTEMENTS.get(departement or "", DEFAULT_OFFICE)]


def office_name(code: str) -> str:
    office = OFFICES_BY_CODE.get(code)
    return office.name if office else code


def is_office(code: str) -> bool:
    return code in OFFICES_BY_CODE
