"""A list of companies, one SIREN (or IDSP) a line in the first column: a CSV file uploaded, or
its content pasted into a text area, both read by `parse` (docs/habilitations.md §12.6).
Used by *Demander une délégation* and the groups of dossiers.

The text is untrusted, so its cost is bounded before it is read: a file is kept in memory up to
IDENTIFIER_LIST_MAX_BYTES (the upload handler below; nothing is written to disk), its size and
its lines are counted before anything is parsed, and the parse is one pass of Python's `csv`
with a separator decided from the first line. The dialect is never sniffed: `csv.Sniffer` is
backtracking regular expressions, 27 s on a 39 kB line of `;"` (issue 21)."""

import csv
import re
from dataclasses import dataclass, field
from io import BytesIO
from typing import NamedTuple

from django import forms
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http.multipartparser import MultiPartParserError

from companies.identifiers import normalize_company_identifier
from core.refusals import Refusal

# In this order of preference when the first line has none outside quotes (a lone SIREN).
SEPARATORS = ";,\t"
# Control characters a text file does not hold (tab, line feed, form feed, carriage return
# are text); one of them, or a NUL, means a binary file (a spreadsheet, a PDF, UTF-16).
_BINARY = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# The first bytes of the files people take for a CSV: a spreadsheet (xlsx and ods are ZIP
# archives, xls an OLE2 compound file).
_SPREADSHEETS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
FILE_ATTRIBUTE = "takes_list_file"


def max_bytes() -> int:
    return settings.IDENTIFIER_LIST_MAX_BYTES


def max_lines() -> int:
    return settings.IDENTIFIER_LIST_MAX_LINES


def _number(value: int) -> str:
    """1 000, the French way (a non-breaking space between thousands)."""
    return f"{value:,}".replace(",", "\u00a0")


def limits_text() -> str:
    """The limits, in the words of the pages' help texts and errors."""
    return f"au plus {_number(max_bytes() // 1024)} Ko et {_number(max_lines())} lignes"


FORMAT_TEXT = (
    "Un SIREN (ou IDSP) par ligne, en première colonne ; le séparateur des colonnes est le "
    "premier point-virgule, virgule ou tabulation de la première ligne ; une ligne d'en-tête "
    "est ignorée."
)


class RefusedLine(NamedTuple):
    """A line of a list that is refused: its number (0 when the text had no lines), what was
    written there (cut), and why."""

    line: int
    raw: str
    why: str


@dataclass
class IdentifierList:
    identifiers: list[str] = field(default_factory=list)
    refused: list[RefusedLine] = field(default_factory=list)


def separator(first_line: str) -> str:
    """The list's separator: the first `;`, `,` or tab of its first line outside double quotes
    (`;` when there is none: a single column). One pass, whatever the line holds."""
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in SEPARATORS:
            return char
    return SEPARATORS[0]


def parse(text: str) -> IdentifierList:
    """The identifiers of the lines, in order, each once; the lines refused and why. The size
    and the lines are counted first (a `ValidationError` beyond the limits), then the lines are
    read in one pass (docs/habilitations.md §12.6)."""
    text = text or ""
    if len(text) > max_bytes():
        raise forms.ValidationError(
            f"La liste est trop longue : {limits_text()} (elle en fait "
            f"{_number(-(-len(text) // 1024))} Ko)."
        )
    lines = text.splitlines()
    written = sum(1 for line in lines if line.strip())
    if written > max_lines():
        raise forms.ValidationError(
            f"La liste compte {_number(written)} lignes : {limits_text()} à la fois."
        )
    first = next((line for line in lines if line.strip()), "")
    reader = csv.reader(lines, delimiter=separator(first), strict=False)
    result = IdentifierList()
    seen: set[str] = set()
    start = 1  # the line a row starts on (a quoted field may go on over the next lines)
    try:
        for row in reader:
            _read_line(result, seen, start, (row[0] if row else "").strip())
            start = reader.line_num + 1
    except csv.Error:
        raise forms.ValidationError(
            f"La ligne {start} n'a pu être lue : vérifiez ses guillemets."
        ) from None
    return result


