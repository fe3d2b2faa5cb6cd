"""Reports and the public site on bad ledgers (SPEC 5): a ledger with errors still gives
its output (exit 1), an unreadable one gives none (exit 2, one line), never a traceback.

A selection of the ledger corpus (the unreadable ones, and those whose errors most
disturb figures: unknown funds, huge amounts, money in another currency).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import CORPUS, run
from .test_ledger_corpus import expectation, header

SELECTION = [
    "bad-date", "unterminated-string", "garbage-line", "latin1", "utf16", "binary",
    "missing-include", "fund-unknown-kind", "transfer-negative", "payment-before-award",
    "unknown-fund", "posting-without-fund", "spending-rule-unknown-fund", "impact-value-string",
    "huge-spend", "huge-transfer", "many-decimals", "contribution-in-dollars",
]
#: The outputs that trace contributors: refused where the corpus says tracing is.
TRACING = {"contributor", "publish"}
OUTPUTS = {  # command -> (arguments after the ledger, output name)
    "quarterly": (["--quarter", "2019-Q2"], "rapport.html"),
    "dedicated-funds": (["--year", "2019"], "fonds-dedies.html"),
    "annual": (["--year", "2019"], "comptes-annuels.html"),
    "contributor": (["--contributor", "Métropole"], "contributeur.html"),
    "publish": ([], "site"),
}


def cases() -> list:
    # huge-transfer made report quarterly and publish raise in reports/base.py:money
    # (quantize beyond 28 digits) until the reports fixed it
    return [pytest.param(name, command, id=f"{name}-{command}")
            for name in SELECTION for command in OUTPUTS]


@pytest.mark.parametrize(("name", "command"), cases())
def test_output_written_whole_or_not_at_all(tmp_path: Path, name: str, command: str) -> None:
    source = CORPUS / "ledgers" / f"{name}.beancount"
    status, _regex = expectation(source)
    if command in TRACING:
        status = int(header(source).get("expect-trace-exit", status))
    ledger = tmp_path / source.name
    shutil.copy(source, ledger)
    extra, output_name = OUTPUTS[command]
    output = tmp_path / "out" / output_name
    output.parent.mkdir()
    head = ["publish", ledger] if command == "publish" else ["report", command, ledger]
    result = run(*head, *extra, "-o", output)
    assert "Traceback" not in result.stderr
    assert result.exit_code == status, result.stderr
    if status == 2:
        assert len(result.stderr.splitlines()) == 1, result.stderr
        assert list(output.parent.iterdir()) == []  # no partial output, no litter
    elif command == "publish":
        assert any(output.rglob("*.html"))
    else:
        text = output.read_text(encoding="utf-8")
        assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
