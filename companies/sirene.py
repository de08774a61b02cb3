"""The INSEE SIRENE stock files: reading them and turning their rows into registry values.

Plain functions and no query: `companies.sirene_import` writes what these return. Columns
are found by name in the header, so reordered columns and the columns newer files add are
harmless; a column that we read and the file lacks stops the import before any write.
INSEE ships `StockUniteLegale_utf8.zip` and `StockEtablissement_utf8.zip`: a CSV file or
such a ZIP (holding one CSV file) is read as a stream, a row at a time.
"""

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from companies.identifiers import normalize_company_identifier
from companies.models import Company
from core.refusals import Refusal

UNITS_LABEL = "unités légales"
ESTABLISHMENTS_LABEL = "établissements"

# The columns each pass reads; any other column of the file is ignored.
UNIT_COLUMNS = (
    "siren",
    "statutDiffusionUniteLegale",
    "etatAdministratifUniteLegale",
    "denominationUniteLegale",
    "prenomUsuelUniteLegale",
    "prenom1UniteLegale",
    "nomUsageUniteLegale",
    "nomUniteLegale",
    "categorieJuridiqueUniteLegale",
    "nicSiegeUniteLegale",
)
ESTABLISHMENT_COLUMNS = (
    "siren",
    "nic",
    "etablissementSiege",
    "complementAdresseEtablissement",
    "numeroVoieEtablissement",
    "indiceRepetitionEtablissement",
    "typeVoieEtablissement",
    "libelleVoieEtablissement",
    "codePostalEtablissement",
    "libelleCommuneEtablissement",
    "libelleCommuneEtrangerEtablissement",
    "libellePaysEtrangerEtablissement",
)

# INSEE's codes of street types (typeVoieEtablissement). QUA is a *quartier*, QUAI a quai.
# A code missing here (newer files add some) is kept as it is.
STREET_TYPES = {
    "ALL": "ALLEE",
    "AV": "AVENUE",
    "BD": "BOULEVARD",
    "CAR": "CARREFOUR",
    "CHE": "CHEMIN",
    "CHS": "CHAUSSEE",
    "CITE": "CITE",
    "COR": "CORNICHE",
    "CRS": "COURS",
    "DOM": "DOMAINE",
    "DSC": "DESCENTE",
    "ECA": "ECART",
    "ESP": "ESPLANADE",
    "FG": "FAUBOURG",
    "GR": "GRANDE RUE",
    "HAM": "HAMEAU",
    "HLE": "HALLE",
    "IMP": "IMPASSE",
    "LD": "LIEU-DIT",
    "LOT": "LOTISSEMENT",
    "MAR": "MARCHE",
    "MTE": "MONTEE",
    "PAS": "PASSAGE",
    "PL": "PLACE",
    "PLN": "PLAINE",
    "PLT": "PLATEAU",
    "PRO": "PROMENADE",
    "PRV": "PARVIS",
    "QUA": "QUARTIER",
    "QUAI": "QUAI",
    "RES": "RESIDENCE",
    "RLE": "RUELLE",
    "ROC": "ROCADE",
    "RPT": "ROND-POINT",
    "RTE": "ROUTE",
    "RUE": "RUE",
    "SEN": "SENTIER",
    "SQ": "SQUARE",
    "TPL": "TERRE-PLEIN",
    "TRA": "TRAVERSE",
    "VLA": "VILLA",
    "VLGE": "VILLAGE",
}

# What INSEE writes in place of a value it does not diffuse (partial diffusion).
NOT_DIFFUSED = "[ND]"

# Reasons a row is refused, as the report shows them.
INVALID_SIREN = "SIREN invalide"
NO_NAME = "Nom absent (ni dénomination, ni nom de personne)"
NAME_NOT_DIFFUSED = "Nom non diffusé par l'INSEE (diffusion partielle)"
UNKNOWN_STATE = "État administratif inconnu (ni A ni C)"
WRONG_WIDTH = "Nombre de colonnes différent de l'en-tête"
TOO_LONG = "Valeur trop longue pour « {field} » (au plus {limit} caractères)"


class SireneFileError(Exception):
    """The file cannot be imported at all: missing, unreadable, or a column is missing."""