def _read_line(result: IdentifierList, seen: set[str], number: int, raw: str) -> None:
    if not raw:
        return
    try:
        identifier = normalize_company_identifier(raw)
    except Refusal as refusal:
        if number == 1 and any(c.isalpha() for c in raw) and not raw.upper().startswith("P"):
            return  # a header ("SIREN", "Numéro")
        result.refused.append(RefusedLine(number, raw[:30], refusal.message))
        return
    if identifier in seen:
        result.refused.append(
            RefusedLine(number, raw[:30], "Ce SIREN figure déjà plus haut dans la liste.")
        )
        return
    seen.add(identifier)
    result.identifiers.append(identifier)


def decode(content: bytes) -> str:
    """The text of a file's bytes: UTF-8 (with or without its mark), else Windows' Western
    encoding (Excel's CSV export in France), else Latin-1; a binary file is refused."""
    if content.startswith(_SPREADSHEETS):
        raise forms.ValidationError(
            "Ce fichier est un classeur (Excel, LibreOffice) : enregistrez-le au format CSV, "
            "puis choisissez le fichier CSV."
        )
    if _BINARY.search(content):
        raise forms.ValidationError(
            "Ce fichier n'est pas un fichier texte : choisissez un fichier CSV (UTF-8 ou Windows)."
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")


class IdentifierListField(forms.CharField):
    """A text area for the content of a CSV file of SIRENs; its size is checked by `parse`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}))
        super().__init__(**kwargs)


class ListFileInput(forms.FileInput):
    """The design system's upload field (`fr-upload-group`, its error state included)."""

    group_class = "fr-upload-group"


class IdentifierFileField(forms.FileField):
    """A CSV file of SIRENs; cleaned to its text (bounded, checked, decoded), never stored."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            ListFileInput(attrs={"class": "fr-upload", "accept": ".csv,.txt,text/csv,text/plain"}),
        )
        kwargs.setdefault("help_text", f"Fichier .csv ou .txt, {limits_text()}. {FORMAT_TEXT}")
        super().__init__(**kwargs)

    def clean(self, data, initial=None) -> str:
        upload = super().clean(data, initial)
        if not upload:
            return ""
        if upload.size > max_bytes():
            raise forms.ValidationError(
                f"Ce fichier est trop volumineux : {limits_text()} (il en fait "
                f"{_number(-(-upload.size // 1024))} Ko)."
            )
        upload.seek(0)
        return decode(upload.read(max_bytes()))


def takes_list_file(view):
    """Marks a view whose form takes a list of companies as a file: the only views that may
    receive one (`ListFileUploadHandler`)."""
    setattr(view, FILE_ATTRIBUTE, True)
    return view


class ListFileUploadHandler(FileUploadHandler):
    """The site's only upload handler (config/settings.py, FILE_UPLOAD_HANDLERS). A file posted
    to a view not marked `takes_list_file` is a 400; elsewhere at most IDENTIFIER_LIST_MAX_BYTES
    and one byte are kept, in memory, while the whole size is counted so the form can tell the
    person how large the file was. A multipart body beyond the fields' and the file's limits
    together is a 400 before a byte of it is read."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE + max_bytes():
            raise RequestDataTooBig("The multipart body exceeds the form's and the file's limits.")

    def new_file(self, field_name, file_name, *args, **kwargs):
        match = getattr(self.request, "resolver_match", None)
        if match is None or not getattr(match.func, FILE_ATTRIBUTE, False):
            raise MultiPartParserError("This address takes no file.")
        super().new_file(field_name, file_name, *args, **kwargs)
        self.kept = BytesIO()

    def receive_data_chunk(self, raw_data, start):
        room = max_bytes() + 1 - self.kept.tell()
        if room > 0:
            self.kept.write(raw_data[:room])
        return None

    def file_complete(self, file_size):
        self.kept.seek(0)
        return InMemoryUploadedFile(
            file=self.kept,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
