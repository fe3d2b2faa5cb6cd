"""The forecast at each coming quarter end, to the cent, and its exit status."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from click.testing import CliRunner

from fundledger.cli.planning import forecast
from fundledger.engine import analyse
from fundledger.engine.budget import Forecast, planning_of, quarter_ends
from tests.engine.helpers import HEADER, write_ledger
from tests.planning.ledgers import FORECAST

START = datetime.date(2026, 5, 15)
D = Decimal


def run(body: str, start: datetime.date = START, quarters: int = 4) -> Forecast:
    entries, errors, options = loader.load_string(HEADER + body)
    assert [e.message for e in errors] == []
    books = analyse(entries, start, options=options, trace=False)
    return planning_of(books).forecast(start, quarters)


def by_fund(result: Forecast, part: str = "uncommitted") -> dict[str, list[Decimal]]:
    table: dict[str, list[Decimal]] = {}
    for quarter in result.quarters:
        for outlook in quarter.funds:
            table.setdefault(outlook.fund, []).append(getattr(outlook, part))
    return table


def test_quarter_ends_start_after_the_day() -> None:
    assert quarter_ends(datetime.date(2026, 5, 15), 3) == [
        datetime.date(2026, 6, 30), datetime.date(2026, 9, 30), datetime.date(2026, 12, 31)]
    assert quarter_ends(datetime.date(2026, 6, 30), 1) == [datetime.date(2026, 9, 30)]
    assert quarter_ends(datetime.date(2026, 12, 31), 1) == [datetime.date(2027, 3, 31)]


def test_uncommitted_per_fund_at_each_quarter_end() -> None:
    result = run(FORECAST)
    assert [q.label for q in result.quarters] == ["2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1"]
    table = by_fund(result)
    # zero: available 24200 (50000 + 5000 pledge paid - 12000 lent + 1200 repaid - 20000
    # awarded); + pledge of 7000 left, due 2026-09-15 (the 3000 due 2027-06-30 is beyond);
    # + instalments of 1200 from 2026-06-01 (2026-05-01 already repaid): 1200 by Q2, 4800
    # by Q3, 8400 by Q4, 10800 by 2027-Q1; + Macif 10000 on 2026-10-15; - budget rest
    # 10000 for 2026, + 15000 for 2027 from 2027-Q1.
    assert table["zero"] == [D("15400.00"), D("26000.00"), D("39600.00"), D("27000.00")]
    # food: available 12000; the pledges overdue or undated and the expected income
    # overdue are not counted; 2026 budget rest 1000; the 2025 budget lapsed.
    assert table["food"] == [D("11000.00")] * 4
    # general: 50 of interest, a budget of 100: below zero until the expected 4000
    # (less the 50 of interest that met it) arrives in 2027-Q1.
    assert table["general"] == [D("-50.00")] * 3 + [D("3900.00")]
    assert table["dotation"] == [D("0")] * 4
    assert by_fund(result, "loans")["zero"] == [D("1200"), D("4800"), D("8400"), D("10800")]
    assert by_fund(result, "budgets")["zero"] == [D("10000.00")] * 3 + [D("25000.00")]


def test_cash_with_payments_at_planned_and_end_dates() -> None:
    result = run(FORECAST)
    # bank 57250; G-3's payment planned on 2026-04-30 is late: paid by Q2 (3000); G-1's
    # second tranche 8000 on 2026-08-31 (its first was paid on 2026-03-31), its rest 4000
    # at its end 2026-12-15; G-2 has neither and is not paid.
    assert [q.cash.bank for q in result.quarters] == [D("57250.00")] * 4
    assert [q.cash.payments for q in result.quarters] == [
        D("3000.00"), D("11000.00"), D("15000.00"), D("15000.00")]
    assert [q.cash.cash for q in result.quarters] == [
        D("55450.00"), D("58050.00"), D("67650.00"), D("74000.00")]
    assert [(u.grant, u.fund, u.amount) for u in result.unscheduled] == [
        ("G-2", "food", D("6000.00"))]
    assert [(n.kind, n.fund, n.who, n.date, n.amount, n.reason) for n in result.not_counted] == [
        ("pledge", "food", "Banque des Territoires", datetime.date(2026, 4, 30), D("4000.00"),
         "overdue"),
        ("pledge", "food", "Grap", None, D("1000.00"), "undated"),
        ("income", "food", "Grap", datetime.date(2026, 4, 15), D("1500.00"), "overdue"),
    ]
    assert [q.flagged for q in result.quarters] == [True, True, True, False]
    assert result.flagged


def test_a_due_date_on_the_start_is_overdue_one_day_later_counts() -> None:
    pledge = """
