"""Fuzzing the importers with mutated real statements (hypothesis).

Each example takes one of the four real statements, spoils it with a few random edits
(flipped bytes, cut, repeated or deleted slices, changed digits, swapped lines) and runs
``fundledger import --apply`` on it.  Whatever the bytes:

* no exception escapes (the runner re-raises it: a traceback fails the test);
* the exit status is 0 or 2; on 2, one stderr line naming the statement, and the ledger
  byte-identical;
* on 0, the ledger still loads (it parses, every include is there), and importing the
  same file again adds nothing;
* no temporary file is left beside the ledger.

The last test does the same for far dates and loan terms (entries in year 1 or 9999,
``term-months: 99999``, ``--at``/``--quarter``/``--year`` at the calendar's ends).

Examples are derandomised so CI is stable; set ``FUNDLEDGER_FUZZ_EXAMPLES=2000`` for a
long, random run.
"""

from __future__ import annotations

import datetime
import os
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fundledger.ledger import LedgerUnreadable, load

from .conftest import run
from .statements import BOOKS, STATEMENTS, base, books, import_args

EXAMPLES = int(os.environ.get("FUNDLEDGER_FUZZ_EXAMPLES", "0"))
FUZZ = settings(max_examples=EXAMPLES or 60, deadline=None, derandomize=not EXAMPLES,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
                database=None)

position = st.integers(min_value=0, max_value=1 << 20)
edit = st.one_of(
    st.tuples(st.just("flip"), position, st.integers(0, 255)),
    st.tuples(st.just("cut"), position),
    st.tuples(st.just("delete"), position, st.integers(1, 200)),
    st.tuples(st.just("repeat"), position, st.integers(1, 400)),
    st.tuples(st.just("insert"), position, st.binary(min_size=1, max_size=12)),
    st.tuples(st.just("digit"), position, st.integers(0, 9)),
    st.tuples(st.just("swap"), position, position),
)


def apply_edit(data: bytes, op: tuple) -> bytes:
    if not data:
        return data
    kind, at, *rest = op
    at %= len(data)
    if kind == "flip":
        return data[:at] + bytes([rest[0]]) + data[at + 1:]
    if kind == "cut":
        return data[:at]
    if kind == "delete":
        return data[:at] + data[at + rest[0]:]
    if kind == "repeat":
        return data[:at + rest[0]] + data[at:]
    if kind == "insert":
        return data[:at] + rest[0] + data[at:]
    if kind == "digit":  # a plausible corruption: one digit of an amount or a date
        digits = [m.start() for m in re.finditer(rb"\d", data)]
        if not digits:
            return data
        spot = digits[at % len(digits)]
        return data[:spot] + str(rest[0]).encode() + data[spot + 1:]
    rows = data.split(b"\n")  # swap two lines
    i, j = at % len(rows), rest[0] % len(rows)
    rows[i], rows[j] = rows[j], rows[i]
    return b"\n".join(rows)


