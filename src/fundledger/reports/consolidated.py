"""A host's consolidated books: every entity loaded apart, in parallel, then put together.

The host's books name its sheltered foundations (``custom "sheltered"``).  Each
foundation's books are loaded, checked and analysed in a process of their own (each with
its own Beancount load cache, through :func:`fundledger.ledger.load`), so consolidating N
foundations costs about the largest one when there are enough cores.  A worker sends back
only a :class:`~fundledger.engine.sheltered.Summary` (fund figures, fees, eliminations,
error lines), never the entries.  The arithmetic is the engine's
(:func:`fundledger.engine.sheltered.consolidate`).
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from fundledger.engine import CODES, round_to_cent
from fundledger.engine.codes import where
from fundledger.engine.receipts import receipts_of, sequence_breaches
from fundledger.engine.sheltered import (
    DEFAULT_HOST,
    FIGURES,
    Consolidation,
    Sheltered,
    Summary,
    consolidate,
    elimination_figures,
    sheltering_of,
    summarise,
)
from fundledger.ledger import LedgerUnreadable, Loaded, format_error, load
from fundledger.reports.base import ledger_options


class ConsolidationError(Exception):
    """A foundation's books cannot be read: one line naming the file (exit status 2)."""


def entity_name(loaded: Loaded) -> str:
    """The host's own entity name: ``fundledger-option "entity"``, else ``host``."""
    return ledger_options(loaded.entries).get("entity") or DEFAULT_HOST


def summary_of(loaded: Loaded, entity: str, label: str, at: datetime.date | None,
               host: str) -> Summary:
    books = loaded.analysis(at, trace=False)
    errors = [format_error(e, loaded.path) for e in loaded.all_errors()]
    summary = summarise(books, entity, label, str(loaded.path), errors, host)
    if at is not None:
        summary.last_date = at  # the consolidation's date: a year ending on it is over
    end = books.last_date
    summary.receipts = [(r.issuer, r.number, r.date, where(r.entry))
                        for r in receipts_of(books).receipts if end is None or r.date <= end]
    return summary


def _worker(path: str, entity: str, label: str, at: datetime.date | None,
            host: str) -> Summary | str:
    """One foundation, in its own process: its summary, or the one line saying why not."""
    try:
        loaded = load(path, at=at)
    except LedgerUnreadable as exc:
        return str(exc)
    return summary_of(loaded, entity, label, at, host)


def in_processes(worker: Callable[..., Any], jobs: list[tuple[Any, ...]],
                 workers: int | None = None) -> list[Any]:
    """``worker(*job)`` for each job, one process per job up to the number of cores (in
    this process when there is a single job); the results in the jobs' order."""
    if len(jobs) <= 1:
        return [worker(*job) for job in jobs]
    count = min(len(jobs), workers or os.cpu_count() or 1)
    with ProcessPoolExecutor(max_workers=count) as pool:
        futures = [pool.submit(worker, *job) for job in jobs]
        return [future.result() for future in futures]


def _task_worker(path: str, task: Callable[[Loaded, Any], Any], argument: Any) -> Any:
    """One foundation, in its own process: ``task(its books, argument)``, or
    :class:`Unreadable` saying in one line why its books cannot be read."""
    try:
        loaded = load(path)
    except LedgerUnreadable as exc:
        return Unreadable(str(exc))
    return task(loaded, argument)


@dataclass
class Unreadable:
    """Why a foundation's books cannot be read (one line)."""

    reason: str


def each_foundation(host_loaded: Loaded, task: Callable[[Loaded, Any], Any], argument: Any,
                    workers: int | None = None) -> list[tuple[Sheltered, Any]]:
    """``task(books, argument)`` for each foundation the host shelters, each loaded, checked
    and analysed in a process of its own as ``consolidate`` loads them (only ``task``'s
    result comes back: it must be picklable, and ``task`` a module-level function).

    For other outputs that gather the foundations (the annual accounts' *fonds dédiés des
    fondations abritées*).  Raises :class:`ConsolidationError` for unreadable books.
    """
    family = sheltering_of(host_loaded.analysis(trace=False))
    sheltered = list(family.sheltered.values())
    jobs = [(str(sheltered_path(host_loaded.path, s)), task, argument) for s in sheltered]
    results = in_processes(_task_worker, jobs, workers)
    for item, result in zip(sheltered, results, strict=True):
        if isinstance(result, Unreadable):
            raise ConsolidationError(f"{item.where}: sheltered foundation \"{item.name}\": "
                                     f"{result.reason}")
    return list(zip(sheltered, results, strict=True))


@dataclass
class Consolidated:
    """What ``consolidate`` shows."""

    host_path: Path
    at: datetime.date | None
    result: Consolidation
    #: Every error line of every entity (FILE:LINE: CODE message), FL801/FL803 included.
    errors: list[str]


def sheltered_path(host: Path, item: Sheltered) -> Path:
    """A foundation's main file: its path is relative to the host's file."""
    return (host.parent / item.path).resolve() if not os.path.isabs(item.path) \
        else Path(item.path)


