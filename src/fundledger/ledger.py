"""Loading a ledger: the only place fundledger reads Beancount files.

Loading goes through ``beancount.loader.load_file`` so Beancount's pickle cache serves
repeated runs.  The cache key ignores plugin code, so the cache file name carries
fundledger's version (see :func:`cache_pattern`).
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import logging
import operator
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from beancount import loader
from beancount.core import data

from fundledger import __version__
from fundledger.collector import fewer_collections
from fundledger.engine import Books, analyse
from fundledger.plugins.funds import keeping_books

#: Error types that mean "this is not a readable ledger" (exit status 2), as opposed to
#: accounting errors found in a well-formed ledger (exit status 1).
UNREADABLE_ERRORS = {"LexerError", "ParserError", "ParserSyntaxError", "LoadError"}


def cache_pattern(ledger: Path) -> str:
    """Beancount's cache file name for ``ledger``: keyed to fundledger's version, so an
    upgraded plugin never replays a stale result, and to the ledger's folder, because the
    cache records absolute paths (a copied folder must not replay the original's books)."""
    folder = hashlib.sha1(str(ledger.resolve().parent).encode()).hexdigest()[:10]
    return f".{{filename}}.fundledger-{__version__}-{folder}.picklecache"


class LedgerUnreadable(Exception):
    """The ledger cannot be read at all; the message is one line naming file and line."""


@dataclass
class Loaded:
    """A loaded ledger: Beancount's triple, unchanged, and the plugin's books if usable."""

    path: Path
    entries: list[data.Directive]
    errors: list[Any]
    options: dict[str, Any]
    #: The fund engine's books of exactly these entries: the plugin's, when it ran on them
    #: (not on a cache hit, nor if a later plugin changed them), else the last analysis
    #: :meth:`analysis` made of all of them.
    books: Books | None = None

    def analysis(self, at: datetime.date | None = None, *, trace: bool) -> Books:
        """The fund engine's books, analysed once: kept ones when they fit, else fresh."""
        kept = self.books
        if kept is not None and at is None and (kept.tracer is not None or not trace):
            return kept
        books = analyse(self.entries, at, options=self.options, trace=trace)
        if at is None:
            self.books = books
        return books


#: ``custom "fundledger-option" NAME VALUE``: fundledger's settings kept in the books
#: (``language``, the open-data identifiers ``siret``, ``codice-fiscale``...).
OPTION_DIRECTIVE = "fundledger-option"


def ledger_options(entries: list[data.Directive]) -> dict[str, str]:
    """Values of ``custom "fundledger-option" NAME VALUE`` entries (the last one wins).

    Here rather than with the reports so that a command that needs only the options (the
    open-data exports) does not import the report machinery (jinja2, babel).
    """
    options: dict[str, str] = {}
    for entry in entries:
        if isinstance(entry, data.Custom) and entry.type == OPTION_DIRECTIVE:
            values = [v.value for v in entry.values]
            if len(values) == 2 and all(isinstance(v, str) for v in values):
                options[values[0]] = values[1]
    return options


def error_location(error: Any, ledger: str | os.PathLike[str] | None = None) -> str:
    """``FILE:LINE`` of a Beancount error, for one-line messages.

    Beancount places errors of the load itself (a missing include) at ``<load>:0``; those
    name the ledger instead.
    """
    source = getattr(error, "source", None) or {}
    filename = source.get("filename", "?")
    lineno = source.get("lineno", 0)
    if filename.startswith("<") and ledger is not None:
        return _include_location(Path(ledger), str(getattr(error, "message", "")))
    return f"{filename}:{lineno}"


def _include_location(ledger: Path, message: str) -> str:
    """``FILE:LINE`` of the ``include`` a load error is about, else the ledger's name."""
    named = re.search(r'"([^"]+)"', message)
    if named:
        wanted = re.compile(r'^\s*include\s+"' + re.escape(named.group(1)) + '"')
        try:
            lines = ledger.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            lines = []
        for number, line in enumerate(lines, start=1):
            if wanted.match(line):
                return f"{ledger}:{number}"
    return str(ledger)


def format_error(error: Any, ledger: str | os.PathLike[str] | None = None) -> str:
    """One line per error: ``FILE:LINE: message`` (fundledger messages start with their code)."""
    message = " ".join(str(error.message).split())
    return f"{error_location(error, ledger)}: {message}"


def _use_versioned_cache(ledger: Path) -> None:
    use_cache = os.getenv("BEANCOUNT_DISABLE_LOAD_CACHE") is None
    loader.initialize(use_cache, cache_pattern(ledger) if use_cache else None)


class _CacheRecovery(logging.Filter):
    """Drops Beancount's note that it recomputes a corrupted cache: nothing is wrong then."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Cache file is corrupted")


@contextlib.contextmanager
def _quiet_cache_recovery() -> Iterator[None]:
    root = logging.getLogger()
    quiet = _CacheRecovery()
    root.addFilter(quiet)
    try:
        yield
    finally:
        root.removeFilter(quiet)


def load(path: str | os.PathLike[str], *, trace: bool = False) -> Loaded:
    """Load a ledger with all its plugins, or raise :class:`LedgerUnreadable`.

    With ``trace``, the plugin also traces contributors while it checks the funds, so a
    command that needs traces gets them from the same single pass.
    """
    ledger = Path(path)
    if not ledger.is_file():
        raise LedgerUnreadable(f"{ledger}: no such ledger file")
    try:
        with ledger.open("rb") as handle:
            handle.read(1)
    except OSError as exc:
        raise LedgerUnreadable(f"{ledger}: cannot read: {exc.strerror}") from None
    _use_versioned_cache(ledger)
    try:
        with _quiet_cache_recovery(), fewer_collections(), keeping_books(trace) as kept:
            entries, errors, options = loader.load_file(str(ledger))
    except (UnicodeDecodeError, ValueError, OSError) as exc:  # defensive: the loader rarely raises
        raise LedgerUnreadable(f"{ledger}: cannot load: {exc}") from None
    unreadable = [e for e in errors if type(e).__name__ in UNREADABLE_ERRORS]
    if unreadable:
        first = unreadable[0]
        more = f" (and {len(unreadable) - 1} more)" if len(unreadable) > 1 else ""
        raise LedgerUnreadable(f"{format_error(first, ledger)}{more}")
    books = kept[0] if len(kept) == 1 and _same(kept[0].entries, entries) else None
    return Loaded(ledger, entries, errors, options, books)


def _same(ours: list[data.Directive], final: list[data.Directive]) -> bool:
    """Whether the loader returned the very entries the plugin analysed."""
    return len(ours) == len(final) and all(map(operator.is_, ours, final))
