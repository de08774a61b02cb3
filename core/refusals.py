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
    """A rule refused an action. The domain raises a code and its parameters; the French
    sentences (`messages`, the first is `message`) are formatted when a front door reads them
    (`web.refusals`, `api.problems`), once, from `CATALOGUE`, or given whole by the rule that
    words its own. `field` names the form field they belong to, if any."""

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
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params
        self._message = message
        self._messages = list(messages) if messages is not None else None

    @property
    def messages(self) -> list[str]:
        if self._messages is None:
            text = self._message if self._message is not None else CATALOGUE[self.code]
            formatted = (
                text.format(**self.params) if self.params or isinstance(text, Plural) else text
            )
            self._messages = [formatted]
        return self._messages

    @property
    def message(self) -> str:
        return self.messages[0]

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"Refusal({self.code!r}, {self.message!r}, field={self.field!r})"
