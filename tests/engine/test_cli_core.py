"""`fundledger check`, `funds` and `trace` as a user runs them: output lines and exit statuses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.engine.helpers import HEADER_LINES, fund_line, write_ledger

OVERSPENT = fund_line("100.00", "zero") + """
2019-03-01 * "Vrac Solidaire" "Subvention"
  grant: "G-1"
  fund: "zero"
  Expenses:Grants:Themes  100.01 EUR
  Liabilities:GrantsPayable
"""


def fundledger(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed console script, as a user would (a fresh process each time)."""
    return subprocess.run([sys.executable, "-m", "fundledger.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=120)


def test_check_lists_file_line_code_and_summary(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path, OVERSPENT)
    result = fundledger("check", ledger)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    award_line = HEADER_LINES + 1 + OVERSPENT.splitlines().index(
        '2019-03-01 * "Vrac Solidaire" "Subvention"') + 1
    assert lines[0].startswith(f"{ledger}:{award_line}: FL201 ")
    assert '"zero"' in lines[0]
    assert lines[-1] == f"{ledger}: 1 error(s) (1 FL201)"
    assert result.stderr == ""


def test_check_clean_ledger(tmp_path: Path) -> None:
    result = fundledger("check", write_ledger(tmp_path, fund_line("5.00", "zero")))
    assert result.returncode == 0
    assert result.stdout.strip().endswith("no errors (19 entries)")


def test_check_applies_fund_rules_without_the_plugin_line(tmp_path: Path) -> None:
    from tests.engine.helpers import HEADER

    ledger = write_ledger(tmp_path, OVERSPENT,
                          header=HEADER.replace('plugin "fundledger.plugins.funds"\n', ""))
    result = fundledger("check", ledger)
    assert result.returncode == 1
    assert " FL201 " in result.stdout


def test_check_reports_beancount_errors_too(tmp_path: Path) -> None:
    body = fund_line("5.00", "zero") + "2019-04-01 balance Assets:Bank:Main  7.00 EUR\n"
    result = fundledger("check", write_ledger(tmp_path, body))
    assert result.returncode == 1
    assert "Balance failed for 'Assets:Bank:Main'" in result.stdout
    assert result.stdout.splitlines()[-1].endswith("(1 beancount)")


@pytest.mark.parametrize("content, expected", [
    (None, "no such ledger file"),
    (b"2019-01-01 open Assets:Bank EUR\n2019-13-45 * \"x\"\n", "main.beancount:2:"),
    (b"2019-01-01 open Assets:Bank EUR\n2019-01-02 * \"caf\xe9\"\n", "main.beancount:2:"),
    (b'include "missing.beancount"\n', "missing.beancount"),
])
def test_unreadable_ledger_exits_2_with_one_line(tmp_path: Path, content: bytes | None,
                                                expected: str) -> None:
    ledger = tmp_path / "main.beancount"
    if content is not None:
        ledger.write_bytes(content)
    for command in (["check"], ["funds"], ["trace", "--contributor", "X"]):
        result = fundledger(*command[:1], ledger, *command[1:])
        assert result.returncode == 2, (command, result)
        assert result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert expected in result.stderr
        assert "Traceback" not in result.stderr


def test_funds_exit_1_when_the_ledger_has_errors(tmp_path: Path) -> None:
    result = fundledger("funds", write_ledger(tmp_path, OVERSPENT), "--format", "json")
    assert result.returncode == 1
    rows = {row["fund"]: row for row in json.loads(result.stdout)}
    assert rows["zero"]["available"] == "-0.01"
    assert "1 error(s)" in result.stderr


def test_bad_usage_exits_2(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path, fund_line("5.00", "zero"))
    assert fundledger("funds", ledger, "--at", "2019-02-30").returncode == 2
    assert fundledger("funds", ledger, "--format", "xml").returncode == 2
    assert fundledger("trace", ledger).returncode == 2


def test_bean_check_fails_on_a_breach(tmp_path: Path) -> None:
    """The plugin makes Beancount's own bean-check fail, with fundledger's message."""
    ledger = write_ledger(tmp_path, OVERSPENT)
    result = subprocess.run([str(Path(sys.executable).parent / "bean-check"), str(ledger)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "FL201" in result.stderr + result.stdout
