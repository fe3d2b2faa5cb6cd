"""Budget against actual, to the cent: revocations, refunds, subtrees, revisions, --at."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

from beancount import loader
from click.testing import CliRunner

from fundledger.cli.planning import budget
from fundledger.engine import analyse
from fundledger.engine.budget import planning_of
from tests.engine.helpers import HEADER, write_ledger
from tests.planning.ledgers import BUDGET


def rows(at: datetime.date | None = None, year: int = 2026) -> list[tuple]:
    entries, errors, options = loader.load_string(HEADER + BUDGET)
    assert errors == []
    books = analyse(entries, at, options=options, trace=False)
    return [(r.fund, r.subtree, r.budget, r.actual, r.rest)
            for r in planning_of(books).budget(year)]


def test_actual_is_awards_net_of_revocations_and_refunds_plus_expenses() -> None:
    # zero: G-2 30000 + G-3 12000 - revoked 2000 - refunded 1500 + accompaniment 2500.50
    #       + loan written off 400 = 41400.50; the loan itself and the transfer are not
    #       spending; G-1 (2025) and G-4 (2027) are other years.  The budget revised on
    #       2026-06-01 (65000) replaces the first (60000).
    # general: admin 5000.01 + programmes 1234.56 = 6234.57; the admin line alone is
    #       overspent by one cent.
    assert rows() == [
        ("general", None, Decimal("20000.00"), Decimal("6234.57"), Decimal("13765.43")),
        ("general", "Expenses:Admin", Decimal("5000.00"), Decimal("5000.01"), Decimal("-0.01")),
        ("zero", None, Decimal("65000.00"), Decimal("41400.50"), Decimal("23599.50")),
    ]


def test_at_a_date_counts_what_was_known_then() -> None:
    # By 2026-03-31: 30000 + 12000 + 2500.50; the revision of June is not known yet.
    assert rows(datetime.date(2026, 3, 31))[-1] == (
        "zero", None, Decimal("60000.00"), Decimal("44500.50"), Decimal("15499.50"))


def test_a_year_without_budget_has_no_line() -> None:
    assert rows(year=2025) == []


def test_subtree_under_renamed_expenses_root(tmp_path: Path) -> None:
    header = (HEADER.replace("Expenses:", "Charges:")
              .replace('option "operating_currency" "EUR"',
                       'option "operating_currency" "EUR"\noption "name_expenses" "Charges"'))
    body = """
2026-01-02 * "Métropole" "Don"
  fund: "general"
  Assets:Bank:Main  900.00 EUR
  Income:Contributions:Public
2026-01-03 custom "budget" "general" 2026 300.00 EUR "Charges:Admin"
2026-01-04 * "Cabinet" "Gestion"
  fund: "general"
  Charges:Admin:Management  120.30 EUR
  Assets:Bank:Main
2026-01-05 * "Ronalpia" "Accompagnement (another subtree)"
  fund: "general"
  Charges:Programs:Accompaniment  99.00 EUR
  Assets:Bank:Main
"""
    entries, errors, options = loader.load_file(str(write_ledger(tmp_path, body, header)))
    assert errors == []
    books = analyse(entries, options=options, trace=False)
    [row] = planning_of(books).budget(2026)
    assert (row.subtree, row.actual, row.rest) == ("Charges:Admin", Decimal("120.30"),
                                                   Decimal("179.70"))


def test_budget_command_json_table_csv(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path, BUDGET)
    runner = CliRunner()
    result = runner.invoke(budget, [str(ledger), "--year", "2026", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [
        {"fund": "general", "year": 2026, "subtree": None, "budget": "20000.00",
         "actual": "6234.57", "rest": "13765.43"},
        {"fund": "general", "year": 2026, "subtree": "Expenses:Admin", "budget": "5000.00",
         "actual": "5000.01", "rest": "-0.01"},
        {"fund": "zero", "year": 2026, "subtree": None, "budget": "65000.00",
         "actual": "41400.50", "rest": "23599.50"},
    ]
    csv = runner.invoke(budget, [str(ledger), "--year", "2026", "--format", "csv"])
    assert csv.output.splitlines()[:3] == [
        "fund,year,subtree,budget,actual,rest",
        "general,2026,,20000.00,6234.57,13765.43",
        "general,2026,Expenses:Admin,5000.00,5000.01,-0.01",
    ]
    table = runner.invoke(budget, [str(ledger), "--year", "2026", "--at", "2026-03-31"])
    assert table.output.splitlines()[0] == "Budget 2026 at 2026-03-31"
    assert table.output.splitlines()[-1].split() == [
        "zero", "2026", "(all)", "60000.00", "44500.50", "15499.50"]


def test_budget_command_exits_1_on_ledger_errors(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path, BUDGET + '2026-09-01 custom "budget" "zero" 2026 12\n')
    result = CliRunner().invoke(budget, [str(ledger), "--year", "2026", "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)[-1]["budget"] == "65000.00"
