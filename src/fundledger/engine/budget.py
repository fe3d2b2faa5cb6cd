"""Budgets and forecasts: what a board has left to award, and whether the funds will hold.

A board approves a budget per fund (and optionally per account subtree) for a year, and
asks every quarter two questions the books alone do not answer:

* *Budget against actual*: of what it meant to spend this year, how much is spent, how
  much is left?  The actual is the fund's expenses dated in the year (grant awards net of
  revocations and refunds, programme and admin costs, loan losses); a loan is lent, not
  spent, and a transfer moves money between funds without spending it.
* *Forecast*: at each coming quarter end, is each fund's money still enough for the rest
  of its budgets (*uncommitted*), and will the bank accounts hold the grant payments that
  fall due (*cash*)?  Money comes in from pledges at their ``due:`` date, loan
  instalments by their schedule and ``expected-income``; grant payments go out at their
  ``planned-payment`` dates, else at the grant's ``end:``.

Directives read here::

    2026-01-01 custom "budget" "zero-dechet" 2026 120000.00 EUR
    2026-01-01 custom "budget" "general" 2026 45000.00 EUR "Expenses:Admin"
    2026-03-01 custom "planned-payment" "G-2024-007" 2026-09-30 15000.00 EUR
    2026-01-01 custom "expected-income" "zero-dechet" 2026-06-30 50000.00 EUR "Caisse d'Épargne"

The decisions the rule leaves open, taken here with prudence (late money coming in is not
counted, late money going out is), are written down in ``docs/budgets.md``.  Everything is
computed in the engine's one pass and in :meth:`Planning.forecast` /
:meth:`Planning.budget`; the outputs only format the results.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
from collections import defaultdict, deque
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from beancount.core import account as account_lib
from beancount.core import convert, data

from fundledger.engine import directives
from fundledger.engine.accounts import Classifier, Kind
from fundledger.engine.directives import OPERATING_CURRENCY, Malformed
from fundledger.engine.family import Move, RuleFamily, contributor_of
from fundledger.engine.model import ZERO, Grant, quarter_end

if TYPE_CHECKING:  # pragma: no cover
    from fundledger.engine.core import Books

SPENDING = frozenset({Kind.EXPENSE, Kind.GRANT_EXPENSE, Kind.LOAN_LOSS})
RECEIVING = frozenset({Kind.INCOME, Kind.CONTRIBUTION, Kind.INTEREST})


# -- what the directives say ----------------------------------------------------------------

@dataclass
class BudgetLine:
    """``custom "budget" FUND YEAR AMOUNT ["SUBTREE"]`` (a later one replaces it)."""

    date: datetime.date
    fund: str
    year: int
    amount: Decimal
    #: An expense account subtree (``Expenses:Admin``), or ``None`` for the whole fund.
    subtree: str | None = None

    def covers(self, account: str) -> bool:
        return self.subtree is None or account == self.subtree or account.startswith(
            self.subtree + ":")

    def contains(self, other: BudgetLine) -> bool:
        """Whether ``other`` (same fund and year) is a part of this line."""
        if other is self or other.subtree is None:
            return False
        return self.covers(other.subtree)


@dataclass
class Tranche:
    """Money expected to move at ``date`` (a planned grant payment, an expected income),
    decided at ``decided``; ``left`` is what actual movements have not met yet."""

    decided: datetime.date
    date: datetime.date
    amount: Decimal
    #: The grant id (planned payment) or the fund (expected income).
    subject: str
    #: The contributor of an expected income (case-folded), ``None`` for any other income.
    who: str | None = None
    label: str = ""
    entry: Any = None
    left: Decimal = field(init=False, default=ZERO)

    def __post_init__(self) -> None:
        self.left = self.amount


@dataclass
class Pledge:
    """The unpaid part of one pledge (a contributor's promise to a fund)."""

    date: datetime.date
    fund: str
    contributor: str
    due: datetime.date | None
    unpaid: Decimal


# -- what the board reads --------------------------------------------------------------------

@dataclass
class BudgetRow:
    """Budget against actual for one line of one year."""

    fund: str
    year: int
    subtree: str | None
    budget: Decimal
    actual: Decimal

    @property
    def rest(self) -> Decimal:
        """What is left to spend (negative when the line is overspent)."""
        return self.budget - self.actual

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of ``fundledger budget``, amounts as Decimals."""
        return {"fund": self.fund, "year": self.year, "subtree": self.subtree,
                "budget": self.budget, "actual": self.actual, "rest": self.rest}


@dataclass
class FundOutlook:
    """One fund at one quarter end: inflows are counted from the forecast's start."""

    fund: str
    available: Decimal
    pledges: Decimal = ZERO
    loans: Decimal = ZERO
    income: Decimal = ZERO
    #: What is left of the fund's budgets of the years from the forecast's first year on.
    budgets: Decimal = ZERO

    @property
    def uncommitted(self) -> Decimal:
        return self.available + self.pledges + self.loans + self.income - self.budgets

    @property
    def flagged(self) -> bool:
        return self.uncommitted < 0

    def as_dict(self) -> dict[str, Any]:
        return {"fund": self.fund, "available": self.available, "pledges": self.pledges,
                "loans": self.loans, "income": self.income, "budgets": self.budgets,
                "uncommitted": self.uncommitted, "flagged": self.flagged}


@dataclass
class CashOutlook:
    """The foundation's bank accounts at one quarter end."""

    bank: Decimal
    pledges: Decimal = ZERO
    loans: Decimal = ZERO
    income: Decimal = ZERO
    #: Grant payments planned from the forecast's start to the quarter end.
    payments: Decimal = ZERO

    @property
    def cash(self) -> Decimal:
        return self.bank + self.pledges + self.loans + self.income - self.payments

    @property
    def flagged(self) -> bool:
        return self.cash < 0

    def as_dict(self) -> dict[str, Any]:
        return {"bank": self.bank, "pledges": self.pledges, "loans": self.loans,
                "income": self.income, "payments": self.payments, "cash": self.cash,
                "flagged": self.flagged}


@dataclass
class QuarterOutlook:
    end: datetime.date
    funds: list[FundOutlook]
    cash: CashOutlook

    @property
    def label(self) -> str:
        return f"{self.end.year:04d}-Q{self.end.month // 3}"

    @property
    def flagged(self) -> bool:
        return self.cash.flagged or any(f.flagged for f in self.funds)

    def as_dict(self) -> dict[str, Any]:
        return {"quarter": self.label, "end": self.end.isoformat(), "flagged": self.flagged,
                "funds": [f.as_dict() for f in self.funds], "cash": self.cash.as_dict()}


@dataclass
class Unscheduled:
    """A grant's rest that no planned payment nor ``end:`` date places in time."""

    grant: str
    fund: str
    grantee: str
    amount: Decimal

    def as_dict(self) -> dict[str, Any]:
        return {"grant": self.grant, "fund": self.fund, "grantee": self.grantee,
                "amount": self.amount}


@dataclass
class NotCounted:
    """Money owed to a fund that the forecast does not count: late or undated."""

    #: ``pledge``, ``loan`` or ``income``.
    kind: str
    fund: str
    #: The contributor (pledge, income) or the loan id.
    who: str
    #: When it was due (``None`` for an undated pledge or a loan's arrears).
    date: datetime.date | None
    amount: Decimal
    #: ``overdue`` (a pledge or an expected income past its date), ``undated`` (a pledge
    #: without ``due:``) or ``arrears`` (loan instalments due and not repaid).
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "fund": self.fund, "who": self.who,
                "date": self.date.isoformat() if self.date else None,
                "amount": self.amount, "reason": self.reason}


