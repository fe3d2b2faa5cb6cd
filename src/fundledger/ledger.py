"""Loading a ledger: the only place fundledger reads Beancount files.

Loading goes through ``beancount.loader.load_file`` so Beancount's pickle cache serves
repeated runs.  The cache key ignores plugin code, so the cache file name carries
fundledger's version (see :func:`cache_pattern`).
"""

from __future__ import annotations

import contextlib
import datetime
import glob
import hashlib
import logging
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from beancount import loader
from beancount.core import data

from fundledger import __version__, answers
from fundledger.collector import fewer_collections
from fundledger.engine import Books, analyse
from fundledger.plugins.funds import Request, keeping_books, same_entries

#: Error types that mean "this is not a readable ledger" (exit status 2), as opposed to
#: accounting errors found in a well-formed ledger (exit status 1).
UNREADABLE_ERRORS = {"LexerError", "ParserError", "ParserSyntaxError", "LoadError"}

#: The plugin's module: a ledger that names it has fundledger's errors among Beancount's.
PLUGIN = "fundledger.plugins.funds"


#: Loads longer than this are kept in Beancount's cache (Beancount's own threshold is a
#: second; its cache is checked by content here, so a shorter one is safe: see
#: :func:`_drop_untrusted_cache`).
CACHE_THRESHOLD_SECONDS = 0.25


def cache_pattern(ledger: Path) -> str:
    """Beancount's cache file name for ``ledger``: keyed to fundledger's version and code
    (:func:`fundledger.answers.code_digest`), so an upgraded or edited plugin never replays
    a stale result, and to the ledger's folder, because the cache records absolute paths
    (a copied folder must not replay the original's books)."""
    folder = hashlib.sha1(str(ledger.resolve().parent).encode()).hexdigest()[:10]
    return f".{{filename}}.fundledger-{__version__}-{answers.code_digest()}-{folder}.picklecache"


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
    #: (not on a cache hit, nor if a later plugin changed them), else the one analysis
    #: :meth:`analysis` made of all of them.
    books: Books | None = None
    #: What the command asked of that pass (see :class:`Request`).
    request: Request = Request()
    #: How many times the fund engine ran over these entries (the plugin's pass included).
    passes: int = 0

    def analysis(self, at: datetime.date | None = None, *, trace: bool) -> Books:
        """The fund engine's books at ``at`` (default: after every entry), from one pass.

        The plugin's pass is used when it computed what is asked: ``open_ledger`` and
        :func:`load` tell it beforehand (tracing up to ``at``, figures kept at ``at``);
        a view at ``at`` is then cut from the same books (:meth:`Books.as_of`).  Only when
        the plugin did not run (a cache hit, a ledger without its line) is there one
        analysis here; asking for something the pass was not told of costs another.
        """
        books = self.books
        if books is None or not self._fits(books, at, trace):
            request = Request(trace=trace, trace_until=at if trace else None,
                              snapshots=(at,) if at is not None else ())
            books = analyse(self.entries, options=self.options, trace=request.trace,
                            trace_until=request.trace_until, snapshots=request.snapshots)
            self.passes += 1
            if self.books is None or at is None:  # the fuller books are kept
                self.books = books
        return books.as_of(at) if at is not None else books

    def all_errors(self) -> list[Any]:
        """Beancount's errors and fundledger's, even for a ledger that forgot the plugin line.

        The one definition of "the ledger's errors" of every command, report and page, in
        file and line order: without the plugin line, fundledger's rules are added from
        the one engine pass (:meth:`analysis`).
        """
        errors = list(self.errors)
        if not any(name == PLUGIN for name, _config in self.options.get("plugin", [])):
            errors += self.analysis(trace=False).errors
        return sorted(errors, key=lambda e: (str((e.source or {}).get("filename", "")),
                                             (e.source or {}).get("lineno", 0) or 0))

    @staticmethod
    def _fits(books: Books, at: datetime.date | None, trace: bool) -> bool:
        if trace and (books.tracer is None and not books.untraceable
                      or books.traced_through != at):
            return False
        if at is None or books.last_date is None or at >= books.last_date:
            return True
        try:
            books.figures_at(at)
        except KeyError:
            return False
        return True


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


