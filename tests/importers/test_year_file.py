"""`import --apply` puts the entries in the year's file the ledger includes (issue 22)."""

from __future__ import annotations

from pathlib import Path

from .conftest import CONFIG, SAMPLES, run

STATEMENT = SAMPLES / "caisse-epargne-2026-10-01.camt053.xml"


def test_entries_go_to_the_included_file_of_their_year(ledger: Path) -> None:
    year = ledger.parent / "2026.beancount"
    year.write_text("; 2026\n", encoding="utf-8")
    other = ledger.parent / "2025.beancount"
    other.write_text("; 2025\n", encoding="utf-8")
    ledger.write_text(ledger.read_text(encoding="utf-8")
                      + '\ninclude "2025.beancount"\ninclude "2026.beancount"\n',
                      encoding="utf-8")
    main_before, other_before = ledger.read_bytes(), other.read_bytes()
    result = run("import", STATEMENT, "--ledger", ledger, "--apply", "--config", CONFIG)
    assert result.exit_code == 0, result.stderr
    assert ledger.read_bytes() == main_before
    assert other.read_bytes() == other_before
    text = year.read_text(encoding="utf-8")
    assert text.startswith("; 2026\n") and "; imported from " + STATEMENT.name in text
    assert text.count("\n2026-") >= 3
    # Run again: nothing new, nothing written.
    again = run("import", STATEMENT, "--ledger", ledger, "--apply", "--config", CONFIG)
    assert again.exit_code == 0 and year.read_text(encoding="utf-8") == text


def test_without_a_year_file_the_ledger_itself_receives_them(ledger: Path) -> None:
    before = ledger.read_bytes()
    result = run("import", STATEMENT, "--ledger", ledger, "--apply", "--config", CONFIG)
    assert result.exit_code == 0, result.stderr
    assert len(ledger.read_bytes()) > len(before)
