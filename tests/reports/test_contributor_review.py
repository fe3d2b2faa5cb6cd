"""The contributor statement as the review read it (issue 22)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from fundledger.cli import cli


def test_the_trace_and_the_statement_accept_the_name_without_accent(ledger_path: Path) -> None:
    runner = CliRunner()
    traced = runner.invoke(cli, ["trace", str(ledger_path), "--contributor", "Caisse d'Epargne"])
    assert traced.exit_code == 0, traced.stderr
    statement = runner.invoke(cli, ["report", "contributor", str(ledger_path),
                                    "--contributor", "caisse d'epargne", "--lang", "en"])
    assert statement.exit_code == 0, statement.stderr
    assert "Caisse d&#39;Épargne" in statement.stdout
