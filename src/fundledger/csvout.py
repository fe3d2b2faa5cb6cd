"""The one CSV writer of every CSV output (``funds``, ``trace``, the CSV reports...).

A spreadsheet reads a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, in some,
a tab or a carriage return) as a formula.  A payee such as ``=HYPERLINK(...)`` comes from
outside (a bank statement's debtor name), so every text cell that begins with one of
these gets a leading ``'``, which spreadsheets show as text.  Amounts stay plain numbers:
a cell that is a plain decimal number (``-1200.50``) is left as it is, since a number
cannot be a formula.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

#: What makes a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def cell(value: Any) -> Any:
    """One cell, safe to open in a spreadsheet (numbers untouched)."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


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
