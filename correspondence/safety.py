"""What text supplied by people may look like once printed in a letter or an e-mail
(docs/correspondence.md §5).

Two layers. The templates print such text (a requester's or a delegate's name, an address
given by a person) through the `as_name` filter: on one line, between guillemets, so that it
reads as a name and never as the administration's own words. Behind them, every value a
template can reach is made one-line at render time (`one_line_context`), and the rendered text
loses any control or format character (`strip_invisible`): a name stored before the rule of
docs/accounts.md §14, or coming through a door that forgot it, cannot break a line, reverse
the text's direction or hide characters.
"""

import functools
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date, time, timedelta
from decimal import Decimal

# Values printed as they are (numbers, dates and durations cannot carry text).
_PLAIN = (bool, int, float, Decimal, date, time, timedelta, type(None))
# Line breaks (Cc holds \n \r \t \v \f and \x85 NEL), line and paragraph separators.
_BREAKING = frozenset({"Cc", "Zl", "Zp"})
# Format characters (bidi embeddings, overrides and isolates, marks, zero-width characters,
# soft hyphen…) and lone surrogates: invisible or direction-changing, dropped.
_INVISIBLE = frozenset({"Cf", "Cs"})


def one_line(text: str) -> str:
    """`text` on one line: breaks and controls become spaces, format characters (bidi…) are
    dropped, runs of white space become one space, the ends are trimmed."""
    kept = []
    for char in str(text):
        category = unicodedata.category(char)
        if category in _INVISIBLE:
            continue
        kept.append(" " if category in _BREAKING or char.isspace() else char)
    return " ".join("".join(kept).split())


def quoted_name(text: str) -> str:
    """A name given by a person, as letters and e-mails print it: « Mme Lila ROSEMONDE »."""
    return f"« {one_line(text)} »"


def strip_invisible(rendered: str) -> str:
    """The rendered text without control characters (line breaks kept: the template's own)
    nor format characters."""
    return "".join(
        char
        for char in rendered
        if char == "\n"
        or not (
            unicodedata.category(char) in _INVISIBLE
            or (unicodedata.category(char) in _BREAKING and char != "\n")
        )
    )


def one_line_context(context: Mapping) -> dict:
    """A template context in which every string a template can reach, whether a value, an
    item of a list or an attribute of an object (`{{ requester.display_name }}`), is
    `one_line`."""
    return {key: _one_line_value(value) for key, value in context.items()}


def _one_line_value(value):
    if isinstance(value, str):
        return one_line(value)
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, Mapping):
        return {key: _one_line_value(item) for key, item in value.items()}
    if isinstance(value, Iterable) and not hasattr(value, "_meta"):
        return [_one_line_value(item) for item in value]
    if callable(value):
        return _one_line_callable(value)
    return _OneLineObject(value)


def _one_line_callable(function):
    @functools.wraps(function)  # keeps alters_data / do_not_call_in_templates for the engine
    def wrapper(*args, **kwargs):
        return _one_line_value(function(*args, **kwargs))

    return wrapper


class _OneLineObject:
    """An object as a template sees it, its text attributes and methods' results one-line."""

    __slots__ = ("_wrapped",)

    def __init__(self, wrapped):
        object.__setattr__(self, "_wrapped", wrapped)

    def __getattr__(self, name: str):
        value = getattr(self._wrapped, name)
        if name in ("alters_data", "do_not_call_in_templates"):
            return value
        return _one_line_value(value)

    def __str__(self) -> str:
        return one_line(str(self._wrapped))

    def __eq__(self, other) -> bool:
        other = other._wrapped if isinstance(other, _OneLineObject) else other
        return self._wrapped == other

    def __hash__(self) -> int:
        return hash(self._wrapped)

    def __bool__(self) -> bool:
        return bool(self._wrapped)
