"""`check`, `funds` and `trace`: the fund engine's figures on the command line.

``funds`` and ``trace`` answer from :mod:`fundledger.answers` when the books did not change
since they last answered the same question; the engine and Beancount are then never
imported (they are imported inside the commands, not here).  ``check`` always runs.
"""

from __future__ import annotations

import datetime
import sys
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from fundledger.cli.common import (
    DATE,
    FORMATS,
    LEDGER,
    answered,
    as_date,
    fail,
    json_output,
    ledger_errors,
    money,
    open_ledger,
    render_rows,
)

if TYPE_CHECKING:
    from fundledger.ledger import Loaded


@click.command()
@click.argument("ledger", type=LEDGER)
def check(ledger: Path) -> None:
    """Load LEDGER with all plugins and list every error as FILE:LINE: CODE message."""
    from fundledger.engine import code_of
    from fundledger.ledger import format_error

    loaded = open_ledger(ledger, cache=False)  # a verdict never comes from a cache
    errors = ledger_errors(loaded)
    for error in errors:
        click.echo(format_error(error))
    if errors:
        codes: dict[str, int] = {}
        for error in errors:
            code = code_of(error) or "beancount"
            codes[code] = codes.get(code, 0) + 1
        detail = ", ".join(f"{n} {c}" for c, n in sorted(codes.items()))
        click.echo(f"{ledger}: {len(errors)} error(s) ({detail})")
        sys.exit(1)
    click.echo(f"{ledger}: no errors ({len(loaded.entries)} entries)")


@click.command()
@click.argument("ledger", type=LEDGER)
@click.option("--at", "at", type=DATE, help="Figures after every entry dated on or before.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
def funds(ledger: Path, at: datetime.datetime | None, fmt: str) -> None:
    """Fund figures (received, spent, transfers, balance, loans, pledges, available)."""
    day = as_date(at)

    def compute() -> tuple[str, Loaded]:
        loaded = open_ledger(ledger, at=day)
        books = loaded.analysis(day, trace=False)
        rows = [{k: money(v) if isinstance(v, Decimal) else v for k, v in f.as_dict().items()}
                for f in books.figures.values()]
        if fmt == "json":
            return json_output(rows), loaded
        return render_rows(rows, fmt, list(rows[0]) if rows else ["fund"]), loaded

    answered(ledger, "funds", (day, fmt), compute)


@click.command()
@click.argument("ledger", type=LEDGER)
@click.option("--contributor", required=True, help="Contributor name (payee or contributor:).")
@click.option("--at", "at", type=DATE, help="Trace after every entry dated on or before.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
def trace(ledger: Path, contributor: str, at: datetime.datetime | None, fmt: str) -> None:
    """Where a contributor's money went: given, earned, used, unspent, pledged."""
    day = as_date(at)

    def compute() -> tuple[str, Loaded]:
        loaded = open_ledger(ledger, trace=True, at=day)
        books = loaded.analysis(day, trace=True)
        if books.untraceable:
            fail(books.untraceable)
        found = books.find_contributor(contributor)
        if found is None:
            fail(f'{ledger}: unknown contributor "{contributor}" '
                 f"(known: {', '.join(books.contributors()) or 'none'})")
        result = _money_tree(books.trace(found).as_dict())
        if fmt == "json":
            return json_output(result), loaded
        rows = [{"part": part, "fund": item["fund"], "kind": item.get("kind", ""),
                 "id": item.get("id", ""), "amount": item["amount"]}
                for part in ("given", "earned", "used", "unspent", "pledged")
                for item in result[part]]
        title = f"Contributor: {found}\n" if fmt == "table" else ""
        return title + render_rows(rows, fmt, ["part", "fund", "kind", "id", "amount"]), loaded

    answered(ledger, "trace", (contributor, day, fmt), compute)


def _money_tree(value: Any) -> Any:
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, dict):
        return {k: _money_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_money_tree(v) for v in value]
    return value
