# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""The column kernels of contributor tracing (SPEC 6.3): lots in columns, and the loops
over them.

:mod:`fundledger.engine.tracing` keeps the bookkeeping in plain Python (names, grants and
loans by id, pledges, the traces it answers); every loop over lots is here: splitting to
the cent by the largest remainder, taking from a fund's oldest lots, giving money back to
the lots that paid, merging a fund's queue.  One call per economic event crosses over.

Why compiled: SPEC 6.3 makes the work grow faster than the ledger.  Every earned income
makes one lot per contributor with money in the fund, a loan repaid monthly gives each
instalment back over every lot that paid for the loan, and the next loan is paid by the
fragments of all of them: on a 100k-transaction foundation that is some 40 million lot
updates over 140,000 events.  Plain Python spends a minute on them.  So this module is
written in Cython's pure-Python mode: lots are rows of columns (``array.array``, typed as
memoryviews) and each event is a few loops over them.  Installed with a C compiler, the
package builds it into an extension module (``setup.py``); without one, the very same
file runs as plain Python, slower but with the same results.

Why compact: the columns are most of what tracing adds to a load's memory (1.3 million
lots and 1.9 million lot payments at 100k transactions).  Each column has the narrowest
type its values need: cents in int64, lot numbers and contributor codes in int32, flags
in a byte; a lot's age is its number (but for an overdraft's shortfall, flagged), its
fund is known to the caller or kept once per spending with the lots it took (with when
they first paid), a pledge's unpaid part is kept by the caller for the few lots that
have one, and a grant or loan keeps what was written off only once something is.
Columns grow by half, not double; the work columns of a split, a spending and the lots
waiting for their queue are kept from one event to the next.  Once every event is in,
:meth:`Lots.index` sums what the lots paid per contributor, grant or loan and fund, and
:meth:`Lots.release` lets the lots go (``Tracer.freeze``).
"""

from __future__ import annotations

import array

import cython

NEVER = (1 << 63) - 1
#: The range of an int32 column's items (``Paid.used`` is kept in one when it fits).
INT32_MIN = -(1 << 31)
INT32_MAX = (1 << 31) - 1
#: Amounts whose products with a weight stay below this are split in C integers.
SAFE_PRODUCT = 1 << 62
#: The age of a contributor with no lot in the queue: younger than any (``oldest_age``).
NO_AGE = 1 << 62
#: Lot flags: in its fund's queue (active or pending); the shortfall of an overdraft,
#: older than every lot (age -1).
QUEUED = 1
OVERDRAFT = 2
UNQUEUED = 0xFF ^ QUEUED  # a mask that clears QUEUED (a byte: no negative numbers)


def compiled() -> bool:
    """Whether this module runs as the compiled extension (else as plain Python)."""
    return cython.compiled


def _ints(size: int, fill: int = 0) -> array.array:
    """A new int64 column of ``size`` items."""
    return array.array("q", [fill]) * size


def _int32s(size: int, fill: int = 0) -> array.array:
    """A new int32 column (lot numbers, contributor and fund codes)."""
    return array.array("i", [fill]) * size


def _bytes(size: int) -> array.array:
    return array.array("B", [0]) * size


def _room(size: cython.Py_ssize_t, now: cython.Py_ssize_t) -> cython.Py_ssize_t:
    """The capacity for ``size`` items of a column now holding ``now``: half as much again."""
    return max(size, now + now // 2, 16)


#: Weights of contributors, not of lots: no rows to read ages from (see ``_split``).
NO_ROWS = _int32s(0)
NO_FLAGS = _bytes(0)


@cython.cfunc
def _grown(column: cython.longlong[:], used: cython.Py_ssize_t, size: cython.Py_ssize_t,
           fill: cython.longlong, exact: cython.bint = False) -> array.array:
    """An int64 column with room for ``size`` items (``exact``: no more), the first
    ``used`` kept."""
    bigger = _ints(size if exact else _room(size, len(column)), fill)
    view: cython.longlong[:] = bigger
    view[:used] = column[:used]
    return bigger


@cython.cfunc
def _grown32(column: cython.int[:], used: cython.Py_ssize_t,
             size: cython.Py_ssize_t, exact: cython.bint = False) -> array.array:
    """An int32 column with room for ``size`` items (``exact``: no more), the first
    ``used`` kept."""
    bigger = _int32s(size if exact else _room(size, len(column)))
    view: cython.int[:] = bigger
    view[:used] = column[:used]
    return bigger


@cython.cfunc
def _wide(column: object) -> object:
    """An int64 column of ``column``'s items: ``column`` itself if it is one, else a
    widened copy of it (int32)."""
    if column.typecode == "q":
        return column
    narrow: cython.int[:] = column
    count: cython.Py_ssize_t = len(column)
    out = _ints(count)
    view: cython.longlong[:] = out
    i: cython.Py_ssize_t
    for i in range(count):
        view[i] = narrow[i]
    return out


@cython.cfunc
def _less(column: object, amounts: cython.longlong[:], count: cython.Py_ssize_t) -> cython.int:
    """Take ``amounts`` off the first ``count`` items of an int32 or int64 column, in
    place: each is at most its item (money coming back), so an int32 column stays one."""
    i: cython.Py_ssize_t
    if column.typecode == "q":
        wide: cython.longlong[:] = column
        for i in range(count):
            wide[i] -= amounts[i]
    else:
        narrow: cython.int[:] = column
        for i in range(count):
            narrow[i] = cython.cast(cython.int, narrow[i] - amounts[i])
    return 0


@cython.cfunc
def _narrowed(column: object) -> object:
    """An int64 column as an int32 copy when every item fits in one, else itself: half
    the memory for the common case (what one lot paid for one grant is below 21 M€)."""
    view: cython.longlong[:] = column
    count: cython.Py_ssize_t = len(column)
    i: cython.Py_ssize_t
    for i in range(count):
        if view[i] > INT32_MAX or view[i] < INT32_MIN:
            return column
    out = _int32s(count)
    narrow: cython.int[:] = out
    for i in range(count):
        narrow[i] = cython.cast(cython.int, view[i])
    return out


#: The ``starts`` of a grant's or loan's first run, shared (``Paid.new_run``).
_FIRST_RUN = _int32s(1)
#: The ``funds`` of a first run, one shared column per fund code.
_ONE_FUND: dict = {}


def _one_fund(fund: int) -> array.array:
    """The shared ``funds`` column of a first run from fund ``fund``."""
    found = _ONE_FUND.get(fund)
    if found is None:
        found = _ONE_FUND[fund] = _int32s(1, fund)
    return found


@cython.cfunc
def _grown8(column: cython.uchar[:], used: cython.Py_ssize_t,
            size: cython.Py_ssize_t) -> array.array:
    """A byte column with room for ``size`` items, the first ``used`` kept."""
    bigger = _bytes(_room(size, len(column)))
    view: cython.uchar[:] = bigger
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


@cython.cfunc
def _sift(values: cython.int[:], root: cython.Py_ssize_t, end: cython.Py_ssize_t) -> cython.int:
    """Move ``values[root]`` down the max-heap ``values[root:end + 1]``."""
    child: cython.Py_ssize_t
    swap: cython.int
    while 2 * root + 1 <= end:
        child = 2 * root + 1
        if child + 1 <= end and values[child] < values[child + 1]:
            child += 1
        if values[root] >= values[child]:
            return 0
        swap = values[root]
        values[root] = values[child]
        values[child] = swap
        root = child
    return 0


@cython.cfunc
def _sort32(values: cython.int[:], count: cython.Py_ssize_t) -> cython.int:
    """Sort ``values[:count]`` in place, ascending: nothing to do if it already is (lots
    given back in their order), else a heapsort (no memory, no recursion)."""
    i: cython.Py_ssize_t
    swap: cython.int
    for i in range(1, count):
        if values[i - 1] > values[i]:
            break
    else:
        return 0
    for i in range((count - 2) // 2, -1, -1):
        _sift(values, i, count - 1)
    for i in range(count - 1, 0, -1):
        swap = values[0]
        values[0] = values[i]
        values[i] = swap
        _sift(values, 0, i - 1)
    return 0


@cython.cclass
class Buffers:
    """Work columns kept from one split to the next (a split runs at every repayment)."""

    shares: cython.longlong[:]
    left: cython.longlong[:]
    work: cython.longlong[:]
    #: Who shares an earned income, and their weights (``Lots.earn``; not used by the split).
    holders: cython.int[:]
    weights: cython.longlong[:]

    def __init__(self) -> None:
        self.shares, self.left, self.work = _ints(64), _ints(64), _ints(64)
        self.holders, self.weights = _int32s(64), _ints(64)

    @cython.cfunc
    def fit(self, size: cython.Py_ssize_t) -> cython.int:
        if size > len(self.shares):
            self.shares, self.left, self.work = _ints(2 * size), _ints(2 * size), _ints(2 * size)
        return 0

    @cython.cfunc
    def fit_holders(self, size: cython.Py_ssize_t) -> cython.int:
        if size > len(self.holders):
            self.holders, self.weights = _int32s(2 * size), _ints(2 * size)
        return 0


@cython.cfunc
def _split(amount: cython.longlong, weights: cython.longlong[:], count: cython.Py_ssize_t,
           rows: cython.int[:], flags: cython.uchar[:], ages: object,
           buffers: Buffers) -> cython.int:
    """Split ``amount`` cents in proportion to ``weights``, by the largest remainder.

    Writes the shares into ``buffers.shares``.  A tie between equal remainders goes to the
    index whose age is smaller (older), then to the earlier index.  Weights of lots give
    their ``rows`` (a lot's age is its number, -1 for an overdraft's shortfall, read from
    ``flags``); weights of contributors give ``ages`` instead, called with the tied indexes
    only, since finding a contributor's age means scanning a queue.
    """
    total: cython.longlong = 0
    biggest: cython.longlong = 0
    given: cython.longlong = 0
    weight: cython.longlong
    product: cython.longlong
    cut: cython.longlong
    i: cython.Py_ssize_t
    row: cython.int
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
            row = rows[tied[i]]
            age[i] = -1 if flags[row] & OVERDRAFT else row
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
    _split(amount, column, len(weights), NO_ROWS, NO_FLAGS,
           ages or (lambda tied: [0] * len(tied)), buffers)
    return [buffers.shares[i] for i in range(len(weights))]


@cython.cclass
class FundLots:
    """One fund's queue, and what each contributor (by code) has unspent and earned in it.

    ``queue[head:tail]`` holds, oldest first, the lots with usable money; a lot newly
    given money (new, paid, given back) and not queued yet waits in ``pending`` until the
    queue is next read, so a loan's monthly instalment given back to a thousand old lots
    costs no sorting, and the queue is merged, never re-sorted, when the fund next spends.
    """

    code: cython.int
    queue: cython.int[:]
    head: cython.Py_ssize_t
    tail: cython.Py_ssize_t
    pending: cython.int[:]
    pending_count: cython.Py_ssize_t
    unspent: cython.longlong[:]
    earned: cython.longlong[:]
    first_earned: cython.longlong[:]
    #: Contributors in the order they first had money here (earned income's order).
    members: cython.int[:]
    member_count: cython.Py_ssize_t
    is_member: cython.uchar[:]

    def __init__(self, code: int, room: int) -> None:
        self.code = code
        self.queue, self.head, self.tail = _int32s(16), 0, 0
        self.pending, self.pending_count = _int32s(16), 0
        self.unspent, self.earned = _ints(room), _ints(room)
        self.first_earned = _ints(room, NEVER)
        self.members, self.member_count = _int32s(room), 0
        self.is_member = _bytes(room)

    @cython.cfunc
    def make_room(self, room: cython.Py_ssize_t) -> cython.int:
        size: cython.Py_ssize_t = len(self.unspent)
        self.unspent = _grown(self.unspent, size, room, 0)
        self.earned = _grown(self.earned, size, room, 0)
        self.first_earned = _grown(self.first_earned, size, room, NEVER)
        self.members = _grown32(self.members, size, room)
        self.is_member = _grown8(self.is_member, size, room)
        return 0

    @cython.ccall
    def release(self) -> cython.int:
        """Let the queue go (see :meth:`Lots.release`)."""
        self.queue, self.head, self.tail = _int32s(0), 0, 0
        self.pending, self.pending_count = _int32s(16), 0
        return 0

    def result(self, code: int) -> tuple[int, int, int]:
        """What contributor ``code`` has here: earned, when first earned, unspent."""
        return self.earned[code], self.first_earned[code], self.unspent[code]

    @cython.cfunc
    def credit(self, lots: Lots, row: cython.Py_ssize_t, cents: cython.longlong) -> cython.int:
        """Count ``cents``, now usable on lot ``row`` of this fund, and queue the lot."""
        code: cython.int = lots.contributor[row]
        self.unspent[code] += cents
        if not self.is_member[code]:
            self.is_member[code] = 1
            self.members[self.member_count] = code
            self.member_count += 1
        if not lots.flags[row] & QUEUED:
            lots.flags[row] |= QUEUED
            if self.pending_count == len(self.pending):
                self.pending = _grown32(self.pending, self.pending_count,
                                        2 * self.pending_count, True)
            self.pending[self.pending_count] = row
            self.pending_count += 1
        return 0

    @cython.cfunc
    def sort_queue(self) -> cython.int:
        """Put the pending lots into the queue, in their places (oldest first).

        The queue is merged in place from its end, so lots given back near the end of the
        queue (the usual case: recent loans repaid) cost only the lots after them.
        """
        if not self.pending_count:
            return 0
        waiting: cython.int[:] = self.pending
        count: cython.Py_ssize_t = self.pending_count
        _sort32(waiting, count)
        self.pending_count = 0
        live: cython.Py_ssize_t = self.tail - self.head
        i: cython.Py_ssize_t
        j: cython.Py_ssize_t
        k: cython.Py_ssize_t
        row: cython.int
        if self.tail + count > len(self.queue):  # no room at the end: move or grow
            bigger = _int32s(_room(live + count, live + count))
            view: cython.int[:] = bigger
            view[:live] = self.queue[self.head:self.tail]
            self.queue, self.head, self.tail = bigger, 0, live
        queue: cython.int[:] = self.queue
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
    def oldest_age(self, lots: Lots, code: cython.int) -> cython.longlong:
        """The age of the contributor's oldest lot with usable money here."""
        self.sort_queue()
        i: cython.Py_ssize_t
        row: cython.int
        for i in range(self.head, self.tail):
            row = self.queue[i]
            if lots.contributor[row] == code:
                return -1 if lots.flags[row] & OVERDRAFT else row
        return NO_AGE


