"""The README's two commands stay true: CI runs the second, this runs the first's job."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text)[:2]


def test_readme_opens_with_the_two_commands() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    head = text.split("\n## ", 1)[0]
    assert head.count("```sh") == 2
    run, test = readme_commands()
    assert run.endswith("./demo.sh") and "pip install" in run
    assert test.endswith("pytest -q") and "'.[test]'" in test


def test_ci_runs_the_readme_test_command() -> None:
    assert readme_commands()[1] in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_demo_runs_the_main_job(tmp_path: Path) -> None:
    """./demo.sh (without its final Fava step) checks the Lyon books and writes every output."""
    env = dict(os.environ, OUT=str(tmp_path / "out"), FUNDLEDGER_DEMO_NO_SERVE="1",
               FUNDLEDGER=str(Path(sys.executable).parent / "fundledger"))
    result = subprocess.run(["bash", str(REPO / "demo.sh")], capture_output=True, text=True,
                            env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "ledger/lyon/main.beancount: no errors" in result.stdout
    out = tmp_path / "out"
    for name in ("board-2026-Q3.html", "board-2026-Q3.pdf", "dedicated-funds-2025.pdf",
                 "dedicated-funds-2025.csv", "annual-accounts-2025.pdf",
                 "annual-accounts-2025.csv", "528462195FEC20251231.txt", "contributor.pdf",
                 "site/index.html"):
        assert (out / name).stat().st_size > 500, name
    assert (out / "board-2026-Q3.pdf").read_bytes().startswith(b"%PDF")
    csv = (out / "dedicated-funds-2025.csv").read_text(encoding="utf-8")
    assert "zero-dechet" in csv or "Tendre vers le zéro déchet" in csv
    # The host's consolidation and the 2025 receipts, issued on a copy of the books.
    assert "lyon/zero-dechet" in result.stdout
    assert len(list((out / "receipts").glob("recu-ful-2025-*.pdf"))) == 5
    assert (out / "receipts" / "declaration-222bis-2025.csv").is_file()
    assert 'custom "receipt"' in (out / "books" / "lyon" / "main.beancount").read_text(
        encoding="utf-8")
    assert 'custom "receipt"' not in (REPO / "ledger" / "lyon" / "main.beancount").read_text(
        encoding="utf-8")
    # The host's annual accounts (its foundations' fonds dédiés) and its public site with
    # the consolidated accounts.
    assert (out / "host-annual-accounts-2025.pdf").read_bytes().startswith(b"%PDF")
    assert 'data-fund="lyon/zero-dechet"' in (out / "host-site" / "consolidated.html"
                                              ).read_text(encoding="utf-8")
