"""The annual accounts (ANC regulation 2018-06): bilan, compte de résultat, changes in own
funds, the fonds dédiés table, and the CROD and CER where the ledger declares public
generosity.

The engine computes every line (:mod:`fundledger.engine.statements`, from the general
ledger of :mod:`fundledger.engine.accounting` and the funds); this module lays them out in
HTML (and the same HTML as PDF) or CSV, with each line's chart numbers beside it and the
checks an auditor makes first: the balance sheet balances, and own funds plus dedicated
funds equal the funds' balances.

A host's books (``custom "sheltered"``) also show the *fonds dédiés des fondations
abritées*: each sheltered foundation's restricted funds for the year, from its own books,
loaded and analysed apart in parallel as ``consolidate`` loads them
(:func:`fundledger.reports.consolidated.each_foundation`), laid out like the host's own
fonds dédiés table, with the foundation's name before each fund.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from beancount.core import data

from fundledger.csvout import csv_cell
from fundledger.engine import Books
from fundledger.engine.accounting import Year, general_ledger
from fundledger.engine.sheltered import sheltering_of
from fundledger.engine.statements import Statements, annual_statements
from fundledger.i18n import t
from fundledger.ledger import Loaded, format_error
from fundledger.reports import dedicated
from fundledger.reports.base import Ledger, ledger_options, render_html

TRUE_VALUES = ("TRUE", "true", "True", "1", "yes", "oui")


@dataclass
class ShelteredFunds:
    """One sheltered foundation's fonds dédiés of the year, from its own books."""

    name: str
    label: str
    #: :func:`fundledger.reports.dedicated.build` of its books.
    groups: list[dict[str, Any]]
    #: The foundation's own error lines (FILE:LINE: CODE message).
    errors: list[str]

    @property
    def rows(self) -> list[Any]:
        return [row for group in self.groups for row in group["rows"]]

    @property
    def total(self) -> dict[str, Decimal]:
        return dedicated.totals(self.groups)


@dataclass
class Annual:
    year: int
    statements: Statements
    general: Year
    dedicated: list[dict[str, Any]]
    public_generosity: bool
    #: A host's sheltered foundations (none for other books), see :func:`sheltered_funds`.
    sheltered: list[ShelteredFunds] = field(default_factory=list)

    @property
    def sheltered_total(self) -> dict[str, Decimal]:
        return dedicated.totals([g for s in self.sheltered for g in s.groups])


def public_generosity(entries: list[data.Directive]) -> bool:
    """``custom "fundledger-option" "public-generosity" "TRUE"``."""
    return ledger_options(entries).get("public-generosity", "") in TRUE_VALUES


def build(entries: list[data.Directive], options: dict[str, Any], books: Books,
          year: int) -> Annual:
    generosity = public_generosity(entries)
    general = general_ledger(entries, options, books, year, every_year=generosity)
    statements = annual_statements(general, books, generosity)
    return Annual(year, statements, general, dedicated.build(books, year), generosity)


def _dedicated_of(loaded: Loaded, year: int) -> tuple[list[dict[str, Any]], list[str]]:
    """In a foundation's own process: its fonds dédiés table of ``year`` and its errors."""
    errors = [format_error(e, loaded.path) for e in loaded.all_errors()]
    return dedicated.build(loaded.analysis(trace=False), year), errors


def sheltered_funds(host: Loaded, year: int) -> list[ShelteredFunds]:
    """The fonds dédiés of each foundation the host shelters by the end of ``year``
    (none for books that shelter none).  Raises
    :class:`~fundledger.reports.consolidated.ConsolidationError` for unreadable books."""
    family = sheltering_of(host.analysis(trace=False))
    if not family.sheltered:
        return []
    # Imported for sheltering books only: it brings in multiprocessing.
    from fundledger.reports.consolidated import each_foundation

    end = datetime.date(year, 12, 31)
    return [ShelteredFunds(item.name, item.label, groups, errors)
            for item, (groups, errors) in each_foundation(host, _dedicated_of, year)
            if item.date <= end]


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
    # A host's sheltered foundations: the same lines, "sheltered", funds named NAME/FUND.
    for foundation in annual.sheltered:
        for item in foundation.rows:
            fund = f"{foundation.name}/{item.fund}"
            writer.writerow(["sheltered", fund, csv_cell(item.label), item.origin,
                             _plain(item.opening), "", "", ""])
            for column in dedicated.AMOUNTS[1:]:
                writer.writerow(["sheltered", f"{fund}.{column}", "", item.origin,
                                 _plain(getattr(item, column)), "", "", ""])
    return buffer.getvalue()


def _plain(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"

