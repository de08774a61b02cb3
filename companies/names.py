"""Company names as they are searched and sorted (docs/habilitations.md §10.2): without case,
accents or punctuation, and with the legal form (« SARL », « EURL »…) set aside, so that
« SARL SIMONET » is found by « simonet » and sorted under S, not among the SARLs.

The legal forms are listed here and nowhere else.
"""

import re

from core.text import fold

# Abbreviations of French legal forms that prefix or suffix a denomination.
# « SEL » is left out: it is also a word (« SEL DE GUERANDE ») and rarely written alone.
LEGAL_FORMS = frozenset(
    {
        "EARL",
        "EI",
        "EIRL",
        "EURL",
        "GAEC",
        "GIE",
        "SA",
        "SAEM",
        "SARL",
        "SARLU",
        "SAS",
        "SASU",
        "SC",
        "SCA",
        "SCEA",
        "SCI",
        "SCM",
        "SCOP",
        "SCP",
        "SCS",
        "SELAFA",
        "SELARL",
        "SELAS",
        "SELASU",
        "SELCA",
        "SELEURL",
        "SEM",
        "SEML",
        "SNC",
        "SPL",
    }
)
# The same forms written out, longest first (so that « SOCIETE CIVILE IMMOBILIERE » is taken
# whole rather than as « SOCIETE CIVILE »).
LONG_LEGAL_FORMS = tuple(
    sorted(
        (
            tuple(form.split())
            for form in (
                "SOCIETE A RESPONSABILITE LIMITEE",
                "SOCIETE A RESPONSABILITE LIMITEE UNIPERSONNELLE",
                "ENTREPRISE UNIPERSONNELLE A RESPONSABILITE LIMITEE",
                "SOCIETE PAR ACTIONS SIMPLIFIEE",
                "SOCIETE PAR ACTIONS SIMPLIFIEE UNIPERSONNELLE",
                "SOCIETE ANONYME",
                "SOCIETE CIVILE",
                "SOCIETE CIVILE IMMOBILIERE",
                "SOCIETE CIVILE PROFESSIONNELLE",
                "SOCIETE EN NOM COLLECTIF",
                "ENTREPRISE INDIVIDUELLE",
            )
        ),
        key=len,
        reverse=True,
    )
)

# Ligatures that Unicode decomposition keeps (« Œ » is not « O » + « E » for NFKD).
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})
# « S.A.R.L. » → « SARL »: dots between single letters are dropped, not made spaces.
_DOTTED = re.compile(r"\b(?:\w\.)+\w?(?!\w)")
_NOT_WORD = re.compile(r"[^\w]+|_+")
MAX_LENGTH = 250


def words(text: str) -> list[str]:
    """The words of a name or a query: upper case, without accents; every character that is
    not a letter or a digit separates words."""
    folded = fold(text).translate(_LIGATURES)
    folded = _DOTTED.sub(lambda m: m.group().replace(".", ""), folded)
    return _NOT_WORD.sub(" ", folded).upper().split()


def _without_legal_form(name_words: list[str]) -> list[str]:
    """The words without one legal form at the start and one at the end; unchanged when
    nothing else would be left (a company named « SCI » keeps its name)."""
    kept = name_words
    for form in LONG_LEGAL_FORMS:
        if tuple(kept[: len(form)]) == form:
            kept = kept[len(form) :]
            break
    else:
        if kept and kept[0] in LEGAL_FORMS:
            kept = kept[1:]
    for form in LONG_LEGAL_FORMS:
        if len(kept) > len(form) and tuple(kept[-len(form) :]) == form:
            kept = kept[: -len(form)]
            break
    else:
        if len(kept) > 1 and kept[-1] in LEGAL_FORMS:
            kept = kept[:-1]
    return kept or name_words


def search_key(name: str) -> str:
    """A company's `search_name`: its words, legal form set aside, single spaces;
    « SARL Boulangerie de l'Église » → « BOULANGERIE DE L EGLISE »."""
    return " ".join(_without_legal_form(words(name)))[:MAX_LENGTH]


def query_words(query: str) -> list[str]:
    """The words a search looks for, each a prefix of some word of the name, in any order:
    the legal form is set aside as it is in names (« sarl simonet » looks for « SIMONET »),
    unless it is all the query says."""
    return list(dict.fromkeys(_without_legal_form(words(query))))[:10]