class RowRefused(Exception):
    """One row cannot be imported; the import goes on and reports it."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class UnitRecord:
    """What the registry keeps of a legal unit (a row of StockUniteLegale)."""

    identifier: str
    name: str
    legal_category: str
    is_active: bool
    head_office_nic: str


@dataclass(frozen=True, slots=True)
class HeadOfficeAddress:
    """The fiscal address of a company: its head office's address (StockEtablissement)."""

    identifier: str
    nic: str
    street_line: str
    postal_code: str
    city: str


def clean(value: str) -> str:
    """A SIRENE value with single spaces; INSEE's '[ND]' (not diffused) counts as empty."""
    value = " ".join(value.split())
    return "" if value == NOT_DIFFUSED else value


def siren_of(raw: str) -> str:
    """The SIREN of a row (9 digits, Luhn key), or the row is refused; IDSPs are not SIRENs."""
    try:
        identifier = normalize_company_identifier(raw)
    except Refusal:
        raise RowRefused(INVALID_SIREN, raw) from None
    if not identifier.isdigit():
        raise RowRefused(INVALID_SIREN, raw)
    return identifier


def unit_name(row: dict[str, str]) -> str:
    """The denomination, or for a sole trader "first name last name" (usual ones first)."""
    denomination = clean(row["denominationUniteLegale"])
    if denomination:
        return denomination
    first = clean(row["prenomUsuelUniteLegale"]) or clean(row["prenom1UniteLegale"])
    last = clean(row["nomUsageUniteLegale"]) or clean(row["nomUniteLegale"])
    if last:
        return f"{first} {last}".strip()
    masked = any(
        row[column].strip() == NOT_DIFFUSED
        for column in ("denominationUniteLegale", "nomUniteLegale", "nomUsageUniteLegale")
    )
    raise RowRefused(NAME_NOT_DIFFUSED if masked else NO_NAME, row["siren"].strip())


def unit_record(row: dict[str, str]) -> UnitRecord:
    """A row of StockUniteLegale as the registry keeps it, or the row is refused."""
    identifier = siren_of(row["siren"])
    name = unit_name(row)
    state = row["etatAdministratifUniteLegale"].strip()
    if state not in ("A", "C"):
        raise RowRefused(UNKNOWN_STATE, f"{identifier} : « {state} »")
    record = UnitRecord(
        identifier=identifier,
        name=name,
        legal_category=clean(row["categorieJuridiqueUniteLegale"]),
        is_active=state == "A",
        head_office_nic=clean(row["nicSiegeUniteLegale"]),
    )
    check_lengths(record, ("name", "legal_category", "head_office_nic"))
    return record


def is_head_office(row: dict[str, str]) -> bool:
    """INSEE writes `etablissementSiege` as 'true' or 'false'."""
    return row["etablissementSiege"].strip().lower() == "true"


def street_line(row: dict[str, str]) -> str:
    """'12 B RUE DES LILAS', after the address complement when there is one (AFNOR order)."""
    number = clean(row["numeroVoieEtablissement"])
    if number:  # a repetition index (B for bis, T for ter…) means nothing without a number
        number = f"{number} {clean(row['indiceRepetitionEtablissement'])}".strip()
    street_type = clean(row["typeVoieEtablissement"]).upper()
    street = " ".join(
        part
        for part in (
            number,
            STREET_TYPES.get(street_type, street_type),
            clean(row["libelleVoieEtablissement"]),
        )
        if part
    )
    return ", ".join(
        part for part in (clean(row["complementAdresseEtablissement"]), street) if part
    )


def city(row: dict[str, str]) -> str:
    """The commune; abroad, the foreign town and the country ('LONDRES, ROYAUME-UNI')."""
    foreign = [
        value
        for value in (
            clean(row["libelleCommuneEtrangerEtablissement"]),
            clean(row["libellePaysEtrangerEtablissement"]),
        )
        if value
    ]
    if foreign:
        return ", ".join(foreign)
    return clean(row["libelleCommuneEtablissement"])


def head_office_address(row: dict[str, str]) -> HeadOfficeAddress:
    """The address of a head office row of StockEtablissement, or the row is refused."""
    address = HeadOfficeAddress(
        identifier=siren_of(row["siren"]),
        nic=clean(row["nic"]),
        street_line=street_line(row),
        postal_code=clean(row["codePostalEtablissement"]),
        city=city(row),
    )
    check_lengths(address, ("street_line", "postal_code", "city"))
    return address


