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
from beancount.core import account as account_lib
from beancount.core import data
from beancount.parser import parser, printer

from fundledger import files
from fundledger.files import FileBusy, FileChanged, atomic_write
from fundledger.importers.base import StatementImporter
from fundledger.importers.configuration import ImportConfig
from fundledger.importers.dedup import DUPLICATE
from fundledger.importers.statement import StatementError
from fundledger.ledger import load


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
               account: str | None = None, apply: bool = False) -> ImportResult:
    """Import statements into ledger; with ``apply``, append the new entries atomically."""
    if account is not None and not account_lib.is_valid(account):
        raise ImportRefused(f"--account {account!r}: not a Beancount account name")
    if account is not None:
        for importer in config.importers:
            if isinstance(importer, StatementImporter):
                importer.fixed_account = account
    target = config.output or ledger
    if not apply:
        return ImportResult(_extract_all(statements, ledger, config, target), None)
    with locked(ledger):
        # What the target holds as the ledger is read: an editor that takes no lock
        # (Fava's) saving meanwhile makes the append refuse rather than lose its edit.
        before = target.read_bytes() if target.is_file() else b""
        included: list[Path] = []
        result = ImportResult(_extract_all(statements, ledger, config, target, included),
                              target)
        if config.output is None:
            # No OUTPUT in the configuration: the entries go to the year's file the ledger
            # includes (2026.beancount), not to the end of main.beancount.
            year_file = _year_file(result, included)
            if year_file is not None:
                target = result.target = year_file
                before = target.read_bytes()
        if result.count:
            append(target, result.text(), before)
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
                 target: Path, include: list[Path] | None = None) -> list[Extracted]:
    """The statements' new entries; ``include`` (if given) receives the ledger's files."""
    for path in statements:
        _check_readable(path)
    loaded = load(ledger)
    existing = list(loaded.entries)
    included = {Path(name).resolve() for name in loaded.options.get("include", [])}
    if include is not None:
        include.extend(sorted(included))
    if target.is_file() and target.resolve() not in included:
        # An output file the ledger does not include (yet) must still count for dedup.
        existing += parser.parse_file(str(target))[0]
    files = []
    for path in statements:
        importer = _identify(path, config.importers)
        extracted = _extract(importer, path, existing)
        existing.extend(extracted.entries)
        files.append(extracted)
    _open_before_first_use(files)
    return files


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
             existing: list[data.Directive]) -> Extracted:
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
    fresh = [e for e in entries if not e.meta.get(DUPLICATE)]
    for entry in entries:
        entry.meta.pop(DUPLICATE, None)
    return Extracted(path, importer.name, fresh, len(entries) - len(fresh))


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


def append(target: Path, text: str, before: bytes) -> None:
    """Append Beancount text to ``target`` atomically, after checking it parses.

    ``before`` is what the target held when the import read it: if it holds anything else
    now, nothing is written (:class:`ImportRefused`).
    """
    _entries, errors, _options = parser.parse_string(text)
    if errors:  # our own printer's output: a failure here is a bug, never written out
        raise ImportRefused(f"{target}: generated entries do not parse: {errors[0].message}")
    separator = b"\n" if before and not before.endswith(b"\n") else b""
    content = before + separator + (b"\n" if before else b"") + text.encode("utf-8")
    try:
        atomic_write(target, content, expect=before)
    except FileChanged as exc:
        raise ImportRefused(str(exc)) from None
    except OSError as exc:
        raise ImportRefused(f"{target}: cannot write: {exc.strerror or exc}") from None
