"""The Lyon demo books' budgets and forecast, pinned to the cent (docs/demo-books.md)."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from fundledger.cli import cli
from fundledger.engine.budget import planning_of
from fundledger.ledger import load

LYON = Path(__file__).resolve().parents[2] / "ledger" / "lyon" / "main.beancount"
D = Decimal


def test_lyon_budget_2026_against_actual() -> None:
    result = CliRunner().invoke(cli, ["budget", str(LYON), "--year", "2026", "--format",
                                      "json"])
    assert result.exit_code == 0, result.output
    rows = {(r["fund"], r["subtree"]): (r["budget"], r["actual"], r["rest"])
            for r in json.loads(result.stdout)}
    assert rows == {
        ("general", None): ("62000.00", "37030.40", "24969.60"),
        ("general", "Expenses:Admin"): ("29000.00", "21530.40", "7469.60"),
        ("general", "Expenses:Programs"): ("33000.00", "15500.00", "17500.00"),
        ("circuits-courts", None): ("50000.00", "12500.00", "37500.00"),
        ("logement-insertion", None): ("100000.00", "90600.00", "9400.00"),
        ("zero-dechet", None): ("60000.00", "34000.00", "26000.00"),
        ("immobilier-ess", None): ("200000.00", "183510.00", "16490.00"),
    }


def test_lyon_forecast_from_the_end_of_the_books() -> None:
    books = load(LYON).analysis(trace=False)
    result = planning_of(books).forecast(datetime.date(2026, 9, 30), 8)
    assert not result.flagged
    first = {f.fund: f for f in result.quarters[0].funds}
    # logement-insertion: 38000 available - 9400 left of its 2026 budget + Mutuelle
    # Fourvière's last instalment (22500, due 2026-11-12).
    assert (first["logement-insertion"].pledges, first["logement-insertion"].uncommitted) == (
        D("22500.00"), D("51100.00"))
    # general: + the December online gifts expected (8000).
    assert first["general"].uncommitted == D("83948.20")
    assert result.unscheduled == []
    assert [(n.kind, n.who, n.amount) for n in result.not_counted] == [
        ("loan", "P-2025-006", D("1818.18"))]