2026-01-05 * "Grap" "Promesse"
  fund: "food"
  due: {due}
  Assets:Receivable:Pledges:Partners  700.00 EUR
  Income:Contributions:Partners
"""
    on_start = run(pledge.format(due="2026-05-15"))
    assert by_fund(on_start, "pledges")["food"] == [D("0")] * 4
    assert on_start.not_counted[0].reason == "overdue"
    next_day = run(pledge.format(due="2026-05-16"))
    assert by_fund(next_day, "pledges")["food"] == [D("700.00")] * 4
    # The pledge is in the balance but not yet available: it becomes so when collected.
    assert by_fund(next_day)["food"] == [D("700.00")] * 4


def test_cash_below_zero_when_the_money_sits_in_the_endowment() -> None:
    body = """
2026-01-05 * "Métropole" "Dotation"
  fund: "zero"
  Assets:Bank:Main  10000.00 EUR
  Income:Contributions:Public
2026-01-06 * "Banque" "Placement"
  Assets:Endowment:Portfolio  9000.00 EUR
  Assets:Bank:Main
2026-02-01 * "Vrac" "Subvention"
  grant: "G-1"
  fund: "zero"
  end: 2026-09-30
  Expenses:Grants:Themes  1000.01 EUR
  Liabilities:GrantsPayable
"""
    result = run(body)
    # bank 1000.00; the grant's 1000.01 at its end date, in 2026-Q3: one cent short.
    assert [q.cash.cash for q in result.quarters] == [
        D("1000.00"), D("-0.01"), D("-0.01"), D("-0.01")]
    assert [q.cash.flagged for q in result.quarters] == [False, True, True, True]
    # The fund itself is fine: its money is committed, not short.
    assert by_fund(result)["zero"] == [D("8999.99")] * 4
    exact = run(body.replace("1000.01", "1000.00"))
    assert not exact.flagged


def test_planned_payments_are_capped_by_what_is_left_and_met_by_payments() -> None:
    body = """
2026-01-05 * "Métropole" "Don"
  fund: "zero"
  Assets:Bank:Main  50000.00 EUR
  Income:Contributions:Public
2026-01-10 * "Vrac" "Subvention"
  grant: "G-1"
  fund: "zero"
  Expenses:Grants:Themes  30000.00 EUR
  Liabilities:GrantsPayable
2026-01-20 * "Vrac" "Avance (before any plan)"
  grant: "G-1"
  Liabilities:GrantsPayable  10000.00 EUR
  Assets:Bank:Main
2026-02-01 custom "planned-payment" "G-1" 2026-07-15 10000.00 EUR
2026-02-01 custom "planned-payment" "G-1" 2026-11-15 10000.00 EUR
2026-04-01 * "Vrac" "Révocation partielle"
  grant: "G-1"
  fund: "zero"
  Liabilities:GrantsPayable  4000.00 EUR
  Expenses:Grants:Themes
"""
    result = run(body)
    # The advance, paid before the plan, meets no tranche; 16000 are left after the
    # revocation: 10000 on 2026-07-15, then only 6000 of the second tranche.
    assert [q.cash.payments for q in result.quarters] == [
        D("0"), D("10000.00"), D("16000.00"), D("16000.00")]
    assert result.unscheduled == []
    # A payment after the plan meets the earliest tranche.
    paid = run(body + """
