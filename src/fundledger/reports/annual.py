"""The annual accounts (ANC regulation 2018-06): bilan, compte de résultat, changes in own
funds, the fonds dédiés table, and the CROD and CER where the ledger declares public
generosity.

The engine computes every line (:mod:`fundledger.engine.statements`, from the general
ledger of :mod:`fundledger.engine.accounting` and the funds); this module lays them out in
HTML (and the same HTML as PDF) or CSV, with each line's chart numbers beside it and the
checks an auditor makes first: the balance sheet balances, and own funds plus dedicated
funds equal the funds' balances.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from beancount.core import data

from fundledger.cli.common import csv_cell
from fundledger.engine import Books
from fundledger.engine.accounting import Year, general_ledger
from fundledger.engine.statements import Statements, annual_statements
from fundledger.i18n import t
from fundledger.reports import dedicated
from fundledger.reports.base import Ledger, ledger_options, render_html

TRUE_VALUES = ("TRUE", "true", "True", "1", "yes", "oui")


@dataclass
class Annual:
    year: int
    statements: Statements
    general: Year
    dedicated: list[dict[str, Any]]
    public_generosity: bool


def public_generosity(entries: list[data.Directive]) -> bool:
    """``custom "fundledger-option" "public-generosity" "TRUE"``."""
    return ledger_options(entries).get("public-generosity", "") in TRUE_VALUES


def build(entries: list[data.Directive], options: dict[str, Any], books: Books,
          year: int) -> Annual:
    generosity = public_generosity(entries)
    general = general_ledger(entries, options, books, year, every_year=generosity)
    statements = annual_statements(general, books, generosity)
    return Annual(year, statements, general, dedicated.build(books, year), generosity)


def render(annual: Annual, ledger: Ledger, lang: str) -> str:
    s = annual.statements
    y = annual.year
    side = annual.general.funds[y]
    return render_html(
        "annual.html.j2", lang, ledger, year=y, s=s, annual=annual,
        groups=annual.dedicated, total=dedicated.totals(annual.dedicated),
        amounts=dedicated.AMOUNTS,
        balanced=s.checks["assets"] == s.checks["liabilities"],
        funds_total=side.total, gap=annual.general.unallocated(y))


def to_csv(annual: Annual, lang: str) -> str:
    """Every line of every statement: statement, key, label, chart numbers, this year, the
    year before (and, for the CROD, their public-generosity parts); amounts as plain
    decimals, blank for headings."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["statement", "line", "label", "accounts", "current", "previous",
                     "generosity", "generosity_previous"])
    s = annual.statements
    parts = [("assets", s.assets), ("liabilities", s.liabilities), ("income", s.income),
             ("own_funds", s.own_funds), ("crod", s.crod), ("cer", s.cer)]
    for name, rows in parts:
        for row in rows:
            writer.writerow([name, row.key, t(row.key, lang), row.numbers, _plain(row.current),
                             _plain(row.previous), _plain(row.generosity),
                             _plain(row.generosity_previous)])
    for group in annual.dedicated:
        for item in group["rows"]:
            writer.writerow(["dedicated", item.fund, csv_cell(item.label), item.origin,
                             _plain(item.opening), "", "", ""])
            for column in dedicated.AMOUNTS[1:]:
                writer.writerow(["dedicated", f"{item.fund}.{column}", "", item.origin,
                                 _plain(getattr(item, column)), "", "", ""])
    return buffer.getvalue()


def _plain(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"

