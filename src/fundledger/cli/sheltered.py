"""`consolidate` and `receipts`: a host's consolidated books, and the tax receipts of gifts."""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from fundledger.cli.common import DATE, FORMATS, LEDGER, as_date, emit_rows, fail, open_ledger

if TYPE_CHECKING:  # pragma: no cover
    from fundledger.reports.consolidated import Consolidated

FIGURE_COLUMNS = ["received", "spent", "transfers_in", "transfers_out", "balance",
                  "loans_outstanding", "pledges_outstanding", "available"]


@click.command()
@click.argument("host", type=LEDGER)
@click.option("--at", "at", type=DATE, help="Figures after every entry dated on or before.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
def consolidate(host: Path, at: datetime.datetime | None, fmt: str) -> None:
    """The host's and each sheltered foundation's funds, and their consolidated totals.

    Fees a sheltered foundation pays its host, and transfers between entities, are
    eliminated from the totals on both sides. Each foundation's books are loaded and
    checked apart, in parallel.
    """
    from fundledger.reports import consolidated as report

    loaded = open_ledger(host)
    try:
        result = report.run(loaded, as_date(at))
    except report.ConsolidationError as exc:
        fail(str(exc))
    if fmt == "json":
        click.echo(json.dumps(report.as_json(result), indent=2, ensure_ascii=False))
    elif fmt == "csv":
        rows = [{"section": "fund", **row} for row in report.fund_rows(result)]
        rows += [{"section": "elimination", "entity": row["entity"], "fund": row["fund"],
                  "kind": row["kind"], **{c: row[c] for c in FIGURE_COLUMNS},
                  "note": f'{row["what"]} {row["year"]} with {row["counterpart"]}'}
                 for row in report.elimination_rows(result)]
        rows += [{"section": "total", "entity": "", "fund": "", **row}
                 for row in report.total_rows(result)]
        columns = ["section", "entity", "fund", "kind", *FIGURE_COLUMNS, "note"]
        emit_rows([{c: row.get(c, "") for c in columns} for row in rows], "csv", columns)
    else:
        _table(result)
    for line in result.errors:
        click.echo(line, err=True)
    if result.errors:
        click.echo(f"fundledger: {len(result.errors)} error(s) in the consolidated books",
                   err=True)
    sys.exit(1 if result.errors else 0)


def _table(result: Consolidated) -> None:
    from fundledger.reports import consolidated as rep

    funds = rep.fund_rows(result)
    for summary in result.result.entities:
        click.echo(f"{summary.entity}: {summary.label} ({summary.path})")
        rows = [{k: v for k, v in r.items() if k != "entity"}
                for r in funds if r["entity"] == summary.entity]
        emit_rows(rows, "table", ["fund", "kind", *FIGURE_COLUMNS])
        click.echo("")
    eliminations = rep.elimination_rows(result)
    click.echo("Eliminations (fees and transfers between entities)")
    if eliminations:
        emit_rows(eliminations, "table",
                  ["what", "year", "fund", "counterpart", "received", "spent", "balance"])
    else:
        click.echo("none")
    click.echo("")
    click.echo("Consolidated totals")
    emit_rows(rep.total_rows(result), "table", ["kind", *FIGURE_COLUMNS])
