"""One import run: identify, extract, de-duplicate, and print or append (``--apply``).

Every statement is read and checked before anything is written, so a bad file leaves the
ledger byte-identical.  ``--apply`` takes the ledger's lock (:func:`fundledger.files.locked`,
an ``flock`` on ``.LEDGER.lock``) *before* reading the ledger: a second concurrent run
waits, then de-duplicates against what the first one wrote, so the two never interleave
nor double an entry.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import beangulp
from beancount import loader
from beancount.core import account as account_lib
from beancount.core import data
from beancount.parser import parser, printer

from fundledger import files
from fundledger.collector import fewer_collections
from fundledger.engine.accounts import Roots
from fundledger.files import FileBusy
from fundledger.importers.base import StatementImporter
from fundledger.importers.configuration import ImportConfig
from fundledger.importers.dedup import DUPLICATE
from fundledger.importers.statement import StatementError
from fundledger.ledger import UNREADABLE_ERRORS, LedgerUnreadable, format_error


class ImportRefused(Exception):
    """The run cannot go on (busy ledger, bad option); one line naming the file."""


@dataclass
class Extracted:
    """What one statement file gave: its new entries and how many were already there."""

    path: Path
    importer: str
    entries: list[data.Directive] = field(default_factory=list)
    duplicates: int = 0


@dataclass
class ImportResult:
    files: list[Extracted]
    target: Path | None = None
    #: The ledger's root account names (its ``name_*`` options).
    roots: Roots = field(default_factory=Roots)

    @property
    def count(self) -> int:
        return sum(len(f.entries) for f in self.files)

    @property
    def duplicates(self) -> int:
        return sum(f.duplicates for f in self.files)

    def text(self) -> str:
        """The new entries as Beancount text, one section per statement file."""
        chunks = []
        for extracted in self.files:
            if extracted.entries:
                body = "\n".join(printer.format_entry(e) for e in extracted.entries)
                chunks.append(f"; imported from {extracted.path.name}\n\n{body}\n")
        return "\n".join(chunks)


def run_import(statements: Sequence[Path], ledger: Path, config: ImportConfig,
               account: str | None = None, apply: bool = False,
               balances: bool = True) -> ImportResult:
    """Import statements into ledger; with ``apply``, append the new entries atomically.

    ``balances=False`` (``--no-balance``) writes no balance assertion and does not refuse
    a statement whose movements do not add up to its balances.
    """
    if account is not None and not account_lib.is_valid(account):
        raise ImportRefused(f"--account {account!r}: not a Beancount account name")
    for importer in config.importers:
        if isinstance(importer, StatementImporter):
            if account is not None:
                importer.fixed_account = account
            if not balances:
                importer.balances = False
    target = config.output or ledger
    if not apply:
        return ImportResult(*_extract_all(statements, ledger, config, target))
    with locked(ledger):
        # What the target holds as the ledger is read: an editor that takes no lock
        # (Fava's) saving meanwhile makes the append refuse rather than lose its edit.
        before = target.read_bytes() if target.is_file() else b""
        included: list[Path] = []
        files, roots = _extract_all(statements, ledger, config, target, included)
        result = ImportResult(files, target, roots)
        if config.output is None:
            # No OUTPUT in the configuration: the entries go to the year's file the ledger
            # includes (2026.beancount), not to the end of main.beancount.
            year_file = _year_file(result, included)
            if year_file is not None:
                target = result.target = year_file
                before = target.read_bytes()
        if result.count:
            append(target, result.text(), before, result.roots)
        return result


def _year_file(result: ImportResult, included: list[Path]) -> Path | None:
    """The included file named after the year most new entries fall in (the later year
    on a tie), e.g. ``2026.beancount``; ``None`` when the ledger has no such file."""
    years: dict[int, int] = {}
    for extracted in result.files:
        for entry in extracted.entries:
            years[entry.date.year] = years.get(entry.date.year, 0) + 1
    if not years:
        return None
    year = max(years, key=lambda y: (years[y], y))
    named = [path for path in included if path.stem == str(year) and path.is_file()]
    return named[0] if len(named) == 1 else None


def _extract_all(statements: Sequence[Path], ledger: Path, config: ImportConfig,
                 target: Path, include: list[Path] | None = None
                 ) -> tuple[list[Extracted], Roots]:
    """The statements' new entries, and the ledger's root names; ``include`` (if given)
    receives the ledger's files."""
    for path in statements:
        _check_readable(path)
    existing, options = read_books(ledger)
    included = {Path(name).resolve() for name in options.get("include", [])}
    if include is not None:
        include.extend(sorted(included))
    if target.is_file() and target.resolve() not in included:
        # An output file the ledger does not include (yet) must still count for dedup.
        existing += parser.parse_file(str(target))[0]
    files = []
    roots = Roots.of(options)
    marked: list[tuple[str, list[data.Directive], str, beangulp.Importer]] = []
    for path in statements:
        importer = _identify(path, config.importers)
        if isinstance(importer, StatementImporter):
            importer.roots = roots  # the ledger's root names (suspense, grant accounts)
        entries = _extract(importer, path, existing)
        existing.extend(e for e in entries if not e.meta.get(DUPLICATE))
        marked.append((str(path), entries, _account(importer, path), importer))
    if config.hooks:
        marked = _run_hooks(config, marked, existing)
    for filename, entries, _account_name, importer in marked:
        fresh = [e for e in entries if not e.meta.get(DUPLICATE)]
        for entry in entries:
            entry.meta.pop(DUPLICATE, None)
        files.append(Extracted(Path(filename), importer.name, fresh,
                               len(entries) - len(fresh)))
    _open_before_first_use(files)
    return files, roots


