"""What free text may not carry when the administration sends it on: a link or a phone number
(docs/security.md §13, docs/habilitations.md §12.1). A firm's message to a company leaves from
the administration's address; a link or a number in it would make a phishing lure.

The text is read as a person would read it, not as a browser would: « impots-gouv .fr »,
« www . x . com », a full-width or ideographic dot, « [.] », « hxxp », a zero-width space inside a
word all still send the reader somewhere. Ordinary text stays allowed: amounts, dates, times, a
SIREN (9 digits) or SIRET (14 digits), an e-mail address, « M. Dupont », « S.A.R.L. »."""

import re
import unicodedata

# A dot written another way: « [.] », « (dot) », the ideographic full stops (NFKC already makes
# the full-width one and the one-dot leader a plain dot).
_DOT_WORDS = re.compile(r"[\[({]\s*(?:\.|dot|point)\s*[\])}]|[。｡]", re.IGNORECASE)

# A link in plain sight: a scheme (« http:// », « hxxp:// », even spaced « : / / »), « www. »,
# the bare words « http(s) »/« hxxp(s) », or a bare domain-looking token (« cabinet.fr/x »);
# an e-mail address is not one (the « @ » before it).
_LINK = re.compile(
    r"[a-z][a-z0-9+.-]*:\s*/\s*/|\bwww\.|\bh[tx]{2}ps?\b"
    r"|(?<![@\w.-])[\w-]{2,}(?:\.[\w-]+)*\.[a-z]{2,}(?![\w@-])",
    re.IGNORECASE,
)

# Spaces before a dot, between words (« impots-gouv .fr », « www . x . com »): French puts none
# there, so closing them up changes no ordinary sentence.
_SPACE_BEFORE_DOT = re.compile(r"(?<=\w)\s+\.\s*(?=\w)")

# Spaces only after a dot (« impots-gouv. fr ») look like the end of a sentence; they are closed
# up only before a lower-case word, and the result counts only if that word is a top-level
# domain that is no French word (« etc. de la », « av. de » end in « de », Germany's domain).
_SPACE_AFTER_DOT = re.compile(r"(?<=\w)\.\s+(?=[a-z])")
_USUAL_DOMAINS = (
    "fr|com|net|org|eu|info|biz|io|co|gouv|gov|be|ch|lu|mc|re|pf|nc|xyz|online|site|top|app|dev"
    "|pro|shop|club|link|click|live|ru|cn|uk|us|tk|ly|cc|ws"
)
_SPACED_DOMAIN = re.compile(
    rf"(?<![@\w.-])[\w-]{{2,}}(?:\.[\w-]+)*\.(?:{_USUAL_DOMAINS})(?![\w@-])"
)

# French phone numbers, written the ways people write them: 06 12 34 56 78, 06.12.34.56.78,
# 0612345678, 06-12-34-56-78, +33 6 12 34 56 78, +33 (0)6…, 0033 6…, 0 800 123 456. The
# separator must be the same throughout, and no digit may touch either end: so « 01.02.2024
# 10h30 », a SIREN or a SIRET are no phone numbers (a 14-digit SIRET holds no run of ten).
_PAIRS = r"(?P<{0}>\s?[.\-/]?\s?)\d{{2}}(?:(?P={0})\d{{2}}){{3}}"
_PHONE = re.compile(
    r"(?<![\d+])(?:"
    rf"0[1-9]{_PAIRS.format('a')}"
    rf"|(?:\+\s?|00\s?)33\s?(?:\(0\)\s?)?[1-9]{_PAIRS.format('b')}"
    r"|0\s?[89]\d{2}(?P<c>\s?[.\-]?\s?)\d{3}(?P=c)\d{3}"
    r"|0\s?[89]\d{2}(?P<d>\s?[.\-]?\s?)\d{2}(?:(?P=d)\d{2}){2}"
    r"|\+\s?[1-9](?:[\s.()-]{0,2}\d){8,13}"
    r")(?!\d)",
)


def readable(text: str) -> str:
    """The text as a reader sees it: compatibility forms folded (full-width letters and dots),
    invisible format characters (zero-width spaces, soft hyphens) dropped, dots written
    otherwise made dots."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return _DOT_WORDS.sub(".", text)


def has_link(text: str) -> bool:
    """Whether the text points a reader to a site, however it is spaced or spelled."""
    text = readable(text)
    return bool(
        _LINK.search(text)
        or _LINK.search(_SPACE_BEFORE_DOT.sub(".", text))
        or _SPACED_DOMAIN.search(_SPACE_AFTER_DOT.sub(".", _SPACE_BEFORE_DOT.sub(".", text)))
    )


def has_phone_number(text: str) -> bool:
    """Whether the text carries a phone number (French, or international with « + »)."""
    return bool(_PHONE.search(readable(text)))