def _use_versioned_cache(ledger: Path, cache: bool = True) -> str | None:
    """Point Beancount's loader at fundledger's cache file (or none); the file, if used."""
    use_cache = cache and os.getenv("BEANCOUNT_DISABLE_LOAD_CACHE") is None
    # Read by initialize(); a lower one set by someone else (a test) is kept.
    loader.PICKLE_CACHE_THRESHOLD = min(loader.PICKLE_CACHE_THRESHOLD, CACHE_THRESHOLD_SECONDS)
    pattern = cache_pattern(ledger) if use_cache else None
    loader.initialize(use_cache, pattern)
    return loader.get_cache_filename(pattern, str(ledger)) if pattern else None


# Beancount's cache, trusted only when the books' contents are those it was made of.
#
# Beancount replays its cache when no source file is newer than it: a file rewritten with
# its size and time kept (``rsync -t``, ``touch -r``, a restore), or changed while it was
# being read, would be replayed stale.  Beside the cache, a small file records each
# source's size and SHA-256 (:func:`fundledger.answers.sources_of`): a cache whose record
# is missing or no longer matches is deleted before Beancount looks at it
# (:func:`_drop_untrusted_cache`), and a cache written from files modified while they were
# read is deleted at once (:func:`_record_cache`).


def _drop_untrusted_cache(cache_file: str) -> None:
    """Delete the cache (and its record) unless its record matches the books' contents."""
    if not os.path.exists(cache_file):
        return
    record = f"{cache_file}.sources"
    try:
        trusted = answers.unchanged(answers.read_data(record))
    except Exception:  # noqa: BLE001 - missing or corrupt: not trusted
        trusted = False
    if not trusted:
        _remove(cache_file, record)


def _record_cache(ledger: Path, cache_file: str, options: dict[str, Any], since: float) -> None:
    """After a load that began at ``since``: record the contents of the cache Beancount
    wrote in it (or delete it, if a source changed while it was read)."""
    record = f"{cache_file}.sources"
    try:
        if os.path.getmtime(cache_file) < since:
            return  # Beancount did not write its cache in this load
        sources = answers.sources_of(list(options.get("include", ())), since)
        if sources:
            answers.write_data(record, sources)
            _remove_older_caches(ledger, cache_file)
        else:
            _remove(cache_file, record)
    except OSError:
        _remove(cache_file, record)


def _remove_older_caches(ledger: Path, current: str) -> None:
    """Delete this ledger's cache files of other fundledger versions or code (about the
    size of the ledger's entries each): only the current one can ever be read again."""
    for path in ledger.parent.glob(f".{glob.escape(ledger.name)}.fundledger-*.picklecache*"):
        if not str(path).startswith(current):
            _remove(str(path))


def _remove(*paths: str) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            os.remove(path)


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


def load(path: str | os.PathLike[str], *, trace: bool = False,
         at: datetime.date | None = None, cache: bool = True) -> Loaded:
    """Load a ledger with all its plugins, or raise :class:`LedgerUnreadable`.

    With ``trace``, the plugin also traces contributors (up to ``at``) while it checks the
    funds, and it keeps the figures at ``at``: a command gets what it needs from the same
    single pass (:meth:`Loaded.analysis`).  ``cache=False`` bypasses Beancount's load
    cache: a verdict (``check``) always comes from the plugins run in full.
    """
    request = Request(trace=trace, trace_until=at if trace else None,
                      snapshots=(at,) if at is not None else ())
    ledger = Path(path)
    if not ledger.is_file():
        raise LedgerUnreadable(f"{ledger}: no such ledger file")
    try:
        with ledger.open("rb") as handle:
            handle.read(1)
    except OSError as exc:
        raise LedgerUnreadable(f"{ledger}: cannot read: {exc.strerror}") from None
    cache_file = _use_versioned_cache(ledger, cache)
    if cache_file:
        _drop_untrusted_cache(cache_file)
    since = time.time()
    try:
        with _quiet_cache_recovery(), fewer_collections(), keeping_books(request) as kept:
            entries, errors, options = loader.load_file(str(ledger))
    except (UnicodeDecodeError, ValueError, OSError) as exc:  # defensive: the loader rarely raises
        raise LedgerUnreadable(f"{ledger}: cannot load: {exc}") from None
    if cache_file:
        _record_cache(ledger, cache_file, options, since)
    unreadable = [e for e in errors if type(e).__name__ in UNREADABLE_ERRORS]
    if unreadable:
        first = unreadable[0]
        more = f" (and {len(unreadable) - 1} more)" if len(unreadable) > 1 else ""
        raise LedgerUnreadable(f"{format_error(first, ledger)}{more}")
    books = kept[0] if len(kept) == 1 and same_entries(kept[0].entries, entries) else None
    return Loaded(ledger, entries, errors, options, books, request, len(kept))
