"""Year-end: the fonds dédiés movements of each restricted fund, year by year.

Why a rule family: the annual accounts need, for each restricted fund, how the year's
money went in and out in first-in, first-out order, and each fund's contributions by
origin; riding the engine's one pass gives them without a second analysis (the fund
figures at each year's end are the engine's own, kept at every quarter end).

First in, first out (the regulation's *tableau de variation des fonds dédiés*): a
restricted fund's money at the year's opening, and money transferred in from another fund
(earlier resources reassigned), are older than the resources the year brings; every
outflow of the year (an expense, a grant award, a loan loss, a contribution paid back, a
transfer out) takes from that older money first, then from the year's.  So:

* *utilisations* = the older money that expenses and refunds took (*dont remboursements*:
  the part paid back to contributors);
* *transferts* = transfers in − transfers out;
* *reports* = the year's resources (income, and money coming back from grants and
  expenses) less what expenses and refunds took of them: what the year brought and did not
  use, the part transferred out being counted under *transferts*;

and opening + reports − utilisations + transferts = closing = the fund's balance.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from beancount.core import data

from fundledger.engine.accounts import Kind
from fundledger.engine.chart import BY_ORIGIN, DEFAULT_ORIGIN, ORIGINS, origin_of, pcg_number
from fundledger.engine.family import Move, RuleFamily
from fundledger.engine.model import ZERO, FundFigures

if TYPE_CHECKING:  # pragma: no cover
    from fundledger.engine.core import Books


@dataclass
class DedicatedYear:
    """One restricted fund over one calendar year (all amounts in EUR)."""

    fund: str
    year: int
    opening: Decimal = ZERO
    #: Resources of the year: income, and money coming back (revocations, refunds).
    resources: Decimal = ZERO
    #: Outflows taken from the older money (opening and transfers in).
    used_old: Decimal = ZERO
    #: ... of which contributions paid back to their contributors.
    refunded_old: Decimal = ZERO
    #: Outflows (expenses, refunds) taken from the year's resources.
    used_new: Decimal = ZERO
    transfers_in: Decimal = ZERO
    transfers_out: Decimal = ZERO
    #: Positive expenses of the year (grants, programmes, admin, loan losses).
    expenses: Decimal = ZERO
    #: The older money still unspent (internal: the FIFO's first bucket).
    old: Decimal = ZERO

    @property
    def reports(self) -> Decimal:
        return self.resources - self.used_new

    @property
    def utilisations(self) -> Decimal:
        return self.used_old

    @property
    def transfers(self) -> Decimal:
        return self.transfers_in - self.transfers_out

    @property
    def closing(self) -> Decimal:
        return self.opening + self.reports - self.utilisations + self.transfers

    def carried(self, year: int) -> DedicatedYear:
        """The next year's record: it opens with this one's closing, as older money."""
        return DedicatedYear(self.fund, year, opening=self.closing, old=self.closing)


@dataclass
class DedicatedRow:
    """A line of the fonds dédiés table (one fund, one year)."""

    fund: str
    label: str
    origin: str
    opening: Decimal
    opening_refunds: Decimal
    reports: Decimal
    utilisations: Decimal
    utilisation_refunds: Decimal
    transfers: Decimal
    closing: Decimal
    #: The closing amount when the fund had no expense this year nor the year before.
    dormant: Decimal


class YearEnd(RuleFamily):
    """Fund figures at each year's end, and the restricted funds' year records."""

    def __init__(self, books: Books) -> None:
        super().__init__(books)
        #: Restricted fund → its records by year (only years with movements).
        self.records: dict[str, dict[int, DedicatedYear]] = defaultdict(dict)
        #: Every fund → year → its contributions (pledges included) by origin, net.
        self.origins: dict[str, dict[int, dict[str, Decimal]]] = defaultdict(
            lambda: defaultdict(lambda: defaultdict(lambda: ZERO)))
        self._current: dict[str, DedicatedYear] = {}
        self._transfers_seen = 0

    # -- the pass --------------------------------------------------------------------------

    def entry(self, entry: data.Directive) -> None:
        if len(self.books.transfers) != self._transfers_seen:
            self._take_transfers()
        kind = type(entry)
        if kind is data.Open and "pcg" in entry.meta:
            pcg = entry.meta["pcg"]
            if pcg_number(pcg) is None:
                self.error("FL105", entry, what=f"account {entry.account}: pcg: {pcg!r} is "
                                               "not a chart number (digits, such as \"6571\")")
        elif kind is data.Custom and entry.type == "fund" and "origin" in entry.meta:
            self._check_origin(entry, entry.meta["origin"], "fund declaration")

    def transaction(self, txn: data.Transaction, moves: list[Move]) -> None:
        funds = self.books.funds
        outflows = []
        if "origin" in txn.meta:
            self._check_origin(txn, txn.meta["origin"], "transaction")
        for move in moves:
            fund = move.fund
            if not fund:
                continue
            kind, number = move.kind, move.number
            if kind == Kind.CONTRIBUTION:
                meta = move.posting.meta
                if meta and "origin" in meta:
                    self._check_origin(txn, meta["origin"], f"posting to {move.posting.account}")
                self.origins[fund][txn.date.year][origin_of(txn, move.posting)] -= number
            if funds[fund].kind != "restricted":
                continue
            if kind <= Kind.INTEREST:  # income: a credit brings money, a debit pays back
                record = self._record(fund, txn.date)
                if number < 0:
                    record.resources -= number
                else:
                    outflows.append((record, number, kind == Kind.CONTRIBUTION))
            elif kind <= Kind.LOAN_LOSS:  # expenses: a debit uses money, a credit returns it
                record = self._record(fund, txn.date)
                if number > 0:
                    record.expenses += number
                    outflows.append((record, number, False))
                else:
                    record.resources -= number
        # Money in first, so a transaction that brings and spends money spends its own.
        for record, number, refund in outflows:
            self._take(record, number, refund)

    def finish(self, last: datetime.date | None) -> None:
        self._take_transfers()

    # -- internals -------------------------------------------------------------------------

    def _check_origin(self, entry: Any, value: Any, where: str) -> None:
        """FL105 for an ``origin:`` that is not one of the three origins."""
        if not (isinstance(value, str) and value in BY_ORIGIN):
            self.error("FL105", entry, what=f"{where}: origin: {value!r} is not one of "
                                            f"{', '.join(ORIGINS)}")

    def _record(self, fund: str, day: datetime.date) -> DedicatedYear:
        record = self._current.get(fund)
        if record is None or record.year != day.year:
            record = (record.carried(day.year) if record is not None
                      else DedicatedYear(fund, day.year))
            self._current[fund] = self.records[fund][day.year] = record
        return record

    @staticmethod
    def _take(record: DedicatedYear, amount: Decimal, refund: bool) -> None:
        """An outflow: from the older money first, then from the year's."""
        older = min(max(record.old, ZERO), amount)
        record.old -= older
        record.used_old += older
        if refund:
            record.refunded_old += older
        record.used_new += amount - older

    def _take_transfers(self) -> None:
        transfers = self.books.transfers
        funds = self.books.funds
        for transfer in transfers[self._transfers_seen:]:
            if funds[transfer.source].kind == "restricted":
                record = self._record(transfer.source, transfer.date)
                record.transfers_out += transfer.amount
                older = min(max(record.old, ZERO), transfer.amount)
                record.old -= older
            if funds[transfer.target].kind == "restricted":
                record = self._record(transfer.target, transfer.date)
                record.transfers_in += transfer.amount
                record.old += transfer.amount
        self._transfers_seen = len(transfers)


