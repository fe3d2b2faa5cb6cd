"""The host's demo books (ledger/host/): clean, consolidated without FL801, receipts on a copy."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOST = ROOT / "ledger" / "host" / "main.beancount"
SHELTERED = [ROOT / "ledger" / "lyon" / "main.beancount",
             ROOT / "ledger" / "host" / "sciences-societe" / "main.beancount",
             ROOT / "ledger" / "host" / "campus-durable" / "main.beancount"]


def fundledger(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fundledger.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "BEANCOUNT_DISABLE_LOAD_CACHE": "1"})


@pytest.mark.parametrize("book", [HOST, *SHELTERED], ids=lambda p: p.parent.name)
def test_every_entity_checks_clean(book: Path) -> None:
    result = fundledger("check", book)
    assert result.returncode == 0, result.stdout


def test_consolidated_demo(tmp_path: Path) -> None:
    result = fundledger("consolidate", HOST, "--format", "json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    labels = {e["entity"]: e["label"] for e in out["entities"]}
    assert list(labels) == ["ful", "lyon", "sciences", "campus"]
    assert labels["sciences"].endswith("(fictive)") and labels["campus"].endswith("(fictive)")
    fees = {(e["entity"], str(e["year"])): (e["received"], e["spent"])
            for e in out["eliminations"] if e["what"] == "host-fee"
            and "lyon" in (e["entity"], e["counterpart"])}
    # Lyon pays its fee every full year, and the host books the same amount.
    for year in range(2019, 2026):
        assert fees[("lyon", str(year))][1] == "-" + fees[("ful", str(year))][0][1:]
    assert fees[("lyon", "2025")] == ("0.00", "-9725.19")
    totals = {row["kind"]: row for row in out["totals"]}
    assert totals["total"]["received"] == "5528175.00"
    assert totals["total"]["balance"] == "2628889.23"
    entity_sums = sum(Decimal(f["balance"]) for e in out["entities"] for f in e["funds"])
    assert entity_sums == Decimal("2628889.23")  # eliminations never change a balance


def test_receipts_on_a_copy_of_the_books(tmp_path: Path) -> None:
    books = tmp_path / "books"
    books.mkdir()
    for folder in ("lyon", "host"):
        shutil.copytree(ROOT / "ledger" / folder, books / folder,
                        ignore=shutil.ignore_patterns(".*"))
    committed = SHELTERED[0].read_bytes()
    result = fundledger("receipts", books / "lyon" / "main.beancount", "--year", "2025",
                        "-o", tmp_path / "receipts", "--issuer", books / "host" / "main.beancount")
    assert result.returncode == 0, result.stderr
    assert [line.split()[0] for line in result.stdout.splitlines()[:-1]] == [
        "2025-0001", "2025-0002", "2025-0003", "2025-0004", "2025-0005"]
    assert "Imprimerie des Canuts" not in result.stdout  # receipt: FALSE
    assert len(list((tmp_path / "receipts").glob("recu-ful-2025-*.pdf"))) == 5
    assert SHELTERED[0].read_bytes() == committed
    assert fundledger("consolidate", books / "host" / "main.beancount").returncode == 0
