"""Beancount plugin enforcing fund restrictions (SPEC 4, codes FL101 to FL501).

Use it from a ledger with ``plugin "fundledger.plugins.funds"``.  It is thin on purpose:
the fund engine does the work, so the figures the plugin checks are the very ones the
reports print.  It also copies each posting's resolved fund onto the posting, so that
``meta('fund')`` works in BQL and ``any(fund:"...")`` in Fava's filters.
"""

from __future__ import annotations

import contextlib
import datetime
import operator
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from beancount.core import data
from beancount.parser.grammar import ValueType

from fundledger.engine import Books, FundError, analyse

__plugins__ = ("funds",)

@dataclass(frozen=True)
class Request:
    """What a fundledger command asks of the plugin's pass, besides checking the rules:
    tracing (up to a date), and what to keep at dates other than quarter ends."""

    trace: bool = False
    trace_until: datetime.date | None = None
    snapshots: tuple[datetime.date, ...] = ()
    #: Copy each posting's fund onto it (for BQL and Fava's filters).  fundledger's own
    #: commands read the books, not the postings' metadata, and skip it: new postings
    #: for most of the ledger cost a fifth of the plugin's time.
    annotate: bool = False
    #: Keep only the traces' sums once the pass is over (a server keeps its books).
    freeze_trace: bool = False


#: Set while fundledger's own commands load a ledger: what to compute, and where to keep
#: the books, so that a command never analyses the very same entries a second time.
_KEEP: ContextVar[tuple[Request, list[Books]] | None] = ContextVar("fundledger_keep",
                                                                   default=None)


@contextlib.contextmanager
def keeping_books(request: Request = Request()) -> Iterator[list[Books]]:
    """Within the block, the plugin computes what ``request`` asks and keeps its books."""
    kept: list[Books] = []
    token = _KEEP.set((request, kept))
    try:
        yield kept
    finally:
        _KEEP.reset(token)


class _Served:
    """In a process that serves the books (Fava), the plugin keeps its last books, traced,
    so that the pages read the very pass that checked the rules instead of running
    another one, and a contributor's page finds its trace ready (see :func:`serving`)."""

    enabled = False
    trace = True
    name_extension = False
    books: Books | None = None


def serving(trace: bool = True, name_extension: bool = False) -> None:
    """From now on, keep the plugin's last books for :func:`last_books` (Fava's pages);
    with ``name_extension`` (``fundledger serve``), also make every ledger loaded name the
    fundledger pages."""
    _Served.enabled, _Served.trace = True, trace
    _Served.name_extension = _Served.name_extension or name_extension


def last_books(entries: list[data.Directive]) -> Books | None:
    """The plugin's books of exactly ``entries`` (what a loader returned), if it kept them."""
    books = _Served.books
    return books if books is not None and same_entries(books.entries, entries) else None


#: The Fava extension of the fundledger pages, as a ``custom "fava-extension"`` names it.
FAVA_EXTENSION = "fundledger.fava"


def _name_the_extension(entries: list[data.Directive]) -> None:
    """Serving books that do not name the fundledger pages, add the ``fava-extension``
    entry that would (Fava loads the extensions its entries name: its public way)."""
    if not entries or any(isinstance(e, data.Custom) and e.type == "fava-extension"
                          and e.values and e.values[0].value == FAVA_EXTENSION
                          for e in entries):
        return
    meta = data.new_metadata("<fundledger serve>", 0)
    entries.append(data.Custom(meta, entries[0].date, "fava-extension",
                               [ValueType(FAVA_EXTENSION, str)]))


def same_entries(ours: list[data.Directive], final: list[data.Directive]) -> bool:
    """Whether a loader returned the very entries the plugin gave back (no later plugin,
    no cache replay, changed them)."""
    return len(ours) == len(final) and all(map(operator.is_, ours, final))


def funds(entries: data.Directives, options_map: dict[str, Any],
          config: str | None = None) -> tuple[data.Directives, list[FundError]]:
    """Check every fund rule; return the entries with funds resolved, and the breaches."""
    keep = _KEEP.get()
    request = (keep[0] if keep is not None
               else Request(trace=_Served.enabled and _Served.trace, annotate=True,
                            freeze_trace=_Served.enabled))
    books = analyse(entries, options=options_map, trace=request.trace,
                    trace_until=request.trace_until, snapshots=request.snapshots,
                    annotate=request.annotate, in_place=True,
                    freeze_trace=request.freeze_trace)
    if keep is not None:
        keep[1].append(books)
    elif _Served.enabled:
        _Served.books = books
        if _Served.name_extension:
            _name_the_extension(books.entries)
    errors = books.errors
    if config:
        # The plugin takes no configuration: say so rather than ignore what was meant.
        errors = [_config_refused(config), *errors]
    return books.entries, errors


def _config_refused(config: str) -> FundError:
    meta = data.new_metadata("<fundledger.plugins.funds>", 0)
    return FundError(meta, f'FL103 plugin "fundledger.plugins.funds" takes no configuration, '
                           f'got "{config}"', None, "FL103")
