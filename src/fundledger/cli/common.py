"""What every fundledger command shares: exit statuses, ledger loading, output formats.

Exit status (SPEC 5): 0 success; 1 the ledger has errors (output is still produced);
2 bad usage or unreadable input, with one line on stderr and no partial output file.
"""

from __future__ import annotations

import datetime
import json
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from fundledger import answers

# The CSV cell guard lives in fundledger.csvout (reports use it too); re-exported here.
from fundledger.csvout import csv_cell, numeric

if TYPE_CHECKING:  # the engine and Beancount are imported only when a command loads books
    from fundledger.ledger import Loaded

DATE = click.DateTime(formats=["%Y-%m-%d"])
FORMATS = click.Choice(["table", "csv", "json"])
LANGS = click.Choice(["fr", "it", "en"])
LEDGER = click.Path(path_type=Path)


def fail(message: str) -> NoReturn:
    """Bad usage or unreadable input: one line on stderr, exit status 2."""
    click.echo(f"fundledger: {message}", err=True)
    sys.exit(2)


def money(amount: Decimal) -> str:
    """A decimal string with two decimals, never ``-0.00``, whatever the amount's size."""
    from fundledger.engine import round_to_cent

    return str(round_to_cent(amount))


def open_ledger(path: Path, *, trace: bool = False,
                at: datetime.date | None = None, cache: bool = True) -> Loaded:
    """The loaded ledger of a one-shot command (frozen out of the cycle collector's sight
by the end of the load: ``collector.fewer_collections``).

    Say what the command needs (tracing, a date other than a quarter end) so that the
    plugin's one pass computes it: ``loaded.analysis(at, trace=...)`` then reuses it.
    """
    from fundledger.ledger import LedgerUnreadable, load

    try:
        loaded = load(path, trace=trace, at=at, cache=cache)
    except LedgerUnreadable as exc:
        fail(str(exc))
    return loaded


def ledger_errors(loaded: Loaded) -> list[Any]:
    """Beancount's errors and fundledger's (:meth:`fundledger.ledger.Loaded.all_errors`)."""
    return loaded.all_errors()


def as_date(value: datetime.datetime | None) -> datetime.date | None:
    return value.date() if value else None


def warn_errors(errors: list[Any] | int) -> None:
    """Say on stderr that the books have errors (a list of them, or their number)."""
    count = errors if isinstance(errors, int) else len(errors)
    if count:
        click.echo(answers.ERRORS_WARNING.format(count=count), err=True)


def answered(ledger: Path, command: str, params: tuple[Any, ...],
             compute: Callable[[], tuple[str, Loaded]]) -> NoReturn:
    """Print a command's answer and exit (1 when the books have errors).

    The answer is the one kept for the same question on unchanged books
    (:mod:`fundledger.answers`), else ``compute()``: the text to print and the loaded
    books it came from (their errors and source files); it is then kept for the next run.
    """
    found = answers.lookup(ledger, command, *params)
    if found is None:
        since = answers.started()
        output, loaded = compute()
        found = answers.Answer(output, len(ledger_errors(loaded)))
        answers.store(ledger, command, params, found,
                      tuple(loaded.options.get("include", ())), since)
    else:
        answers.alias(ledger, command, params)
    found.give()


def json_output(value: Any) -> str:
    """A command's JSON answer, as printed: indented, UTF-8 as is, one final newline."""
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def render_rows(rows: list[dict[str, Any]], fmt: str, columns: list[str]) -> str:
    """Rows as an aligned table or CSV (amounts already formatted), lines ending in newlines."""
    if fmt == "csv":
        import csv
        import io

        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows({c: csv_cell(row[c]) for c in columns} for row in rows)
        return text.getvalue()
    widths = {c: max([len(c)] + [len(str(r[c])) for r in rows]) for c in columns}
    left = {c for c in columns if rows and not numeric(str(rows[0][c]))}
    def line(values: dict[str, Any]) -> str:
        return "  ".join(str(values[c]).ljust(widths[c]) if c in left
                         else str(values[c]).rjust(widths[c]) for c in columns).rstrip()
    lines = [line({c: c for c in columns}), "  ".join("-" * widths[c] for c in columns)]
    return "\n".join(lines + [line(row) for row in rows]) + "\n"


def emit_rows(rows: list[dict[str, Any]], fmt: str, columns: list[str]) -> None:
    """Print rows as an aligned table or CSV (amounts already formatted)."""
    click.echo(render_rows(rows, fmt, columns), nl=False)