@cython.cclass
class Taken:
    """What one spending took: the lots, oldest first, and the cents each gave."""

    rows: cython.int[:]
    cents: cython.longlong[:]
    count: cython.Py_ssize_t

    def __init__(self) -> None:
        self.rows, self.cents, self.count = _int32s(16), _ints(16), 0

    @cython.cfunc
    def append(self, row: cython.int, cents: cython.longlong) -> cython.int:
        if self.count == len(self.rows):
            self.rows = _grown32(self.rows, self.count, 2 * self.count)
            self.cents = _grown(self.cents, self.count, 2 * self.count, 0)
        self.rows[self.count] = row
        self.cents[self.count] = cents
        self.count += 1
        return 0


@cython.cclass
class Paid:
    """The lots that paid for one grant or loan: what each paid and still has out.

    A lot's contributor is read from the lots, and what is still out is what it paid
    less what came back (``used``) less what was written off (``written``, a column made
    at the first write-off: few loans have one).  The consumption in which each lot
    first paid (which orders results) is the same for every lot one spending added, so it
    is kept once per spending (``starts``, ``first``: a grant paid in three tranches has
    three), not once per lot.  The columns are plain attributes, typed only inside the
    loops: a typed column kept on the object would cost some 200 bytes each, on tens of
    thousands of grants and loans.
    """

    rows: object  # int32: the lots
    #: Paid and not given back (written off stays used): int32 while every item fits,
    #: int64 once one does not (``_narrowed``); read through ``_wide``.
    used: object
    starts: object  # int32: the first row of each run of rows added by one consumption
    first: object  # int32: that consumption, per run (results' order)
    funds: object  # int32: the fund of the run's lots (a lot's fund is that of its run)
    written: object  # None, or int64: written off
    count: cython.Py_ssize_t
    fund: cython.int  # the lots' fund (-1: several, as rare grants have)

    def __init__(self) -> None:
        self.empty()
        self.fund = -2  # none yet

    def __len__(self) -> int:
        """How many rows (lots, or contributors once settled) it keeps."""
        return self.count

    @cython.ccall
    def empty(self) -> cython.int:
        """No rows (a new grant or loan; or the tracer froze: :meth:`Lots.index` summed
        them)."""
        self.rows, self.used = _int32s(0), _int32s(0)
        self.starts, self.first, self.funds = _int32s(0), _int32s(0), _int32s(0)
        self.written = None
        self.count = 0
        return 0

    @cython.cfunc
    def outstanding(self) -> object:
        """Not yet given back nor written off, per lot, in int64 (``used`` itself, or
        widened, if nothing was written off)."""
        if self.written is None:
            return _wide(self.used)
        out = _ints(self.count)
        view: cython.longlong[:] = out
        used: cython.longlong[:] = _wide(self.used)
        written: cython.longlong[:] = self.written
        i: cython.Py_ssize_t
        for i in range(self.count):
            view[i] = used[i] - written[i]
        return out

    @cython.cfunc
    def per_row(self, values: cython.int[:]) -> object:
        """A column of the runs (``first``, ``funds``), one item per row (int32)."""
        out = _int32s(self.count)
        view: cython.int[:] = out
        starts: cython.int[:] = self.starts
        runs: cython.Py_ssize_t = len(self.starts)
        run: cython.Py_ssize_t
        i: cython.Py_ssize_t
        end: cython.Py_ssize_t
        for run in range(runs):
            end = starts[run + 1] if run + 1 < runs else self.count
            for i in range(starts[run], end):
                view[i] = values[run]
        return out

    @cython.cfunc
    def firsts(self) -> object:
        """The consumption in which each row first paid, one per row (int32)."""
        return self.per_row(self.first)

    @cython.cfunc
    def row_funds(self) -> object:
        """The fund of each row's lot, one per row (int32)."""
        return self.per_row(self.funds)

    @cython.cfunc
    def set_runs(self, firsts: cython.int[:], funds: cython.int[:]) -> cython.int:
        """Keep ``firsts`` and ``funds`` (one per row) as runs of equal pairs."""
        runs: cython.Py_ssize_t = 0
        i: cython.Py_ssize_t
        for i in range(self.count):
            if i == 0 or firsts[i] != firsts[i - 1] or funds[i] != funds[i - 1]:
                runs += 1
        self.starts, self.first, self.funds = _int32s(runs), _int32s(runs), _int32s(runs)
        starts: cython.int[:] = self.starts
        first: cython.int[:] = self.first
        fund: cython.int[:] = self.funds
        runs = 0
        for i in range(self.count):
            if i == 0 or firsts[i] != firsts[i - 1] or funds[i] != funds[i - 1]:
                starts[runs] = i
                first[runs] = firsts[i]
                fund[runs] = funds[i]
                runs += 1
        return 0

    @cython.cfunc
    def add(self, taken: Taken, first: cython.int, fund: cython.int) -> cython.int:
        """The lots ``taken`` paid for this, in consumption ``first``."""
        if self.fund == -2:
            self.fund = fund
        elif self.fund != fund:
            self.fund = -1
        i: cython.Py_ssize_t
        place: cython.Py_ssize_t
        row: cython.int
        size: cython.Py_ssize_t = self.count + taken.count
        wide = _wide(self.used)
        if size > len(self.rows):  # exactly: most are paid for once (a loan, a tranche)
            self.rows = _grown32(self.rows, self.count, size, True)
            wide = _grown(wide, self.count, size, 0, True)
            if self.written is not None:
                self.written = _grown(self.written, self.count, size, 0, True)
        rows: cython.int[:] = self.rows
        used: cython.longlong[:] = wide
        before: cython.Py_ssize_t = self.count
        places = None
        if self.count:  # a lot that paid before finds its place: more of it is out
            places = {rows[i]: i for i in range(self.count)}
        for i in range(taken.count):
            row = taken.rows[i]
            if places is not None:
                found = places.get(row)
                if found is not None:
                    used[found] += taken.cents[i]
                    continue
            place = self.count
            rows[place] = row
            used[place] = taken.cents[i]
            self.count += 1
        self.used = _narrowed(wide)
        if self.count > before:  # a new run of rows, all first paying now, from ``fund``
            self.new_run(before, first, fund)
        return 0

    @cython.cfunc
    def new_run(self, start: cython.Py_ssize_t, first: cython.int,
                fund: cython.int) -> cython.int:
        runs: cython.Py_ssize_t = len(self.first)
        if runs == 0 and start == 0:
            # Most grants and loans have one run: they share their run columns but the
            # consumption (a run's columns are only ever replaced, never written into).
            self.starts = _FIRST_RUN
            self.funds = _one_fund(fund)
            self.first = _int32s(1, first)
            return 0
        self.starts = _grown32(self.starts, runs, runs + 1, True)
        self.first = _grown32(self.first, runs, runs + 1, True)
        self.funds = _grown32(self.funds, runs, runs + 1, True)
        starts: cython.int[:] = self.starts
        firsts: cython.int[:] = self.first
        funds: cython.int[:] = self.funds
        starts[runs] = start
        firsts[runs] = first
        funds[runs] = fund
        return 0


