"""Beancount plugin enforcing fund restrictions (SPEC 4, codes FL101 to FL501).

Use it from a ledger with ``plugin "fundledger.plugins.funds"``.  It is thin on purpose:
the fund engine does the work, so the figures the plugin checks are the very ones the
reports print.  It also copies each posting's resolved fund onto the posting, so that
``meta('fund')`` works in BQL and ``any(fund:"...")`` in Fava's filters.
"""

from __future__ import annotations

from typing import Any

from beancount.core import data

from fundledger.engine import FundError, analyse

__plugins__ = ("funds",)


def funds(entries: data.Directives, options_map: dict[str, Any],
          config: str | None = None) -> tuple[data.Directives, list[FundError]]:
    """Check every fund rule; return the entries with funds resolved, and the breaches."""
    books = analyse(entries, trace=False, annotate=True)
    return books.entries, books.errors
