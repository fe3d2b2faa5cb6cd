"""The fonds dédiés movements (first in, first out) and the chart of accounts, by hand."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader

from fundledger.engine import analyse
from fundledger.engine.chart import Chart, origin_of
from fundledger.engine.yearend import dedicated_rows, figures_at_year_end

D = Decimal
ROOT = Path(__file__).resolve().parents[2]

HEADER = """\
option "operating_currency" "EUR"
{options}
2023-01-01 open {A}:Bank:Main EUR
2023-01-01 open {A}:Endowment:Titres EUR
2023-01-01 open {I}:Contributions:Dons EUR
2023-01-01 open {I}:Investment:Coupons EUR
2023-01-01 open {E}:Programs:Ateliers EUR
  pcg: "6226"
2023-01-01 custom "fund" "a" "restricted" "Fonds A"
2023-01-01 custom "fund" "b" "restricted" "Fonds B"
  origin: "generosite"
2023-01-01 custom "fund" "c" "restricted" "Fonds C"
2023-01-01 custom "fund" "general" "unrestricted" "Libre"
"""

BODY = """
2023-03-01 * "Région" "Subvention"
  contributor-kind: "public"
  fund: "a"
  {A}:Bank:Main  10000.00 EUR
  {I}:Contributions:Dons
2023-04-01 * "Mme Dupont" "Don"
  contributor-kind: "person"
  fund: "a"
  {A}:Bank:Main  2000.00 EUR
  {I}:Contributions:Dons
2023-05-01 * "Atelier" "Dépense"
  fund: "a"
  {E}:Programs:Ateliers  4000.00 EUR
  {A}:Bank:Main
2023-06-01 * "Acme" "Mécénat"
  contributor-kind: "company"
  fund: "c"
  {A}:Bank:Main  5000.00 EUR
  {I}:Contributions:Dons
2024-02-01 * "Atelier" "Dépense"
  fund: "a"
  {E}:Programs:Ateliers  3000.00 EUR
  {A}:Bank:Main
2024-03-01 * "Région" "Subvention 2024"
  contributor-kind: "public"
  fund: "a"
  {A}:Bank:Main  6000.00 EUR
  {I}:Contributions:Dons
2024-04-01 * "Région" "Reversement du trop-perçu"
  contributor-kind: "public"
  fund: "a"
  {I}:Contributions:Dons  1000.00 EUR
  {A}:Bank:Main
2024-05-01 * "Atelier" "Dépense"
  fund: "a"
  {E}:Programs:Ateliers  7000.00 EUR
  {A}:Bank:Main
2024-06-01 custom "fund-transfer" "a" "b" 2000.00 EUR "Réaffectation"
2024-07-01 * "Atelier" "Avoir"
  fund: "a"
  {A}:Bank:Main  500.00 EUR
  {E}:Programs:Ateliers
"""


def books_of(roots: tuple[str, str, str] = ("Assets", "Income", "Expenses")):
    a, i, e = roots
    options = "" if roots[0] == "Assets" else (
        f'option "name_assets" "{a}"\noption "name_income" "{i}"\n'
        f'option "name_expenses" "{e}"\n')
    text = (HEADER + BODY).replace("{options}", options)
    text = text.replace("{A}", a).replace("{I}", i).replace("{E}", e)
    entries, errors, options_map = loader.load_string(text)
    assert not errors, errors
    return analyse(entries, options=options_map, trace=False), entries, options_map


def table(books, year):
    return {r.fund: r for r in dedicated_rows(books, year)}


@pytest.mark.parametrize("roots", [("Assets", "Income", "Expenses"),
                                   ("Actif", "Produits", "Charges")])
def test_fifo_by_hand(roots) -> None:
    books, _entries, _options = books_of(roots)
    rows = table(books, 2023)
    a = rows["a"]
    # 2023: 12,000 came in, 4,000 spent from the year's money: all carried forward.
    assert (a.opening, a.reports, a.utilisations, a.transfers, a.closing) == (
        0, D("8000.00"), 0, 0, D("8000.00"))
    assert a.origin == "subvention"  # 10,000 public against 2,000 from a person
    rows = table(books, 2024)
    a = rows["a"]
    # 2024: the 3,000 and the 1,000 paid back take the opening 8,000 down to 4,000; the
    # 7,000 takes those 4,000, then 3,000 of the year's 6,000; the transfer of 2,000 comes
    # from the year's money (the older is spent); the credit note of 500 is a resource.
    assert (a.opening, a.opening_refunds, a.reports, a.utilisations,
            a.utilisation_refunds, a.transfers, a.closing, a.dormant) == (
        D("8000.00"), D("1000.00"), D("3500.00"), D("8000.00"), D("1000.00"),
        D("-2000.00"), D("1500.00"), 0)
    b = rows["b"]
    assert b.origin == "generosite"  # declared
    assert (b.opening, b.reports, b.transfers, b.closing, b.dormant) == (
        0, 0, D("2000.00"), D("2000.00"), D("2000.00"))
    c = rows["c"]
    assert c.origin == "contribution" and c.closing == c.dormant == D("5000.00")
    assert list(rows) == ["a", "c", "b"]  # subventions, contributions, générosité


def test_one_cent_past_the_opening_comes_from_the_year() -> None:
    text = (HEADER + """
