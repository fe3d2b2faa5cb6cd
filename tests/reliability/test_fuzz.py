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

Examples are derandomised so CI is stable; set ``FUNDLEDGER_FUZZ_EXAMPLES=2000`` for a
long, random run.
"""

from __future__ import annotations

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
