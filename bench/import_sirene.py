"""Benchmark of the SIRENE import on synthetic stock files (not a test).

Writes a pair of files in INSEE's format (the headers of tests/data/sirene/) to a
temporary folder: N legal units (default 200,000; a fifth of them sole traders, a few
ceased, a few invalid SIRENs) and about 1.3 N establishments (every head office and some
secondary establishments). Imports them with the command's own functions, then imports
them again (every row is then found unchanged), and prints rows/s and peak memory of each
pass. Memory should not grow with N: run it at two sizes and compare.

Usage:
    .venv/bin/python bench/import_sirene.py [--rows N] [--batch-size B] [--tracemalloc]
        SQLite: a new database file in the temporary folder.
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sirene_db \\
        .venv/bin/python bench/import_sirene.py
        PostgreSQL: the database must hold no company; the bench empties what it filled.
"""

import argparse
import csv
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "data" / "sirene"

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--rows", type=int, default=200_000, help="legal units (default 200,000)")
parser.add_argument("--batch-size", type=int, default=5000)
parser.add_argument(
    "--tracemalloc", action="store_true", help="also trace Python allocations (slower)"
)
parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
args = parser.parse_args()

workdir = Path(tempfile.mkdtemp(prefix="bench-sirene-"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnop")
os.environ.setdefault("SITE_URL", "http://testserver")
if "DATABASE_URL" not in os.environ:
    os.environ["VAR_DIR"] = str(workdir)  # a new SQLite database for this run

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from stdnum import luhn  # noqa: E402

from companies.models import Company  # noqa: E402
from companies.sirene import (  # noqa: E402
    ESTABLISHMENT_COLUMNS,
    ESTABLISHMENTS_LABEL,
    UNIT_COLUMNS,
    UNITS_LABEL,
    open_stock_file,
)
from companies.sirene_import import import_establishments, import_units  # noqa: E402

FIRST_NAMES = ["JEAN", "MARIE", "HÉLÈNE", "LUC", "ÉLODIE", "KARIM", "NGOC", "FRANÇOIS"]
LAST_NAMES = ["DUPONT", "MARTIN", "LEFÈVRE", "GARÇON", "NGUYEN", "BENALI", "ROUSSEAU"]
WORDS = ["BOULANGERIE", "GARAGE", "CABINET", "SOCIETE", "ATELIER", "TRANSPORTS", "CAFE"]
PLACES = ["DU CHÂTEAU", "DES LILAS", "DE LA GARE", "DU PORT", "DES PINS", "SAINT-ROCH"]
STREET_TYPES = ["RUE", "AV", "BD", "PL", "CHE", "RTE", "IMP", "ALL", "QUAI", "QUA", "ZAC", ""]
CITIES = [("75011", "PARIS 11"), ("69003", "LYON 3E"), ("13001", "MARSEILLE"), ("59000", "LILLE")]


def header(sample: str) -> list[str]:
    with (SAMPLES / sample).open(encoding="utf-8", newline="") as stream:
        return next(csv.reader(stream))


def siren(index: int) -> str:
    base = f"{20_000_000 + index:08d}"
    return base + luhn.calc_check_digit(base)


def write_files(rows: int, rng: random.Random) -> tuple[Path, Path, int]:
    """Write both files a row at a time (the generator holds no list of rows either)."""
    units_path, establishments_path = workdir / "units.csv", workdir / "establishments.csv"
    unit_header = header("StockUniteLegale_sample.csv")
    establishment_header = header("StockEtablissement_sample.csv")
    unit_at = {name: i for i, name in enumerate(unit_header)}
    establishment_at = {name: i for i, name in enumerate(establishment_header)}
    establishments = 0
    with (
        units_path.open("w", encoding="utf-8", newline="") as units_file,
        establishments_path.open("w", encoding="utf-8", newline="") as establishments_file,
    ):
        units_csv, establishments_csv = csv.writer(units_file), csv.writer(establishments_file)
        units_csv.writerow(unit_header)
        establishments_csv.writerow(establishment_header)
        for index in range(rows):
            identifier = siren(index)
            if rng.random() < 0.002:
                identifier = identifier[:-1] + str((int(identifier[-1]) + 1) % 10)
            unit = [""] * len(unit_header)
            values = {
                "siren": identifier,
                "statutDiffusionUniteLegale": "O",
                "etatAdministratifUniteLegale": "C" if rng.random() < 0.05 else "A",
                "nicSiegeUniteLegale": "00012",
                "nomenclatureActivitePrincipaleUniteLegale": "NAFRev2",
                "activitePrincipaleUniteLegale": "47.24Z",
            }
            if rng.random() < 0.2:
                values |= {
                    "prenom1UniteLegale": rng.choice(FIRST_NAMES),
                    "prenomUsuelUniteLegale": rng.choice(FIRST_NAMES),
                    "nomUniteLegale": rng.choice(LAST_NAMES),
                    "categorieJuridiqueUniteLegale": "1000",
                }
            else:
                values |= {
                    "denominationUniteLegale": f"{rng.choice(WORDS)} {rng.choice(PLACES)} {index}",
                    "categorieJuridiqueUniteLegale": rng.choice(["5499", "5710", "9220"]),
                }
            for name, value in values.items():
                unit[unit_at[name]] = value
            units_csv.writerow(unit)
            sites = [("00012", True)] + ([("00020", False)] if rng.random() < 0.3 else [])
            for nic, head_office in sites:
                postal_code, city = rng.choice(CITIES)
                row = [""] * len(establishment_header)
                for name, value in {
                    "siren": identifier,
                    "nic": nic,
                    "siret": identifier + nic,
                    "etablissementSiege": "true" if head_office else "false",
                    "numeroVoieEtablissement": str(rng.randint(1, 120)),
                    "indiceRepetitionEtablissement": "B" if rng.random() < 0.05 else "",
                    "typeVoieEtablissement": rng.choice(STREET_TYPES),
                    "libelleVoieEtablissement": rng.choice(PLACES),
                    "codePostalEtablissement": postal_code,
                    "libelleCommuneEtablissement": city,
                    "etatAdministratifEtablissement": "A",
                }.items():
                    row[establishment_at[name]] = value
                establishments_csv.writerow(row)
                establishments += 1
    return units_path, establishments_path, establishments


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_pass(label, importer, path, columns, file_label):
    if args.tracemalloc:
        tracemalloc.reset_peak()
    started = time.perf_counter()
    with open_stock_file(path, columns, file_label) as (rows, _):
        report = importer(rows, batch_size=args.batch_size)
    elapsed = time.perf_counter() - started
    traced = f", Python heap peak {tracemalloc.get_traced_memory()[1] / 2**20:6.1f} MiB"
    print(
        f"  {label:<40} {report.rows_read:>9,} rows {elapsed:7.1f} s "
        f"{report.rows_read / elapsed:>9,.0f} rows/s   peak RSS {peak_rss_mib():6.1f} MiB"
        + (traced if args.tracemalloc else "")
    )
    return report


def main() -> None:
    call_command("migrate", verbosity=0)
    if Company.objects.exists():
        sys.exit(
            f"The database {connection.settings_dict['NAME']} already holds companies: "
            "the bench needs one without any (createdb a new one)."
        )
    started = time.perf_counter()
    units_path, establishments_path, establishments = write_files(args.rows, random.Random(4))  # noqa: S311 (test data)
    print(
        f"{connection.vendor}, {args.rows:,} units + {establishments:,} establishments "
        f"({(units_path.stat().st_size + establishments_path.stat().st_size) / 2**20:.0f} MiB "
        f"of CSV, written in {time.perf_counter() - started:.1f} s), batch {args.batch_size}"
    )
    print(f"  peak RSS before importing: {peak_rss_mib():.1f} MiB")
    if args.tracemalloc:
        tracemalloc.start()
    try:
        for run in ("first import", "re-run (all unchanged)"):
            units = run_pass(f"units, {run}", import_units, units_path, UNIT_COLUMNS, UNITS_LABEL)
            addresses = run_pass(
                f"establishments, {run}",
                import_establishments,
                establishments_path,
                ESTABLISHMENT_COLUMNS,
                ESTABLISHMENTS_LABEL,
            )
            print(
                f"    created {units.created:,}, updated {units.updated:,}, "
                f"unchanged {units.unchanged:,}, refused {units.refused.total:,}; "
                f"addresses set {addresses.addresses_set:,}, "
                f"unchanged {addresses.addresses_unchanged:,}"
            )
    finally:
        Company.objects.all().delete()
        if args.keep:
            print(f"  files kept in {workdir}")
        else:
            shutil.rmtree(workdir)


main()
