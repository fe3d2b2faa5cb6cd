"""The one CSV writer of every CSV output (``funds``, ``trace``, the CSV reports...).

A spreadsheet reads a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, in some,
a tab or a carriage return) as a formula.  A payee such as ``=HYPERLINK(...)`` comes from
outside (a bank statement's debtor name), so every text cell that begins with one of
these gets a leading ``'``, which spreadsheets show as text.  Amounts stay plain numbers:
a cell that is a plain decimal number (``-1200.50``) is left as it is, since a number
cannot be a formula.  Reports that write their own CSV rows use :func:`csv_cell`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

#: What makes a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def numeric(text: str) -> bool:
    """Whether ``text`` is a plain decimal number."""
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run as a formula; amounts stay plain numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not numeric(value):
        return "'" + value
    return value


def cell(value: Any) -> Any:
    """One cell, safe to open in a spreadsheet (numbers untouched; ``None`` empty)."""
    return "" if value is None else csv_cell(value)


def write(stream: Any, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write ``header`` then ``rows`` (sequences of cells) as CSV to ``stream``."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([cell(h) for h in header])
    writer.writerows([cell(v) for v in row] for row in rows)


def to_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The CSV text of ``header`` and ``rows``."""
    buffer = io.StringIO()
    write(buffer, header, rows)
    return buffer.getvalue()


def dict_rows(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> list[list[Any]]:
    """Rows given as dicts, in ``columns`` order (missing keys empty)."""
    return [[row.get(c, "") for c in columns] for row in rows]