@dataclass
class Forecast:
    start: datetime.date
    quarters: list[QuarterOutlook]
    unscheduled: list[Unscheduled] = field(default_factory=list)
    not_counted: list[NotCounted] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return any(q.flagged for q in self.quarters)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of ``fundledger forecast``, amounts as Decimals."""
        return {"from": self.start.isoformat(), "flagged": self.flagged,
                "quarters": [q.as_dict() for q in self.quarters],
                "unscheduled": [u.as_dict() for u in self.unscheduled],
                "not_counted": [n.as_dict() for n in self.not_counted]}


# -- the family -------------------------------------------------------------------------------

def quarter_ends(start: datetime.date, count: int) -> list[datetime.date]:
    """The ``count`` quarter ends after ``start`` (a quarter end itself is not "coming")."""
    ends: list[datetime.date] = []
    day = start
    while len(ends) < count:
        end = quarter_end(day)
        if end > day:
            ends.append(end)
        if len(ends) < count:
            if end == datetime.date.max:
                raise ValueError(f"{count} quarter end(s) after {start} run past {end}")
            day = end + datetime.timedelta(days=1)
    return ends


def quarters_left(start: datetime.date, wanted: int) -> int:
    """``wanted``, or fewer when the calendar ends first (a forecast from 9999-12-31 has
    no coming quarter): the outlooks of the reports and Fava's page shorten, never fail."""
    quarter = (start.month - 1) // 3
    left = (datetime.MAXYEAR - start.year) * 4 + (3 - quarter) + (start < quarter_end(start))
    return max(0, min(wanted, left))


