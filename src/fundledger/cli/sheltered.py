"""`consolidate` and `receipts`: a host's consolidated books, and the tax receipts of gifts."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from fundledger.cli.common import (
    DATE,
    FORMATS,
    LEDGER,
    as_date,
    emit_rows,
    fail,
    json_output,
    open_ledger,
)

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

    loaded = open_ledger(host, at=as_date(at))
    try:
        result = report.run(loaded, as_date(at))
    except report.ConsolidationError as exc:
        fail(str(exc))
    if fmt == "json":
        click.echo(json_output(report.as_json(result)), nl=False)
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


@click.command()
@click.argument("ledger", type=LEDGER)
@click.option("--year", required=True, type=click.IntRange(1900, 9999),
              help="Issue the receipts of this year's gifts.")
@click.option("-o", "--output", "out", required=True, type=click.Path(path_type=Path),
              help="Folder for the PDF receipts and the year's totals.")
@click.option("--issuer", "host", type=LEDGER,
              help="The host's books: it issues the receipts, in its series.")
def receipts(ledger: Path, year: int, out: Path, host: Path | None) -> None:
    """Issue a tax receipt (PDF) for each of the year's gifts that opens a tax reduction.

    Each receipt is numbered in its issuer's series for the year and recorded in LEDGER
    (custom "receipt"); running again issues only the receipts still missing. Also writes
    the year's totals by form for the annual declaration of receipts issued.
    """
    from fundledger.files import FileChanged
    from fundledger.ledger import format_error
    from fundledger.reports import receipts as report

    if out.is_symlink():
        fail(f"{out}: is a symbolic link; refusing to write through it")
    if out.exists() and not out.is_dir():
        fail(f"{out}: not a folder")
    for path in (ledger, host):
        if path is not None and not path.is_file():
            fail(f"{path}: no such ledger file")
    try:
        out.mkdir(parents=True, exist_ok=True)
        result = report.issue(ledger, year, out, host)
    except report.ReceiptError as exc:
        fail(str(exc))
    except (OSError, FileChanged) as exc:
        fail(f"{out}: cannot write: {getattr(exc, 'strerror', None) or exc}")
    issuer = result.issuer.name or "the ledger"
    missing = result.issuer.missing()
    if missing:
        click.echo(f"fundledger: {issuer}: receipts lack the issuer's "
                   + ", ".join(f'fundledger-option "{m}"' for m in missing), err=True)
    for receipt in result.new:
        click.echo(f"{receipt.number}  {receipt.date}  {receipt.form}  "
                   f"{receipt.amount:>12.2f} EUR  {receipt.contributor}")
    click.echo(f"{ledger}: {len(result.new)} receipt(s) issued for {year} by {issuer}; "
               f"{len(result.written)} PDF(s) written to {out}; totals in "
               f"{result.totals_file}")
    errors = result.errors
    for error in errors:
        click.echo(format_error(error, ledger), err=True)
    sys.exit(1 if errors else 0)