2026-05-02 * "Vrac" "Versement"
  grant: "G-1"
  Liabilities:GrantsPayable  3000.00 EUR
  Assets:Bank:Main
""")
    assert [q.cash.payments for q in paid.quarters] == [
        D("0"), D("7000.00"), D("13000.00"), D("13000.00")]


def test_planned_payments_short_of_the_rest_leave_it_unscheduled_or_at_the_end() -> None:
    body = """
2026-01-05 * "Métropole" "Don"
  fund: "zero"
  Assets:Bank:Main  50000.00 EUR
  Income:Contributions:Public
2026-01-10 * "Vrac" "Subvention"
  grant: "G-1"
  fund: "zero"{end}
  Expenses:Grants:Themes  30000.00 EUR
  Liabilities:GrantsPayable
2026-02-01 custom "planned-payment" "G-1" 2026-07-15 10000.00 EUR
"""
    loose = run(body.format(end=""))
    assert [(u.grant, u.amount) for u in loose.unscheduled] == [("G-1", D("20000.00"))]
    assert loose.quarters[-1].cash.payments == D("10000.00")
    ended = run(body.format(end="\n  end: 2027-01-31"))
    assert ended.unscheduled == []
    assert [q.cash.payments for q in ended.quarters] == [
        D("0"), D("10000.00"), D("10000.00"), D("30000.00")]
    late_end = run(body.format(end="\n  end: 2026-03-31"))  # already past: paid at once
    assert [q.cash.payments for q in late_end.quarters][:2] == [D("20000.00"), D("30000.00")]


def test_loan_in_arrears_counts_only_the_coming_instalments() -> None:
    body = """
2026-01-05 * "Métropole" "Don"
  fund: "zero"
  Assets:Bank:Main  10000.00 EUR
  Income:Contributions:Public
2026-01-15 * "Coop" "Prêt"
  loan: "P-1"
  fund: "zero"
  term-months: 10
  Assets:Loans:Honour  1000.00 EUR
  Assets:Bank:Main
2026-03-01 * "Coop" "Échéance"
  loan: "P-1"
  fund: "zero"
  Assets:Bank:Main  100.00 EUR
  Assets:Loans:Honour
"""
    result = run(body)
    # 100 a month from 2026-02-15: 400 due by 2026-05-15, 100 repaid: 300 in arrears,
    # not counted; then 100 on 06-15 (Q2), 3 more by Q3, 2 by Q4 (2026-11-15 the last).
    assert by_fund(result, "loans")["zero"] == [D("100.00"), D("400.00"), D("600.00"),
                                               D("600.00")]
    assert [(n.kind, n.who, n.amount, n.reason) for n in result.not_counted] == [
        ("loan", "P-1", D("300.00"), "arrears")]
    ahead = run(body.replace("100.00 EUR", "450.00 EUR"))
    # Repaid 450 ahead of the 400 due: 50 more by 06-15, then 100 a month.
    assert by_fund(ahead, "loans")["zero"] == [D("50.00"), D("350.00"), D("550.00"),
                                              D("550.00")]
    assert ahead.not_counted == []


def test_expected_income_met_by_the_contributor_only() -> None:
    body = """
2026-01-01 custom "expected-income" "zero" 2026-08-01 5000.00 EUR "Caisse d'Épargne"
2026-02-01 * "Métropole" "Don (another contributor)"
  fund: "zero"
  Assets:Bank:Main  2000.00 EUR
  Income:Contributions:Public
2026-03-01 * "CAISSE D'ÉPARGNE" "Don (same, in capitals)"
  fund: "zero"
  Assets:Bank:Main  1500.00 EUR
  Income:Contributions:Partners
2026-03-02 * "Banque" "Coupons (no contributor)"
  fund: "zero"
  Assets:Bank:Main  10.00 EUR
  Income:Investment:Coupons
"""
    result = run(body)
    assert by_fund(result, "income")["zero"] == [D("0"), D("3500.00"), D("3500.00"),
                                                D("3500.00")]
    assert [q.cash.income for q in result.quarters][1] == D("3500.00")


def test_budgets_of_next_year_and_lapse_of_past_years() -> None:
    body = """
