# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""Contributor tracing (SPEC 6.3): lots, first in, first out, within each fund.

The fund engine calls one method per economic event, in ledger order; this module only
knows lots and contributors, never Beancount entries.  Amounts come in as whole cents
(EUR has two decimals, SPEC 3; see ``model.to_cents``): splitting to the cent by the
largest remainder is then exact integer arithmetic.

Why compiled: SPEC 6.3 makes the work grow faster than the ledger.  Every earned income
makes one lot per contributor with money in the fund, a loan repaid monthly gives each
instalment back over every lot that paid for the loan, and the next loan is paid by the
fragments of all of them: on a 100k-transaction foundation that is some 40 million lot
updates over 140,000 events.  Plain Python spends a minute on them, and numpy a few
microseconds per call whatever the size, a dozen calls per event.  So this module is
written in Cython's pure-Python mode: lots are rows of int64 columns (``array.array``,
typed as memoryviews) and each event is a few loops over them.  Installed with a C
compiler, the package builds it into an extension module (``setup.py``); without one,
the very same file runs as plain Python, slower but with the same results.
"""

from __future__ import annotations

import array
import datetime
from collections import defaultdict, deque
from decimal import Decimal

import cython

from fundledger.engine.model import TRACE_LIMIT_CENTS, Share, Trace, TraceOverflow

Contributor = str | None

NEVER = (1 << 63) - 1
#: Amounts whose products with a weight stay below this are split in C integers.
SAFE_PRODUCT = 1 << 62
#: A consumption's place in the ledger, then the lot's place within it (for output order).
CALL_SHIFT = 32
#: The age of a contributor with no lot in the queue: younger than any (``oldest_age``).
NO_AGE = 1 << 62
#: ``Lots.add``'s age for a lot as old as its place: every lot but an overdraft's (-1).
BY_ROW = -2


def compiled() -> bool:
    """Whether this module runs as the compiled extension (else as plain Python)."""
    return cython.compiled


def to_euros(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-2)


def _ints(size: int, fill: int = 0) -> array.array:
    """A new int64 column of ``size`` items."""
    return array.array("q", [fill]) * size


#: Weights of contributors, not of lots: no rows to read ages from (see ``_split``).
NO_ROWS = _ints(0)


@cython.cfunc
def _grown(column: cython.longlong[:], used: cython.Py_ssize_t, size: cython.Py_ssize_t,
           fill: cython.longlong) -> array.array:
    """A column with room for ``size`` items (capacity doubled), the first ``used`` kept."""
    bigger = _ints(max(size, 2 * len(column), 16), fill)
    view: cython.longlong[:] = bigger
    view[:used] = column[:used]
    return bigger


@cython.cfunc
def _kth_largest(values: cython.longlong[:], count: cython.Py_ssize_t,
                 k: cython.Py_ssize_t) -> cython.longlong:
    """The ``k``-th largest of ``values[:count]`` (``k`` from 1); reorders ``values``."""
    low: cython.Py_ssize_t = 0
    high: cython.Py_ssize_t = count - 1
    target: cython.Py_ssize_t = k - 1
    i: cython.Py_ssize_t
    j: cython.Py_ssize_t
    pivot: cython.longlong
    swap: cython.longlong
    while low < high:
        pivot = values[low + (high - low) // 2]
        i, j = low, high
        while i <= j:  # Hoare's partition, largest first
            while values[i] > pivot:
                i += 1
            while values[j] < pivot:
                j -= 1
            if i <= j:
                swap = values[i]
                values[i] = values[j]
                values[j] = swap
                i += 1
                j -= 1
        if target <= j:
            high = j
        elif target >= i:
            low = i
        else:
            return values[target]
    return values[target]


@cython.cclass
class Buffers:
    """Work columns kept from one split to the next (a split runs at every repayment)."""

    shares: cython.longlong[:]
    left: cython.longlong[:]
    work: cython.longlong[:]

    def __init__(self) -> None:
        self.shares, self.left, self.work = _ints(64), _ints(64), _ints(64)

    @cython.cfunc
    def fit(self, size: cython.Py_ssize_t) -> cython.int:
        if size > len(self.shares):
            self.shares, self.left, self.work = _ints(2 * size), _ints(2 * size), _ints(2 * size)
        return 0


@cython.cfunc
def _split(amount: cython.longlong, weights: cython.longlong[:], count: cython.Py_ssize_t,
           rows: cython.longlong[:], lot_age: cython.longlong[:], ages: object,
           buffers: Buffers) -> cython.int:
    """Split ``amount`` cents in proportion to ``weights``, by the largest remainder.

    Writes the shares into ``buffers.shares``.  A tie between equal remainders goes to the index
    whose age is smaller (older), then to the earlier index.  Weights of lots give their
    ``rows`` and ``lot_age`` reads their ages; weights of contributors give ``ages``
    instead, called with the tied indexes only, since finding a contributor's age means
    scanning a queue.
    """
    total: cython.longlong = 0
    biggest: cython.longlong = 0
    given: cython.longlong = 0
    weight: cython.longlong
    product: cython.longlong
    cut: cython.longlong
    i: cython.Py_ssize_t
    above: cython.Py_ssize_t = 0
    buffers.fit(count)
    shares: cython.longlong[:] = buffers.shares
    for i in range(count):
        weight = weights[i]
        shares[i] = 0
        total += weight
        biggest = max(biggest, weight, -weight)
    if total <= 0 or amount <= 0:
        return 0
    if amount == total:
        shares[:count] = weights[:count]
        return 0
    left: cython.longlong[:] = buffers.left
    if biggest <= (SAFE_PRODUCT - 1) // amount:
        for i in range(count):
            product = weights[i] * amount
            shares[i] = product // total
            left[i] = product % total
            given += shares[i]
    else:  # exact in Python integers; each share and remainder fits in int64 again
        for i in range(count):
            big = int(weights[i]) * int(amount)
            shares[i] = big // total
            left[i] = big % total
            given += shares[i]
    cents: cython.Py_ssize_t = amount - given
    if not cents:
        return 0
    tied: cython.longlong[:] = buffers.work
    tied[:count] = left[:count]
    cut = _kth_largest(tied, count, cents)
    tied_count: cython.Py_ssize_t = 0
    for i in range(count):
        if left[i] > cut:
            shares[i] += 1
            above += 1
        elif left[i] == cut:
            tied[tied_count] = i  # the tied indexes, in order (the work column is free)
            tied_count += 1
    need: cython.Py_ssize_t = cents - above
    if need == tied_count:
        for i in range(need):
            shares[tied[i]] += 1
        return 0
    oldest = _ints(tied_count)
    age: cython.longlong[:] = oldest
    if len(rows):
        for i in range(tied_count):
            age[i] = lot_age[rows[tied[i]]]
    else:
        for i, found in enumerate(ages([tied[i] for i in range(tied_count)])):
            age[i] = found
    negated = _ints(tied_count)
    younger: cython.longlong[:] = negated
    for i in range(tied_count):
        younger[i] = -age[i]
    cut = -_kth_largest(younger, tied_count, need)  # the need-th oldest age
    for i in range(tied_count):  # the older ones first, then the earlier at the same age
        if age[i] < cut:
            shares[tied[i]] += 1
            need -= 1
    for i in range(tied_count):
        if need and age[i] == cut:
            shares[tied[i]] += 1
            need -= 1
    return 0


def split_cents(amount: int, weights: list[int], ages=None) -> list[int]:
    """:func:`_split` for Python callers (tests): the shares as a list."""
    column = array.array("q", weights)
    buffers = Buffers()
    _split(amount, column, len(weights), NO_ROWS, NO_ROWS,
           ages or (lambda tied: [0] * len(tied)), buffers)
    return [buffers.shares[i] for i in range(len(weights))]


@cython.cclass
class Lots:
    """Every lot of every fund as columns; a lot's number is its row, in creation order.

    Creation order is also each fund's first-in, first-out order (money transferred in
    joins the queue at the transfer), so a lot's number is its place in its fund, and its
    age when ties are broken.  The shortfall of an overdrawn fund is a lot older than all
    (age -1), belonging to no one.
    """

    usable: cython.longlong[:]
    unpaid: cython.longlong[:]
    age: cython.longlong[:]
    contributor: cython.longlong[:]  # code, see Tracer.code
    fund: cython.longlong[:]  # code, see Tracer.fund_list
    #: In its fund's queue (active or pending): true of every lot with usable money.
    queued: cython.longlong[:]
    #: Scratch: a lot's place plus one in the grant or loan being paid (see Paid.add).
    mark: cython.longlong[:]
    count: cython.Py_ssize_t

    def __init__(self) -> None:
        self.count = 0
        self.usable, self.unpaid, self.age = _ints(1024), _ints(1024), _ints(1024)
        self.contributor, self.fund = _ints(1024), _ints(1024)
        self.queued, self.mark = _ints(1024), _ints(1024)

    @cython.cfunc
    def add(self, fund: cython.longlong, contributor: cython.longlong,
            usable: cython.longlong, unpaid: cython.longlong,
            age: cython.longlong) -> cython.Py_ssize_t:
        """A new lot, not queued yet; returns its number (``age`` may be ``BY_ROW``)."""
        row: cython.Py_ssize_t = self.count
        if row == len(self.usable):
            self.usable = _grown(self.usable, row, row + 1, 0)
            self.unpaid = _grown(self.unpaid, row, row + 1, 0)
            self.age = _grown(self.age, row, row + 1, 0)
            self.contributor = _grown(self.contributor, row, row + 1, 0)
            self.fund = _grown(self.fund, row, row + 1, 0)
            self.queued = _grown(self.queued, row, row + 1, 0)
            self.mark = _grown(self.mark, row, row + 1, 0)
        self.usable[row] = usable
        self.unpaid[row] = unpaid
        self.age[row] = row if age == BY_ROW else age
        self.contributor[row] = contributor
        self.fund[row] = fund
        self.queued[row] = 0
        self.mark[row] = 0
        self.count = row + 1
        return row


@cython.cclass
class FundLots:
    """One fund's queue, and what each contributor (by code) has unspent and earned in it.

    ``queue[head:tail]`` holds, oldest first, the lots with usable money; a lot newly
    given money (new, paid, given back) and not queued yet waits in ``pending`` until the
    queue is next read, so a loan's monthly instalment given back to a thousand old lots
    costs no sorting, and the queue is merged, never re-sorted, when the fund next spends.
    """

    code: cython.longlong
    name: str
    queue: cython.longlong[:]
    head: cython.Py_ssize_t
    tail: cython.Py_ssize_t
    pending: list
    unspent: cython.longlong[:]
    earned: cython.longlong[:]
    first_earned: cython.longlong[:]
    #: Contributors in the order they first had money here (earned income's order).
    members: cython.longlong[:]
    member_count: cython.Py_ssize_t
    is_member: cython.longlong[:]

    def __init__(self, code: int, name: str, room: int) -> None:
        self.code, self.name = code, name
        self.queue, self.head, self.tail = _ints(16), 0, 0
        self.pending = []
        self.unspent, self.earned = _ints(room), _ints(room)
        self.first_earned = _ints(room, NEVER)
        self.members, self.member_count = _ints(room), 0
        self.is_member = _ints(room)

    @cython.cfunc
    def make_room(self, room: cython.Py_ssize_t) -> cython.int:
        size: cython.Py_ssize_t = len(self.unspent)
        self.unspent = _grown(self.unspent, size, room, 0)
        self.earned = _grown(self.earned, size, room, 0)
        self.first_earned = _grown(self.first_earned, size, room, NEVER)
        self.members = _grown(self.members, size, room, 0)
        self.is_member = _grown(self.is_member, size, room, 0)
        return 0

    @cython.cfunc
    def credit(self, lots: Lots, row: cython.Py_ssize_t, cents: cython.longlong) -> cython.int:
        """Count ``cents``, now usable on lot ``row`` of this fund, and queue the lot."""
        code: cython.longlong = lots.contributor[row]
        self.unspent[code] += cents
        if not self.is_member[code]:
            self.is_member[code] = 1
            self.members[self.member_count] = code
            self.member_count += 1
        if not lots.queued[row]:
            lots.queued[row] = 1
            self.pending.append(row)
        return 0

    @cython.cfunc
    def sort_queue(self) -> cython.int:
        """Put the pending lots into the queue, in their places (oldest first).

        The queue is merged in place from its end, so lots given back near the end of the
        queue (the usual case: recent loans repaid) cost only the lots after them.
        """
        if not self.pending:
            return 0
        waiting = sorted(self.pending)
        self.pending = []
        count: cython.Py_ssize_t = len(waiting)
        live: cython.Py_ssize_t = self.tail - self.head
        i: cython.Py_ssize_t
        j: cython.Py_ssize_t
        k: cython.Py_ssize_t
        row: cython.longlong
        if self.tail + count > len(self.queue):  # no room at the end: move or grow
            bigger = _ints(max(2 * (live + count), 16))
            view: cython.longlong[:] = bigger
            view[:live] = self.queue[self.head:self.tail]
            self.queue, self.head, self.tail = bigger, 0, live
        queue: cython.longlong[:] = self.queue
        i, j, k = self.tail - 1, count - 1, self.tail + count - 1
        while j >= 0:
            row = waiting[j]
            while i >= self.head and queue[i] > row:
                queue[k] = queue[i]
                i -= 1
                k -= 1
            queue[k] = row
            j -= 1
            k -= 1
        self.tail += count
        return 0

    @cython.cfunc
    def oldest_age(self, lots: Lots, code: cython.longlong) -> cython.longlong:
        """The age of the contributor's oldest lot with usable money here."""
        self.sort_queue()
        i: cython.Py_ssize_t
        for i in range(self.head, self.tail):
            if lots.contributor[self.queue[i]] == code:
                return lots.age[self.queue[i]]
        return NO_AGE


