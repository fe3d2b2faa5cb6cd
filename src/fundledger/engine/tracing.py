"""Contributor tracing (SPEC 6.3): lots, first in, first out, within each fund.

The fund engine calls one method per economic event, in ledger order; this module only
knows lots and contributors, never Beancount entries.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from decimal import ROUND_DOWN, Decimal
from typing import TypeVar

from fundledger.engine.model import CENT, ZERO, Share, Trace

Contributor = str | None
K = TypeVar("K", bound=Hashable)


class Lot:
    """Money of one contributor (or of no one) in one fund, with its place in the queue."""

    __slots__ = ("contributor", "fund", "date", "seq", "index", "usable", "unpaid")

    def __init__(self, contributor: Contributor, fund: str, date: datetime.date, seq: int,
                 index: int, usable: Decimal, unpaid: Decimal = ZERO) -> None:
        self.contributor = contributor
        self.fund = fund
        self.date = date
        self.seq = seq
        self.index = index
        self.usable = usable
        self.unpaid = unpaid


class FundLots:
    """The queue of one fund's lots; ``head`` is at or before the oldest usable lot."""

    def __init__(self, fund: str) -> None:
        self.fund = fund
        self.lots: list[Lot] = []
        self.head = 0
        self.unspent: dict[Contributor, Decimal] = defaultdict(lambda: ZERO)

    def add_usable(self, lot: Lot, amount: Decimal) -> None:
        lot.usable += amount
        self.unspent[lot.contributor] += amount
        if lot.index < self.head:
            self.head = lot.index

    def take(self, amount: Decimal) -> Iterable[tuple[Lot, Decimal]]:
        """Take ``amount`` from the oldest usable lots; yields (lot, taken)."""
        lots, i = self.lots, self.head
        while amount > 0 and i < len(lots):
            lot = lots[i]
            if lot.usable > 0:
                taken = min(lot.usable, amount)
                lot.usable -= taken
                self.unspent[lot.contributor] -= taken
                amount -= taken
                yield lot, taken
            if lot.usable <= 0 and i == self.head:
                self.head += 1
            i += 1
        if amount > 0:  # overdrawn (FL201): the shortfall belongs to no one
            yield self.new_lot(None, lots[-1].date if lots else datetime.date.min, -1), amount

    def new_lot(self, contributor: Contributor, date: datetime.date, seq: int,
                usable: Decimal = ZERO, unpaid: Decimal = ZERO) -> Lot:
        lot = Lot(contributor, self.fund, date, seq, len(self.lots), ZERO, unpaid)
        self.lots.append(lot)
        if usable:
            self.add_usable(lot, usable)
        return lot

    def oldest_seq(self, contributor: Contributor) -> int:
        for lot in self.lots[self.head:]:
            if lot.contributor == contributor and lot.usable > 0:
                return lot.seq
        return 1 << 62


def split(amount: Decimal, weights: dict[K, Decimal], age: Callable[[K], int]) -> dict[K, Decimal]:
    """Split ``amount`` in proportion to ``weights``, to the cent, by the largest remainder.

    A tie between equal remainders goes to the key whose ``age`` is smaller (older).
    """
    total = sum(weights.values(), ZERO)
    if total <= 0 or amount == 0:
        return {}
    exact = {key: amount * weight / total for key, weight in weights.items() if weight > 0}
    shares = {key: value.quantize(CENT, rounding=ROUND_DOWN) for key, value in exact.items()}
    left = amount - sum(shares.values(), ZERO)
    order = sorted(exact, key=lambda key: (-(exact[key] - shares[key]), age(key)))
    i = 0
    while left >= CENT and order:
        shares[order[i % len(order)]] += CENT
        left -= CENT
        i += 1
    if left and order:  # sub-cent input: the largest remainder takes the rest
        shares[order[0]] += left
    return shares


