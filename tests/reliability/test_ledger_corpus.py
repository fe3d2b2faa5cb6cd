"""The bad-ledger corpus (corpus/ledgers): each file answered as it says, never a traceback.

Each corpus file begins with ``; expect-exit: N`` and ``; expect: REGEX``.  ``check``,
``funds`` and ``trace`` must all give that exit status; for 1 (a ledger with errors)
``check`` lists the expected error with its file and line and the figures are still
printed; for 2 (unreadable) each command prints one stderr line naming the file and line,
and nothing on stdout.  ``; expect-trace-exit: N`` marks the few ledgers whose amounts
are beyond exact contributor tracing: ``trace`` refuses them in one line naming the entry.
The corpus is written by ``corpus/make_ledgers.py``.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from .conftest import CORPUS, assert_one_line_refusal, run

LEDGERS = sorted((CORPUS / "ledgers").glob("*.beancount"))


def header(path: Path) -> dict[str, str]:
    """The ``; key: value`` lines that open a corpus file."""
    fields = {}
    for raw in path.read_bytes().split(b"\n")[:6]:
        match = re.match(r"; ([a-z-]+): (.*)", raw.decode("ascii", "replace"))
        if match:
            fields[match[1]] = match[2]
    return fields


def expectation(path: Path) -> tuple[int, str]:
    fields = header(path)
    return int(fields["expect-exit"]), fields["expect"]


def cases(test: str) -> list:
    """One param per corpus file; a known bug of another room's code is a strict xfail."""
    params = []
    for path in LEDGERS:
        reason = header(path).get(f"xfail-{test}")
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(path, id=path.stem, marks=marks))
    return params


def private_copy(path: Path, tmp_path: Path) -> tuple[Path, int, str]:
    """A private copy (no cache file lands in the corpus), with its expectation."""
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    return (copy, *expectation(path))


def test_corpus_is_complete() -> None:
    assert len(LEDGERS) >= 45
    assert {expectation(p)[0] for p in LEDGERS} == {0, 1, 2}


@pytest.mark.parametrize("source", cases("check"))
def test_check(source: Path, tmp_path: Path) -> None:
    path, status, regex = private_copy(source, tmp_path)
    result = run("check", path)
    assert "Traceback" not in result.stderr + result.stdout
    assert result.exit_code == status, (result.stdout, result.stderr)
    if status == 2:
        line = assert_one_line_refusal(result, path)
        assert re.search(r"\.beancount:\d+: ", line), line  # FILE:LINE
        assert re.search(regex, line), line
        assert result.stdout == ""
    elif status == 0:
        assert re.search(regex, result.stdout), result.stdout
    else:
        located = [line for line in result.stdout.splitlines() if re.search(regex, line)]
        assert located, result.stdout
        assert all(line.startswith(f"{path}:") for line in located), located
        assert re.match(rf"{re.escape(str(path))}:\d+: ", located[0])


@pytest.mark.parametrize("source", cases("funds"))
def test_funds_and_trace(source: Path, tmp_path: Path) -> None:
    path, status, _regex = private_copy(source, tmp_path)
    funds = run("funds", path, "--format", "json")
    trace = run("trace", path, "--contributor", "Métropole", "--format", "json")
    for result in (funds, trace):
        assert "Traceback" not in result.stderr + result.stdout
    assert funds.exit_code == status, funds.stderr
    trace_status = int(header(source).get("expect-trace-exit", status))
    assert trace.exit_code == trace_status, trace.stderr
    if trace_status != status:  # tracing refused, the figures still given
        line = assert_one_line_refusal(trace, path)
        assert re.search(r"\.beancount:\d+: contributor tracing stops here", line), line
        assert trace.stdout == ""
        assert json.loads(funds.stdout)
    elif status == 2:
        for result in (funds, trace):
            assert_one_line_refusal(result, path)
            assert result.stdout == ""
    else:  # figures still given, whole
        general = {row["fund"]: row for row in json.loads(funds.stdout)}["general"]
        assert re.fullmatch(r"-?\d+\.\d\d", general["balance"])
        shares = json.loads(trace.stdout)
        assert shares["contributor"] == "Métropole"


def test_missing_empty_and_directory_ledgers(tmp_path: Path) -> None:
    missing = tmp_path / "nope.beancount"
    for command in (["check"], ["funds"], ["trace", "--contributor", "X"]):
        assert_one_line_refusal(run(command[0], missing, *command[1:]), missing)
        assert_one_line_refusal(run(command[0], tmp_path, *command[1:]), tmp_path)
    empty = tmp_path / "empty.beancount"
    empty.write_bytes(b"")
    result = run("funds", empty, "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def test_bad_includes(tmp_path: Path) -> None:
    """Include cycles, an included folder, an included latin-1 file: one line, exit 2."""
    (tmp_path / "a.beancount").write_text('include "b.beancount"\n2019-01-01 open Assets:A\n')
    (tmp_path / "b.beancount").write_text('include "a.beancount"\n')
    (tmp_path / "folder").mkdir()
    (tmp_path / "c.beancount").write_text('include "folder"\n')
    (tmp_path / "d.beancount").write_text('include "latin1.beancount"\n')
    (tmp_path / "latin1.beancount").write_bytes("2019-01-01 open Assets:Épargne\n"
                                                .encode("latin-1"))
    for ledger, named in (("a", "a.beancount"), ("c", "c.beancount"),
                          ("d", "latin1.beancount:1")):
        for command in (["check"], ["funds"]):
            result = run(command[0], tmp_path / f"{ledger}.beancount")
            assert named in assert_one_line_refusal(result), result.stderr
