"""The load test's figures (bench/load/run.py): locust's statistics read into rows, the table
printed, and the targets of issue 11 met or not."""

import csv
import sys
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Row:
    label: str
    rps: float
    p50: float
    p95: float
    p99: float
    requests: int
    errors: int
    key: str = ""
    share: float | None = None  # of the floor (or of the Argon2id floor, for logins)
    server_cores: float | None = None
    cpu_ms: float | None = None  # server CPU per request (PostgreSQL's not included)
    # The floor's CPU per request over this one's (Argon2id's for logins): the share the app
    # servers alone would allow on an idle machine, steadier than req/s on a shared one.
    cpu_share: float | None = None
    client_cores: float | None = None
    load: str = ""
    details: list[dict] = field(default_factory=list)


def read_stats(prefix: Path) -> dict[str, dict]:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        return {row["Name"]: row for row in csv.DictReader(f)}


def number(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return float("nan")


def make_row(scenario, stats: dict[str, dict], label: str) -> Row:
    main = stats.get(scenario.entries[0])
    if main is None:
        sys.exit(f"No figures for {scenario.entries[0]!r} in {scenario.key}: {sorted(stats)}")
    errors = sum(int(stats[name]["Failure Count"]) for name in scenario.entries if name in stats)
    row = Row(
        key=scenario.key,
        label=label,
        rps=number(main["Requests/s"]),
        p50=number(main["50%"]),
        p95=number(main["95%"]),
        p99=number(main["99%"]),
        requests=int(main["Request Count"]),
        errors=errors,
    )
    if scenario.kind == "journey":
        row.errors = int(main["Failure Count"])
    if scenario.details:
        for name, entry in stats.items():
            if name == "Aggregated" or entry["Name"].startswith("setup"):
                continue
            row.details.append(
                {
                    "name": name,
                    "method": entry["Type"],
                    "rps": number(entry["Requests/s"]),
                    "p50": number(entry["50%"]),
                    "p95": number(entry["95%"]),
                    "p99": number(entry["99%"]),
                    "requests": int(entry["Request Count"]),
                    "errors": int(entry["Failure Count"]),
                }
            )
    return row


def print_table(rows: list[Row], out=sys.stdout) -> None:
    head = (
        f"{'scenario':<56} {'req/s':>8} {'p50':>6} {'p95':>6} {'p99':>6} {'errors':>7} "
        f"{'share':>7} {'srv/cli cores':>13} {'cpu ms':>6} {'cpu share':>9}"
    )
    print(head, file=out)
    print("-" * len(head), file=out)
    for row in rows:
        share = f"{row.share:.1%}" if row.share is not None else ""
        cores = (
            f"{row.server_cores:.2f}/{row.client_cores:.2f}" if row.server_cores is not None else ""
        )
        print(
            f"{row.label:<56} {row.rps:>8.1f} {row.p50:>6.0f} {row.p95:>6.0f} {row.p99:>6.0f} "
            f"{row.errors:>7} {share:>7} {cores:>13} {row.cpu_ms or 0:>6.1f} "
            f"{f'{row.cpu_share:.1%}' if row.cpu_share is not None else '':>9}",
            file=out,
        )
        for d in row.details:
            print(
                f"    {d['method'] + ' ' + d['name']:<52} {d['rps']:>8.1f} {d['p50']:>6.0f} "
                f"{d['p95']:>6.0f} {d['p99']:>6.0f} {d['errors']:>7}",
                file=out,
            )


def verdicts(rows: dict[str, Row]) -> list[str]:
    """The issue's targets (issue 11), met or not."""
    lines = []
    for key in ("terms_in", "home", "portfolio", "dossier"):
        if key in rows and rows[key].share is not None:
            r = rows[key]
            ok = r.share >= 0.15 and r.p99 <= 100
            lines.append(
                f"{'MET ' if ok else 'MISSED'} {r.label}: {r.share:.1%} of the floor (≥ 15 %), "
                f"p99 {r.p99:.0f} ms (≤ 100 ms)"
            )
    if "big_portfolio" in rows and rows["big_portfolio"].share is not None:
        r = rows["big_portfolio"]
        ok = r.share >= 0.08
        lines.append(f"{'MET ' if ok else 'MISSED'} {r.label}: {r.share:.1%} of the floor (≥ 8 %)")
    if "logins" in rows and rows["logins"].share is not None:
        r = rows["logins"]
        ok = r.share >= 0.75
        lines.append(
            f"{'MET ' if ok else 'MISSED'} full logins: {r.share:.1%} of the Argon2id floor "
            "(≥ 75 %)"
        )
    errors = sum(r.errors for r in rows.values())
    lines.append(f"{'MET ' if not errors else 'MISSED'} no error: {errors} errors in all")
    return lines