class Tracer:
    """Lots of every fund, and what each contributor's money became."""

    def __init__(self) -> None:
        self.funds: dict[str, FundLots] = {}
        self.given: dict[tuple[Contributor, str], Decimal] = defaultdict(lambda: ZERO)
        self.earned: dict[tuple[Contributor, str], Decimal] = defaultdict(lambda: ZERO)
        self.used: dict[tuple[Contributor, str, str, str], Decimal] = defaultdict(lambda: ZERO)
        #: For each grant or loan: the lots that paid for it and what of it is outstanding.
        self.paid_by: dict[tuple[str, str], dict[Lot, Decimal]] = defaultdict(dict)
        self.pledges: dict[tuple[str, Contributor], list[Lot]] = defaultdict(list)
        self.seq = 0

    def _fund(self, fund: str) -> FundLots:
        lots = self.funds.get(fund)
        if lots is None:
            lots = self.funds[fund] = FundLots(fund)
        return lots

    def _new_lot(self, fund: str, contributor: Contributor, date: datetime.date,
                 usable: Decimal = ZERO, unpaid: Decimal = ZERO) -> Lot:
        self.seq += 1
        return self._fund(fund).new_lot(contributor, date, self.seq, usable, unpaid)

    # -- money coming in ------------------------------------------------------------------

    def contribute(self, fund: str, contributor: str, date: datetime.date, amount: Decimal,
                   unpaid: Decimal = ZERO) -> None:
        """A contribution (``unpaid`` of it a pledge not yet paid) becomes a lot."""
        self.given[(contributor, fund)] += amount
        lot = self._new_lot(fund, contributor, date, amount - unpaid, unpaid)
        if unpaid > 0:
            self.pledges[(fund, contributor)].append(lot)

    def withdraw(self, fund: str, contributor: str, amount: Decimal, account: str) -> None:
        """A contribution reversed leaves that contributor's own lots, oldest first.

        Beyond what the contributor has unspent in the fund, the reversal is a cost of the
        fund like any other expense (its oldest lots pay for it).
        """
        lots = self._fund(fund)
        withdrawn = min(amount, max(lots.unspent.get(contributor, ZERO), ZERO))
        self.given[(contributor, fund)] -= withdrawn
        left = withdrawn
        for lot in lots.lots[lots.head:]:
            if left <= 0:
                break
            if lot.contributor == contributor and lot.usable > 0:
                taken = min(lot.usable, left)
                lots.add_usable(lot, -taken)
                left -= taken
        if amount > withdrawn:
            self.consume(fund, amount - withdrawn, "expense", account)

    def pay_pledge(self, fund: str, contributor: str, amount: Decimal,
                   date: datetime.date) -> None:
        """A pledge payment pays the contributor's oldest unpaid pledge in the fund."""
        queues = [self.pledges.get((fund, contributor), [])]
        queues.append([lot for (f, _), q in self.pledges.items() if f == fund for lot in q])
        for queue in queues:
            for lot in sorted(queue, key=lambda lot: lot.seq):
                if amount <= 0:
                    return
                if lot.unpaid > 0:
                    paid = min(lot.unpaid, amount)
                    lot.unpaid -= paid
                    self._fund(fund).add_usable(lot, paid)
                    amount -= paid
        if amount > 0:  # more paid than was pledged: the excess is that contributor's gift
            self.contribute(fund, contributor, date, amount)

    def earn(self, fund: str, amount: Decimal, date: datetime.date) -> None:
        """Income no contributor gave, spread over the fund's unspent money."""
        lots = self._fund(fund)
        weights = {c: v for c, v in lots.unspent.items() if v > 0}
        shares = split(amount, weights, lots.oldest_seq) or {None: amount}
        for contributor, share in shares.items():
            if share:
                self.earned[(contributor, fund)] += share
                self._new_lot(fund, contributor, date, share)

    # -- money going out ------------------------------------------------------------------

    def consume(self, fund: str, amount: Decimal, kind: str, ident: str) -> None:
        """An expense, grant award or loan: the oldest usable lots pay for it."""
        paid_by = self.paid_by[(kind, ident)] if kind in ("grant", "loan") else None
        for lot, taken in self._fund(fund).take(amount):
            self.used[(lot.contributor, fund, kind, ident)] += taken
            if paid_by is not None:
                paid_by[lot] = paid_by.get(lot, ZERO) + taken

    def transfer(self, source: str, target: str, amount: Decimal, date: datetime.date) -> None:
        """Money moved to another fund keeps its contributors and joins the queue there."""
        for lot, taken in list(self._fund(source).take(amount)):
            self._new_lot(target, lot.contributor, date, taken)

    # -- money coming back ----------------------------------------------------------------

    def give_back(self, kind: str, ident: str, fund: str, amount: Decimal,
                  date: datetime.date) -> None:
        """Returned money goes back to the lots that paid, in proportion, in their place."""
        paid_by = self.paid_by.get((kind, ident), {})
        outstanding = sum(paid_by.values(), ZERO)
        back = min(amount, outstanding)
        for lot, share in split(back, paid_by, lambda lot: lot.seq).items():
            paid_by[lot] -= share
            self.used[(lot.contributor, lot.fund, kind, ident)] -= share
            self._fund(lot.fund).add_usable(lot, share)
        if amount > back:  # more came back than was out: like earned income
            self.earn(fund, amount - back, date)

    def write_off(self, ident: str, amount: Decimal) -> None:
        """A write-off turns the lots' share of the loan into a loss; nothing new is used."""
        paid_by = self.paid_by.get(("loan", ident), {})
        for lot, share in split(amount, paid_by, lambda lot: lot.seq).items():
            paid_by[lot] -= share

    # -- results --------------------------------------------------------------------------

    def contributors(self) -> list[str]:
        names = {c for (c, _f) in self.given if c is not None}
        return sorted(names, key=str.casefold)

    def trace(self, contributor: str) -> Trace:
        def shares(table: dict[tuple[Contributor, str], Decimal]) -> list[Share]:
            return [Share(f, v) for (c, f), v in table.items() if c == contributor and v]

        unspent: dict[str, Decimal] = {}
        pledged: dict[str, Decimal] = {}
        for fund, lots in self.funds.items():
            if lots.unspent.get(contributor):
                unspent[fund] = lots.unspent[contributor]
            owed = sum((lot.unpaid for lot in self.pledges.get((fund, contributor), [])), ZERO)
            if owed:
                pledged[fund] = owed
        used = [Share(f, v, kind, ident) for (c, f, kind, ident), v in self.used.items()
                if c == contributor and v]
        return Trace(
            contributor=contributor,
            given=shares(self.given),
            earned=shares(self.earned),
            used=used,
            unspent=[Share(f, v) for f, v in unspent.items()],
            pledged=[Share(f, v) for f, v in pledged.items()],
        )
