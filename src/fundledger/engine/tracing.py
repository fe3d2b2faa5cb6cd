"""Contributor tracing (SPEC 6.3): lots, first in, first out, within each fund.

The fund engine calls one method per economic event, in ledger order; this module only
knows lots and contributors, never Beancount entries.  Amounts come in as Decimals and
are kept as whole cents inside (EUR has two decimals, SPEC 3): splitting to the cent by
the largest remainder is then exact integer arithmetic, and fast.
"""

from __future__ import annotations

import datetime
import heapq
from collections import defaultdict, deque
from collections.abc import Callable, Hashable, Iterable
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TypeVar

from fundledger.engine.model import Share, Trace

Contributor = str | None
K = TypeVar("K", bound=Hashable)


def to_cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value(ROUND_HALF_EVEN))


def to_euros(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


class Lot:
    """Money of one contributor (or of no one) in one fund, with its place in the queue."""

    __slots__ = ("contributor", "fund", "owner", "date", "seq", "index", "usable", "unpaid",
                 "queued")

    def __init__(self, contributor: Contributor, owner: FundLots, date: datetime.date,
                 seq: int, index: int, unpaid: int = 0) -> None:
        self.contributor = contributor
        self.owner = owner
        self.fund = owner.fund
        self.date = date
        self.seq = seq
        self.index = index
        self.usable = 0
        self.unpaid = unpaid
        self.queued = False


class FundLots:
    """One fund's lots in first-in, first-out order.

    The lots that hold usable money sit in a heap keyed by their place, so spending takes
    the oldest in logarithmic time, and money coming back to an old lot (a loan repaid, a
    grant revoked) puts it back in its place without scanning the queue.
    """

    def __init__(self, fund: str) -> None:
        self.fund = fund
        self.lots: list[Lot] = []
        self.usable: list[int] = []
        self.unspent: dict[Contributor, int] = defaultdict(int)

    def add_usable(self, lot: Lot, amount: int) -> None:
        lot.usable += amount
        self.unspent[lot.contributor] += amount
        if lot.usable > 0 and not lot.queued:
            heapq.heappush(self.usable, lot.index)
            lot.queued = True

    def take(self, amount: int) -> Iterable[tuple[Lot, int]]:
        """Take ``amount`` from the oldest usable lots; yields (lot, taken)."""
        heap, lots = self.usable, self.lots
        while amount > 0 and heap:
            lot = lots[heap[0]]
            taken = min(lot.usable, amount)
            if taken > 0:
                lot.usable -= taken
                self.unspent[lot.contributor] -= taken
                amount -= taken
                yield lot, taken
            if lot.usable <= 0:
                heapq.heappop(heap)
                lot.queued = False
        if amount > 0:  # overdrawn (FL201): the shortfall belongs to no one
            yield self.new_lot(None, lots[-1].date if lots else datetime.date.min, -1), amount

    def new_lot(self, contributor: Contributor, date: datetime.date, seq: int,
                usable: int = 0, unpaid: int = 0) -> Lot:
        lot = Lot(contributor, self, date, seq, len(self.lots), unpaid)
        self.lots.append(lot)
        if usable:
            self.add_usable(lot, usable)
        return lot

    def usable_lots(self) -> list[Lot]:
        """The lots holding usable money, oldest first."""
        return [self.lots[i] for i in sorted(self.usable) if self.lots[i].usable > 0]

    def oldest_seq(self, contributor: Contributor) -> int:
        for lot in self.usable_lots():
            if lot.contributor == contributor:
                return lot.seq
        return 1 << 62


def split_list(amount: int, weights: list[int], age: Callable[[int], int]) -> list[int]:
    """Split ``amount`` cents in proportion to ``weights``, by the largest remainder.

    A tie between equal remainders goes to the index whose ``age`` is smaller (older).
    Ages are asked only for indexes tied at the cut, since finding one may mean scanning a
    queue.  This runs for every income, repayment and return over every contributor or
    lot concerned: plain lists of ints.
    """
    total = sum(weights)
    if total <= 0 or amount <= 0:
        return [0] * len(weights)
    if amount == total:
        return list(weights)
    products = [amount * weight for weight in weights]
    shares = [product // total for product in products]
    cents = amount - sum(shares)
    if cents:
        remainders = [product % total for product in products]
        order = sorted(range(len(weights)), key=remainders.__getitem__, reverse=True)
        if cents < len(order) and remainders[order[cents - 1]] == remainders[order[cents]]:
            cut = remainders[order[cents]]
            tied = sorted((i for i in order if remainders[i] == cut), key=age)
            order = [i for i in order if remainders[i] > cut] + tied
        for i in order[:cents]:
            shares[i] += 1
    return shares


def split(amount: int, weights: dict[K, int], age: Callable[[K], int]) -> dict[K, int]:
    """:func:`split_list` over a mapping; keys of zero weight get nothing."""
    keys = [key for key, weight in weights.items() if weight > 0]
    shares = split_list(amount, [weights[k] for k in keys], lambda i: age(keys[i]))
    return {key: share for key, share in zip(keys, shares, strict=True) if share}


class Tracer:
    """Lots of every fund, and what each contributor's money became (amounts in cents)."""

    def __init__(self) -> None:
        self.funds: dict[str, FundLots] = {}
        self.given: dict[tuple[Contributor, str], int] = defaultdict(int)
        self.earned: dict[tuple[Contributor, str], int] = defaultdict(int)
        self.used: dict[tuple[Contributor, str, str, str], int] = defaultdict(int)
        #: For each grant or loan: the lots that paid for it and what of it is outstanding.
        self.paid_by: dict[tuple[str, str], dict[Lot, int]] = defaultdict(dict)
        #: Unpaid pledges of each contributor in each fund, oldest first.
        self.pledges: dict[tuple[str, Contributor], deque[Lot]] = defaultdict(deque)
        self.seq = 0

    def _fund(self, fund: str) -> FundLots:
        lots = self.funds.get(fund)
        if lots is None:
            lots = self.funds[fund] = FundLots(fund)
        return lots

    def _new_lot(self, fund: str, contributor: Contributor, date: datetime.date,
                 usable: int = 0, unpaid: int = 0) -> Lot:
        self.seq += 1
        return self._fund(fund).new_lot(contributor, date, self.seq, usable, unpaid)

    # -- money coming in ------------------------------------------------------------------

    def contribute(self, fund: str, contributor: str, date: datetime.date, amount: int,
                   unpaid: int = 0) -> None:
        """A contribution (``unpaid`` of it a pledge not yet paid) becomes a lot."""
        self.given[(contributor, fund)] += amount
        lot = self._new_lot(fund, contributor, date, amount - unpaid, unpaid)
        if unpaid > 0:
            self.pledges[(fund, contributor)].append(lot)

    def withdraw(self, fund: str, contributor: str, amount: int, account: str) -> None:
        """A contribution reversed leaves that contributor's own lots, oldest first.

        Beyond what the contributor has unspent in the fund, the reversal is a cost of the
        fund like any other expense (its oldest lots pay for it).
        """
        lots = self._fund(fund)
        withdrawn = min(amount, max(lots.unspent.get(contributor, 0), 0))
        self.given[(contributor, fund)] -= withdrawn
        left = withdrawn
        for lot in lots.usable_lots():
            if left <= 0:
                break
            if lot.contributor == contributor:
                taken = min(lot.usable, left)
                lots.add_usable(lot, -taken)
                left -= taken
        if amount > withdrawn:
            self.consume(fund, amount - withdrawn, "expense", account)

    def pay_pledge(self, fund: str, contributor: str, amount: int,
                   date: datetime.date) -> None:
        """A pledge payment pays the contributor's oldest unpaid pledge in the fund.

        Should the contributor have no unpaid pledge there, the fund's oldest unpaid pledge
        is paid instead; more than was pledged is that contributor's gift.
        """
        amount = self._pay_pledges(fund, self.pledges.get((fund, contributor)), amount)
        if amount > 0:
            others = sorted((q[0] for (f, _c), q in self.pledges.items() if f == fund and q),
                            key=lambda lot: lot.seq)
            for lot in others:
                amount = self._pay_pledges(fund, self.pledges[(fund, lot.contributor)], amount)
        if amount > 0:
            self.contribute(fund, contributor, date, amount)

    def _pay_pledges(self, fund: str, queue: deque[Lot] | None, amount: int) -> int:
        """Pay the pledges of ``queue`` oldest first; return what is left of ``amount``."""
        while queue and amount > 0:
            lot = queue[0]
            paid = min(lot.unpaid, amount)
            lot.unpaid -= paid
            self._fund(fund).add_usable(lot, paid)
            amount -= paid
            if lot.unpaid <= 0:
                queue.popleft()
        return amount

    def earn(self, fund: str, amount: int, date: datetime.date) -> None:
        """Income no contributor gave, spread over the fund's unspent money.

        This runs for every income entry over every contributor with money in the fund,
        so it builds its lots inline (each new lot is the newest: pushing it on the heap
        costs nothing).
        """
        lots = self._fund(fund)
        weights = {c: v for c, v in lots.unspent.items() if v > 0}
        shares = split(amount, weights, lots.oldest_seq) or {None: amount}
        earned, queue, heap, unspent = self.earned, lots.lots, lots.usable, lots.unspent
        seq = self.seq
        for contributor, share in shares.items():
            if share:
                earned[(contributor, fund)] += share
                seq += 1
                lot = Lot(contributor, lots, date, seq, len(queue))
                lot.usable, lot.queued = share, True
                queue.append(lot)
                heapq.heappush(heap, lot.index)
                unspent[contributor] += share
        self.seq = seq

    # -- money going out ------------------------------------------------------------------

    def consume(self, fund: str, amount: int, kind: str, ident: str) -> None:
        """An expense, grant award or loan: the oldest usable lots pay for it."""
        paid_by = self.paid_by[(kind, ident)] if kind in ("grant", "loan") else None
        used: dict[Contributor, int] = {}
        for lot, taken in self._fund(fund).take(amount):
            used[lot.contributor] = used.get(lot.contributor, 0) + taken
            if paid_by is not None:
                paid_by[lot] = paid_by.get(lot, 0) + taken
        for contributor, taken in used.items():
            self.used[(contributor, fund, kind, ident)] += taken

    def transfer(self, source: str, target: str, amount: int, date: datetime.date) -> None:
        """Money moved to another fund keeps its contributors and joins the queue there."""
        for lot, taken in list(self._fund(source).take(amount)):
            self._new_lot(target, lot.contributor, date, taken)

    # -- money coming back ----------------------------------------------------------------

    def give_back(self, kind: str, ident: str, fund: str, amount: int,
                  date: datetime.date) -> None:
        """Returned money goes back to the lots that paid, in proportion, in their place.

        A loan repaid monthly does this at every instalment over every lot that paid for
        it, so the loop is kept tight; lots whose share is all back are dropped.
        """
        paid_by = self.paid_by.get((kind, ident), {})
        lots, weights = list(paid_by), list(paid_by.values())
        back = min(amount, sum(weights))
        shares = split_list(back, weights, lambda i: lots[i].seq)
        returned: dict[tuple[Contributor, str], int] = {}
        for lot, weight, share in zip(lots, weights, shares, strict=True):
            if share:
                if weight == share:
                    del paid_by[lot]
                else:
                    paid_by[lot] = weight - share
                key = (lot.contributor, lot.fund)
                returned[key] = returned.get(key, 0) + share
                # FundLots.add_usable, inlined: this loop is the tracer's hottest.
                lot.usable += share
                owner = lot.owner
                owner.unspent[lot.contributor] += share
                if not lot.queued:
                    heapq.heappush(owner.usable, lot.index)
                    lot.queued = True
        used = self.used
        for (contributor, lot_fund), share in returned.items():
            used[(contributor, lot_fund, kind, ident)] -= share
        if amount > back:  # more came back than was out: like earned income
            self.earn(fund, amount - back, date)

    def write_off(self, ident: str, amount: int) -> None:
        """A write-off turns the lots' share of the loan into a loss; nothing new is used."""
        paid_by = self.paid_by.get(("loan", ident), {})
        for lot, share in split(amount, paid_by, lambda lot: lot.seq).items():
            if paid_by[lot] == share:
                del paid_by[lot]
            else:
                paid_by[lot] -= share

    # -- results --------------------------------------------------------------------------

    def trace(self, contributor: str) -> Trace:
        def shares(table: dict[tuple[Contributor, str], int]) -> list[Share]:
            return [Share(f, to_euros(v)) for (c, f), v in table.items()
                    if c == contributor and v]

        unspent: dict[str, int] = {}
        pledged: dict[str, int] = {}
        for fund, lots in self.funds.items():
            if lots.unspent.get(contributor):
                unspent[fund] = lots.unspent[contributor]
            owed = sum((lot.unpaid for lot in self.pledges.get((fund, contributor), [])), 0)
            if owed:
                pledged[fund] = owed
        used = [Share(f, to_euros(v), kind, ident)
                for (c, f, kind, ident), v in self.used.items() if c == contributor and v]
        return Trace(
            contributor=contributor,
            given=shares(self.given),
            earned=shares(self.earned),
            used=used,
            unspent=[Share(f, to_euros(v)) for f, v in unspent.items()],
            pledged=[Share(f, to_euros(v)) for f, v in pledged.items()],
        )