@cython.cclass
class Lots:
    """Every lot of every fund as columns, and every fund's queue; a lot's number is its
    row, in creation order.

    Creation order is also each fund's first-in, first-out order (money transferred in
    joins the queue at the transfer), so a lot's number is its place in its fund, and its
    age when ties are broken.  The shortfall of an overdrawn fund is a lot older than all
    (age -1), belonging to no one.  Funds and contributors are codes (small integers)
    given by the caller; so are the ``calls`` that order results.  A lot's fund is not
    kept: the caller knows it (a pledge's), and the lots that paid for a grant or loan
    keep theirs with the spending that took them (:class:`Paid`).
    """

    usable: cython.longlong[:]
    contributor: cython.int[:]  # code
    flags: cython.uchar[:]  # QUEUED, OVERDRAFT
    count: cython.Py_ssize_t
    funds: list  # FundLots by code
    room: cython.Py_ssize_t  # contributor codes each fund has room for
    buffers: Buffers
    #: What the last spending took (``take``): read by the caller before the next one.
    taken: Taken

    def __init__(self) -> None:
        self.count = 0
        self.usable = _ints(1024)
        self.contributor = _int32s(1024)
        self.flags = _bytes(1024)
        self.funds = []
        self.room = 64
        self.buffers = Buffers()
        self.taken = Taken()

    def new_fund(self) -> int:
        """A new fund's code."""
        self.funds.append(FundLots(len(self.funds), self.room))
        return len(self.funds) - 1

    def make_room(self, room: int) -> None:
        """Room for contributor codes below ``room`` in every fund."""
        self.room = room
        for owner in self.funds:
            cython.cast(FundLots, owner).make_room(room)

    @cython.cfunc
    def add(self, fund: cython.int, contributor: cython.int, usable: cython.longlong,
            flags: cython.uchar) -> cython.Py_ssize_t:
        """A new lot, not queued yet; returns its number."""
        row: cython.Py_ssize_t = self.count
        if row == len(self.usable):
            self.usable = _grown(self.usable, row, row + 1, 0)
            self.contributor = _grown32(self.contributor, row, row + 1)
            self.flags = _grown8(self.flags, row, row + 1)
        self.usable[row] = usable
        self.contributor[row] = contributor
        self.flags[row] = flags
        self.count = row + 1
        return row

    def __len__(self) -> int:
        """How many lots were made."""
        return self.count

    def contributor_of(self, row: int) -> int:
        return self.contributor[row]

    def release(self, keep_contributors: bool = False) -> None:
        """Let every lot go, keeping what each contributor earned and has unspent in each
        fund (:meth:`result`); the caller keeps what the lots paid for (``index``).

        With ``keep_contributors``, each lot's contributor stays, for :meth:`index`: what
        else the lots held is gone before the index is built beside them.
        """
        self.usable = _ints(0)
        if not keep_contributors:
            self.count = 0
            self.contributor = _int32s(0)
        self.flags = _bytes(0)
        self.buffers = Buffers()
        for item in self.funds:
            cython.cast(FundLots, item).release()

    def result(self, code: int) -> list[tuple[int, int, int]]:
        """What contributor ``code`` has in each fund (by code): earned, when first earned,
        unspent."""
        return [cython.cast(FundLots, owner).result(code) for owner in self.funds]

    # -- money coming in ------------------------------------------------------------------

    def contribute(self, fund: cython.int, code: cython.int, usable: cython.longlong) -> int:
        """A contribution's lot (its usable part queued); returns the lot's number."""
        row: cython.Py_ssize_t = self.add(fund, code, 0, 0)
        if usable:
            self.usable[row] += usable
            cython.cast(FundLots, self.funds[fund]).credit(self, row, usable)
        return row

    def pay(self, fund: cython.int, row: cython.Py_ssize_t, cents: cython.longlong) -> None:
        """Part of a pledge paid: usable on its lot (of ``fund``)."""
        self.usable[row] += cents
        cython.cast(FundLots, self.funds[fund]).credit(self, row, cents)

    def withdraw(self, fund: cython.int, code: cython.int,
                 amount: cython.longlong) -> cython.longlong:
        """A contribution reversed leaves the contributor's own lots in ``fund``, oldest
        first, up to what it has unspent there; returns what was withdrawn."""
        owner: FundLots = self.funds[fund]
        withdrawn: cython.longlong = min(amount, max(owner.unspent[code], 0))
        before: cython.longlong = 0
        taken: cython.longlong
        row: cython.int
        i: cython.Py_ssize_t
        kept: cython.Py_ssize_t
        if withdrawn:
            owner.sort_queue()
            kept = owner.head
            for i in range(owner.head, owner.tail):
                row = owner.queue[i]
                if self.contributor[row] == code:
                    taken = min(max(withdrawn - before, 0), self.usable[row])
                    before += self.usable[row]
                    self.usable[row] -= taken
                    owner.unspent[code] -= taken
                if self.usable[row] == 0:
                    self.flags[row] &= UNQUEUED
                else:
                    owner.queue[kept] = row
                    kept += 1
            owner.tail = kept
        return withdrawn

    def earn(self, fund: cython.int, amount: cython.longlong, call: cython.longlong) -> bool:
        """Income no contributor gave: one new lot per contributor with money in the fund,
        in proportion to what each has unspent there (``call``: this income's order).

        Returns whether there was anything to share (else ``call`` was not used).
        """
        owner: FundLots = self.funds[fund]
        i: cython.Py_ssize_t
        count: cython.Py_ssize_t = 0
        code: cython.int
        row: cython.Py_ssize_t
        self.buffers.fit_holders(max(owner.member_count, 1))
        who: cython.int[:] = self.buffers.holders
        weight: cython.longlong[:] = self.buffers.weights
        for i in range(owner.member_count):
            code = owner.members[i]
            if owner.unspent[code] > 0:
                who[count] = code
                weight[count] = owner.unspent[code]
                count += 1
        share: cython.longlong[:] = self.buffers.shares
        if count:
            _split(amount, weight, count, NO_ROWS, NO_FLAGS, lambda tied: [
                owner.oldest_age(self, who[index]) for index in tied], self.buffers)
            share = self.buffers.shares
        elif amount > 0:  # no one has money here: the income belongs to no one
            who[0] = 0
            share[0] = amount
            count = 1
        else:
            return False
        for i in range(count):
            if share[i] > 0:
                code = who[i]
                owner.earned[code] += share[i]
                owner.first_earned[code] = min(owner.first_earned[code], call)
                row = self.add(owner.code, code, share[i], 0)
                owner.credit(self, row, share[i])
        return True

    # -- money going out ------------------------------------------------------------------

    def take(self, fund: cython.int, amount: cython.longlong) -> Taken:
        """Take ``amount`` from the fund's oldest usable lots: the lots and what each gave
        (the same :class:`Taken` each time, valid until the next spending)."""
        owner: FundLots = self.funds[fund]
        taken: Taken = self.taken
        taken.count = 0
        row: cython.int
        cents: cython.longlong
        owner.sort_queue()
        while amount > 0 and owner.head < owner.tail:
            row = owner.queue[owner.head]
            cents = min(self.usable[row], amount)
            self.usable[row] -= cents
            owner.unspent[self.contributor[row]] -= cents
            amount -= cents
            taken.append(row, cents)
            if self.usable[row] == 0:
                self.flags[row] &= UNQUEUED
                owner.head += 1
        if amount > 0:  # overdrawn (FL201): the shortfall belongs to no one
            taken.append(self.add(owner.code, 0, 0, OVERDRAFT), amount)
        return taken

    def pay_for(self, paid: Paid, taken: Taken, first: cython.int, fund: cython.int) -> None:
        """The lots ``taken`` paid for a grant or loan (see :meth:`Paid.add`)."""
        paid.add(taken, first, fund)

    def charge(self, taken: Taken, used: cython.longlong[:], firsts: cython.longlong[:],
               first: cython.longlong) -> None:
        """The lots ``taken`` paid for a cost: add to each contributor's ``used``."""
        i: cython.Py_ssize_t
        code: cython.int
        for i in range(taken.count):
            code = self.contributor[taken.rows[i]]
            used[code] += taken.cents[i]
            firsts[code] = min(firsts[code], first)

    def move(self, taken: Taken, target: cython.int) -> None:
        """Money taken from one fund joins ``target``'s queue, keeping its contributors."""
        owner: FundLots = self.funds[target]
        i: cython.Py_ssize_t
        row: cython.Py_ssize_t
        for i in range(taken.count):
            row = self.add(owner.code, self.contributor[taken.rows[i]], taken.cents[i], 0)
            owner.credit(self, row, taken.cents[i])

    # -- money coming back ----------------------------------------------------------------

    def give_back(self, paid: Paid, amount: cython.longlong) -> cython.longlong:
        """Returned money goes back to the lots that paid, in proportion to what each still
        has out, in their place; returns what went back (at most what was out)."""
        i: cython.Py_ssize_t
        row: cython.int
        total: cython.longlong = 0
        out = paid.outstanding()
        outstanding: cython.longlong[:] = out
        for i in range(paid.count):
            total += outstanding[i]
        back: cython.longlong = min(amount, total)
        if back <= 0:
            return back
        rows: cython.int[:] = paid.rows
        _split(back, outstanding, paid.count, rows, self.flags, None, self.buffers)
        share: cython.longlong[:] = self.buffers.shares
        single: cython.bint = paid.fund >= 0  # the usual case: one fund's lots
        owner: FundLots = self.funds[paid.fund if single else 0]
        several = NO_ROWS if single else paid.row_funds()
        fund_of: cython.int[:] = several
        for i in range(paid.count):
            if share[i]:
                row = rows[i]
                self.usable[row] += share[i]
                if not single:
                    owner = self.funds[fund_of[i]]
                owner.credit(self, row, share[i])
        _less(paid.used, share, paid.count)
        if back == total and paid.written is None:
            self.settled(paid)
        return back

    @cython.cfunc
    def settled(self, paid: Paid) -> cython.int:
        """Everything came back: keep only what orders results.

        Every lot's ``used`` is now zero, so the lots add nothing to any trace but the
        place of the grant or loan among what each contributor paid for (the first
        payment of each contributor in each fund), and the place of a lot that pays for
        it again.  One row per contributor and fund keeps the first; a lot paying again
        gets a new row, which changes no sum and no split (rows with nothing out take no
        share).  On a revolving loan fund this frees most of the rows.  Shortfalls of an
        overdraft are all kept: they share one age, so their order breaks their ties.
        """
        rows: cython.int[:] = paid.rows
        every, all_funds = paid.firsts(), paid.row_funds()
        first: cython.int[:] = every
        fund: cython.int[:] = all_funds
        i: cython.Py_ssize_t
        kept: cython.Py_ssize_t = 0
        seen = set()
        width: cython.longlong = len(self.funds) + 1
        for i in range(paid.count):
            pair = self.contributor[rows[i]] * width + fund[i]
            if pair not in seen or self.flags[rows[i]] & OVERDRAFT:
                seen.add(pair)
                rows[kept] = rows[i]
                first[kept] = first[i]
                fund[kept] = fund[i]
                kept += 1
        paid.rows = array.array("i", paid.rows[:kept])
        paid.used = _int32s(kept)
        paid.count = kept
        paid.set_runs(first, fund)
        return 0

    def write_off(self, paid: Paid, amount: cython.longlong) -> None:
        """A write-off turns the lots' share of the loan into a loss; nothing new is used."""
        out = paid.outstanding()
        outstanding: cython.longlong[:] = out
        paying: cython.int[:] = paid.rows
        i: cython.Py_ssize_t
        count: cython.Py_ssize_t = 0
        for i in range(paid.count):
            if outstanding[i] > 0:
                count += 1
        places, weights, rows = _int32s(count), _ints(count), _int32s(count)
        place: cython.int[:] = places
        weight: cython.longlong[:] = weights
        row: cython.int[:] = rows
        count = 0
        for i in range(paid.count):
            if outstanding[i] > 0:
                place[count] = i
                weight[count] = outstanding[i]
                row[count] = paying[i]
                count += 1
        _split(amount, weight, count, row, self.flags, None, self.buffers)
        shares: cython.longlong[:] = self.buffers.shares
        if paid.written is None:
            paid.written = _ints(len(paid.rows))
        written: cython.longlong[:] = paid.written
        for i in range(count):
            written[place[i]] += shares[i]

    # -- results --------------------------------------------------------------------------

    def scan(self, paid_list: list, wanted: cython.int) -> dict:
        """What contributor ``wanted``'s lots paid for grants and loans, summed per grant
        or loan (its place in ``paid_list``) and fund: ``[used, first]``, where ``first``
        is when it first paid.  Summed here, not listed: a founder's lots are tens of
        thousands of rows at 100k transactions.
        """
        found = {}
        i: cython.Py_ssize_t
        run: cython.Py_ssize_t
        runs: cython.Py_ssize_t
        end: cython.Py_ssize_t
        row: cython.int
        paid: Paid
        rows: cython.int[:]
        used: cython.longlong[:]
        starts: cython.int[:]
        first: cython.int[:]
        funds: cython.int[:]
        for key, item in enumerate(paid_list):
            paid = item
            rows, used = paid.rows, _wide(paid.used)
            starts, first, funds = paid.starts, paid.first, paid.funds
            runs = len(paid.starts)
            for run in range(runs):
                end = starts[run + 1] if run + 1 < runs else paid.count
                for i in range(starts[run], end):
                    row = rows[i]
                    if self.contributor[row] == wanted:
                        pair = (key, funds[run])
                        sums = found.get(pair)
                        if sums is None:
                            found[pair] = [used[i], first[run]]
                        else:
                            sums[0] += used[i]
                            sums[1] = min(sums[1], first[run])
        return found

    def index(self, paid_list: list, room: cython.Py_ssize_t,
              consume: cython.bint = False) -> tuple:
        """What every contributor's lots paid for grants and loans, by contributor: ``scan``
        of every contributor at once, as columns sliced by ``starts``.

        Each grant or loan's paying lots are first summed per contributor and fund (a
        founder's hundreds of lots in one loan make one row: a few rows per contributor
        and grant or loan, not one per lot), then put in contributor order by a counting
        sort that keeps grant and loan order.  With ``consume`` (the tracer freezing),
        each grant's or loan's lots are let go once summed, so that the index grows as
        they go instead of beside them all.
        """
        width: cython.Py_ssize_t = len(self.funds)
        slots = _ints(room * width + 1, -1)  # (contributor, fund) → its row, in one item
        slot: cython.longlong[:] = slots
        owners = _ints(64)  # the (contributor, fund) of each row of the item
        owner: cython.longlong[:] = owners
        capacity: cython.Py_ssize_t = 1024
        codes, keys, funds = _int32s(capacity), _int32s(capacity), _int32s(capacity)
        sums, firsts = _ints(capacity), _ints(capacity)
        code_of: cython.int[:] = codes
        key_of: cython.int[:] = keys
        fund_of: cython.int[:] = funds
        used_of: cython.longlong[:] = sums
        first_of: cython.longlong[:] = firsts
        size: cython.Py_ssize_t = 0
        here: cython.Py_ssize_t
        i: cython.Py_ssize_t
        j: cython.Py_ssize_t
        row: cython.int
        pair: cython.longlong
        paid: Paid
        rows: cython.int[:]
        paid_used: cython.longlong[:]
        paid_first: cython.int[:]
        paid_fund: cython.int[:]
        for key, item in enumerate(paid_list):
            paid = item
            rows, paid_used = paid.rows, _wide(paid.used)
            paid_first, paid_fund = paid.firsts(), paid.row_funds()
            if paid.count > len(owner):
                owners = _ints(2 * paid.count)
                owner = owners
            if size + paid.count > capacity:  # room for every row of the item
                capacity = _room(size + paid.count, capacity)
                codes = _grown32(codes, size, capacity, True)
                keys = _grown32(keys, size, capacity, True)
                funds = _grown32(funds, size, capacity, True)
                sums = _grown(sums, size, capacity, 0, True)
                firsts = _grown(firsts, size, capacity, 0, True)
                code_of, key_of, fund_of, used_of, first_of = codes, keys, funds, sums, firsts
            here = 0
            for i in range(paid.count):
                row = rows[i]
                pair = self.contributor[row] * width + paid_fund[i]
                j = slot[pair]
                if j < 0:
                    j = size + here
                    slot[pair] = j
                    owner[here] = pair
                    here += 1
                    code_of[j] = self.contributor[row]
                    key_of[j] = key
                    fund_of[j] = paid_fund[i]
                    used_of[j] = 0
                    first_of[j] = NEVER
                used_of[j] += paid_used[i]
                first_of[j] = min(first_of[j], paid_first[i])
            for i in range(here):
                slot[owner[i]] = -1
            size += here
            if consume:
                paid.empty()
        starts = _ints(room + 1)
        start: cython.longlong[:] = starts
        for i in range(size):
            start[code_of[i] + 1] += 1
        for i in range(room):
            start[i + 1] += start[i]
        filled = array.array("q", starts)
        at: cython.longlong[:] = filled
        out_keys, out_funds, out_used, out_first = (_int32s(size), _int32s(size), _ints(size),
                                                    _ints(size))
        out_key: cython.int[:] = out_keys
        out_fund: cython.int[:] = out_funds
        out_sum: cython.longlong[:] = out_used
        out_at: cython.longlong[:] = out_first
        for i in range(size):
            j = at[code_of[i]]
            at[code_of[i]] += 1
            out_key[j] = key_of[i]
            out_fund[j] = fund_of[i]
            out_sum[j] = used_of[i]
            out_at[j] = first_of[i]
        return starts, out_keys, out_funds, out_used, out_first
