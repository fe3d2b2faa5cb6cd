"""`pipeline`: a programme's applications, their stages and amounts.

Answered from :mod:`fundledger.answers` when the books did not change since the same
question (Beancount and the engine are then not imported); ``propose`` is in its own
module, :mod:`fundledger.cli.propose`.
"""

from __future__ import annotations

import datetime
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
    money,
    open_ledger,
    render_rows,
)

PIPELINE_COLUMNS = ["application", "programme", "beneficiary", "stage", "hours",
                    "eligible_cost", "approved", "awarded", "paid", "revoked"]

if TYPE_CHECKING:
    from fundledger.ledger import Loaded


def _hours(value: Decimal) -> int | float:
    """Hours as a JSON number: whole hours as integers, else as decimals."""
    return int(value) if value == value.to_integral_value() else float(value)


@click.command()
@click.argument("ledger", type=LEDGER)
@click.option("--programme", "programme", help="Only the applications to this programme.")
@click.option("--at", "at", type=DATE, help="The pipeline after every entry dated on or before.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
def pipeline(ledger: Path, programme: str | None, at: datetime.datetime | None,
             fmt: str) -> None:
    """Each application with its stage, hours, eligible cost and amounts."""
    day = as_date(at)

    def compute() -> tuple[str, Loaded]:
        rows, loaded = _pipeline(ledger, programme, day)
        if fmt == "json":
            rows = [{**item, "hours": _hours(Decimal(item["hours"]))} for item in rows]
            return json_output(rows), loaded
        # CSV cells that start like a formula are neutralised by render_rows (csvout)
        return render_rows(rows, fmt, PIPELINE_COLUMNS), loaded

    answered(ledger, "pipeline", (programme, day, fmt), compute)


def _pipeline(ledger: Path, programme: str | None,
              day: datetime.date | None) -> tuple[list[dict[str, Any]], Loaded]:
    """The pipeline's rows (amounts and hours as strings) from the books' one pass, and
    the loaded books."""
    from fundledger.engine.programmes import programmes_of

    loaded = open_ledger(ledger, at=day)  # the pass keeps what stood at that date
    family = programmes_of(loaded.analysis(trace=False))
    if programme is not None and programme not in family.programmes:
        known = ", ".join(family.programmes) or "none"
        fail(f'{ledger}: unknown programme "{programme}" (known: {known})')
    rows = []
    for row in family.pipeline(programme, day):
        rows.append({k: (money(v) if isinstance(v, Decimal) and k != "hours"
                         else str(v) if k == "hours" else v)
                     for k, v in row.as_dict().items()})
    return rows, loaded