class Planning(RuleFamily):
    """What the pass reads for budgets and forecasts, kept as dated logs.

    The logs (not running totals) are kept because the books answer for any date without
    a second pass (:meth:`Books.as_of`): :class:`Plans` replays them up to the date of the
    books it is asked about.  Each log holds only planning's own few movements (expenses,
    pledges, the income of funds that expect some, the bank balance per day).
    """

    directives = ("budget", "planned-payment", "expected-income")

    def __init__(self, books: Books) -> None:
        super().__init__(books)
        self.classify = Classifier(books.roots)
        self._is_bank: dict[str, bool] = {}
        #: (fund, year, subtree) → its budget directives, in the pass's order.
        self.budgets: dict[tuple[str, int, str | None], list[BudgetLine]] = defaultdict(list)
        #: (fund, year) → (date, expense account, net amount) of each expense posting.
        self.spent: dict[tuple[str, int], list[tuple[datetime.date, str, Decimal]]] = (
            defaultdict(list))
        #: (date, fund, contributor, due date, amount): a pledge (> 0) or a payment (< 0).
        self.pledge_log: list[tuple[datetime.date, str, str, datetime.date | None, Decimal]] = []
        #: grant id → its planned payments (``left`` unused here: see :class:`Plans`).
        self.planned: dict[str, list[Tranche]] = defaultdict(list)
        #: grant id → (date of an award, its ``end:`` date).
        self.grant_end: dict[str, list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
        #: Expected incomes, in the pass's order.
        self.expected: list[Tranche] = []
        self._expecting: set[str] = set()
        #: (date, fund, contributor (folded) or None, amount) of income to expecting funds.
        self.income_log: list[tuple[datetime.date, str, str | None, Decimal]] = []
        #: (date, balance of the bank accounts after that day's entries), one row per day.
        self.bank_log: list[tuple[datetime.date, Decimal]] = []
        self._bank = ZERO

    # -- reading --------------------------------------------------------------------------

    def custom(self, entry: data.Custom) -> None:
        try:
            if entry.type == "budget":
                self._budget(entry)
            elif entry.type == "planned-payment":
                grant, date, amount = directives._values(entry, "sda")
                self.planned[grant].append(
                    Tranche(entry.date, date, _euros(amount), grant, entry=entry))
            else:
                self._expected(entry)
        except Malformed as exc:
            self.error("FL103", entry, directive=entry.type, reason=exc)

    def _budget(self, entry: data.Custom) -> None:
        if is_fava_budget(entry):
            return  # Fava's own budget of an account: Fava reads it, not the fund engine
        values = entry.values
        subtree = None
        if len(values) == 4:
            subtree = values[3].value
            if not isinstance(subtree, str):
                raise Malformed("value 4 must be an account subtree")
            values = values[:3]
        fund, year, amount = directives._values(entry._replace(values=values), "sna")
        if year != year.to_integral_value() or not 1 <= year <= 9999:
            raise Malformed(f"year must be a whole year, not {year}")
        expenses = self.books.roots.expenses
        if subtree is not None and subtree != expenses and not (
                account_lib.is_valid(subtree) and subtree.startswith(expenses + ":")):
            raise Malformed(f'"{subtree}" is not an account subtree under {expenses}')
        if self._undeclared(entry, fund):
            return
        line = BudgetLine(entry.date, fund, int(year), _euros(amount), subtree)
        self.budgets[(fund, line.year, subtree)].append(line)

    def _expected(self, entry: data.Custom) -> None:
        fund, date, amount, *rest = directives._values(entry, "sda", "s")
        if self._undeclared(entry, fund):
            return
        who = rest[0] if rest else None
        self.expected.append(Tranche(entry.date, date, _euros(amount), fund,
                                     who=_fold(who) if who else None, label=who or "",
                                     entry=entry))
        self._expecting.add(fund)

    def _undeclared(self, entry: data.Custom, fund: str) -> bool:
        if fund in self.books.funds:
            return False
        self.error("FL501", entry, what=f'{entry.type} names fund "{fund}", not declared on '
                                        f"{entry.date}")
        return True

    def transaction(self, txn: data.Transaction, moves: list[Move]) -> None:
        day = txn.date
        for move in moves:
            kind, fund = move.kind, move.fund
            if not fund:
                continue
            if kind in SPENDING:
                self.spent[(fund, day.year)].append((day, move.posting.account, move.number))
                if kind == Kind.GRANT_EXPENSE and move.number > 0 and move.grant:
                    end = self._dated(txn, move, "end")
                    if end is not None:
                        self.grant_end[move.grant].append((day, end))
            elif kind == Kind.PLEDGE:
                due = self._dated(txn, move, "due") if move.number > 0 else None
                self.pledge_log.append((day, fund, contributor_of(txn, move.posting), due,
                                        move.number))
            elif kind in RECEIVING and move.number < 0 and fund in self._expecting:
                posting = move.posting
                named = kind == Kind.CONTRIBUTION or (posting.meta or {}).get(
                    "contributor") or txn.meta.get("contributor")
                who = _fold(contributor_of(txn, posting)) if named else None
                self.income_log.append((day, fund, who, -move.number))
        bank = self._bank
        is_bank = self._is_bank
        for posting in txn.postings:
            known = is_bank.get(posting.account)
            if known is None:
                known = is_bank[posting.account] = self.classify.is_bank(posting.account)
            if known:
                units = posting.units
                if units.currency == OPERATING_CURRENCY:
                    bank += units.number
                else:
                    weight = convert.get_weight(posting)
                    if weight.currency == OPERATING_CURRENCY:
                        bank += weight.number
        if bank != self._bank:
            self._bank = bank
            log = self.bank_log
            if log and log[-1][0] == day:
                log[-1] = (day, bank)
            else:
                log.append((day, bank))

    def _dated(self, txn: data.Transaction, move: Move, key: str) -> datetime.date | None:
        """The ``due:`` or ``end:`` date of a transaction (FL105 if not a date, or placed
        on the posting instead of the transaction)."""
        if key in (move.posting.meta or {}):
            self.error("FL105", txn, what=f"{key}: belongs on the transaction, not on the "
                                          f"posting to {move.posting.account}")
        value = txn.meta.get(key)
        if value is None or (isinstance(value, datetime.date)
                             and not isinstance(value, datetime.datetime)):
            return value
        self.error("FL105", txn, what=f"{key}: must be a date (YYYY-MM-DD), not {value!r}")
        return None

    def finish(self, last: datetime.date | None) -> None:
        for ident, tranches in self.planned.items():
            if ident not in self.books.grants:
                self.error("FL302", tranches[0].entry, grant=ident)


class Plans:
    """Budgets and forecasts of some books: the whole pass's, or a view of them at a date
    (:meth:`Books.as_of`), whose date the pass's logs are replayed up to."""

    def __init__(self, family: Planning, books: Books) -> None:
        self.family = family
        self.books = books
        #: Only what is dated on or before this counts (None: all the pass saw).
        self.day: datetime.date | None = books.at

    def _known(self, day: datetime.date) -> bool:
        return self.day is None or day <= self.day

    # -- budgets --------------------------------------------------------------------------

    def lines(self) -> list[BudgetLine]:
        """The budget lines in force: the latest directive of each fund, year and subtree."""
        found = []
        for versions in self.family.budgets.values():
            known = [line for line in versions if self._known(line.date)]
            if known:
                found.append(known[-1])
        return found

    def years(self) -> list[int]:
        return sorted({line.year for line in self.lines()})

    def budget(self, year: int) -> list[BudgetRow]:
        """Budget, actual and rest of each line of ``year`` (funds in declaration order,
        the whole fund before its subtrees)."""
        order = {name: i for i, name in enumerate(self.books.funds)}
        lines = sorted((line for line in self.lines() if line.year == year),
                       key=lambda b: (order.get(b.fund, len(order)), b.subtree or ""))
        return [BudgetRow(b.fund, year, b.subtree, b.amount, self.actual(b)) for b in lines]

    def actual(self, line: BudgetLine) -> Decimal:
        return sum((n for day, account, n in self.family.spent.get((line.fund, line.year), ())
                    if line.covers(account) and self._known(day)), ZERO)

    def committed(self, fund: str, year: int,
                  lines: list[BudgetLine] | None = None) -> Decimal:
        """What a fund's budgets of ``year`` still commit: the rest of each line that is not
        part of another (a whole-fund line holds its subtrees); an overspent line, none."""
        mine = [b for b in (self.lines() if lines is None else lines)
                if b.fund == fund and b.year == year]
        outer = [b for b in mine if not any(o.contains(b) for o in mine)]
        return sum((max(ZERO, b.amount - self.actual(b)) for b in outer), ZERO)

    # -- what is owed, planned and expected, at the books' date ----------------------------

    def bank(self) -> Decimal:
        log = self.family.bank_log
        index = len(log) if self.day is None else bisect.bisect_right(
            log, self.day, key=lambda row: row[0])
        return log[index - 1][1] if index else ZERO

    def pledges(self) -> list[Pledge]:
        """Unpaid pledges: each payment pays its contributor's oldest unpaid pledge in the
        fund, as in contributor tracing."""
        lots: dict[tuple[str, str], deque[Pledge]] = defaultdict(deque)
        for day, fund, contributor, due, amount in self.family.pledge_log:
            if not self._known(day):
                break
            queue = lots[(fund, contributor)]
            if amount > 0:
                queue.append(Pledge(day, fund, contributor, due, amount))
                continue
            paid = -amount
            while paid > 0 and queue:
                used = min(paid, queue[0].unpaid)
                queue[0].unpaid -= used
                paid -= used
                if queue[0].unpaid <= 0:
                    queue.popleft()
        return [pledge for queue in lots.values() for pledge in queue]

    def expected(self) -> list[Tranche]:
        """Expected incomes, each less the income that met it (the earliest one recorded
        by then, of the same contributor, or naming none for income naming none)."""
        tranches = [dataclasses.replace(t) for t in self.family.expected
                    if self._known(t.decided)]
        by_fund: dict[str, list[Tranche]] = defaultdict(list)
        for tranche in sorted(tranches, key=lambda t: t.date):
            by_fund[tranche.subject].append(tranche)
        for day, fund, who, amount in self.family.income_log:
            if not self._known(day):
                break
            _meet(by_fund.get(fund, ()), who, amount, day)
        return tranches

    def planned(self, grant: Grant) -> list[Tranche]:
        """A grant's planned payments in date order, each less the payments that met it
        (made on or after the day it was recorded, earliest tranche first)."""
        tranches = sorted((dataclasses.replace(t) for t in self.family.planned.get(grant.id, ())
                           if self._known(t.decided)), key=lambda t: t.date)
        for event in grant.events:
            if event.kind == "payment":
                _meet(tranches, None, event.amount, event.date)
        return tranches

    def end_of(self, grant: str) -> datetime.date | None:
        ends = [end for day, end in self.family.grant_end.get(grant, ()) if self._known(day)]
        return ends[-1] if ends else None

    # -- the forecast ---------------------------------------------------------------------

    def forecast(self, start: datetime.date, quarters: int = 8) -> Forecast:
        """Uncommitted money per fund and cash at each of the ``quarters`` quarter ends after
        ``start``; the books must be those at ``start`` (``Books.as_of(start)``)."""
        books = self.books
        if books.last_date is not None and books.last_date > start:
            raise ValueError(f"the books run to {books.last_date}, after the forecast's "
                             f"start {start}: use the books as of {start}")
        ends = quarter_ends(start, quarters)
        result = Forecast(start, [])
        # Inflows: (date, fund, part, amount); a date on or before the start is late.
        inflows: list[tuple[datetime.date, str, str, Decimal]] = []
        for pledge in self.pledges():
            if pledge.due is not None and pledge.due > start:
                inflows.append((pledge.due, pledge.fund, "pledges", pledge.unpaid))
            else:
                result.not_counted.append(NotCounted(
                    "pledge", pledge.fund, pledge.contributor, pledge.due, pledge.unpaid,
                    "undated" if pledge.due is None else "overdue"))
        for tranche in self.expected():
            if tranche.left <= 0:
                continue
            if tranche.date > start:
                inflows.append((tranche.date, tranche.subject, "income", tranche.left))
            else:
                result.not_counted.append(NotCounted(
                    "income", tranche.subject, tranche.label, tranche.date, tranche.left,
                    "overdue"))
        loans = [loan for loan in books.loans.values()
                 if loan.fund and loan.outstanding > 0 and loan.written_off <= 0]
        loan_base: dict[str, Decimal] = {}
        for loan in loans:
            due_now = loan.expected_repaid(start)
            loan_base[loan.id] = max(due_now, loan.repaid)
            if due_now > loan.repaid:
                result.not_counted.append(NotCounted(
                    "loan", loan.fund, loan.id, None,
                    min(due_now - loan.repaid, loan.outstanding), "arrears"))
        payments = self._payments(result)

        funds = books.figures
        lines = self.lines()
        bank = self.bank()
        rest_by_year: dict[int, dict[str, Decimal]] = {}
        for end in ends:
            for year in range(start.year, end.year + 1):
                if year not in rest_by_year:
                    rest_by_year[year] = {name: self.committed(name, year, lines)
                                          for name in funds}
            outlooks = {name: FundOutlook(name, figures.available,
                                          budgets=sum((rest_by_year[y][name] for y in
                                                       range(start.year, end.year + 1)), ZERO))
                        for name, figures in funds.items()}
            cash = CashOutlook(bank)
            for day, fund, part, amount in inflows:
                if day <= end:
                    _add(outlooks.get(fund), cash, part, amount)
            for loan in loans:
                # Instalments falling due after the start (arrears are not counted; a loan
                # repaid ahead of its schedule owes nothing until the schedule catches up).
                due = loan.expected_repaid(end) - loan_base[loan.id]
                if due > 0:
                    _add(outlooks.get(loan.fund), cash, "loans", due)
            cash.payments = sum((amount for day, amount in payments if day <= end), ZERO)
            result.quarters.append(QuarterOutlook(end, list(outlooks.values()), cash))
        return result

    def _payments(self, result: Forecast) -> list[tuple[datetime.date, Decimal]]:
        """Each open grant's rest, placed at its planned payments (a late one in the first
        quarter), then at its ``end:``; what neither places is unscheduled."""
        payments: list[tuple[datetime.date, Decimal]] = []
        for grant in self.books.grants.values():
            rest = grant.payable
            if rest <= 0:
                continue
            for tranche in self.planned(grant):
                amount = min(rest, tranche.left)
                if amount > 0:
                    payments.append((tranche.date, amount))
                    rest -= amount
            if rest <= 0:
                continue
            end = self.end_of(grant.id)
            if end is not None:
                payments.append((end, rest))
            else:
                result.unscheduled.append(
                    Unscheduled(grant.id, grant.fund or "", grant.grantee or "", rest))
        return payments


#: The intervals of Fava's own budgets (``custom "budget" ACCOUNT INTERVAL AMOUNT``).
FAVA_INTERVALS = frozenset({"daily", "weekly", "monthly", "quarterly", "yearly"})


def is_fava_budget(entry: data.Custom) -> bool:
    """Whether a ``custom "budget"`` is Fava's (an account, an interval), not a fund's."""
    values = entry.values
    return (len(values) >= 2 and values[0].dtype not in (str, Decimal)
            and isinstance(values[1].value, str)
            and values[1].value.lower() in FAVA_INTERVALS)


def is_fund_budget(entry: Any) -> bool:
    """Whether an entry is a fund's budget (``custom "budget" FUND YEAR AMOUNT``), which
    Fava, reading every ``budget`` as its own, would list as an error."""
    return (isinstance(entry, data.Custom) and entry.type == "budget" and bool(entry.values)
            and entry.values[0].dtype is str)


def planning_of(books: Books) -> Plans:
    """The budgets and forecasts of analysed books (or of a view of them at a date)."""
    return Plans(books.families[Planning], books)  # type: ignore[arg-type]


def _add(outlook: FundOutlook | None, cash: CashOutlook, part: str, amount: Decimal) -> None:
    if outlook is not None:
        setattr(outlook, part, getattr(outlook, part) + amount)
    setattr(cash, part, getattr(cash, part) + amount)


def _euros(amount: Any) -> Decimal:
    if amount.currency != OPERATING_CURRENCY:
        raise Malformed(f"amount must be in {OPERATING_CURRENCY}, not {amount.currency}")
    if amount.number < 0:
        raise Malformed(f"amount must not be negative ({amount.number})")
    return amount.number


def _fold(name: str) -> str:
    return " ".join(name.casefold().split())


def _meet(tranches: list[Tranche], who: str | None, amount: Decimal,
          day: datetime.date) -> None:
    """Money that moved on ``day`` meets the earliest tranches decided by then."""
    for tranche in tranches:
        if amount <= 0:
            return
        if tranche.left <= 0 or tranche.decided > day or tranche.who != who:
            continue
        used = min(amount, tranche.left)
        tranche.left -= used
        amount -= used
