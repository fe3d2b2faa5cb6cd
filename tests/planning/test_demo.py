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
        # The host's fee is booked once a year, in December: none yet in 2026.
        ("general", None): ("62000.00", "20530.40", "41469.60"),
        ("general", "Expenses:Admin"): ("29000.00", "5030.40", "23969.60"),
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
    # general: 213457.16 available + the December online gifts expected (8000) - 41469.60
    # left of its 2026 budget.
    assert first["general"].uncommitted == D("179987.56")
    assert result.unscheduled == []
    assert [(n.kind, n.who, n.amount) for n in result.not_counted] == [
        ("loan", "P-2025-006", D("1818.18"))]
