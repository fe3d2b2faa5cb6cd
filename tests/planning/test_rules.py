"""Malformed budget directives and planning metadata: one small ledger per case."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engine.helpers import codes, fund_line
from tests.engine.test_rules import line_of, only

FUNDED = fund_line("1000.00", "zero", date="2026-01-02")


@pytest.mark.parametrize("directive", [
    'custom "budget" "zero" 2026',                          # no amount
    'custom "budget" "zero" "2026" 10.00 EUR',              # year as a string
    'custom "budget" "zero" 2026.5 10.00 EUR',              # not a whole year
    'custom "budget" "zero" 2026 10.00 USD',                # not EUR
    'custom "budget" "zero" 2026 -0.01 EUR',                # negative
    'custom "budget" "zero" 2026 10.00 EUR "Assets:Bank"',  # not an expense subtree
    'custom "budget" "zero" 2026 10.00 EUR "Expenses:admin"',  # not an account name
    'custom "budget" "zero" 2026 10.00 EUR "Expenses:Admin" "more"',
    'custom "planned-payment" "G-1" "2026-09-30" 10.00 EUR',  # date as a string
    'custom "planned-payment" "G-1" 2026-09-30 10.00',     # number, not an amount
    'custom "expected-income" "zero" 2026-09-30 10.00 EUR 12',  # contributor not a string
])
def test_fl103_malformed(tmp_path: Path, directive: str) -> None:
    body = FUNDED + f"2026-01-03 {directive}\n"
    assert codes(tmp_path, body) == [("FL103", line_of(body, directive))]


@pytest.mark.parametrize("directive", [
    'custom "budget" "zero" 2026 0.00 EUR',
    'custom "budget" "zero" 2026 10.00 EUR "Expenses"',
    'custom "budget" "zero" 2026 10.00 EUR "Expenses:Admin"',
    'custom "expected-income" "zero" 2026-09-30 10.00 EUR',
    'custom "expected-income" "zero" 2026-09-30 10.00 EUR "Grap"',
])
def test_well_formed_directives(tmp_path: Path, directive: str) -> None:
    assert codes(tmp_path, FUNDED + f"2026-01-03 {directive}\n") == []


@pytest.mark.parametrize("directive", [
    'custom "budget" "nowhere" 2026 10.00 EUR',
    'custom "expected-income" "nowhere" 2026-09-30 10.00 EUR',
])
def test_fl501_undeclared_fund(tmp_path: Path, directive: str) -> None:
    body = FUNDED + f"2026-01-03 {directive}\n"
    assert codes(tmp_path, body) == [("FL501", line_of(body, directive))]


def test_fl501_fund_declared_after_the_budget(tmp_path: Path) -> None:
    body = """
2026-01-03 custom "budget" "late" 2026 10.00 EUR
2026-01-04 custom "fund" "late" "restricted" "Declared late"
"""
    assert only(codes(tmp_path, body)) == ["FL501"]


def test_fl302_planned_payment_of_a_grant_never_awarded(tmp_path: Path) -> None:
    body = FUNDED + """
2026-01-03 custom "planned-payment" "G-9" 2026-09-30 10.00 EUR
2026-01-04 * "Vrac" "Subvention"
  grant: "G-1"
  fund: "zero"
  Expenses:Grants:Themes  10.00 EUR
  Liabilities:GrantsPayable
2026-01-04 custom "planned-payment" "G-1" 2026-09-30 10.00 EUR
"""
    assert codes(tmp_path, body) == [("FL302", line_of(body, '"G-9"'))]


def test_planned_payment_before_the_award_in_the_same_books(tmp_path: Path) -> None:
    body = FUNDED + """
2026-01-03 custom "planned-payment" "G-1" 2026-09-30 10.00 EUR
2026-02-04 * "Vrac" "Subvention"
  grant: "G-1"
  fund: "zero"
  Expenses:Grants:Themes  10.00 EUR
  Liabilities:GrantsPayable
"""
    assert codes(tmp_path, body) == []


@pytest.mark.parametrize(("meta", "place"), [
    ('  due: "2026-09-30"\n', "txn"),          # a string, not a date
    ('  due: 30\n', "txn"),
    ('    due: 2026-09-30\n', "posting"),      # on the posting
])
def test_fl105_due_not_a_date_on_the_transaction(tmp_path: Path, meta: str, place: str) -> None:
    pledge = '2026-01-05 * "Grap" "Promesse"\n  fund: "zero"\n'
    posting = "  Assets:Receivable:Pledges:Partners  10.00 EUR\n"
    if place == "txn":
        body = pledge + meta + posting + "  Income:Contributions:Partners\n"
    else:
        body = pledge + posting + meta + "  Income:Contributions:Partners\n"
    assert codes(tmp_path, body) == [("FL105", 1)]


def test_fl105_end_not_a_date(tmp_path: Path) -> None:
    body = FUNDED + """
2026-01-04 * "Vrac" "Subvention"
  grant: "G-1"
  fund: "zero"
  end: "fin 2026"
  Expenses:Grants:Themes  10.00 EUR
  Liabilities:GrantsPayable
"""
    assert codes(tmp_path, body) == [("FL105", line_of(body, "Vrac"))]


def test_dates_on_the_transaction_are_clean(tmp_path: Path) -> None:
    body = FUNDED + """
2026-01-04 * "Vrac" "Subvention"
  grant: "G-1"
  fund: "zero"
  end: 2026-12-31
  Expenses:Grants:Themes  10.00 EUR
  Liabilities:GrantsPayable
2026-01-05 * "Grap" "Promesse"
  fund: "zero"
  due: 2026-09-30
  Assets:Receivable:Pledges:Partners  10.00 EUR
  Income:Contributions:Partners
"""
    assert codes(tmp_path, body) == []
