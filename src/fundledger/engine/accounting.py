"""The general ledger of a financial year in the French chart: balances and postings.

The fund engine (:mod:`fundledger.engine.core`) follows money by fund; the annual accounts
and the audit file also need it by account: the balance-sheet accounts at the opening and
the closing of the year, the year's income and expenses by chart number, and every
posting of the year with its number.  This module reads them in one walk over the loaded
entries, numbering each posting with the :class:`~fundledger.engine.chart.Chart` (which is
why a contribution's fund and origin are looked at here), and splits the fund side of the
balance sheet (corpus, reserves, result, fonds dédiés) from the engine's books, so the
statements and the FEC put the same amount on the same number.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from beancount.core import convert, data

from fundledger.engine.accounts import EXPENSE_KINDS, Kind
from fundledger.engine.chart import BY_ORIGIN, CORPUS, ORIGINS, RESERVES, Chart, origin_of
from fundledger.engine.directives import OPERATING_CURRENCY
from fundledger.engine.model import ZERO
from fundledger.engine.yearend import dedicated_rows, figures_at_year_end

#: The account that takes what the fund side cannot explain (books with errors only).
UNALLOCATED = "471"


@dataclass
class Line:
    """One posting of the year, in EUR (debit positive), on its chart number."""

    account: str
    number: str
    amount: Decimal
    posting: data.Posting


@dataclass
class Entry:
    """One transaction of the year and its lines."""

    txn: data.Transaction
    lines: list[Line]


@dataclass
class FundSide:
    """The balance sheet's own funds and dedicated funds at a year's end, from the funds."""

    #: Every fund's balance added up (net assets as the funds see them).
    total: Decimal = ZERO
    #: Endowment corpus: each endowment fund's contributions, or its balance if lower.
    corpus: Decimal = ZERO
    #: Restricted funds by origin.
    dedicated: dict[str, Decimal] = field(default_factory=dict)

    @property
    def free(self) -> Decimal:
        """Corpus, reserves and results together (all but the dedicated funds)."""
        return self.total - sum(self.dedicated.values(), ZERO)


@dataclass
class Year:
    """One financial year of the general ledger."""

    year: int
    chart: Chart
    #: Balance-sheet accounts (assets, liabilities, equity) at the end of the year before.
    opening: dict[str, Decimal]
    #: ... and at the end of the year.
    closing: dict[str, Decimal]
    #: The year's transactions, in Beancount's order.
    entries: list[Entry]
    #: Income and expenses by chart number (debit positive), for the year and the one
    #: before (and every earlier year when asked for, see :func:`general_ledger`).
    flows: dict[int, dict[str, Decimal]]
    #: Charges by year, fund and destination (only when every year is asked for).
    charges: dict[int, dict[tuple[str, str], Decimal]]
    #: Net assets from the ledger (minus every income and expense so far) at each year end.
    net_assets: dict[int, Decimal]
    #: Contributions to endowment funds (to the corpus, outside the income statement).
    corpus_contributions: dict[int, Decimal]
    #: The fund side at each year end (this year and the one before).
    funds: dict[int, FundSide]
    #: Net transfers from endowment and unrestricted funds into restricted funds.
    transfers_to_dedicated: dict[int, Decimal]
    #: The fonds dédiés table of the year and of the year before.
    dedicated: dict[int, list[Any]]

    def unallocated(self, year: int) -> Decimal:
        """What the ledger holds that no fund explains (nonzero only with FL101/FL102)."""
        return self.net_assets[year] - self.funds[year].total


def general_ledger(entries: Iterable[data.Directive], options: dict[str, Any], books: Any,
                   year: int, every_year: bool = False) -> Year:
    """The general ledger of ``year`` (and the figures of the year before, for comparison).

    ``every_year``: also the income and expenses of every earlier year, and the charges by
    fund and destination (what the CER carries forward from the books' first year).
    """
    entries = list(entries)
    chart = Chart.of(entries, options)
    classify = chart.classify
    funds = books.funds
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    previous = year - 1
    balances: dict[str, Decimal] = defaultdict(lambda: ZERO)
    opening: dict[str, Decimal] | None = None
    lines_of_year: list[Entry] = []
    flows: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    charges: dict[int, dict[tuple[str, str], Decimal]] = defaultdict(
        lambda: defaultdict(lambda: ZERO))
    for when in (previous, year):  # both columns, even when a year has no flows
        flows[when] = defaultdict(lambda: ZERO)
    net = ZERO
    net_assets = {previous: ZERO, year: ZERO}
    corpus_in: dict[int, Decimal] = defaultdict(lambda: ZERO)
    # Each account once: (on the balance sheet, kind, its own number).
    known: dict[str, tuple[bool, Kind, str]] = {}
    transaction = data.Transaction
    for entry in entries:
        day = entry.date
        if day > end:
            break
        if opening is None and day >= start:
            opening = dict(balances)
            net_assets[previous] = net
        if type(entry) is not transaction:
            continue
        in_year = day >= start
        detailed = every_year or day.year >= previous
        mine: list[Line] = []
        for posting in entry.postings:
            account = posting.account
            units = posting.units
            amount = units.number if units.currency == OPERATING_CURRENCY else _weight(posting)
            facts = known.get(account)
            if facts is None:
                facts = known[account] = (chart.is_balance_sheet(account), classify(account),
                                          chart.account_number(account))
            on_sheet, kind, number = facts
            if on_sheet:
                balances[account] += amount
                if in_year:
                    mine.append(Line(account, number, amount, posting))
                continue
            net -= amount
            if not detailed:
                continue
            when = day.year
            fund = (posting.meta or {}).get("fund", entry.meta.get("fund"))
            if every_year and kind in EXPENSE_KINDS and fund in funds:
                charges[when][(fund, chart.destination(entry, posting))] += amount
            if kind == Kind.CONTRIBUTION:
                endowment = fund in funds and funds[fund].kind == "endowment"
                number = chart.number(account, origin=origin_of(entry, posting),
                                      endowment=endowment)
                if endowment and number[:1] == "1":
                    corpus_in[when] -= amount
            if number[:1] != "1":
                flows[when][number] += amount
            if in_year:
                mine.append(Line(account, number, amount, posting))
        if in_year:
            lines_of_year.append(Entry(entry, mine))
    if opening is None:
        opening = dict(balances)
        net_assets[previous] = net
    net_assets[year] = net
    return Year(
        year=year, chart=chart, opening=_nonzero(opening), closing=_nonzero(balances),
        entries=lines_of_year, flows={y: dict(f) for y, f in flows.items()},
        charges={y: dict(c) for y, c in charges.items()},
        net_assets=net_assets, corpus_contributions=dict(corpus_in),
        funds={y: fund_side(books, y) for y in (previous, year)},
        transfers_to_dedicated={y: transfers_to_dedicated(books, y) for y in (previous, year)},
        dedicated={y: dedicated_rows(books, y) for y in (previous, year)},
    )


def fund_side(books: Any, year: int) -> FundSide:
    """Corpus, total and dedicated funds (by origin) at the end of ``year``."""
    figures = figures_at_year_end(books, year)
    side = FundSide(dedicated={origin: ZERO for origin in ORIGINS})
    for name, fig in figures.items():
        kind = books.funds[name].kind
        side.total += fig.balance
        if kind == "endowment":
            side.corpus += min(fig.contributions, fig.balance)
    for row in dedicated_rows(books, year):
        side.dedicated[row.origin] += row.closing
    return side


def transfers_to_dedicated(books: Any, year: int) -> Decimal:
    """Fund transfers of ``year`` from non-restricted into restricted funds, net."""
    kinds = {name: fund.kind for name, fund in books.funds.items()}
    total = ZERO
    for transfer in books.transfers:
        if transfer.date.year != year:
            continue
        into = kinds[transfer.target] == "restricted"
        out_of = kinds[transfer.source] == "restricted"
        if into and not out_of:
            total += transfer.amount
        elif out_of and not into:
            total -= transfer.amount
    return total


def dedicated_movements(rows: list[Any]) -> dict[str, tuple[Decimal, Decimal]]:
    """Reports and utilisations of the year by origin (the income statement's 689/789)."""
    result = {origin: (ZERO, ZERO) for origin in ORIGINS}
    for row in rows:
        reports, used = result[row.origin]
        result[row.origin] = (reports + row.reports, used + row.utilisations)
    return result


def opening_class_one(year: Year) -> list[tuple[str, Decimal]]:
    """The fund side of the opening balance sheet, as (number, credit balance) pairs:
    the corpus, the reserves (every earlier result appropriated), the fonds dédiés by
    origin, and what no fund explains (books with errors only)."""
    side = year.funds[year.year - 1]
    pairs = [(CORPUS, side.corpus), (RESERVES, side.free - side.corpus)]
    pairs += [(BY_ORIGIN[origin][1], side.dedicated[origin]) for origin in ORIGINS]
    pairs.append((UNALLOCATED, year.unallocated(year.year - 1)))
    return [(number, amount) for number, amount in pairs if amount]


def _weight(posting: data.Posting) -> Decimal:
    units = posting.units
    if units.currency == OPERATING_CURRENCY:
        return units.number
    weight = convert.get_weight(posting)
    return weight.number if weight.currency == OPERATING_CURRENCY else ZERO


def _nonzero(balances: dict[str, Decimal]) -> dict[str, Decimal]:
    return {account: amount for account, amount in sorted(balances.items()) if amount}
