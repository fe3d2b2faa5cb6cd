"""`budget` and `forecast`: the board's budget against actual, and the quarters ahead.

Thin: the figures come from the engine's planning family (:mod:`fundledger.engine.budget`),
computed in the one pass; this module only picks the books and formats them.  The JSON
shapes are documented in ``docs/budgets.md``.
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
    emit_rows,
    fail,
    json_output,
    ledger_errors,
    money,
    open_ledger,
    render_rows,
    warn_errors,
)
from fundledger.cli.core import _money_tree

if TYPE_CHECKING:
    from fundledger.engine.budget import Forecast
    from fundledger.ledger import Loaded

#: A fund's line without a subtree, in the table.
WHOLE_FUND = "(all)"


@click.command()
@click.argument("ledger", type=LEDGER)
@click.option("--year", required=True, type=click.IntRange(1, 9999),
              help="The budget year (YYYY).")
@click.option("--at", "at", type=DATE, help="Actual after every entry dated on or before.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
def budget(ledger: Path, year: int, at: datetime.datetime | None, fmt: str) -> None:
    """Budget, actual and rest per fund and account subtree for a year."""
    day = as_date(at)

    def compute() -> tuple[str, Loaded]:
        from fundledger.engine.budget import planning_of

        loaded = open_ledger(ledger, at=day)
        books = loaded.analysis(day, trace=False)
        rows = [row.as_dict() for row in planning_of(books).budget(year)]
        if fmt == "json":
            return json_output(_money_tree(rows)), loaded
        table = [{"fund": r["fund"], "year": r["year"],
                  "subtree": r["subtree"] or (WHOLE_FUND if fmt == "table" else ""),
                  "budget": money(r["budget"]), "actual": money(r["actual"]),
                  "rest": money(r["rest"])} for r in rows]
        title = ""
        if fmt == "table":
            when = f" at {day}" if day else ""
            title = f"Budget {year}{when}" + ("" if rows else ": no budget for this year") + "\n"
        return title + render_rows(table, fmt, ["fund", "year", "subtree", "budget", "actual",
                                                "rest"]), loaded

    answered(ledger, "budget", (year, day, fmt), compute)


@click.command()
@click.argument("ledger", type=LEDGER)
@click.option("--from", "start", type=DATE,
              help="Forecast from the books after every entry dated on or before this "
                   "date (default: today).")
@click.option("--quarters", type=click.IntRange(1, 400), default=8, show_default=True,
              help="How many quarter ends to forecast.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
def forecast(ledger: Path, start: datetime.datetime | None, quarters: int, fmt: str) -> None:
    """Uncommitted money per fund and the foundation's cash at each coming quarter end.

    Exits 1 when a quarter is flagged (a fund's uncommitted money or the cash below zero).
    """
    from fundledger.engine.budget import planning_of

    day = as_date(start) or datetime.date.today()
    loaded = open_ledger(ledger, at=day)
    books = loaded.analysis(day, trace=False)  # the books as they stood on the start day
    try:
        result = planning_of(books).forecast(day, quarters)
    except ValueError as exc:  # quarter ends beyond the last date Python knows
        fail(f"{ledger}: {exc}")
    if fmt == "json":
        click.echo(json_output(_money_tree(result.as_dict())), nl=False)
    elif fmt == "csv":
        emit_rows(_long_rows(result), "csv", LONG_COLUMNS)
    else:
        _table(result)
    errors = ledger_errors(loaded)
    warn_errors(errors)
    flagged = [q for q in result.quarters if q.flagged]
    if flagged:
        names = "; ".join(
            f"{q.label}: " + ", ".join([f.fund for f in q.funds if f.flagged]
                                       + (["cash"] if q.cash.flagged else []))
            for q in flagged)
        click.echo(f"fundledger: below zero in {len(flagged)} quarter(s): {names}", err=True)
    sys.exit(1 if errors or flagged else 0)


#: The forecast as CSV: one row per quarter and fund (uncommitted) and per quarter (cash).
LONG_COLUMNS = ["quarter", "end", "kind", "fund", "opening", "pledges", "loans", "income",
                "outgoing", "closing", "flagged"]


def _long_rows(result: Forecast) -> list[dict[str, Any]]:
    rows = []
    for quarter in result.quarters:
        base = {"quarter": quarter.label, "end": quarter.end.isoformat()}
        for f in quarter.funds:
            rows.append({**base, "kind": "uncommitted", "fund": f.fund,
                         "opening": money(f.available), "pledges": money(f.pledges),
                         "loans": money(f.loans), "income": money(f.income),
                         "outgoing": money(f.budgets), "closing": money(f.uncommitted),
                         "flagged": _yes(f.flagged)})
        c = quarter.cash
        rows.append({**base, "kind": "cash", "fund": "", "opening": money(c.bank),
                     "pledges": money(c.pledges), "loans": money(c.loans),
                     "income": money(c.income), "outgoing": money(c.payments),
                     "closing": money(c.cash), "flagged": _yes(c.flagged)})
    return rows


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _table(result: Forecast) -> None:
    """Funds down, quarter ends across; a flagged figure ends with ``!``."""
    click.echo(f"Forecast from {result.start}: uncommitted money per fund and cash in the "
               "bank accounts at each quarter end (! below zero)")
    rows: list[dict[str, Any]] = []
    columns = ["fund"] + [q.label for q in result.quarters]
    if result.quarters:
        for index, outlook in enumerate(result.quarters[0].funds):
            row: dict[str, Any] = {"fund": outlook.fund}
            for quarter in result.quarters:
                figure = quarter.funds[index]
                row[quarter.label] = _mark(figure.uncommitted, figure.flagged)
            rows.append(row)
        rows.append({"fund": "cash", **{q.label: _mark(q.cash.cash, q.cash.flagged)
                                        for q in result.quarters}})
    emit_rows(rows, "table", columns)
    if result.unscheduled:
        click.echo("\nGrants with no planned payment nor end date (not paid in the forecast):")
        emit_rows([{k: money(v) if isinstance(v, Decimal) else v
                    for k, v in u.as_dict().items()} for u in result.unscheduled],
                  "table", ["grant", "fund", "grantee", "amount"])
    if result.not_counted:
        click.echo("\nMoney owed but not counted (overdue, undated or in arrears):")
        emit_rows([{k: money(v) if isinstance(v, Decimal) else ("" if v is None else v)
                    for k, v in n.as_dict().items()} for n in result.not_counted],
                  "table", ["kind", "fund", "who", "date", "amount", "reason"])


def _mark(amount: Decimal, flagged: bool) -> str:
    return money(amount) + ("!" if flagged else "")
