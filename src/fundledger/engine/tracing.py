"""Contributor tracing (SPEC 6.3): lots, first in, first out, within each fund.

The fund engine calls one method per economic event, in ledger order; this module only
knows lots and contributors, never Beancount entries.  Amounts come in as whole cents
(EUR has two decimals, SPEC 3; see ``model.to_cents``): splitting to the cent by the
largest remainder is then exact integer arithmetic.

Why numpy: SPEC 6.3 makes the work grow faster than the ledger.  Every earned income
makes one lot per contributor with money in the fund, a loan repaid monthly gives each
instalment back over every lot that paid for the loan, and the next loan is paid by the
fragments of all of them: on a 100k-transaction foundation that is some 40 million lot
updates.  So lots are rows of integer columns (:class:`Lots`), and each event updates
its lots in a few array operations instead of a Python loop over them.  The results are
those of the plain definition, to the cent and in the same order.
"""

from __future__ import annotations

import datetime
from collections import defaultdict, deque
from collections.abc import Callable
from decimal import Decimal

import numpy as np

from fundledger.engine.model import TRACE_LIMIT_CENTS, Share, Trace, TraceOverflow

Contributor = str | None
Cents = np.ndarray  # of int64
Rows = np.ndarray  # lot numbers (int64)

I64 = np.int64
NEVER = np.iinfo(np.int64).max
#: Products above this go through Python integers (amount x weight would overflow int64).
SAFE_PRODUCT = 1 << 62
#: A consumption's place in the ledger, then the lot's place within it (for output order).
CALL_SHIFT = 32
EMPTY = np.zeros(0, I64)


def to_euros(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-2)