@cython.cclass
class Taken:
    """What one spending took: the lots, oldest first, and the cents each gave."""

    rows: cython.longlong[:]
    cents: cython.longlong[:]
    count: cython.Py_ssize_t

    def __init__(self) -> None:
        self.rows, self.cents, self.count = _ints(16), _ints(16), 0

    @cython.cfunc
    def append(self, row: cython.longlong, cents: cython.longlong) -> cython.int:
        if self.count == len(self.rows):
            self.rows = _grown(self.rows, self.count, self.count + 1, 0)
            self.cents = _grown(self.cents, self.count, self.count + 1, 0)
        self.rows[self.count] = row
        self.cents[self.count] = cents
        self.count += 1
        return 0


@cython.cclass
class Paid:
    """The lots that paid for one grant or loan: what each paid and still has out."""

    rows: cython.longlong[:]
    codes: cython.longlong[:]  # the lots' contributors
    outstanding: cython.longlong[:]  # not yet given back nor written off
    used: cython.longlong[:]  # paid and not given back (written off stays used)
    first: cython.longlong[:]  # when the lot first paid: consumption, then place
    count: cython.Py_ssize_t
    funds: set  # the lots' funds (one, but for rare grants)

    def __init__(self) -> None:
        self.rows, self.codes, self.outstanding = _ints(4), _ints(4), _ints(4)
        self.used, self.first = _ints(4), _ints(4)
        self.count = 0
        self.funds = set()

    @cython.cfunc
    def add(self, lots: Lots, taken: Taken, first: cython.longlong,
            fund: cython.longlong) -> cython.int:
        """The lots ``taken`` paid for this, in consumption ``first``."""
        self.funds.add(fund)
        i: cython.Py_ssize_t
        place: cython.Py_ssize_t
        row: cython.longlong
        size: cython.Py_ssize_t = self.count + taken.count
        if size > len(self.rows):
            self.rows = _grown(self.rows, self.count, size, 0)
            self.codes = _grown(self.codes, self.count, size, 0)
            self.outstanding = _grown(self.outstanding, self.count, size, 0)
            self.used = _grown(self.used, self.count, size, 0)
            self.first = _grown(self.first, self.count, size, 0)
        before: cython.Py_ssize_t = self.count
        for i in range(before):  # a lot that paid before finds its place: more of it is out
            lots.mark[self.rows[i]] = i + 1
        for i in range(taken.count):
            row = taken.rows[i]
            place = lots.mark[row] - 1
            if place >= 0:
                self.outstanding[place] += taken.cents[i]
                self.used[place] += taken.cents[i]
                continue
            place = self.count
            self.rows[place] = row
            self.codes[place] = lots.contributor[row]
            self.outstanding[place] = taken.cents[i]
            self.used[place] = taken.cents[i]
            self.first[place] = first + i
            self.count += 1
        for i in range(before):
            lots.mark[self.rows[i]] = 0
        return 0


