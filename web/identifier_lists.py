"""A list of companies given as the content of a CSV file (one SIREN or IDSP per line, in the
first column; a header line is skipped), pasted into a text area: the site takes no file uploads
(config/settings.py, DATA_UPLOAD_MAX_NUMBER_FILES). Used by *Demander une délégation* and the
groups of dossiers."""

import csv
from dataclasses import dataclass, field

from django import forms

from companies.identifiers import normalize_company_identifier
from core.refusals import Refusal

MAX_LINES = 1000


@dataclass
class IdentifierList:
    identifiers: list[str] = field(default_factory=list)
    # (line number, what was written, why it is refused)
    refused: list[tuple[int, str, str]] = field(default_factory=list)


def parse(text: str) -> IdentifierList:
    """The identifiers of the lines, in order, each once; the lines refused and why."""
    result = IdentifierList()
    seen: set[str] = set()
    lines = [line for line in (text or "").splitlines()]
    if len([line for line in lines if line.strip()]) > MAX_LINES:
        raise forms.ValidationError(f"Au plus {MAX_LINES} lignes à la fois.")
    dialect = csv.excel
    sample = "\n".join(lines[:20])
    if sample.strip():
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
        except csv.Error:
            dialect = csv.excel
    for number, row in enumerate(csv.reader(lines, dialect), start=1):
        raw = (row[0] if row else "").strip()
        if not raw:
            continue
        try:
            identifier = normalize_company_identifier(raw)
        except Refusal as refusal:
            if number == 1 and any(c.isalpha() for c in raw) and not raw.upper().startswith("P"):
                continue  # a header ("SIREN", "Numéro")
            result.refused.append((number, raw[:30], refusal.message))
            continue
        if identifier in seen:
            result.refused.append(
                (number, raw[:30], "Ce SIREN figure déjà plus haut dans la liste.")
            )
            continue
        seen.add(identifier)
        result.identifiers.append(identifier)
    return result


class IdentifierListField(forms.CharField):
    """A text area for the content of a CSV file of SIRENs."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}))
        kwargs.setdefault("max_length", MAX_LINES * 40)
        super().__init__(**kwargs)
