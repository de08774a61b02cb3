import argparse
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, OutputWrapper

from companies.signals import registry_imported
from companies.sirene import (
    ESTABLISHMENT_COLUMNS,
    ESTABLISHMENTS_LABEL,
    UNIT_COLUMNS,
    UNITS_LABEL,
    SireneFileError,
    open_stock_file,
)
from companies.sirene_import import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_EXAMPLES,
    EstablishmentReport,
    Tally,
    UnitReport,
    import_establishments,
    import_units,
)


def number(value: float) -> str:
    """12345 -> '12 345' (French grouping)."""
    return f"{round(value):,}".replace(",", "\N{NARROW NO-BREAK SPACE}")


def at_least(minimum: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            parsed = int(value)
        except ValueError:
            parsed = minimum - 1
        if parsed < minimum:
            raise argparse.ArgumentTypeError(f"un entier d'au moins {minimum} est attendu")
        return parsed

    return parse


class ProgressLine:
    """A line on stderr with counts and rate: rewritten in place on a terminal, else every 10 s."""

    def __init__(self, out: OutputWrapper, label: str, fraction_read: Callable[[], float]):
        self.out = out
        self.label = label
        self.fraction_read = fraction_read
        self.interactive = out.isatty()
        self.interval = 0.2 if self.interactive else 10.0
        self.started = self.last_shown = time.monotonic()
        self.width = 0

    def __call__(self, report: UnitReport | EstablishmentReport) -> None:
        now = time.monotonic()
        if now - self.last_shown >= self.interval:
            self.last_shown = now
            self.show(report, final=False)

    def show(self, report: UnitReport | EstablishmentReport, *, final: bool) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        fraction = self.fraction_read()
        text = (
            f"{self.label} : {fraction * 100:.0f} % — {number(report.rows_read)} lignes lues, "
            f"{number(report.refused.total)} refusées — "
            f"{number(report.rows_read / elapsed)} lignes/s"
        )
        if not final and 0 < fraction < 1:
            remaining = elapsed * (1 - fraction) / fraction
            text += " — reste environ " + (
                f"{remaining / 60:.0f} min" if remaining >= 60 else f"{remaining:.0f} s"
            )
        # Progress is not an error: keep Django's red style of stderr off it.
        if self.interactive:
            padded = text.ljust(self.width)
            self.width = len(text)
            self.out.write(f"\r{padded}", style_func=str, ending="\n" if final else "")
        else:
            self.out.write(text, style_func=str)
        self.out.flush()


class Command(BaseCommand):
    help = (
        "Importe le répertoire SIRENE de l'INSEE dans le registre des entreprises : "
        "fichier des unités légales (StockUniteLegale) puis fichier des établissements "
        "(StockEtablissement), en CSV ou dans le ZIP de l'INSEE. Relancer l'import est sans "
        "risque : ce qui est déjà à jour n'est pas réécrit."
    )

    def add_arguments(self, parser):
        parser.add_argument("units", type=Path, help="fichier StockUniteLegale (CSV ou ZIP)")
        parser.add_argument(
            "establishments", type=Path, help="fichier StockEtablissement (CSV ou ZIP)"
        )
        parser.add_argument(
            "--batch-size",
            type=at_least(1),
            default=DEFAULT_BATCH_SIZE,
            help=f"lignes écrites par transaction (défaut : {DEFAULT_BATCH_SIZE})",
        )
        parser.add_argument(
            "--limit",
            type=at_least(1),
            default=None,
            help="lire au plus N lignes de chaque fichier",
        )
        parser.add_argument(
            "--examples",
            type=at_least(0),
            default=DEFAULT_EXAMPLES,
            help=f"exemples de lignes refusées montrés par motif (défaut : {DEFAULT_EXAMPLES})",
        )

    def handle(self, *args, **options):
        if settings.DEBUG:
            self.stderr.write(
                self.style.WARNING(
                    "DEBUG est activé : Django trace chaque requête, l'import sera plus lent."
                )
            )
        try:
            with ExitStack() as files:
                # Both headers are checked before the first write.
                units = files.enter_context(
                    open_stock_file(options["units"], UNIT_COLUMNS, UNITS_LABEL)
                )
                establishments = files.enter_context(
                    open_stock_file(
                        options["establishments"], ESTABLISHMENT_COLUMNS, ESTABLISHMENTS_LABEL
                    )
                )
                report, started = self._pass("Unités légales", import_units, units, options)
                self._report_units(options["units"], report, started)
                report, started = self._pass(
                    "Établissements", import_establishments, establishments, options
                )
                self._report_establishments(options["establishments"], report, started)
            # Renamed companies: their name is copied in the portfolios, for sorting.
            renamed = sum(n for _, n in registry_imported.send(sender=self.__class__) if n)
            if renamed:
                self.stdout.write(f"Portefeuilles : {renamed} dénomination(s) mise(s) à jour.")
        except SireneFileError as error:
            raise CommandError(str(error)) from error

    def _pass(self, label: str, importer, opened, options) -> tuple:
        rows, fraction_read = opened
        progress = ProgressLine(self.stderr, label, fraction_read)
        show = options["verbosity"] >= 1
        report = importer(
            rows,
            batch_size=options["batch_size"],
            limit=options["limit"],
            examples=options["examples"],
            progress=progress if show else None,
        )
        if show:
            progress.show(report, final=True)
        return report, progress.started

    def _report_units(self, path: Path, report: UnitReport, started: float) -> None:
        self._heading("Unités légales", path, report.rows_read, started)
        self._line("entreprises créées", report.created)
        self._line("entreprises mises à jour", report.updated)
        self._line("entreprises déjà à jour", report.unchanged)
        self._refusals(report.refused)

    def _report_establishments(
        self, path: Path, report: EstablishmentReport, started: float
    ) -> None:
        self._heading("Établissements", path, report.rows_read, started)
        self._line("adresses de siège enregistrées", report.addresses_set)
        self._line("adresses de siège déjà à jour", report.addresses_unchanged)
        self._line("établissements secondaires ignorés", report.not_head_office)
        self._refusals(report.refused)

    def _heading(self, title: str, path: Path, rows: int, started: float) -> None:
        elapsed = max(time.monotonic() - started, 1e-9)
        seconds = f"{elapsed:.1f}".replace(".", ",")
        self.stdout.write(
            self.style.MIGRATE_HEADING(
                f"{title} ({path.name}) : {number(rows)} lignes lues en {seconds} s "
                f"({number(rows / elapsed)} lignes/s)"
            )
        )

    def _line(self, label: str, value: int) -> None:
        self.stdout.write(f"  {label} : {number(value)}")

    def _refusals(self, refused: Tally) -> None:
        self._line("lignes refusées", refused.total)
        for reason, count in refused.counts.most_common():
            self.stdout.write(f"    {reason} : {number(count)}")
            for line, detail in refused.examples.get(reason, []):
                self.stdout.write(f"      ligne {line}" + (f" : {detail}" if detail else ""))
