"""`check`, `funds` and `trace`: the fund engine's figures on the command line."""

from __future__ import annotations

import datetime
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from fundledger.cli.common import (
    DATE,
    FORMATS,
    LEDGER,
    as_date,
    emit_rows,
    fail,
    ledger_errors,
    money,
    open_ledger,
    warn_errors,
)
from fundledger.engine import code_of
from fundledger.ledger import format_error


@click.command()
@click.argument("ledger", type=LEDGER)
def check(ledger: Path) -> None:
    """Load LEDGER with all plugins and list every error as FILE:LINE: CODE message."""
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
    loaded = open_ledger(ledger, at=as_date(at))
    books = loaded.analysis(as_date(at), trace=False)
    rows = [{k: money(v) if isinstance(v, Decimal) else v for k, v in f.as_dict().items()}
            for f in books.figures.values()]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        emit_rows(rows, fmt, list(rows[0]) if rows else ["fund"])
    errors = ledger_errors(loaded)
    warn_errors(errors)
    sys.exit(1 if errors else 0)


@click.command()
@click.argument("ledger", type=LEDGER)
@click.option("--contributor", required=True, help="Contributor name (payee or contributor:).")
@click.option("--at", "at", type=DATE, help="Trace after every entry dated on or before.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
def trace(ledger: Path, contributor: str, at: datetime.datetime | None, fmt: str) -> None:
    """Where a contributor's money went: given, earned, used, unspent, pledged."""
    loaded = open_ledger(ledger, trace=True, at=as_date(at))
    books = loaded.analysis(as_date(at), trace=True)
    if books.untraceable:
        fail(books.untraceable)
    name = books.find_contributor(contributor)
    if name is None:
        fail(f'{ledger}: unknown contributor "{contributor}" '
             f"(known: {', '.join(books.contributors()) or 'none'})")
    result = books.trace(name).as_dict()
    if fmt == "json":
        click.echo(json.dumps(_money_tree(result), indent=2, ensure_ascii=False))
    else:
        rows = [{"part": part, "fund": item["fund"], "kind": item.get("kind", ""),
                 "id": item.get("id", ""), "amount": money(item["amount"])}
                for part in ("given", "earned", "used", "unspent", "pledged")
                for item in result[part]]
        if fmt == "table":
            click.echo(f"Contributor: {name}")
        emit_rows(rows, fmt, ["part", "fund", "kind", "id", "amount"])
    errors = ledger_errors(loaded)
    warn_errors(errors)
    sys.exit(1 if errors else 0)


def _money_tree(value: Any) -> Any:
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, dict):
        return {k: _money_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_money_tree(v) for v in value]
    return value
