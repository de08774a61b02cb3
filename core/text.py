"""Text folding: the one way the product compares words without case or accents."""

import unicodedata


def fold(text: str) -> str:
    """Lower case (Unicode case folding), without accents: « Élodie » → « elodie »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_words(text: str) -> str:
    """`fold`, with runs of white space made single spaces and the ends trimmed."""
    return " ".join(fold(text).split())


def normalize_email(email: str | None) -> str:
    """An e-mail address as the product keeps and compares it: trimmed, in lower case."""
    return (email or "").strip().lower()