2025-06-01 * "Métropole" "Don"
  fund: "zero"
  Assets:Bank:Main  1000.00 EUR
  Income:Contributions:Public
2025-06-02 custom "budget" "zero" 2025 400.00 EUR
2025-06-03 custom "budget" "zero" 2026 300.00 EUR
2025-06-03 custom "budget" "zero" 2026 100.00 EUR "Expenses:Programs"
2025-06-04 * "Ronalpia" "Accompagnement"
  fund: "zero"
  Expenses:Programs:Accompaniment  150.00 EUR
  Assets:Bank:Main
"""
    start = datetime.date(2025, 11, 20)
    result = run(body, start=start, quarters=2)
    # 2025: 400 - 150 = 250 left in Q4 2025; 2026-Q1: + 300 (the programmes line is part
    # of the whole-fund line: not counted twice).
    assert by_fund(result, "budgets")["zero"] == [D("250.00"), D("550.00")]
    assert by_fund(result)["zero"] == [D("600.00"), D("300.00")]
    later = run(body, start=datetime.date(2026, 1, 10), quarters=1)
    assert by_fund(later, "budgets")["zero"] == [D("300.00")]  # the 2025 rest lapsed


def test_overspent_line_commits_nothing_and_parts_add_up_without_a_whole_line() -> None:
    body = """
2026-01-02 * "Métropole" "Don"
  fund: "general"
  Assets:Bank:Main  1000.00 EUR
  Income:Contributions:Public
2026-01-03 custom "budget" "general" 2026 100.00 EUR "Expenses:Admin"
2026-01-03 custom "budget" "general" 2026 200.00 EUR "Expenses:Programs"
2026-01-04 * "Cabinet" "Gestion"
  fund: "general"
  Expenses:Admin:Management  180.00 EUR
  Assets:Bank:Main