def split_cents(amount: int, weights: Cents, age: Callable[[Rows], Cents]) -> Cents:
    """Split ``amount`` cents in proportion to ``weights``, by the largest remainder.

    A tie between equal remainders goes to the index whose ``age`` is smaller (older),
    then to the earlier index.  Ages are asked only for the indexes tied at the cut, since
    finding one may mean scanning a fund's lots.
    """
    total = int(weights.sum())
    if total <= 0 or amount <= 0:
        return np.zeros(len(weights), I64)
    if amount == total:
        return weights.copy()
    if amount * max(total, -int(weights.min())) < SAFE_PRODUCT:
        shares, remainders = np.divmod(weights * amount, total)
    else:  # exact in Python integers; each share and remainder fits in int64 again
        products = weights.astype(object) * amount  # (numpy has no divmod for objects)
        shares, remainders = (products // total).astype(I64), (products % total).astype(I64)
    cents = amount - int(shares.sum())
    if cents:
        count = len(remainders)
        cut = np.partition(remainders, count - cents)[count - cents]
        above = remainders > cut
        shares += above
        need = cents - int(np.count_nonzero(above))
        tied = (remainders == cut).nonzero()[0]
        if need < len(tied):
            tied = tied[np.lexsort((tied, np.asarray(age(tied), dtype=I64)))]
        shares[tied[:need]] += 1
    return shares


def _grown(array: np.ndarray, size: int, fill: int = 0) -> np.ndarray:
    """``array`` with room for ``size`` items (capacity doubled), new room set to ``fill``."""
    if size <= len(array):
        return array
    bigger = np.full(max(size, 2 * len(array)), fill, dtype=array.dtype)
    bigger[: len(array)] = array
    return bigger


COLUMNS = ("usable", "unpaid", "age", "contributor", "fund", "queued")


class Lots:
    """Every lot of every fund as columns; a lot's number is its row, in creation order.

    Creation order is also each fund's first-in, first-out order (money transferred in
    joins the queue at the transfer), so a lot's number is its place in its fund, and its
    age when ties are broken.  The shortfall of an overdrawn fund is a lot older than all
    (age -1), belonging to no one.
    """

    def __init__(self) -> None:
        self.count = 0
        self.usable = np.zeros(1024, I64)
        self.unpaid = np.zeros(1024, I64)
        self.age = np.zeros(1024, I64)
        self.contributor = np.zeros(1024, I64)  # code, see Tracer.code
        self.fund = np.zeros(1024, I64)  # code, see Tracer.funds
        #: In its fund's queue (active or pending): true of every lot with usable money.
        self.queued = np.zeros(1024, bool)

    def add(self, fund: int, contributors: Cents, usable: Cents | int = 0,
            age: int | None = None) -> Rows:
        """New lots, one per contributor code; returns their numbers.

        The caller credits ``usable`` to the fund's contributors (and queues the lots).
        """
        start, end = self.count, self.count + len(contributors)
        if end > len(self.usable):
            for name in COLUMNS:
                setattr(self, name, _grown(getattr(self, name), end))
        rows = np.arange(start, end, dtype=I64)
        self.usable[start:end] = usable
        self.unpaid[start:end] = 0
        self.age[start:end] = rows if age is None else age
        self.contributor[start:end] = contributors
        self.fund[start:end] = fund
        self.queued[start:end] = False
        self.count = end
        return rows

    def add_one(self, fund: int, contributor: int, unpaid: int = 0) -> int:
        """:meth:`add` for one lot (a contribution, a pledge): no arrays to build."""
        row = self.count
        if row == len(self.usable):
            for name in COLUMNS:
                setattr(self, name, _grown(getattr(self, name), row + 1))
        self.usable[row], self.unpaid[row], self.age[row], self.queued[row] = 0, unpaid, row, False
        self.contributor[row], self.fund[row] = contributor, fund
        self.count = row + 1
        return row


class FundLots:
    """One fund's queue, and what each contributor (by code) has unspent and earned in it.

    ``active`` holds, oldest first, the lots with usable money; a lot newly given money
    (new, paid, given back) and not queued yet waits in ``pending`` until the queue is next
    read, so a loan's monthly instalment given back to a thousand old lots costs a few
    array operations, and the queue is merged, never re-sorted, when a fund next spends.
    """

    def __init__(self, code: int, name: str, room: int) -> None:
        self.code, self.name = code, name
        self.active: Rows = EMPTY
        self.pending: list[Rows] = []
        self.pending_rows: list[int] = []
        self.unspent = np.zeros(room, I64)
        self.earned = np.zeros(room, I64)
        self.first_earned = np.full(room, NEVER, I64)
        #: Contributors in the order they first had money here (earned income's order).
        self.members = np.zeros(room, I64)
        self.member_count = 0
        self.is_member = np.zeros(room, bool)

    def make_room(self, room: int) -> None:
        self.unspent = _grown(self.unspent, room)
        self.earned = _grown(self.earned, room)
        self.first_earned = _grown(self.first_earned, room, NEVER)
        self.members = _grown(self.members, room)
        self.is_member = _grown(self.is_member, room, False)

    def join(self, codes: Cents) -> None:
        """Note contributors having money here for the first time, in order of arrival."""
        new = codes[~self.is_member[codes]]
        if new.size:
            distinct, first = np.unique(new, return_index=True)
            distinct = distinct[np.argsort(first)]
            self.members[self.member_count: self.member_count + len(distinct)] = distinct
            self.member_count += len(distinct)
            self.is_member[distinct] = True

    def enqueue(self, rows: Rows, queued: np.ndarray) -> None:
        """Queue ``rows`` (lots of this fund just given usable money) not queued yet."""
        rows = rows[~queued[rows]]
        if rows.size:
            queued[rows] = True
            self.pending.append(rows)

    def queue(self) -> Rows:
        """The lots with usable money, oldest first."""
        if self.pending or self.pending_rows:
            waiting = np.concatenate([*self.pending, np.array(self.pending_rows, I64)])
            self.pending, self.pending_rows = [], []
            waiting.sort()
            active = self.active
            if not len(active) or waiting[0] > active[-1]:  # only new lots: they go last
                self.active = np.concatenate([active, waiting])
            else:  # old lots given money back: merged into their places
                merged = np.empty(len(active) + len(waiting), I64)
                places = np.searchsorted(active, waiting) + np.arange(len(waiting))
                merged[places] = waiting
                keep = np.ones(len(merged), bool)
                keep[places] = False
                merged[keep] = active
                self.active = merged
        return self.active


class Paid:
    """The lots that paid for one grant or loan: what each paid and still has out."""

    __slots__ = ("rows", "codes", "funds", "outstanding", "used", "first")

    def __init__(self) -> None:
        self.rows: Rows = EMPTY
        self.codes: Cents = EMPTY  # the lots' contributors
        self.funds: set[int] = set()  # the lots' funds (one, but for rare grants)
        self.outstanding: Cents = EMPTY  # not yet given back nor written off
        self.used: Cents = EMPTY  # paid and not given back (written off stays used)
        self.first: Cents = EMPTY  # when the lot first paid: consumption, then place

    def add(self, rows: Rows, taken: Cents, first: Cents, codes: Cents, fund: int) -> None:
        self.funds.add(fund)
        if not len(self.rows):
            self.rows, self.outstanding, self.used = rows, taken.copy(), taken
            self.first, self.codes = first, codes
            return
        where = {row: i for i, row in enumerate(self.rows.tolist())}
        known = np.array([where.get(row, -1) for row in rows.tolist()], dtype=I64)
        old, new = known >= 0, known < 0
        self.outstanding[known[old]] += taken[old]
        self.used[known[old]] += taken[old]
        self.rows = np.concatenate([self.rows, rows[new]])
        self.codes = np.concatenate([self.codes, codes[new]])
        self.outstanding = np.concatenate([self.outstanding, taken[new]])
        self.used = np.concatenate([self.used, taken[new]])
        self.first = np.concatenate([self.first, first[new]])


class Tracer:
    """Lots of every fund, and what each contributor's money became (amounts in cents)."""

    def __init__(self) -> None:
        self.lots = Lots()
        self.funds: dict[str, FundLots] = {}
        self.fund_list: list[FundLots] = []  # by code
        self.names: list[Contributor] = [None]
        self.codes: dict[Contributor, int] = {None: 0}
        self.room = 64
        self.given: dict[tuple[Contributor, str], int] = defaultdict(int)
        #: For each grant or loan: the lots that paid for it.
        self.paid_by: dict[tuple[str, str], Paid] = {}
        #: What each cost account used, per fund: cents and first consumption per code.
        self.costs: dict[tuple[str, str], tuple[Cents, Cents]] = {}
        #: Unpaid pledges (lot numbers) of each contributor in each fund, oldest first.
        self.pledges: dict[tuple[str, Contributor], deque[int]] = defaultdict(deque)
        self.calls = 0  # consumptions and incomes so far: the order results appear in
        self.volume = 0  # all the cents moved so far: see TRACE_LIMIT_CENTS
        self._by_contributor: tuple | None = None  # see _paid_by
        self._asked = False

    def _count(self, amount: int) -> None:
        """Keep every sum below int64's range, or raise :class:`TraceOverflow`."""
        self.volume += abs(amount)
        if self.volume >= TRACE_LIMIT_CENTS:
            raise TraceOverflow(amount)

    def code(self, contributor: Contributor) -> int:
        found = self.codes.get(contributor)
        if found is None:
            found = self.codes[contributor] = len(self.names)
            self.names.append(contributor)
            if found >= self.room:
                self.room *= 2
                for lots in self.funds.values():
                    lots.make_room(self.room)
                for key, (cents, first) in self.costs.items():
                    self.costs[key] = (_grown(cents, self.room), _grown(first, self.room, NEVER))
        return found

    def _fund(self, fund: str) -> FundLots:
        lots = self.funds.get(fund)
        if lots is None:
            lots = self.funds[fund] = FundLots(len(self.funds), fund, self.room)
            self.fund_list.append(lots)
        return lots

    def _credit(self, rows: Rows, cents: Cents) -> None:
        """:meth:`_credit_fund` for lots of several funds (a grant paid from two funds)."""
        funds = self.lots.fund[rows]
        for code in np.unique(funds).tolist():
            mine = funds == code
            self._credit_fund(self.fund_list[code], rows[mine], cents[mine])

    def _credit_one(self, row: int, cents: int) -> None:
        """Add usable money to one lot (a contribution, a pledge paid), count it, queue it."""
        lots = self.lots
        lots.usable[row] += cents
        owner = self.fund_list[lots.fund[row]]
        code = lots.contributor[row]
        owner.unspent[code] += cents
        if not owner.is_member[code]:
            owner.join(np.array([code], I64))
        if not lots.queued[row]:
            lots.queued[row] = True
            owner.pending_rows.append(row)

    def _credit_fund(self, owner: FundLots, rows: Rows, cents: Cents,
                     codes: Cents | None = None) -> None:
        """Count ``cents``, now usable on ``rows`` of ``owner``, and queue those lots."""
        if codes is None:
            codes = self.lots.contributor[rows]
        np.add.at(owner.unspent, codes, cents)
        owner.join(codes)
        owner.enqueue(rows, self.lots.queued)

    # -- money coming in ------------------------------------------------------------------

    def contribute(self, fund: str, contributor: str, date: datetime.date, amount: int,
                   unpaid: int = 0) -> None:
        """A contribution (``unpaid`` of it a pledge not yet paid) becomes a lot."""
        self._count(amount)
        self.given[(contributor, fund)] += amount
        row = self.lots.add_one(self._fund(fund).code, self.code(contributor), unpaid)
        if amount - unpaid:
            self._credit_one(row, amount - unpaid)
        if unpaid > 0:
            self.pledges[(fund, contributor)].append(row)

    def withdraw(self, fund: str, contributor: str, amount: int, account: str) -> None:
        """A contribution reversed leaves that contributor's own lots, oldest first.

        Beyond what the contributor has unspent in the fund, the reversal is a cost of the
        fund like any other expense (its oldest lots pay for it).
        """
        self._count(amount)
        lots = self._fund(fund)
        code = self.code(contributor)
        withdrawn = min(amount, max(int(lots.unspent[code]), 0))
        self.given[(contributor, fund)] -= withdrawn
        if withdrawn:
            queue = lots.queue()
            rows = queue[self.lots.contributor[queue] == code]
            usable = self.lots.usable[rows]
            before = np.cumsum(usable) - usable
            taken = np.clip(withdrawn - before, 0, usable)
            self.lots.usable[rows] -= taken
            lots.unspent[code] -= int(taken.sum())
            emptied = self.lots.usable[queue] == 0
            self.lots.queued[queue[emptied]] = False
            lots.active = queue[~emptied]
        if amount > withdrawn:
            self.consume(fund, amount - withdrawn, "expense", account)

    def pay_pledge(self, fund: str, contributor: str, amount: int,
                   date: datetime.date) -> None:
        """A pledge payment pays the contributor's oldest unpaid pledge in the fund.

        Should the contributor have no unpaid pledge there, the fund's oldest unpaid pledge
        is paid instead; more than was pledged is that contributor's gift.
        """
        self._count(amount)
        amount = self._pay_pledges(fund, self.pledges.get((fund, contributor)), amount)
        if amount > 0:
            others = sorted((q[0] for (f, _c), q in self.pledges.items() if f == fund and q),
                            key=lambda row: int(self.lots.age[row]))
            for row in others:
                owner = self.names[int(self.lots.contributor[row])]
                amount = self._pay_pledges(fund, self.pledges[(fund, owner)], amount)
        if amount > 0:
            self.contribute(fund, contributor, date, amount)

    def _pay_pledges(self, fund: str, queue: deque[int] | None, amount: int) -> int:
        """Pay the pledges of ``queue`` oldest first; return what is left of ``amount``."""
        unpaid = self.lots.unpaid
        while queue and amount > 0:
            row = queue[0]
            paid = min(int(unpaid[row]), amount)
            unpaid[row] -= paid
            self._credit_one(row, paid)
            amount -= paid
            if unpaid[row] <= 0:
                queue.popleft()
        return amount

    def earn(self, fund: str, amount: int, date: datetime.date) -> None:
        """Income no contributor gave: one new lot per contributor with money in the fund."""
        self._count(amount)
        lots = self._fund(fund)
        members = lots.members[: lots.member_count]
        weights = lots.unspent[members]
        holding = weights > 0
        if holding.any():
            members, weights = members[holding], weights[holding]
            shares = split_cents(amount, weights, lambda tied: [
                self._oldest_age(lots, int(code)) for code in members[tied]])
            earning = shares > 0
            codes, shares = members[earning], shares[earning]
        elif amount > 0:  # no one has money here: the income belongs to no one
            codes, shares = np.zeros(1, I64), np.array([amount], I64)
        else:
            return
        self.calls += 1
        lots.earned[codes] += shares
        lots.first_earned[codes] = np.minimum(lots.first_earned[codes], self.calls)
        rows = self.lots.add(lots.code, codes, usable=shares)
        self._credit_fund(lots, rows, shares, codes)

    def _oldest_age(self, lots: FundLots, code: int) -> int:
        queue = lots.queue()
        mine = queue[self.lots.contributor[queue] == code]
        return int(self.lots.age[mine[0]]) if mine.size else 1 << 62

    # -- money going out ------------------------------------------------------------------

    def take(self, fund: str, amount: int) -> tuple[Rows, Cents]:
        """Take ``amount`` from the fund's oldest usable lots: the lots and what each gave."""
        self._count(amount)
        lots = self._fund(fund)
        usable = self.lots.usable
        queue = lots.queue()
        start, width = 0, 256
        rows_taken, cents_taken = [], []
        while amount > 0 and start < len(queue):
            rows = queue[start: start + width]
            have = usable[rows]
            running = np.cumsum(have)
            if running[-1] <= amount:
                taken, start, width = have, start + len(rows), width * 4
                amount -= int(running[-1])
            else:
                last = int(np.searchsorted(running, amount))
                rows, taken = rows[: last + 1], have[: last + 1]
                excess = int(running[last]) - amount
                taken[last] -= excess
                start += last + (excess == 0)
                amount = 0
            usable[rows] -= taken
            rows_taken.append(rows)
            cents_taken.append(taken)
        lots.active = queue[start:]
        self.lots.queued[queue[:start]] = False
        # Every queued lot has usable money: every lot taken gave something.
        if len(rows_taken) == 1:  # a copy: a view would keep the whole queue alive
            rows, taken = rows_taken[0].copy(), cents_taken[0]
        else:
            rows = np.concatenate([EMPTY, *rows_taken])
            taken = np.concatenate([EMPTY, *cents_taken])
        np.subtract.at(lots.unspent, self.lots.contributor[rows], taken)
        if amount > 0:  # overdrawn (FL201): the shortfall belongs to no one
            shortfall = self.lots.add(lots.code, np.zeros(1, I64), age=-1)
            rows = np.concatenate([rows, shortfall])
            taken = np.concatenate([taken, np.array([amount], I64)])
        return rows, taken

    def consume(self, fund: str, amount: int, kind: str, ident: str) -> None:
        """An expense, grant award or loan: the oldest usable lots pay for it."""
        rows, taken = self.take(fund, amount)
        self.calls += 1
        first = (self.calls << CALL_SHIFT) + np.arange(len(rows), dtype=I64)
        if kind in ("grant", "loan"):
            self._by_contributor = None
            self.paid_by.setdefault((kind, ident), Paid()).add(
                rows, taken, first, self.lots.contributor[rows], self._fund(fund).code)
            return
        table = self.costs.get((fund, ident))
        if table is None:
            table = self.costs[(fund, ident)] = (np.zeros(self.room, I64),
                                                 np.full(self.room, NEVER, I64))
        codes = self.lots.contributor[rows]
        np.add.at(table[0], codes, taken)
        np.minimum.at(table[1], codes, first)

    def transfer(self, source: str, target: str, amount: int, date: datetime.date) -> None:
        """Money moved to another fund keeps its contributors and joins the queue there."""
        rows, taken = self.take(source, amount)
        if rows.size:
            lots = self._fund(target)
            rows = self.lots.add(lots.code, self.lots.contributor[rows], usable=taken)
            self._credit_fund(lots, rows, taken)

    # -- money coming back ----------------------------------------------------------------

    def give_back(self, kind: str, ident: str, fund: str, amount: int,
                  date: datetime.date) -> None:
        """Returned money goes back to the lots that paid, in proportion, in their place."""
        self._count(amount)
        paid = self.paid_by.get((kind, ident))
        back = 0
        if paid is not None:
            back = min(amount, int(paid.outstanding.sum()))
            shares = split_cents(back, paid.outstanding, lambda tied: self.lots.age[
                paid.rows[tied]])
            if back > 0:
                self._by_contributor = None
                paid.outstanding -= shares
                paid.used -= shares
                returned = shares.nonzero()[0]
                rows, shares = paid.rows[returned], shares[returned]
                self.lots.usable[rows] += shares
                if len(paid.funds) == 1:  # the usual case: no need to look up each lot's fund
                    owner = self.fund_list[next(iter(paid.funds))]
                    self._credit_fund(owner, rows, shares, paid.codes[returned])
                else:
                    self._credit(rows, shares)
        if amount > back:  # more came back than was out: like earned income
            self.earn(fund, amount - back, date)

    def write_off(self, ident: str, amount: int) -> None:
        """A write-off turns the lots' share of the loan into a loss; nothing new is used."""
        self._count(amount)
        paid = self.paid_by.get(("loan", ident))
        if paid is None:
            return
        out = np.flatnonzero(paid.outstanding > 0)
        rows = paid.rows[out]
        paid.outstanding[out] -= split_cents(amount, paid.outstanding[out],
                                             lambda tied: self.lots.age[rows[tied]])

    # -- results --------------------------------------------------------------------------

    def trace(self, contributor: str) -> Trace:
        code = self.codes.get(contributor)
        given = [Share(f, to_euros(v)) for (c, f), v in self.given.items()
                 if c == contributor and v]
        if code is None:
            return Trace(contributor, given, [], [], [], [])
        funds = list(self.funds.values())
        earned = sorted((f for f in funds if f.earned[code]),
                        key=lambda f: int(f.first_earned[code]))
        unspent = [Share(f.name, to_euros(f.unspent[code])) for f in funds if f.unspent[code]]
        pledged = []
        for lots in funds:
            owed = sum(int(self.lots.unpaid[row])
                       for row in self.pledges.get((lots.name, contributor), ()))
            if owed:
                pledged.append(Share(lots.name, to_euros(owed)))
        return Trace(
            contributor=contributor,
            given=given,
            earned=[Share(f.name, to_euros(f.earned[code])) for f in earned],
            used=self._used(code),
            unspent=unspent,
            pledged=pledged,
        )

    def _used(self, code: int) -> list[Share]:
        """What one contributor's money paid for, in the order it first paid for each."""
        found: list[tuple[int, Share]] = []
        for (fund, account), (cents, first) in self.costs.items():
            if cents[code]:
                found.append((int(first[code]),
                              Share(fund, to_euros(cents[code]), "expense", account)))
        keys, funds, used, first = self._paid_by(code)
        if len(keys):
            pairs = keys * len(self.funds) + funds
            distinct, where = np.unique(pairs, return_inverse=True)
            sums = np.zeros(len(distinct), I64)
            np.add.at(sums, where, used)
            firsts = np.full(len(distinct), NEVER, I64)
            np.minimum.at(firsts, where, first)
            names, fund_names = list(self.paid_by), list(self.funds)
            for pair, total, when in zip(distinct.tolist(), sums.tolist(), firsts.tolist(),
                                         strict=True):
                if total:
                    kind, ident = names[pair // len(self.funds)]
                    fund = fund_names[pair % len(self.funds)]
                    found.append((when, Share(fund, to_euros(total), kind, ident)))
        return [share for _when, share in sorted(found, key=lambda item: item[0])]

    def _paid_by(self, code: int) -> tuple[Rows, Rows, Cents, Cents]:
        """The lots of one contributor that paid for grants and loans: each one's grant or
        loan (its place in ``paid_by``), fund, what it used, and when it first paid.

        The first contributor asked for (``fundledger trace``) is found by scanning the
        grants and loans; asked for another (a statement of every contributor), the
        tracer sorts every paying lot by contributor once, and slices.
        """
        if self._by_contributor is None and not self._asked:
            self._asked = True
            parts = [(n, p, p.codes == code) for n, p in enumerate(self.paid_by.values())]
            parts = [(n, p, mine) for n, p, mine in parts if mine.any()]
            if not parts:
                return EMPTY, EMPTY, EMPTY, EMPTY
            return (np.concatenate([np.full(int(mine.sum()), n, I64) for n, _p, mine in parts]),
                    self.lots.fund[np.concatenate([p.rows[mine] for _n, p, mine in parts])],
                    np.concatenate([p.used[mine] for _n, p, mine in parts]),
                    np.concatenate([p.first[mine] for _n, p, mine in parts]))
        if self._by_contributor is None:
            parts = list(self.paid_by.values())
            rows = np.concatenate([EMPTY, *(p.rows for p in parts)])
            keys = np.repeat(np.arange(len(parts), dtype=I64), [len(p.rows) for p in parts])
            codes = self.lots.contributor[rows]
            order = np.argsort(codes, kind="stable")
            self._by_contributor = (
                codes[order], keys[order], self.lots.fund[rows][order],
                np.concatenate([EMPTY, *(p.used for p in parts)])[order],
                np.concatenate([EMPTY, *(p.first for p in parts)])[order])
        codes, keys, funds, used, first = self._by_contributor
        lo, hi = np.searchsorted(codes, [code, code + 1])
        return keys[lo:hi], funds[lo:hi], used[lo:hi], first[lo:hi]