2023-03-01 * "Région" "Subvention"
  fund: "a"
  Assets:Bank:Main  100.00 EUR
  Income:Contributions:Dons
2024-03-01 * "Région" "Subvention"
  fund: "a"
  Assets:Bank:Main  50.00 EUR
  Income:Contributions:Dons
2024-05-01 * "Atelier" "Dépense"
  fund: "a"
  Expenses:Programs:Ateliers  100.01 EUR
  Assets:Bank:Main
""").replace("{options}", "")
    text = text.replace("{A}", "Assets").replace("{I}", "Income").replace("{E}", "Expenses")
    entries, errors, options = loader.load_string(text)
    assert not errors
    a = table(analyse(entries, options=options, trace=False), 2024)["a"]
    assert (a.utilisations, a.reports, a.closing) == (D("100.00"), D("49.99"), D("49.99"))


def check_identity(books, years) -> int:
    checked = 0
    for year in years:
        end = figures_at_year_end(books, year)
        before = figures_at_year_end(books, year - 1)
        for row in dedicated_rows(books, year):
            assert row.opening + row.reports - row.utilisations + row.transfers == row.closing
            assert row.closing == end[row.fund].balance, (year, row.fund)
            opening = before[row.fund].balance if row.fund in before else 0
            assert row.opening == opening, (year, row.fund)
            assert row.reports >= 0 and row.utilisations >= 0
            checked += 1
    return checked


@pytest.mark.parametrize("book", ["lyon", "torino"])
def test_demo_books_every_year(book: str) -> None:
    from fundledger.ledger import load

    loaded = load(ROOT / "ledger" / book / "main.beancount")
    books = loaded.analysis(trace=False)
    years = range(2019, books.last_date.year + 1)
    assert check_identity(books, years) > 10
    # The year-end figures are those of an analysis stopped on 31 December.
    at = analyse(loaded.entries, __import__("datetime").date(2024, 12, 31),
                 options=loaded.options, trace=False)
    assert {k: v.balance for k, v in figures_at_year_end(books, 2024).items()} == {
        k: v.balance for k, v in at.figures.items()}


def test_chart_defaults_and_explicit_numbers() -> None:
    books, entries, options = books_of(("Actif", "Produits", "Charges"))
    chart = Chart.of(entries, options)
    assert chart.account_number("Actif:Bank:Main") == "512"
    assert chart.account_number("Actif:Endowment:Titres") == "271"
    assert chart.account_number("Charges:Programs:Ateliers") == "6226"  # pcg:
    assert chart.account_number("Produits:Investment:Coupons") == "762"
    assert chart.number("Produits:Contributions:Dons", origin="generosite") == "754"
    assert chart.number("Produits:Contributions:Dons", origin="subvention") == "740"
    assert chart.number("Produits:Contributions:Dons", endowment=True) == "102"
    txn = next(e for e in entries if getattr(e, "narration", "") == "Don")
    assert origin_of(txn) == "generosite"


def test_fl105_bad_origin_and_pcg(tmp_path: Path) -> None:
    from tests.engine.helpers import codes

    body = """
    2019-02-01 * "Donor" "Contribution"
      origin: "Generosite"
      fund: "zero"
      Assets:Bank:Main  100.00 EUR
      Income:Contributions:Partners
    2019-02-02 * "Donor" "Contribution"
      fund: "zero"
      Assets:Bank:Main  100.00 EUR
      Income:Contributions:Partners
        origin: "gift"
    2019-02-03 * "Donor" "Contribution"
      origin: "generosite"
      fund: "zero"
      Assets:Bank:Main  100.00 EUR
      Income:Contributions:Partners
    2019-02-04 open Expenses:Programs:Other EUR
      pcg: "62-6"
    2019-02-05 open Expenses:Programs:Fine EUR
      pcg: 6226
    2019-02-06 open Expenses:Programs:Half EUR
      pcg: 62.5
    """
    found = codes(tmp_path, body)
    assert [code for code, _line in found] == ["FL105", "FL105", "FL105", "FL105"]
    entries, _errors, options = loader.load_file(str(tmp_path / "main.beancount"))
    chart = Chart.of(entries, options)
    assert chart.account_number("Expenses:Programs:Fine") == "6226"  # a number works too
    assert chart.account_number("Expenses:Programs:Half") == "604"  # refused: the default
