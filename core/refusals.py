"""Refusals: the one exception a business rule raises when it says no.

A refusal carries a stable machine-readable `code` (e.g. ``delegation.above_granter``),
the French message shown to the person, and optionally the form field it concerns. Every
code is listed in `CATALOGUE` below, with its default message: the pages show the message,
the API will return the code. Raising a code that is not listed is a programming error.
"""

from __future__ import annotations

CATALOGUE: dict[str, str] = {
    # --- generic -----------------------------------------------------------------------
    "generic.invalid": "La saisie est invalide.",
    # --- accounts: spaces, registration, activation, passwords, identifiers ------------
    # --- companies: registry, bank accounts, company e-mail ------------------------------
    # --- habilitations: rights, delegation, postal requests ------------------------------
}


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
            messages = [text.format(**params) if params else text]
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
