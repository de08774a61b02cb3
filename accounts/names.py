"""Person names (docs/accounts.md §14): the one rule for a first or a last name, wherever one is
typed (expert and simplified modes, *Gérer vos coordonnées*) and wherever one is saved.

A name is made of letters of any script (Unicode categories L*, each possibly followed by
combining marks M*), single spaces, hyphens, apostrophes (' and U+2019) and dots; it starts with a
letter, does not end with a space, hyphen or apostrophe, never has two of those in a row, a dot
comes right after a letter, and it has at most `settings.PERSON_NAME_MAX_LENGTH` characters once
normalised to NFC. So no digit, line break, control or bidi character, URL or e-mail address can
ride in a name into a letter or an e-mail (docs/correspondence.md §5).
"""

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings

from core.refusals import Refusal

# Characters that separate the words of a name; never two in a row, never at either end.
SEPARATORS = frozenset(" -'\u2019")  # space, hyphen, the two apostrophes
DOT = "."


def normalize_name(raw: str | None) -> str:
    """A name as the product keeps it: NFC, trimmed, runs of ordinary spaces made single.

    Anything else (tabs, line breaks, other spaces) is left for `name_problem` to refuse, so
    that a pasted text is refused rather than silently kept."""
    text = unicodedata.normalize("NFC", raw or "").strip(" ")
    return " ".join(part for part in text.split(" ") if part)


def _is_letter(char: str) -> bool:
    return unicodedata.category(char).startswith("L")


def _is_mark(char: str) -> bool:
    return unicodedata.category(char).startswith("M")


def follows_rule(name: str) -> bool:
    """Whether `name` (already normalised) is made as docs/accounts.md §14 says; the length is
    checked apart."""
    if not name or not _is_letter(name[0]) or name[-1] in SEPARATORS:
        return False
    previous = ""
    for char in name:
        if _is_letter(char):
            pass
        elif _is_mark(char) or char == DOT:
            # A mark or a dot belongs to the letter before it (a dot may follow its marks).
            if not previous or not (_is_letter(previous) or _is_mark(previous)):
                return False
        elif char in SEPARATORS:
            if previous in SEPARATORS:
                return False
        else:
            return False
        previous = char
    return unicodedata.is_normalized("NFC", name)


# Literal codes, so that the catalogue test finds them (core.refusals.CATALOGUE).
_CODES = {
    "last_name": {
        "missing": lambda: Refusal("name.last_name_missing", field="last_name"),
        "too_long": lambda n: Refusal("name.last_name_too_long", field="last_name", max_length=n),
        "invalid": lambda: Refusal("name.last_name_invalid", field="last_name"),
    },
    "first_name": {
        "missing": lambda: Refusal("name.first_name_missing", field="first_name"),
        "too_long": lambda n: Refusal("name.first_name_too_long", field="first_name", max_length=n),
        "invalid": lambda: Refusal("name.first_name_invalid", field="first_name"),
    },
}


def name_problem(name: str, *, field: str) -> Refusal | None:
    """The refusal for a normalised last (`field="last_name"`) or first name
    (`field="first_name"`), or None when it follows the rule."""
    refusals = _CODES[field]
    if not name:
        return refusals["missing"]()
    if len(name) > settings.PERSON_NAME_MAX_LENGTH:
        return refusals["too_long"](settings.PERSON_NAME_MAX_LENGTH)
    if not follows_rule(name):
        return refusals["invalid"]()
    return None


def clean_name(raw: str | None, *, field: str) -> str:
    """The normalised name, or a `Refusal` on `field` saying what is wrong."""
    name = normalize_name(raw)
    if refusal := name_problem(name, field=field):
        raise refusal
    return name


def clean_names(values: dict) -> dict:
    """`values` with its `last_name` and `first_name` (those present) normalised; refuses the
    first one that breaks the rule."""
    cleaned = dict(values)
    for field in ("last_name", "first_name"):
        if field in cleaned:
            cleaned[field] = clean_name(cleaned[field], field=field)
    return cleaned


@dataclass(frozen=True)
class BadName:
    """A stored name that breaks the rule (found by `manage.py report_names`)."""

    model: str  # app_label.ModelName
    pk: int
    email: str
    field: str
    value: str
    problem: str


def stored_name_problem(value: str, *, field: str) -> str | None:
    """What is wrong with a name as stored, or None: it must follow the rule and be kept
    normalised."""
    name = normalize_name(value)
    if refusal := name_problem(name, field=field):
        return refusal.message
    if name != value:
        return "Le nom enregistré n'est pas normalisé (NFC, espaces en trop)."
    return None


def bad_stored_names() -> Iterator[BadName]:
    """Every row holding a person's identity (subscribers, pending registrations of either
    mode: the concrete models built on `accounts.models.Identity`) whose names break the rule.
    Reads only."""
    from accounts.models import Identity

    for model in apps.get_models():
        if not issubclass(model, Identity):
            continue
        rows = model.objects.order_by("pk").values_list("pk", "email", "last_name", "first_name")
        for pk, email, last_name, first_name in rows.iterator():
            for field, value in (("last_name", last_name), ("first_name", first_name)):
                if problem := stored_name_problem(value, field=field):
                    yield BadName(model._meta.label, pk, email, field, value, problem)
