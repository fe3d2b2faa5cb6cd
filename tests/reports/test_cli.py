"""`fundledger report ...`: exit statuses, errors listed, nothing written halfway."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from fundledger.cli import cli
from tests.reports.test_quarterly import text_of


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_ledger_errors_are_listed_and_exit_1(broken_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "q.html"
    result = run("report", "quarterly", str(broken_path), "--quarter", "2025-Q3", "-o", str(out))
    assert result.exit_code == 1
    text = text_of(out.read_text(encoding="utf-8"))
    assert "Erreurs dans la comptabilité" in text
    assert 'FL302 grant "G-9999-999" was never awarded' in text
    assert "broken.beancount:" in text
    result = run("report", "dedicated-funds", str(broken_path), "--year", "2025", "--lang", "en")
    assert result.exit_code == 1
    assert "Errors in the ledger" in result.stdout and "FL302" in result.stdout


@pytest.mark.parametrize("args, message", [
    (["quarterly", "--quarter", "2025-Q5"], 'bad quarter "2025-Q5"'),
    (["quarterly", "--quarter", "2025-Q3", "-o", "{tmp}/q.docx"], 'unknown output suffix ".docx"'),
    (["quarterly", "--quarter", "2025-Q3", "-o", "{tmp}/q.csv"], 'unknown output suffix ".csv"'),
    (["dedicated-funds", "--year", "2025", "-o", "{tmp}/nowhere/d.html"], "no such directory"),
])
def test_bad_usage_is_exit_2_with_one_line(ledger_path: Path, tmp_path: Path, args: list[str],
                                           message: str) -> None:
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = run("report", argv[0], str(ledger_path), *argv[1:])
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_unreadable_ledger_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.beancount"
    bad.write_text('2024-01-01 open Assets:Bank EUR\n2024-01-02 * "x\n  Assets:Bank 1 EUR\n',
                   encoding="utf-8")
    out = tmp_path / "q.pdf"
    result = run("report", "quarterly", str(bad), "--quarter", "2024-Q1", "-o", str(out))
    assert result.exit_code == 2
    assert "bad.beancount:" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()
    result = run("report", "quarterly", str(tmp_path / "missing.beancount"), "--quarter",
                 "2024-Q1")
    assert result.exit_code == 2 and "no such ledger file" in result.stderr


def test_existing_output_is_replaced_whole(ledger_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "d.html"
    out.write_text("old", encoding="utf-8")
    result = run("report", "dedicated-funds", str(ledger_path), "--year", "2025", "-o", str(out))
    assert result.exit_code == 0
    content = out.read_text(encoding="utf-8")
    assert content.startswith("<!DOCTYPE html>") and content.rstrip().endswith("</html>")
    assert [p.name for p in tmp_path.iterdir()] == ["d.html"]  # no temporary file left


def test_quarter_before_any_entry(ledger_path: Path) -> None:
    """No fund declared yet: empty tables, no charts, no crash."""
    result = run("report", "quarterly", str(ledger_path), "--quarter", "2010-Q1", "--lang", "en")
    assert result.exit_code == 0
    assert "<svg" not in result.stdout
    assert "Nothing in this period." in text_of(result.stdout)


def test_reproducible_preparation_date(ledger_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1759276800")  # 2025-10-01
    first = run("report", "dedicated-funds", str(ledger_path), "--year", "2025", "--lang", "en")
    second = run("report", "dedicated-funds", str(ledger_path), "--year", "2025", "--lang", "en")
    assert "Prepared on 1 October 2025 with fundledger" in first.stdout
    assert first.stdout == second.stdout
