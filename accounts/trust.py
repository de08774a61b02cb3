"""The trust answer (docs/accounts.md §7, docs/security.md §1): compared without case or accents,
stored hashed."""

import unicodedata

from django.contrib.auth.hashers import check_password, make_password


def normalize_answer(answer: str) -> str:
    decomposed = unicodedata.normalize("NFKD", answer.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())


def hash_answer(answer: str) -> str:
    return make_password(normalize_answer(answer))


def answer_matches(answer: str, answer_hash: str) -> bool:
    return check_password(normalize_answer(answer), answer_hash)