def check_lengths(record: UnitRecord | HeadOfficeAddress, fields: tuple[str, ...]) -> None:
    """Refuse a value the column cannot hold, rather than fail the whole batch in the database."""
    for field_name in fields:
        field = Company._meta.get_field(field_name)
        value = getattr(record, field_name)
        if len(value) > field.max_length:
            raise RowRefused(
                TOO_LONG.format(field=field.verbose_name, limit=field.max_length),
                f"{record.identifier} : {value[:60]}…",
            )


class StockReader:
    """The rows of a SIRENE CSV stream as {column: value} dicts of the columns we read.

    The header is checked on creation, so a missing column is reported before any write.
    Iterating yields (line number, row); a row whose width differs from the header's is
    yielded as (line number, None) for the caller to refuse.
    """

    def __init__(self, stream: IO[str], columns: tuple[str, ...], label: str, name: str = ""):
        self._reader = csv.reader(stream)
        self._where = f"le fichier des {label}" + (f" ({name})" if name else "")
        with self._file_errors():
            header = [column.strip() for column in next(self._reader, [])]
        where = f"du fichier des {label}" + (f" ({name})" if name else "")
        if not header:
            raise SireneFileError(f"L'en-tête {where} est vide.")
        missing = [column for column in columns if column not in header]
        if missing:
            raise SireneFileError(
                f"Colonnes obligatoires absentes {where} : {', '.join(missing)}."
                + _wrong_file_hint(header, label)
            )
        self._width = len(header)
        self._positions = [(column, header.index(column)) for column in columns]

    def __iter__(self) -> Iterator[tuple[int, dict[str, str] | None]]:
        reader, width, positions = self._reader, self._width, self._positions
        with self._file_errors():
            for values in reader:
                if not values:
                    continue  # a blank line
                if len(values) != width:
                    yield reader.line_num, None
                    continue
                yield reader.line_num, {column: values[index] for column, index in positions}

    @contextmanager
    def _file_errors(self) -> Iterator[None]:
        """A file that breaks mid-way (encoding, CSV syntax) stops the import, clearly."""
        try:
            yield
        except UnicodeDecodeError as error:
            raise SireneFileError(
                f"{self._where[0].upper()}{self._where[1:]} n'est pas en UTF-8 (après la ligne "
                f"{self._reader.line_num}). Les lots déjà écrits sont gardés ; l'import peut "
                "être relancé sur le fichier corrigé."
            ) from error
        except csv.Error as error:
            raise SireneFileError(
                f"CSV illisible dans {self._where}, ligne {self._reader.line_num} : {error}"
            ) from error


def _wrong_file_hint(header: list[str], label: str) -> str:
    if label == UNITS_LABEL and "siret" in header:
        return " Ce fichier ressemble à celui des établissements : vérifiez l'ordre des fichiers."
    if label == ESTABLISHMENTS_LABEL and "nicSiegeUniteLegale" in header:
        return " Ce fichier ressemble à celui des unités légales : vérifiez l'ordre des fichiers."
    if len(header) == 1 and ";" in header[0]:
        return " Le séparateur attendu est la virgule, comme dans les fichiers de l'INSEE."
    return ""


@contextmanager
def open_stock_file(
    path: Path, columns: tuple[str, ...], label: str
) -> Iterator[tuple[StockReader, Callable[[], float]]]:
    """Open a stock file (CSV, or a ZIP holding one CSV) as a StockReader.

    Also yields a function giving the fraction of the file read so far, for progress.
    """
    path = Path(path)
    if not path.is_file():
        raise SireneFileError(f"Fichier des {label} introuvable : {path}")
    with _open_binary(path, label) as (binary, size):
        stream = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")

        def fraction_read() -> float:
            return min(binary.tell() / size, 1.0) if size else 1.0

        try:
            yield StockReader(stream, columns, label, path.name), fraction_read
        finally:
            stream.detach()


@contextmanager
def _open_binary(path: Path, label: str) -> Iterator[tuple[IO[bytes], int]]:
    if not zipfile.is_zipfile(path):
        with path.open("rb") as binary:
            yield binary, path.stat().st_size
        return
    with zipfile.ZipFile(path) as archive:
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir() and re.search(r"\.csv$", info.filename, re.IGNORECASE)
        ]
        if len(members) != 1:
            raise SireneFileError(
                f"L'archive des {label} {path.name} doit contenir un seul fichier CSV "
                f"(elle en contient {len(members)})."
            )
        with archive.open(members[0]) as binary:
            yield binary, members[0].file_size