def check_import(statement: str, payload: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ledger = books(folder)
        before = ledger.read_bytes()
        target = folder / statement
        target.write_bytes(payload)
        result = run(*import_args(target, ledger))
        assert result.exit_code in (0, 2), (result.exit_code, result.stderr)
        assert "Traceback" not in result.stderr
        if result.exit_code == 2:
            lines = result.stderr.splitlines()
            assert len(lines) == 1 and str(target) in lines[0], result.stderr
            assert ledger.read_bytes() == before
        else:
            try:
                load(ledger)
            except LedgerUnreadable as exc:  # pragma: no cover - the failure message
                raise AssertionError(f"import left an unreadable ledger: {exc}") from None
            once = ledger.read_bytes()
            again = run(*import_args(target, ledger))  # nothing twice, whatever was read
            assert again.exit_code == 0, again.stderr
            assert ledger.read_bytes() == once, again.stderr
        assert not list(folder.glob(".main.beancount.*.tmp"))


@FUZZ
@given(st.sampled_from(STATEMENTS), st.lists(edit, min_size=1, max_size=3))
def test_mutated_statements_never_crash_nor_touch_the_ledger_on_refusal(statement: str,
                                                                         edits: list) -> None:
    payload = base(statement)
    for op in edits:
        payload = apply_edit(payload, op)
    check_import(statement, payload)


@FUZZ
@given(st.sampled_from(STATEMENTS), st.binary(max_size=2000))
def test_garbage_with_a_real_head_never_crashes(statement: str, tail: bytes) -> None:
    """The first kilobyte of a real statement (so it is identified), then noise."""
    check_import(statement, base(statement)[:1024] + tail)


@FUZZ
@given(st.lists(edit, min_size=1, max_size=3), st.sampled_from(["check", "funds", "trace"]))
def test_mutated_ledgers_never_crash(edits: list, command: str) -> None:
    """The same edits on a real ledger: exit 0, 1 or 2, never a traceback."""
    payload = BOOKS.read_bytes()
    for op in edits:
        payload = apply_edit(payload, op)
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Path(tmp) / "main.beancount"
        ledger.write_bytes(payload)
        extra = ["--contributor", "Métropole de Lyon"] if command == "trace" else []
        result = run(command, ledger, *extra)
        assert "Traceback" not in result.stderr
        if result.exit_code == 2:
            lines = result.stderr.splitlines()
            assert len(lines) == 1 and lines[0].startswith("fundledger: "), result.stderr
            if "unknown contributor" not in lines[0]:
                assert str(ledger) in lines[0], lines[0]
        else:
            assert result.exit_code in (0, 1), (result.exit_code, result.stderr)


FAR_LEDGER = """\
option "operating_currency" "EUR"
plugin "fundledger.plugins.funds"
{start} open Assets:Bank:Main EUR
{start} open Assets:Loans:Honour EUR
{start} open Income:Contributions:Partners EUR
{start} open Expenses:Admin:Management EUR
{start} custom "fund" "general" "unrestricted" "Fonds libres"
{start} * "Métropole" "Don"
  fund: "general"
  Assets:Bank:Main  1000.00 EUR
  Income:Contributions:Partners
{start} * "Coop" "Prêt"
  loan: "P-1"
  fund: "general"
  grantee-kind: "company"
  term-months: {term}
  grace-months: {grace}
  Assets:Loans:Honour  100.00 EUR
  Assets:Bank:Main
{end} * "Boutique" "Frais"
  fund: "general"
  Expenses:Admin:Management  10.00 EUR
  Assets:Bank:Main
"""
days = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31))
terms = st.one_of(st.integers(-5, 600), st.integers(600, 10**7), st.just(99999))


@FUZZ
@given(st.lists(days, min_size=2, max_size=2), terms, terms,
       st.sampled_from(["funds-at", "trace-at", "quarterly", "dedicated", "contributor"]),
       days)
def test_far_dates_and_terms_never_crash(dates: list, term: int, grace: int, command: str,
                                         asked: datetime.date) -> None:
    """Entries at any date Beancount accepts (year 1 to 9999), loans of any term, and any
    ``--at``, ``--quarter``, ``--year`` a command accepts: a result, or one line, exit 2."""
    start, end = sorted(dates)
    text = FAR_LEDGER.format(start=start, end=end, term=term, grace=grace)
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Path(tmp) / "main.beancount"
        ledger.write_text(text, encoding="utf-8")
        out = Path(tmp) / "out"
        out.mkdir()
        quarter = f"{asked.year:04d}-Q{(asked.month - 1) // 3 + 1}"
        args = {
            "funds-at": ["funds", ledger, "--at", asked.isoformat()],
            "trace-at": ["trace", ledger, "--contributor", "Métropole", "--at",
                         asked.isoformat()],
            "quarterly": ["report", "quarterly", ledger, "--quarter", quarter,
                          "-o", out / "q.html"],
            "dedicated": ["report", "dedicated-funds", ledger, "--year",
                          str(max(asked.year, 1900)), "-o", out / "d.csv"],
            "contributor": ["report", "contributor", ledger, "--contributor", "Métropole",
                            "-o", out / "c.html"],
        }[command]
        result = run(*args)
        assert "Traceback" not in result.stderr
        assert result.exit_code in (0, 1, 2), result.stderr
        if result.exit_code == 2:
            lines = result.stderr.splitlines()
            assert len(lines) == 1 and lines[0].startswith("fundledger: "), result.stderr
            assert list(out.iterdir()) == []
        elif "-o" in args:
            assert len(list(out.iterdir())) == 1