def _account(importer: beangulp.Importer, path: Path) -> str:
    try:
        return importer.account(str(path)) or ""
    except Exception:  # only hooks read it; the extraction has already succeeded
        return ""


def _run_hooks(config: ImportConfig, extracted: list, existing: list) -> list:
    """The configuration's HOOKS, as beangulp runs them: each takes and returns the list
    of ``(filename, entries, account, importer)``, duplicates still marked."""
    for hook in config.hooks:
        name = getattr(hook, "__name__", repr(hook))
        try:
            result = hook(extracted, existing)
        except Exception as exc:
            raise ImportRefused(f"{config.path}: hook {name} failed: "
                                f"{type(exc).__name__}: {exc}") from None
        try:
            extracted = [(str(f), list(e), a, i) for f, e, a, i in result]
        except (TypeError, ValueError):
            raise ImportRefused(f"{config.path}: hook {name} did not return a list of "
                                "(filename, entries, account, importer)") from None
    return extracted


def read_books(ledger: Path) -> tuple[list[data.Directive], dict]:
    """The ledger's directives as written (its includes followed), without booking nor
    plugins: all that finding accounts, grants and duplicates needs, at the cost of a
    parse (a re-import that finds nothing new then costs less than a bare load).

    A ledger Beancount cannot parse is refused as :func:`fundledger.ledger.load` does.
    """
    if not ledger.is_file():
        raise LedgerUnreadable(f"{ledger}: no such ledger file")
    try:
        with fewer_collections():
            entries, errors, options = loader._parse_recursive(
                [(str(ledger.resolve()), True)], None)
    except (UnicodeDecodeError, ValueError, OSError) as exc:
        raise LedgerUnreadable(f"{ledger}: cannot load: {exc}") from None
    unreadable = [e for e in errors if type(e).__name__ in UNREADABLE_ERRORS]
    if unreadable:
        more = f" (and {len(unreadable) - 1} more)" if len(unreadable) > 1 else ""
        raise LedgerUnreadable(f"{format_error(unreadable[0], ledger)}{more}")
    entries.sort(key=data.entry_sortkey)
    return entries, options


def _open_before_first_use(files: list[Extracted]) -> None:
    """Date each new ``open`` (the suspense account's) on the first day any file uses it.

    Each importer opens the account for its own file; only the first file's ``open``
    survives de-duplication, and a later file may use the account on an earlier day.
    """
    first_use: dict[str, datetime.date] = {}
    for extracted in files:
        for entry in extracted.entries:
            if isinstance(entry, data.Transaction):
                for posting in entry.postings:
                    day = first_use.get(posting.account)
                    if day is None or entry.date < day:
                        first_use[posting.account] = entry.date
    for extracted in files:
        extracted.entries = [
            entry._replace(date=min(entry.date, first_use.get(entry.account, entry.date)))
            if isinstance(entry, data.Open) else entry
            for entry in extracted.entries]
        extracted.entries.sort(key=data.entry_sortkey)


def _check_readable(path: Path) -> None:
    if not path.exists():
        raise StatementError(str(path), None, "no such file")
    if not path.is_file():
        raise StatementError(str(path), None, "not a file")
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            handle.read(1)
    except OSError as exc:
        raise StatementError(str(path), None, f"cannot read: {exc.strerror}") from None
    if size == 0:
        raise StatementError(str(path), None, "empty file (0 bytes)")


def _identify(path: Path, importers: Sequence[beangulp.Importer]) -> beangulp.Importer:
    for importer in importers:
        try:
            if importer.identify(str(path)):
                return importer
        except Exception as exc:  # a third-party importer's bug must not become a traceback
            raise StatementError(str(path), None,
                                 f"importer {importer.name} failed to identify it: {exc}") from None
    raise StatementError(str(path), 1, "unknown statement format (not camt.053, CFONB 120, "
                         "OFX, nor a CSV layout the configuration knows)")


def _extract(importer: beangulp.Importer, path: Path,
             existing: list[data.Directive]) -> list[data.Directive]:
    """The file's entries, those the books already hold marked (beangulp's way)."""
    try:
        entries = importer.extract(str(path), existing)
        importer.sort(entries)
        importer.deduplicate(entries, existing)
    except StatementError:
        raise
    except Exception as exc:
        raise StatementError(str(path), None,
                             f"importer {importer.name} failed: {type(exc).__name__}: {exc}"
                             ) from None
    return entries


@contextmanager
def locked(ledger: Path, wait: float | None = None) -> Iterator[Path]:
    """The ledger's lock (:func:`fundledger.files.locked`), refused as :class:`ImportRefused`.

    ``wait`` defaults to :data:`fundledger.files.LOCK_WAIT`, read at each call.
    """
    wait = files.LOCK_WAIT if wait is None else wait
    try:
        with files.locked(ledger, wait) as lock:
            yield lock
    except FileBusy as exc:  # busy, or the lock file cannot be made: files.locked says which
        raise ImportRefused(str(exc)) from None


def append(target: Path, text: str, before: bytes, roots: Roots | None = None) -> None:
    """Append Beancount text to ``target`` atomically, after checking it parses
    (:func:`fundledger.files.append_to_ledger`).

    ``before`` is what the target held when the import read it: if it holds anything else
    now, nothing is written (:class:`ImportRefused`).  ``roots``: the ledger's root names,
    under which the new entries' accounts are valid (``Actif:Suspense``).
    """
    try:
        files.append_to_ledger(target, text, before, roots)
    except files.AppendRefused as exc:
        raise ImportRefused(str(exc)) from None
