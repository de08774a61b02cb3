"""Refusals: the one exception a business rule raises when it says no.

A refusal carries a stable machine-readable `code` (e.g. ``delegation.above_granter``),
the French message shown to the person, and optionally the form field it concerns. Every
code is listed in `CATALOGUE` below, with its default message: the pages show the message,
the API will return the code. Raising a code that is not listed is a programming error.
The messages are written one module per domain in `core/refusal_messages/`.
"""

from __future__ import annotations

from core.plural import Plural
from core.refusal_messages import (
    accounts,
    api,
    backoffice,
    companies,
    firms,
    habilitations,
    messaging,
)

__all__ = ["CATALOGUE", "Plural", "Refusal"]


def _merged(*domains: dict[str, str | Plural]) -> dict[str, str | Plural]:
    """One catalogue; a code written in two domains is a programming error."""
    catalogue: dict[str, str | Plural] = {}
    for messages in domains:
        twice = catalogue.keys() & messages.keys()
        if twice:
            raise ValueError(f"refusal codes listed twice: {sorted(twice)}")
        catalogue.update(messages)
    return catalogue


CATALOGUE: dict[str, str | Plural] = _merged(
    accounts.MESSAGES,
    backoffice.MESSAGES,
    companies.MESSAGES,
    habilitations.MESSAGES,
    api.MESSAGES,
    firms.MESSAGES,
    messaging.MESSAGES,
)


class Refusal(Exception):
    """A rule refused an action. `messages` holds one or more French sentences (the first
    is `message`); `field` names the form field they belong to, if any."""

    def __init__(
        self,
        code: str,
        message: str | None = None,
        *,
        field: str | None = None,
        messages: list[str] | None = None,
        **params,
    ):
        if code not in CATALOGUE:
            raise ValueError(f"unknown refusal code {code!r}: list it in core.refusals.CATALOGUE")
        if messages is None:
            text = message if message is not None else CATALOGUE[code]
            messages = [text.format(**params) if params or isinstance(text, Plural) else text]
        super().__init__(messages[0])
        self.code = code
        self.field = field
        self.messages = list(messages)
        self.params = params

    @property
    def message(self) -> str:
        return self.messages[0]

    def __repr__(self) -> str:
        return f"Refusal({self.code!r}, {self.message!r}, field={self.field!r})"