def year_end_of(books: Books) -> YearEnd:
    return books.families[YearEnd]  # type: ignore[return-value]


def figures_at_year_end(books: Books, year: int) -> dict[str, FundFigures]:
    """Every fund's figures after all entries dated in or before ``year`` (the engine keeps
    them at every quarter end; those of the last entry for the books' last year)."""
    try:
        return books.figures_at(datetime.date(year, 12, 31))
    except KeyError:  # before the first fund was declared
        return {}


def dedicated_record(books: Books, fund: str, year: int) -> DedicatedYear:
    """The restricted ``fund``'s record for ``year`` (carried over a year without
    movements; empty before its first movement)."""
    records = year_end_of(books).records.get(fund, {})
    if year in records:
        return records[year]
    earlier = [y for y in records if y < year]
    if not earlier:
        return DedicatedYear(fund, year)
    return records[max(earlier)].carried(year)


def contributions_by_origin(books: Books, fund: str, year: int) -> dict[str, Decimal]:
    """A fund's contributions (pledges included, net of those paid back) by origin, from
    its declaration to the end of ``year``."""
    totals = {origin: ZERO for origin in ORIGINS}
    for y, amounts in year_end_of(books).origins.get(fund, {}).items():
        if y <= year:
            for origin, amount in amounts.items():
                totals[origin] += amount
    return totals


def fund_origin(books: Books, fund: str, year: int) -> str:
    """The origin a restricted fund is listed under: ``origin:`` on its declaration, else
    the origin of the largest part of its contributions up to the end of ``year``."""
    declared = books.funds[fund].meta.get("origin")
    if isinstance(declared, str) and declared in BY_ORIGIN:
        return declared
    totals = contributions_by_origin(books, fund, year)
    if max(totals.values()) <= 0:
        return DEFAULT_ORIGIN
    return max(ORIGINS, key=lambda o: (totals[o], -ORIGINS.index(o)))


def dedicated_rows(books: Books, year: int) -> list[DedicatedRow]:
    """The fonds dédiés table of ``year``: one row per restricted fund declared by its
    end, grouped by origin (in the table's order), then in declaration order."""
    last_day = datetime.date(year, 12, 31)
    rows = []
    for name, fund in books.funds.items():
        if fund.kind != "restricted" or fund.declared > last_day:
            continue
        record = dedicated_record(books, name, year)
        before = dedicated_record(books, name, year - 1)
        dormant = record.closing if record.expenses == 0 and before.expenses == 0 else ZERO
        rows.append(DedicatedRow(
            fund=name, label=fund.label, origin=fund_origin(books, name, year),
            opening=record.opening, opening_refunds=record.refunded_old,
            reports=record.reports, utilisations=record.utilisations,
            utilisation_refunds=record.refunded_old, transfers=record.transfers,
            closing=record.closing, dormant=dormant))
    rows.sort(key=lambda r: ORIGINS.index(r.origin))
    return rows
