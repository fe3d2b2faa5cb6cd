"""Beancount plugin enforcing fund restrictions (SPEC 4, codes FL101 to FL501).

Use it from a ledger with ``plugin "fundledger.plugins.funds"``.  It is thin on purpose:
the fund engine does the work, so the figures the plugin checks are the very ones the
reports print.  It also copies each posting's resolved fund onto the posting, so that
``meta('fund')`` works in BQL and ``any(fund:"...")`` in Fava's filters.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from beancount.core import data

from fundledger.engine import Books, FundError, analyse

__plugins__ = ("funds",)

#: Set while fundledger's own commands load a ledger: whether to trace, and where to keep
#: the books, so that a command never analyses the very same entries a second time.
_KEEP: ContextVar[tuple[bool, list[Books]] | None] = ContextVar("fundledger_keep", default=None)


@contextlib.contextmanager
def keeping_books(trace: bool = False) -> Iterator[list[Books]]:
    """Within the block, the plugin keeps the books it computes (traced if asked)."""
    kept: list[Books] = []
    token = _KEEP.set((trace, kept))
    try:
        yield kept
    finally:
        _KEEP.reset(token)


def funds(entries: data.Directives, options_map: dict[str, Any],
          config: str | None = None) -> tuple[data.Directives, list[FundError]]:
    """Check every fund rule; return the entries with funds resolved, and the breaches."""
    keep = _KEEP.get()
    books = analyse(entries, options=options_map, trace=keep is not None and keep[0],
                    annotate=True)
    if keep is not None:
        keep[1].append(books)
    errors = books.errors
    if config:
        # The plugin takes no configuration: say so rather than ignore what was meant.
        errors = [_config_refused(config), *errors]
    return books.entries, errors


def _config_refused(config: str) -> FundError:
    meta = data.new_metadata("<fundledger.plugins.funds>", 0)
    return FundError(meta, f'FL103 plugin "fundledger.plugins.funds" takes no configuration, '
                           f'got "{config}"', None, "FL103")
