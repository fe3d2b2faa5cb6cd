"""Contributor tracing (SPEC 6.3): lots, first in, first out, within each fund.

The fund engine calls one method per economic event, in ledger order; this module only
knows lots and contributors, never Beancount entries.  Amounts come in as whole cents
(EUR has two decimals, SPEC 3; see ``model.to_cents``): splitting to the cent by the
largest remainder is then exact integer arithmetic.

This is the plain-Python side of tracing: names and codes, what each contributor gave,
pledges, grants and loans by id, and the traces it answers.  Every loop over lots is in
:mod:`fundledger.engine.lots` (compiled where a C compiler was at hand), one call per
event.
"""

from __future__ import annotations

import datetime
from collections import defaultdict, deque
from decimal import Decimal

from fundledger.collector import give_memory_back
from fundledger.engine import lots as kernel
from fundledger.engine.lots import NEVER, Lots, Paid
from fundledger.engine.model import TRACE_LIMIT_CENTS, Share, Trace, TraceOverflow

Contributor = str | None

#: Re-exported for callers and tests: the split and whether the kernel is compiled.
split_cents = kernel.split_cents


def compiled() -> bool:
    """Whether tracing's column kernels run compiled (else as plain Python)."""
    return kernel.compiled()


def to_euros(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-2)


