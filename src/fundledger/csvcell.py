"""The CSV cell guard shared by every CSV fundledger writes (command output, reports).

A spreadsheet reads a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula; payees and contributor names come from outside (a bank
statement), so such text gets a leading ``'``.  A plain number (``-1200.50``) cannot be a
formula and stays a number.  Kept out of the command-line layer so that reports (the
receipts' totals) use it without depending on the CLI; ``fundledger.cli.common``
re-exports it.
"""

from __future__ import annotations

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
