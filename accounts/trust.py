"""The trust answer (docs/security.md §2): compared without case or accents,
stored hashed."""

from django.contrib.auth.hashers import check_password, make_password

from core.text import fold_words


def normalize_answer(answer: str) -> str:
    return fold_words(answer)


def hash_answer(answer: str) -> str:
    return make_password(normalize_answer(answer))


def answer_matches(answer: str, answer_hash: str) -> bool:
    return check_password(normalize_answer(answer), answer_hash)