"""
    result = run(body, start=datetime.date(2026, 2, 1), quarters=1)
    assert by_fund(result, "budgets")["general"] == [D("200.00")]
    assert by_fund(result)["general"] == [D("620.00")]


def test_forecast_command_json_shape_and_exit_1_when_flagged(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path, FORECAST)
    result = CliRunner().invoke(forecast, [str(ledger), "--from", "2026-05-15",
                                           "--quarters", "4", "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert list(data) == ["from", "flagged", "quarters", "unscheduled", "not_counted"]
    first = data["quarters"][0]
    assert {k: first[k] for k in ("quarter", "end", "flagged")} == {
        "quarter": "2026-Q2", "end": "2026-06-30", "flagged": True}
    assert first["funds"][1] == {
        "fund": "general", "available": "50.00", "pledges": "0.00", "loans": "0.00",
        "income": "0.00", "budgets": "100.00", "uncommitted": "-50.00", "flagged": True}
    assert data["quarters"][3]["cash"] == {
        "bank": "57250.00", "pledges": "7000.00", "loans": "10800.00", "income": "13950.00",
        "payments": "15000.00", "cash": "74000.00", "flagged": False}
    assert data["unscheduled"] == [
        {"grant": "G-2", "fund": "food", "grantee": "Epicerie", "amount": "6000.00"}]
    assert data["not_counted"][1] == {"kind": "pledge", "fund": "food", "who": "Grap",
                                      "date": None, "amount": "1000.00", "reason": "undated"}
    assert "2026-Q2: general" in result.stderr


def test_forecast_command_table_csv_and_exit_0(tmp_path: Path) -> None:
    body = FORECAST.replace('"general" 2026 100.00 EUR', '"general" 2026 50.00 EUR')
    ledger = write_ledger(tmp_path, body)
    runner = CliRunner()
    table = runner.invoke(forecast, [str(ledger), "--from", "2026-05-15", "--quarters", "2"])
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines[1].split() == ["fund", "2026-Q2", "2026-Q3"]
    assert ["zero", "15400.00", "26000.00"] in [line.split() for line in lines]
    assert ["cash", "55450.00", "58050.00"] in [line.split() for line in lines]
    assert any("G-2" in line and "6000.00" in line for line in lines)
    csv = runner.invoke(forecast, [str(ledger), "--from", "2026-05-15", "--quarters", "1",
                                   "--format", "csv"])
    assert csv.stdout.splitlines() == [
        "quarter,end,kind,fund,opening,pledges,loans,income,outgoing,closing,flagged",
        "2026-Q2,2026-06-30,uncommitted,dotation,0.00,0.00,0.00,0.00,0.00,0.00,no",
        "2026-Q2,2026-06-30,uncommitted,general,50.00,0.00,0.00,0.00,50.00,0.00,no",
        "2026-Q2,2026-06-30,uncommitted,zero,24200.00,0.00,1200.00,0.00,10000.00,15400.00,no",
        "2026-Q2,2026-06-30,uncommitted,food,12000.00,0.00,0.00,0.00,1000.00,11000.00,no",
        "2026-Q2,2026-06-30,cash,,57250.00,0.00,1200.00,0.00,3000.00,55450.00,no",
    ]


def test_forecast_from_a_past_date_ignores_later_entries(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path, FORECAST)
    result = CliRunner().invoke(forecast, [str(ledger), "--from", "2026-01-31", "--quarters",
                                           "1", "--format", "json"])
    data = json.loads(result.stdout)
    # On 2026-01-31: 50000 + 20000 in the bank; zero's pledge of 12000 due 2026-09-15 is
    # beyond 2026-03-31; its budget of 30000 is all left: 50000 - 30000.
    assert data["quarters"][0]["cash"]["bank"] == "70000.00"
    assert data["quarters"][0]["funds"][2]["uncommitted"] == "20000.00"


@pytest.mark.parametrize("args", [["--quarters", "0"], ["--from", "2026-02-30"],
                                  ["--from", "9999-10-31", "--quarters", "2"],
                                  ["--from", "9999-12-31"]])
def test_forecast_bad_usage_is_one_line_exit_2(tmp_path: Path, args: list[str]) -> None:
    ledger = write_ledger(tmp_path, FORECAST)
    result = subprocess.run([sys.executable, "-m", "fundledger.cli", "forecast", str(ledger),
                             *args], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1


def test_forecast_of_a_missing_ledger_is_exit_2(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "fundledger.cli", "budget",
                             str(tmp_path / "none.beancount"), "--year", "2026"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "none.beancount" in result.stderr


def test_the_last_dates_python_knows_end_in_a_result(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path, FORECAST)
    runner = CliRunner()
    last = runner.invoke(forecast, [str(ledger), "--from", "9999-10-31", "--quarters", "1",
                                    "--format", "json"])
    assert json.loads(last.stdout)["quarters"][0]["quarter"] == "9999-Q4"
    from fundledger.cli.planning import budget

    at_end = runner.invoke(budget, [str(ledger), "--year", "9999", "--at", "9999-12-31"])
    assert at_end.exit_code == 0, at_end.output


@pytest.mark.parametrize("day", ["2026-01-01", "2026-01-11", "2026-02-01", "2026-03-05",
                                 "2026-03-31", "2026-04-20", "2026-05-01"])
def test_the_books_at_a_date_answer_as_a_pass_stopped_there(day: str) -> None:
    """One pass, then a view at a date (Books.as_of), gives what a pass to that date gives."""
    entries, errors, options = loader.load_string(HEADER + FORECAST)
    start = datetime.date.fromisoformat(day)
    whole = analyse(entries, options=options, trace=False, snapshots=[start])
    stopped = analyse(entries, start, options=options, trace=False)
    view = whole.as_of(start)
    assert planning_of(view).forecast(start, 4).as_dict() == (
        planning_of(stopped).forecast(start, 4).as_dict())
    for year in (2025, 2026, 2027):
        assert planning_of(view).budget(year) == planning_of(stopped).budget(year)