@cython.cclass
class Tracer:
    """Lots of every fund, and what each contributor's money became (amounts in cents)."""

    lots: Lots
    funds: dict
    fund_list: list  # by code
    names: list
    codes: dict
    room: cython.Py_ssize_t
    given: object
    #: For each grant or loan: the lots that paid for it.
    paid_by = cython.declare(dict, visibility="public")
    #: What each cost account used, per fund: cents and first consumption per code.
    costs: dict
    #: Unpaid pledges (lot numbers) of each contributor in each fund, oldest first.
    pledges: object
    calls: cython.longlong  # consumptions and incomes so far: the order results appear in
    volume: object  # all the cents moved so far: see TRACE_LIMIT_CENTS
    _by_contributor: object  # see _paid_by
    _asked: cython.bint
    buffers: Buffers

    def __init__(self) -> None:
        self.lots = Lots()
        self.funds = {}
        self.fund_list = []
        self.names = [None]
        self.codes = {None: 0}
        self.room = 64
        self.given = defaultdict(int)
        self.paid_by = {}
        self.costs = {}
        self.pledges = defaultdict(deque)
        self.calls = 0
        self.volume = 0
        self._by_contributor = None
        self._asked = False
        self.buffers = Buffers()

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
                for owner in self.fund_list:
                    cython.cast(FundLots, owner).make_room(self.room)
                for key, (cents, first) in self.costs.items():
                    self.costs[key] = (_grown(cents, len(cents), self.room, 0),
                                       _grown(first, len(first), self.room, NEVER))
        return found

    def _fund(self, fund: str) -> FundLots:
        owner = self.funds.get(fund)
        if owner is None:
            owner = self.funds[fund] = FundLots(len(self.funds), fund, self.room)
            self.fund_list.append(owner)
        return owner

    # -- money coming in ------------------------------------------------------------------

    def contribute(self, fund: str, contributor: str, date: datetime.date, amount: int,
                   unpaid: int = 0) -> None:
        """A contribution (``unpaid`` of it a pledge not yet paid) becomes a lot."""
        self._count(amount)
        self.given[(contributor, fund)] += amount
        owner: FundLots = self._fund(fund)
        row: cython.Py_ssize_t = self.lots.add(owner.code, self.code(contributor), 0,
                                               unpaid, BY_ROW)
        if amount - unpaid:
            self.lots.usable[row] += amount - unpaid
            owner.credit(self.lots, row, amount - unpaid)
        if unpaid > 0:
            self.pledges[(fund, contributor)].append(row)

    def withdraw(self, fund: str, contributor: str, amount: int, account: str) -> None:
        """A contribution reversed leaves that contributor's own lots, oldest first.

        Beyond what the contributor has unspent in the fund, the reversal is a cost of the
        fund like any other expense (its oldest lots pay for it).
        """
        self._count(amount)
        owner: FundLots = self._fund(fund)
        lots: Lots = self.lots
        code: cython.longlong = self.code(contributor)
        withdrawn: cython.longlong = min(amount, max(owner.unspent[code], 0))
        self.given[(contributor, fund)] -= withdrawn
        before: cython.longlong = 0
        taken: cython.longlong
        row: cython.longlong
        i: cython.Py_ssize_t
        kept: cython.Py_ssize_t
        if withdrawn:
            owner.sort_queue()
            kept = owner.head
            for i in range(owner.head, owner.tail):
                row = owner.queue[i]
                if lots.contributor[row] == code:
                    taken = min(max(withdrawn - before, 0), lots.usable[row])
                    before += lots.usable[row]
                    lots.usable[row] -= taken
                    owner.unspent[code] -= taken
                if lots.usable[row] == 0:
                    lots.queued[row] = 0
                else:
                    owner.queue[kept] = row
                    kept += 1
            owner.tail = kept
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
                            key=lambda row: self.lots.age[row])
            for row in others:
                owner = self.names[self.lots.contributor[row]]
                amount = self._pay_pledges(fund, self.pledges[(fund, owner)], amount)
        if amount > 0:
            self.contribute(fund, contributor, date, amount)

    def _pay_pledges(self, fund: str, queue: deque | None, amount: int) -> int:
        """Pay the pledges of ``queue`` oldest first; return what is left of ``amount``."""
        lots: Lots = self.lots
        row: cython.Py_ssize_t
        while queue and amount > 0:
            row = queue[0]
            paid = min(lots.unpaid[row], amount)
            lots.unpaid[row] -= paid
            lots.usable[row] += paid
            cython.cast(FundLots, self.fund_list[lots.fund[row]]).credit(lots, row, paid)
            amount -= paid
            if lots.unpaid[row] <= 0:
                queue.popleft()
        return amount

    def earn(self, fund: str, amount: int, date: datetime.date) -> None:
        """Income no contributor gave: one new lot per contributor with money in the fund."""
        self._count(amount)
        self._earn(self._fund(fund), amount)

    @cython.cfunc
    def _earn(self, owner: FundLots, amount: cython.longlong) -> cython.int:
        lots: Lots = self.lots
        i: cython.Py_ssize_t
        count: cython.Py_ssize_t = 0
        code: cython.longlong
        row: cython.Py_ssize_t
        holders = _ints(owner.member_count)
        weights = _ints(owner.member_count)
        who: cython.longlong[:] = holders
        weight: cython.longlong[:] = weights
        for i in range(owner.member_count):
            code = owner.members[i]
            if owner.unspent[code] > 0:
                who[count] = code
                weight[count] = owner.unspent[code]
                count += 1
        share: cython.longlong[:] = self.buffers.shares
        if count:
            _split(amount, weight, count, NO_ROWS, NO_ROWS, lambda tied: [
                owner.oldest_age(lots, who[index]) for index in tied], self.buffers)
            share = self.buffers.shares
        elif amount > 0:  # no one has money here: the income belongs to no one
            holders = _ints(1)
            who = holders
            share[0] = amount
            count = 1
        else:
            return 0
        self.calls += 1
        for i in range(count):
            if share[i] > 0:
                code = who[i]
                owner.earned[code] += share[i]
                owner.first_earned[code] = min(owner.first_earned[code], self.calls)
                row = lots.add(owner.code, code, share[i], 0, BY_ROW)
                owner.credit(lots, row, share[i])
        return 0

    # -- money going out ------------------------------------------------------------------

    @cython.cfunc
    def _take(self, owner: FundLots, amount: cython.longlong) -> Taken:
        """Take ``amount`` from the fund's oldest usable lots: the lots and what each gave."""
        lots: Lots = self.lots
        taken = Taken()
        row: cython.longlong
        cents: cython.longlong
        owner.sort_queue()
        while amount > 0 and owner.head < owner.tail:
            row = owner.queue[owner.head]
            cents = min(lots.usable[row], amount)
            lots.usable[row] -= cents
            owner.unspent[lots.contributor[row]] -= cents
            amount -= cents
            taken.append(row, cents)
            if lots.usable[row] == 0:
                lots.queued[row] = 0
                owner.head += 1
        if amount > 0:  # overdrawn (FL201): the shortfall belongs to no one
            taken.append(lots.add(owner.code, 0, 0, 0, -1), amount)
        return taken

    def consume(self, fund: str, amount: int, kind: str, ident: str) -> None:
        """An expense, grant award or loan: the oldest usable lots pay for it."""
        self._count(amount)
        owner: FundLots = self._fund(fund)
        taken: Taken = self._take(owner, amount)
        self.calls += 1
        first: cython.longlong = self.calls << CALL_SHIFT
        if kind == "grant" or kind == "loan":
            self._by_contributor = None
            paid = self.paid_by.get((kind, ident))
            if paid is None:
                paid = self.paid_by[(kind, ident)] = Paid()
            cython.cast(Paid, paid).add(self.lots, taken, first, owner.code)
            return
        table = self.costs.get((fund, ident))
        if table is None:
            table = self.costs[(fund, ident)] = (_ints(self.room), _ints(self.room, NEVER))
        used: cython.longlong[:] = table[0]
        firsts: cython.longlong[:] = table[1]
        i: cython.Py_ssize_t
        code: cython.longlong
        for i in range(taken.count):
            code = self.lots.contributor[taken.rows[i]]
            used[code] += taken.cents[i]
            firsts[code] = min(firsts[code], first + i)

    def transfer(self, source: str, target: str, amount: int, date: datetime.date) -> None:
        """Money moved to another fund keeps its contributors and joins the queue there."""
        self._count(amount)
        lots: Lots = self.lots
        taken: Taken = self._take(self._fund(source), amount)
        owner: FundLots = self._fund(target)
        i: cython.Py_ssize_t
        row: cython.Py_ssize_t
        for i in range(taken.count):
            row = lots.add(owner.code, lots.contributor[taken.rows[i]], taken.cents[i], 0,
                           BY_ROW)
            owner.credit(lots, row, taken.cents[i])

    # -- money coming back ----------------------------------------------------------------

    def give_back(self, kind: str, ident: str, fund: str, amount: int,
                  date: datetime.date) -> None:
        """Returned money goes back to the lots that paid, in proportion, in their place."""
        self._count(amount)
        found = self.paid_by.get((kind, ident))
        back: cython.longlong = 0
        if found is not None:
            back = self._give_back(found, amount)
        if amount > back:  # more came back than was out: like earned income
            self.earn(fund, amount - back, date)

    @cython.cfunc
    def _give_back(self, paid: Paid, amount: cython.longlong) -> cython.longlong:
        lots: Lots = self.lots
        i: cython.Py_ssize_t
        row: cython.longlong
        total: cython.longlong = 0
        for i in range(paid.count):
            total += paid.outstanding[i]
        back: cython.longlong = min(amount, total)
        if back <= 0:
            return back
        _split(back, paid.outstanding, paid.count, paid.rows, lots.age, None, self.buffers)
        share: cython.longlong[:] = self.buffers.shares
        self._by_contributor = None
        owner: FundLots = self.fund_list[lots.fund[paid.rows[0]]]
        single: cython.bint = len(paid.funds) == 1  # the usual case: one fund's lots
        for i in range(paid.count):
            if share[i]:
                paid.outstanding[i] -= share[i]
                paid.used[i] -= share[i]
                row = paid.rows[i]
                lots.usable[row] += share[i]
                if not single:
                    owner = self.fund_list[lots.fund[row]]
                owner.credit(lots, row, share[i])
        return back

    def write_off(self, ident: str, amount: int) -> None:
        """A write-off turns the lots' share of the loan into a loss; nothing new is used."""
        self._count(amount)
        found = self.paid_by.get(("loan", ident))
        if found is None:
            return
        paid: Paid = found
        lots: Lots = self.lots
        out = array.array("q", [i for i in range(paid.count) if paid.outstanding[i] > 0])
        weights, rows = _ints(len(out)), _ints(len(out))
        i: cython.Py_ssize_t
        for i in range(len(out)):
            weights[i] = paid.outstanding[out[i]]
            rows[i] = paid.rows[out[i]]
        _split(amount, weights, len(out), rows, lots.age, None, self.buffers)
        shares: cython.longlong[:] = self.buffers.shares
        for i in range(len(out)):
            paid.outstanding[out[i]] -= shares[i]

    # -- results --------------------------------------------------------------------------

    def trace(self, contributor: Contributor) -> Trace:
        found = self.codes.get(contributor)
        given = [Share(f, to_euros(v)) for (c, f), v in self.given.items()
                 if c == contributor and v]
        if found is None:
            return Trace(contributor, given, [], [], [], [])
        code: cython.Py_ssize_t = found
        owner: FundLots
        earned, unspent, pledged = [], [], []
        for item in self.fund_list:
            owner = item
            if owner.earned[code]:
                earned.append((owner.first_earned[code],
                               Share(owner.name, to_euros(owner.earned[code]))))
            if owner.unspent[code]:
                unspent.append(Share(owner.name, to_euros(owner.unspent[code])))
            owed = sum(self.lots.unpaid[row]
                       for row in self.pledges.get((owner.name, contributor), ()))
            if owed:
                pledged.append(Share(owner.name, to_euros(owed)))
        return Trace(
            contributor=contributor,
            given=given,
            earned=[share for _first, share in sorted(earned, key=lambda item: item[0])],
            used=self._used(code),
            unspent=unspent,
            pledged=pledged,
        )

    def _used(self, code: int) -> list[Share]:
        """What one contributor's money paid for, in the order it first paid for each."""
        found: list[tuple[int, Share]] = []
        for (fund, account), (cents, first) in self.costs.items():
            if cents[code]:
                found.append((first[code], Share(fund, to_euros(cents[code]), "expense",
                                                 account)))
        sums: dict[tuple[int, int], list[int]] = {}
        for key, fund, used, first in self._paid_by(code):
            pair = sums.get((key, fund))
            if pair is None:
                sums[(key, fund)] = [used, first]
            else:
                pair[0] += used
                pair[1] = min(pair[1], first)
        names = list(self.paid_by)
        owner: FundLots
        for (key, fund), (total, when) in sums.items():
            if total:
                kind, ident = names[key]
                owner = self.fund_list[fund]
                found.append((when, Share(owner.name, to_euros(total), kind, ident)))
        return [share for _when, share in sorted(found, key=lambda item: item[0])]

    def _paid_by(self, code: int) -> list[tuple[int, int, int, int]]:
        """The lots of one contributor that paid for grants and loans: each one's grant or
        loan (its place in ``paid_by``), fund, what it used, and when it first paid.

        The first contributor asked for (``fundledger trace``) is found by scanning the
        grants and loans; asked for another (a statement of every contributor), the
        tracer sorts every paying lot by contributor once, and slices.
        """
        if self._by_contributor is None and not self._asked:
            self._asked = True
            return self._scan(code)
        if self._by_contributor is None:
            self._by_contributor = self._index()
        start, keys, funds, used, first = self._by_contributor
        if code + 1 >= len(start):
            return []
        return [(keys[i], funds[i], used[i], first[i])
                for i in range(start[code], start[code + 1])]

    @cython.cfunc
    def _scan(self, wanted: cython.longlong) -> list:
        found = []
        i: cython.Py_ssize_t
        paid: Paid
        for key, item in enumerate(self.paid_by.values()):
            paid = item
            for i in range(paid.count):
                if paid.codes[i] == wanted:
                    found.append((key, self.lots.fund[paid.rows[i]], paid.used[i],
                                  paid.first[i]))
        return found

    @cython.cfunc
    def _index(self) -> tuple:
        """Every paying lot by contributor (a counting sort; grant and loan order kept)."""
        room: cython.Py_ssize_t = len(self.names) + 1
        starts = _ints(room + 1)
        start: cython.longlong[:] = starts
        i: cython.Py_ssize_t
        size: cython.Py_ssize_t = 0
        place: cython.Py_ssize_t
        paid: Paid
        for item in self.paid_by.values():
            paid = item
            size += paid.count
            for i in range(paid.count):
                start[paid.codes[i] + 1] += 1
        for i in range(room):
            start[i + 1] += start[i]
        keys, funds, used, first = _ints(size), _ints(size), _ints(size), _ints(size)
        key_of: cython.longlong[:] = keys
        fund_of: cython.longlong[:] = funds
        used_of: cython.longlong[:] = used
        first_of: cython.longlong[:] = first
        filled = array.array("q", starts)
        at: cython.longlong[:] = filled
        for key, item in enumerate(self.paid_by.values()):
            paid = item
            for i in range(paid.count):
                place = at[paid.codes[i]]
                at[paid.codes[i]] += 1
                key_of[place] = key
                fund_of[place] = self.lots.fund[paid.rows[i]]
                used_of[place] = paid.used[i]
                first_of[place] = paid.first[i]
        return starts, keys, funds, used, first