class Tracer:
    """Lots of every fund, and what each contributor's money became (amounts in cents)."""

    def __init__(self) -> None:
        self.lots = Lots()
        #: Fund name → code, and names by code.
        self.funds: dict[str, int] = {}
        self.fund_names: list[str] = []
        self.names: list[Contributor] = [None]
        self.codes: dict[Contributor, int] = {None: 0}
        self.room = 64
        self.given: defaultdict[tuple[Contributor, str], int] = defaultdict(int)
        #: For each grant or loan: the lots that paid for it.
        self.paid_by: dict[tuple[str, str], Paid] = {}
        #: What each cost account used, per fund: cents and first consumption per code.
        self.costs: dict[tuple[str, str], tuple] = {}
        #: Unpaid pledges (lot numbers) of each contributor in each fund, oldest first,
        #: and what each of those lots still has unpaid.
        self.pledges: defaultdict[tuple[str, Contributor], deque[int]] = defaultdict(deque)
        self.unpaid: dict[int, int] = {}
        #: Consumptions and incomes so far: the order results appear in.
        self.calls = 0
        #: All the cents moved so far: see TRACE_LIMIT_CENTS.
        self.volume = 0
        self._by_contributor: tuple | None = None  # see _paid_by
        self._asked = False
        #: The grants and loans by place (``paid_by``'s keys), once :meth:`freeze` let
        #: the lots go.
        self._frozen: list[tuple[str, str]] | None = None

    def _count(self, amount: int) -> None:
        """Keep every sum below int64's range, or raise :class:`TraceOverflow`."""
        if self._frozen is not None:
            raise RuntimeError("this tracer was frozen: its lots are gone")
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
                self.lots.make_room(self.room)
                for key, (cents, first) in self.costs.items():
                    self.costs[key] = (_widened(cents, self.room, 0),
                                       _widened(first, self.room, NEVER))
        return found

    def _fund(self, fund: str) -> int:
        found = self.funds.get(fund)
        if found is None:
            found = self.funds[fund] = self.lots.new_fund()
            self.fund_names.append(fund)
        return found

    # -- money coming in ------------------------------------------------------------------

    def contribute(self, fund: str, contributor: str, date: datetime.date, amount: int,
                   unpaid: int = 0) -> None:
        """A contribution (``unpaid`` of it a pledge not yet paid) becomes a lot."""
        self._count(amount)
        self.given[(contributor, fund)] += amount
        row = self.lots.contribute(self._fund(fund), self.code(contributor), amount - unpaid)
        if unpaid > 0:
            self.unpaid[row] = unpaid
            self.pledges[(fund, contributor)].append(row)

    def withdraw(self, fund: str, contributor: str, amount: int, account: str) -> None:
        """A contribution reversed leaves that contributor's own lots, oldest first.

        Beyond what the contributor has unspent in the fund, the reversal is a cost of the
        fund like any other expense (its oldest lots pay for it).
        """
        self._count(amount)
        withdrawn = self.lots.withdraw(self._fund(fund), self.code(contributor), amount)
        self.given[(contributor, fund)] -= withdrawn
        if amount > withdrawn:
            self.consume(fund, amount - withdrawn, "expense", account)

    def pay_pledge(self, fund: str, contributor: str, amount: int,
                   date: datetime.date) -> None:
        """A pledge payment pays the contributor's oldest unpaid pledge in the fund.

        Should the contributor have no unpaid pledge there, the fund's oldest unpaid pledge
        is paid instead; more than was pledged is that contributor's gift.
        """
        self._count(amount)
        code = self._fund(fund)
        amount = self._pay_pledges(self.pledges.get((fund, contributor)), amount, code)
        if amount > 0:
            others = sorted(q[0] for (f, _c), q in self.pledges.items() if f == fund and q)
            for row in others:  # a pledge's lot number is its age
                owner = self.names[self.lots.contributor_of(row)]
                amount = self._pay_pledges(self.pledges[(fund, owner)], amount, code)
        if amount > 0:
            self.contribute(fund, contributor, date, amount)

    def _pay_pledges(self, queue: deque[int] | None, amount: int, fund: int) -> int:
        """Pay the pledges of ``queue`` (lots of the fund coded ``fund``) oldest first;
        return what is left of ``amount``."""
        while queue and amount > 0:
            row = queue[0]
            paid = min(self.unpaid[row], amount)
            self.unpaid[row] -= paid
            self.lots.pay(fund, row, paid)
            amount -= paid
            if self.unpaid[row] <= 0:
                queue.popleft()
                del self.unpaid[row]
        return amount

    def earn(self, fund: str, amount: int, date: datetime.date) -> None:
        """Income no contributor gave: one new lot per contributor with money in the fund."""
        self._count(amount)
        if self.lots.earn(self._fund(fund), amount, self.calls + 1):
            self.calls += 1

    # -- money going out ------------------------------------------------------------------

    def consume(self, fund: str, amount: int, kind: str, ident: str) -> None:
        """An expense, grant award or loan: the oldest usable lots pay for it."""
        self._count(amount)
        code = self._fund(fund)
        taken = self.lots.take(code, amount)
        self.calls += 1
        first = self.calls  # orders results: one consumption is one grant, loan or cost
        if kind == "grant" or kind == "loan":
            self._by_contributor = None
            paid = self.paid_by.get((kind, ident))
            if paid is None:
                paid = self.paid_by[(kind, ident)] = Paid()
            self.lots.pay_for(paid, taken, first, code)
            return
        table = self.costs.get((fund, ident))
        if table is None:
            table = self.costs[(fund, ident)] = (kernel._ints(self.room),
                                                 kernel._ints(self.room, NEVER))
        self.lots.charge(taken, table[0], table[1], first)

    def transfer(self, source: str, target: str, amount: int, date: datetime.date) -> None:
        """Money moved to another fund keeps its contributors and joins the queue there."""
        self._count(amount)
        taken = self.lots.take(self._fund(source), amount)
        self.lots.move(taken, self._fund(target))

    # -- money coming back ----------------------------------------------------------------

    def give_back(self, kind: str, ident: str, fund: str, amount: int,
                  date: datetime.date) -> None:
        """Returned money goes back to the lots that paid, in proportion, in their place."""
        self._count(amount)
        found = self.paid_by.get((kind, ident))
        back = 0
        if found is not None:
            back = self.lots.give_back(found, amount)
            if back > 0:
                self._by_contributor = None
        if amount > back:  # more came back than was out: like earned income
            self.earn(fund, amount - back, date)

    def write_off(self, ident: str, amount: int) -> None:
        """A write-off turns the lots' share of the loan into a loss; nothing new is used."""
        self._count(amount)
        found = self.paid_by.get(("loan", ident))
        if found is not None:
            self.lots.write_off(found, amount)

    # -- results --------------------------------------------------------------------------

    def freeze(self) -> None:
        """Every event is in: keep only what answers traces, and let the lots go.

        For a process that keeps the books (Fava, between two loads): the lots and what
        each paid for every grant and loan are most of tracing's memory, and a trace needs
        only their sums per contributor, grant or loan and fund (:meth:`_paid_by`'s index,
        built here), and the memory let go is handed back to the system at once.  Traces
        are the same before and after; no event may come after.
        """
        if self._frozen is not None:
            return
        if self._by_contributor is None:
            # What the lots held but their contributors goes first, and each grant's or
            # loan's lots once summed: the index never stands beside every lot.
            self.lots.release(keep_contributors=True)
            self._by_contributor = self.lots.index(list(self.paid_by.values()),
                                                   len(self.names) + 1, True)
        self._frozen = list(self.paid_by)
        self.paid_by = {}
        self.lots.release()
        give_memory_back()

    def trace(self, contributor: Contributor) -> Trace:
        found = self.codes.get(contributor)
        given = [Share(f, to_euros(v)) for (c, f), v in self.given.items()
                 if c == contributor and v]
        if found is None:
            return Trace(contributor, given, [], [], [], [])
        earned, unspent, pledged = [], [], []
        for fund, (cents, first, left) in zip(self.fund_names, self.lots.result(found),
                                              strict=True):
            if cents:
                earned.append((first, Share(fund, to_euros(cents))))
            if left:
                unspent.append(Share(fund, to_euros(left)))
            owed = sum(self.unpaid.get(row, 0)
                       for row in self.pledges.get((fund, contributor), ()))
            if owed:
                pledged.append(Share(fund, to_euros(owed)))
        return Trace(
            contributor=contributor,
            given=given,
            earned=[share for _first, share in sorted(earned, key=lambda item: item[0])],
            used=self._used(found),
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
        names = self._frozen if self._frozen is not None else list(self.paid_by)
        for (key, fund), (total, when) in self._paid_by(code).items():
            if total:
                kind, ident = names[key]
                found.append((when, Share(self.fund_names[fund], to_euros(total), kind, ident)))
        return [share for _when, share in sorted(found, key=lambda item: item[0])]

    def _paid_by(self, code: int) -> dict[tuple[int, int], list[int]]:
        """What one contributor's lots paid for grants and loans, per grant or loan (its
        place in ``paid_by``) and fund: ``[used, first]``, ``first`` when it first paid.

        The first contributor asked for (``fundledger trace``) is found by scanning the
        grants and loans; asked for another (a statement of every contributor, a server),
        the tracer sums every paying lot per contributor, grant or loan and fund once,
        sorts those sums by contributor, and slices.
        """
        if self._by_contributor is None and not self._asked:
            self._asked = True
            return self.lots.scan(list(self.paid_by.values()), code)
        if self._by_contributor is None:
            self._by_contributor = self.lots.index(list(self.paid_by.values()),
                                                   len(self.names) + 1)
        start, keys, funds, used, first = self._by_contributor
        sums: dict[tuple[int, int], list[int]] = {}
        if code + 1 >= len(start):
            return sums
        for i in range(start[code], start[code + 1]):
            pair = sums.get((keys[i], funds[i]))
            if pair is None:
                sums[(keys[i], funds[i])] = [used[i], first[i]]
            else:
                pair[0] += used[i]
                pair[1] = min(pair[1], first[i])
        return sums


def _widened(column, size: int, fill: int):
    """``column`` (an int64 column) with room for ``size`` items, new ones ``fill``."""
    bigger = kernel._ints(size, fill)
    bigger[:len(column)] = column
    return bigger
