"""Real statements and ways to spoil them, shared by the corpus and fuzz tests.

The base statements (``corpus/statements``) are private copies of the Lyon demo samples
and of the importers' Italian CSV fixture, with a private copy of the small ledger they
continue (``books.beancount``), so these tests do not move when the importers' own samples
are regenerated.  No ``--config`` is given
and the temporary folder has none: the built-in importers run with no rules, so these tests
do not depend on the demo's categorisation rules either.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

from .conftest import CORPUS

BASE = CORPUS / "statements"
BOOKS = BASE / "books.beancount"
CAMT = "caisse-epargne-2026-10-01.camt053.xml"
CFONB = "banque-territoires-2026-10-01.cfonb120"
CSV = "banque-territoires-2026-10-16.csv"
OFX = "caisse-epargne-2026-10-16.ofx"
ITALIAN_CSV = "italiano.csv"
STATEMENTS = (CAMT, CFONB, CSV, OFX, ITALIAN_CSV)
#: The CSV names no account; every other format names it by IBAN or account number.
CSV_ACCOUNT = "Assets:Bank:BanqueDesTerritoires"


def base(name: str) -> bytes:
    return (BASE / name).read_bytes()


def books(folder: Path) -> Path:
    """A private copy of the ledger the statements continue, in ``folder``."""
    target = folder / "main.beancount"
    shutil.copy(BOOKS, target)
    return target


def import_args(statement: Path, ledger: Path, apply: bool = True) -> list[str]:
    args = ["import", str(statement), "--ledger", str(ledger)]
    if statement.suffix == ".csv":
        args += ["--account", CSV_ACCOUNT]
    return args + (["--apply"] if apply else [])


def changed(payload: bytes, original: bytes) -> bytes:
    """Guard: a mutation that finds nothing to change would test the sample, not a fault."""
    assert payload != original, "mutation changed nothing: the base statement moved"
    return payload


def sub(pattern: bytes, repl: bytes, count: int = 0) -> Callable[[bytes], bytes]:
    return lambda data: changed(re.sub(pattern, repl, data, count=count, flags=re.S), data)


def first(pattern: bytes, data: bytes) -> bytes:
    match = re.search(pattern, data, re.S)
    assert match, pattern
    return match[0]


def duplicate_first(pattern: bytes, after: bytes) -> Callable[[bytes], bytes]:
    """Repeat the first match of ``pattern`` right after ``after`` (a duplicated entry)."""
    return lambda data: changed(data.replace(after, after + first(pattern, data), 1), data)


def lines(keep: Callable[[list[bytes]], list[bytes]]) -> Callable[[bytes], bytes]:
    return lambda data: changed(b"\n".join(keep(data.split(b"\n"))), data)


def recode(source: str, target: str) -> Callable[[bytes], bytes]:
    return lambda data: changed(data.decode(source).encode(target), data)
