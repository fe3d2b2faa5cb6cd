"""Fava's Budget page: the engine's budget and forecast, in the ledger's language."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fava.application import create_app

from fundledger.cli import cli
from fundledger.fava import PAGES
from tests.engine.helpers import HEADER
from tests.fava.test_extension import figures_by, parse
from tests.planning.ledgers import FORECAST

EXTENSION = '2019-01-01 custom "fava-extension" "fundledger.fava"\n'


def page(tmp_path: Path, query: str = "", extra: str = "") -> str:
    path = tmp_path / "main.beancount"
    path.write_text(HEADER + EXTENSION + extra + FORECAST, encoding="utf-8")
    app: Any = create_app([str(path)], load=True)
    client = app.test_client()
    bfile = app.config["LEDGERS"].first_slug()
    answer = client.get(f"/{bfile}/extension/{PAGES['budget']}/{query}")
    assert answer.status_code == 200, answer.data[:2000]
    return answer.get_data(as_text=True)


def test_budget_page_shows_budget_and_forecast_to_the_cent(tmp_path: Path) -> None:
    html = page(tmp_path)
    budget = figures_by(html, "budget")
    assert budget["zero"] == {"budget": "30000.00", "actual": "20000.00", "rest": "10000.00"}
    outlook = figures_by(html, "outlook")
    # From the ledger's last entry (2026-05-01), eight quarter ends.
    assert outlook["general"]["available"] == "50.00"
    assert outlook["general"]["2026-Q2"] == "-50.00"
    assert outlook["zero"]["2026-Q2"] == "15400.00"  # as on 2026-05-15: nothing in between
    assert outlook["cash"]["bank"] == "57250.00"
    assert outlook["cash"]["2027-Q1"] == "74000.00"
    assert len(outlook["cash"]) == 9
    assert figures_by(html, "grant")["G-2"] == {"unscheduled": "6000.00"}
    links = [link for link in parse(html).links if "journal" in link]
    assert any("time=2026" in link and "Expenses" in link for link in links)


def test_budget_page_other_year_and_language(tmp_path: Path) -> None:
    html = page(tmp_path, "?year=2027",
                extra='2019-01-01 custom "fundledger-option" "language" "fr"\n')
    assert "Budget et prévisions" in html
    assert "Perspectives" in html
    assert figures_by(html, "budget")["zero"] == {"budget": "15000.00", "actual": "0.00",
                                                  "rest": "15000.00"}


@pytest.mark.parametrize("query", ["?year=abc", "?year=0", "?year=99999"])
def test_budget_page_ignores_a_bad_year(tmp_path: Path, query: str) -> None:
    assert "Budget 2026" in page(tmp_path, query)


def test_fava_lists_no_error_for_fund_budgets_and_keeps_its_own(tmp_path: Path) -> None:
    """Fava reads every custom "budget" as its own (ACCOUNT INTERVAL AMOUNT): the funds'
    budgets are not Fava errors, and Fava's own budgets still work, unseen by the engine."""
    fava_budget = ('2026-01-01 custom "budget" Expenses:Admin:Management "monthly" '
                   "100.00 EUR\n")
    path = tmp_path / "main.beancount"
    path.write_text(HEADER + EXTENSION + fava_budget + FORECAST, encoding="utf-8")
    app: Any = create_app([str(path)], load=True)
    ledger = app.config["LEDGERS"].ledgers[0]
    assert [e.message for e in ledger.errors] == []
    january = ledger.budgets.calculate("Expenses:Admin:Management",
                                       datetime.date(2026, 1, 1), datetime.date(2026, 2, 1))
    assert round(january["EUR"], 2) == Decimal("100.00")  # Fava divides by days
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 0, result.output


def test_a_bad_fava_budget_stays_a_fava_error(tmp_path: Path) -> None:
    path = tmp_path / "main.beancount"
    path.write_text(HEADER + EXTENSION + '2026-01-01 custom "budget" Expenses:Admin "fortnightly"'
                    " 100.00 EUR\n" + FORECAST, encoding="utf-8")
    app: Any = create_app([str(path)], load=True)
    messages = [e.message for e in app.config["LEDGERS"].ledgers[0].errors]
    assert "Invalid interval for budget entry" in messages