def sheltered_files(host: Path) -> list[tuple[Sheltered, Path]]:
    """The foundations a host's file names, read without loading the books (no plugin, no
    include): for commands that only need their files, such as ``serve``."""
    from beancount.core import data
    from beancount.parser import parser

    from fundledger.engine.directives import Malformed
    from fundledger.engine.sheltered import read_sheltered

    found = []
    for entry in parser.parse_file(str(host))[0]:
        if isinstance(entry, data.Custom) and entry.type == "sheltered":
            try:
                item = read_sheltered(entry)
            except Malformed:
                continue  # the books' own check reports it (FL103)
            found.append((item, sheltered_path(host, item)))
    return found


def run(host_loaded: Loaded, at: datetime.date | None, workers: int | None = None,
        loaded: Mapping[Path, Loaded] | None = None) -> Consolidated:
    """Consolidate the host's books and every foundation they shelter.

    A foundation whose books the caller already holds (``loaded``, by resolved main file:
    Fava's ledgers in ``serve HOST``, the books ``publish HOST`` loaded for its sections)
    is summarised from them in this process; the others are loaded apart, in parallel.
    Either way the figures come from the same :func:`summary_of` and :func:`consolidate`.
    """
    host_name = entity_name(host_loaded)
    host_books = host_loaded.analysis(at, trace=False)
    family = sheltering_of(host_books)
    sheltered = [s for s in family.sheltered.values() if at is None or s.date <= at]
    held = {Path(path).resolve(): books for path, books in (loaded or {}).items()}
    paths = [sheltered_path(host_loaded.path, s) for s in sheltered]
    jobs = [(str(path), s.name, s.label, at, host_name)
            for s, path in zip(sheltered, paths, strict=True) if path not in held]
    title = str(host_loaded.options.get("title") or host_name)
    host = summary_of(host_loaded, host_name, title, at, host_name)
    pending = iter(in_processes(_worker, jobs, workers))
    summaries = []
    for item, path in zip(sheltered, paths, strict=True):
        result = (summary_of(held[path], item.name, item.label, at, host_name)
                  if path in held else next(pending))
        if isinstance(result, str):
            raise ConsolidationError(f"{item.where}: sheltered foundation \"{item.name}\": "
                                     f"{result}")
        summaries.append(result)
    consolidation = consolidate(host, summaries, dict(family.rates))
    errors = [line for s in consolidation.entities for line in s.errors]
    errors += [f"{b.where}: {b.message()}" for b in consolidation.breaches]
    # A host's series of receipts spans its foundations' books: FL803 across them all.
    spanning = [(issuer, number, where) for s in consolidation.entities
                for issuer, number, _date, where in s.receipts if issuer == host_name]
    errors += [f"{where}: FL803 " + CODES["FL803"].format(number=number, issuer=issuer,
                                                          what=what)
               for number, issuer, what, where in sequence_breaches(spanning)]
    return Consolidated(host_loaded.path, at, consolidation, _unique(errors))


def _unique(lines: list[str]) -> list[str]:
    return list(dict.fromkeys(lines))


def money(amount: Decimal) -> str:
    return str(round_to_cent(amount))


def fund_rows(consolidated: Consolidated) -> list[dict[str, str]]:
    """Every entity's funds, named ``entity/fund``, as rows of strings."""
    rows = []
    for summary in consolidated.result.entities:
        for fund in summary.funds:
            row = {"entity": summary.entity, "fund": f"{summary.entity}/{fund.fund}",
                   "kind": fund.kind}
            row.update({k: money(v) for k, v in fund.as_dict().items() if k in FIGURES})
            rows.append(row)
    return rows


def elimination_rows(consolidated: Consolidated) -> list[dict[str, str]]:
    rows = []
    for item in consolidated.result.eliminations:
        row = {"what": item.what, "entity": item.entity, "counterpart": item.counterpart,
               "year": str(item.year), "fund": f"{item.entity}/{item.fund}", "kind": item.kind}
        row.update({k: money(v) for k, v in elimination_figures(item).items()})
        rows.append(row)
    return rows


def total_rows(consolidated: Consolidated) -> list[dict[str, str]]:
    return [{"kind": kind, **{k: money(v) for k, v in row.items()}}
            for kind, row in consolidated.result.totals.items()]


def as_json(consolidated: Consolidated) -> dict[str, Any]:
    """The JSON shape of ``consolidate`` (documented in docs/sheltered.md)."""
    funds = fund_rows(consolidated)
    return {
        "host": str(consolidated.host_path),
        "at": consolidated.at.isoformat() if consolidated.at else None,
        "entities": [{"entity": s.entity, "label": s.label, "file": s.path,
                      "funds": [{k: v for k, v in row.items() if k != "entity"}
                                for row in funds if row["entity"] == s.entity]}
                     for s in consolidated.result.entities],
        "eliminations": [{**row, "year": int(row["year"])}
                         for row in elimination_rows(consolidated)],
        "totals": total_rows(consolidated),
        "errors": consolidated.errors,
    }


def shown(consolidated: Consolidated) -> dict[str, Any]:
    """What the consolidated pages show (Fava's page, the public site's): the JSON of
    ``consolidate --format json``, each figure turned back into a ``Decimal`` so that a page
    formats it its own way while showing exactly the same cents."""
    def figures(row: dict[str, Any]) -> dict[str, Any]:
        return {k: Decimal(v) if k in FIGURES else v for k, v in row.items()}

    data = as_json(consolidated)
    for entity in data["entities"]:
        entity["funds"] = [figures(row) for row in entity["funds"]]
    data["eliminations"] = [figures(row) for row in data["eliminations"]]
    data["totals"] = [figures(row) for row in data["totals"]]
    return data
