"""The fund engine's results: plain data, no behaviour beyond derived figures."""

from __future__ import annotations

import bisect
import dataclasses
import datetime
import decimal
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from fundledger.engine.codes import FundError  # noqa: F401  (re-exported: its old home)

ZERO = Decimal("0")
CENT = Decimal("0.01")


def round_to_cent(amount: Decimal) -> Decimal:
    """``amount`` to the cent, whatever its size (beyond the default 28 digits too), never -0."""
    context = decimal.Context(prec=max(28, amount.adjusted() + 4))
    rounded = amount.quantize(CENT, context=context)
    return rounded.copy_abs() if rounded == 0 else rounded


#: Suspense accounts (SPEC 7), where the importer parks bank lines no rule matched:
#: ``Assets:Suspense`` unless the rules name another, so any account with a ``Suspense``
#: component counts (the reports' warning and Fava's Compliance page use this one rule).
SUSPENSE = re.compile(r"(^|:)Suspense(:|$)")

#: Contributor tracing counts cents in 64-bit integers; all the money it moves stays below
#: this (about 46 quadrillion EUR), so that no sum it keeps can overflow.
TRACE_LIMIT_CENTS = 1 << 62


class TraceOverflow(ArithmeticError):
    """More money would move through contributor tracing than it counts exactly."""


class Untraceable(Exception):
    """Contributor tracing gave up on these books; the message is one line, FILE:LINE: why."""


def quarter_end(day: datetime.date) -> datetime.date:
    """The last day of ``day``'s calendar quarter."""
    month = (day.month - 1) // 3 * 3 + 3
    return datetime.date(day.year, month, 31 if month in (3, 12) else 30)


def is_number(value: Any) -> bool:
    """Whether a metadata value is a number (Beancount gives ``TRUE`` as a bool, an int)."""
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def to_cents(amount: Decimal) -> int:
    """A EUR amount in whole cents (contributor tracing counts in cents, SPEC 6.3)."""
    return int((amount * 100).to_integral_value(decimal.ROUND_HALF_EVEN))

FUND_KINDS = ("endowment", "restricted", "unrestricted")
GRANTEE_KINDS = ("association", "company", "public", "person")



@dataclass
class Fund:
    """A declared fund (``custom "fund" NAME KIND LABEL``)."""

    name: str
    kind: str
    label: str
    declared: datetime.date
    consumable: bool
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def non_consumable_endowment(self) -> bool:
        return self.kind == "endowment" and not self.consumable


@dataclass
class FundFigures:
    """The figures of SPEC 3.2 for one fund at one date."""

    fund: str
    kind: str
    received: Decimal = ZERO
    spent: Decimal = ZERO
    transfers_in: Decimal = ZERO
    transfers_out: Decimal = ZERO
    loans_outstanding: Decimal = ZERO
    pledges_outstanding: Decimal = ZERO
    #: Sum of the fund's Income:Contributions postings (pledges included): the corpus
    #: a non-consumable endowment must keep.
    contributions: Decimal = ZERO

    @property
    def balance(self) -> Decimal:
        return self.received - self.spent + self.transfers_in - self.transfers_out

    @property
    def available(self) -> Decimal:
        return self.balance - self.loans_outstanding - self.pledges_outstanding

    def copy(self) -> FundFigures:
        return FundFigures(**self.__dict__)

    def as_dict(self) -> dict[str, Decimal | str]:
        """The JSON shape of ``fundledger funds`` (SPEC 5), in its key order."""
        return {
            "fund": self.fund,
            "kind": self.kind,
            "received": self.received,
            "spent": self.spent,
            "transfers_in": self.transfers_in,
            "transfers_out": self.transfers_out,
            "balance": self.balance,
            "loans_outstanding": self.loans_outstanding,
            "pledges_outstanding": self.pledges_outstanding,
            "available": self.available,
        }


@dataclass
class Transfer:
    """A ``fund-transfer`` directive that was applied."""

    date: datetime.date
    source: str
    target: str
    amount: Decimal
    narration: str
    meta: dict[str, Any]


@dataclass
class SpendingRule:
    """``custom "spending-rule" FUND RATE QUARTERS``."""

    date: datetime.date
    fund: str
    rate: Decimal
    quarters: int


@dataclass
class Indicator:
    """``custom "indicator" NAME LABEL UNIT`` (the unit as said of several: "emplois";
    ``unit-one:`` metadata gives it for one: "emploi")."""

    name: str
    label: str
    unit: str
    unit_one: str | None = None


@dataclass
class Impact:
    """``custom "impact" GRANT_OR_LOAN_ID INDICATOR VALUE``."""

    date: datetime.date
    subject: str
    indicator: str
    value: Decimal


class Event(NamedTuple):
    """One movement of a grant (award, payment, revocation, refund) or of a loan
    (disbursement, repayment, write-off), as the engine classified it."""

    date: datetime.date
    kind: str
    id: str
    amount: Decimal


def _kept(new: Decimal, old: Decimal) -> Decimal:
    """``old`` if ``new`` is the same number written the same way (``x + 0`` is a new
    object), else ``new``: a grant's or loan's history then shares what did not change."""
    return old if new == old and not new.compare_total(old) else new


@dataclass
class Grant:
    """A grant, from every posting carrying its ``grant:`` id."""

    id: str
    fund: str | None = None
    grantee: str | None = None
    grantee_kind: str | None = None
    private: bool = False
    awarded_on: datetime.date | None = None
    narration: str = ""
    awarded: Decimal = ZERO
    paid: Decimal = ZERO
    revoked: Decimal = ZERO
    refunded: Decimal = ZERO
    #: Balance of GrantsPayable for this id: awarded but not yet paid (or revoked).
    payable: Decimal = ZERO
    meta: dict[str, Any] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    #: (date, awarded, paid, revoked, refunded, payable) after each of its transactions,
    #: so that :meth:`as_of` gives the grant at any date without another pass.
    history: list[tuple[datetime.date, Decimal, Decimal, Decimal, Decimal, Decimal]] = field(
        default_factory=list, repr=False)

    def record(self, day: datetime.date) -> None:
        """Keep the grant's amounts after a transaction dated ``day`` (see :meth:`as_of`).

        An amount the transaction left as it was is the previous row's own number (see
        :func:`_kept`), so the history costs a tuple per transaction and a number per
        amount that changed.
        """
        if self.history:
            _day, awarded, paid, revoked, refunded, payable = self.history[-1]
            self.awarded = _kept(self.awarded, awarded)
            self.paid = _kept(self.paid, paid)
            self.revoked = _kept(self.revoked, revoked)
            self.refunded = _kept(self.refunded, refunded)
            self.payable = _kept(self.payable, payable)
        self.history.append((day, self.awarded, self.paid, self.revoked, self.refunded,
                             self.payable))

    def as_of(self, day: datetime.date) -> Grant | None:
        """The grant after every entry dated on or before ``day`` (None: not awarded yet)."""
        if self.awarded_on is None or self.awarded_on > day:
            return None
        if not self.history or self.history[-1][0] <= day:
            return self
        state = self.history[bisect.bisect_right(self.history, day, key=_first) - 1]
        return dataclasses.replace(
            self, awarded=state[1], paid=state[2], revoked=state[3], refunded=state[4],
            payable=state[5], events=[e for e in self.events if e.date <= day],
            history=self.history[:bisect.bisect_right(self.history, day, key=_first)])

    @property
    def net(self) -> Decimal:
        """What the grant finally costs its fund: awarded less what came back."""
        return self.awarded - self.revoked - self.refunded

    @property
    def remaining(self) -> Decimal:
        return self.payable

    @property
    def is_withheld(self) -> bool:
        """Whether the grantee's name must stay out of public outputs (SPEC 3.5)."""
        return self.private or self.grantee_kind == "person"


@dataclass
class Loan:
    """A loan, from every posting carrying its ``loan:`` id."""

    id: str
    fund: str | None = None
    borrower: str | None = None
    #: ``grantee-kind`` of the disbursement (``person`` withholds the borrower's name).
    borrower_kind: str | None = None
    private: bool = False
    disbursed_on: datetime.date | None = None
    narration: str = ""
    term_months: int = 0
    grace_months: int = 0
    rate: Decimal = ZERO
    lent: Decimal = ZERO
    repaid: Decimal = ZERO
    written_off: Decimal = ZERO
    interest: Decimal = ZERO
    meta: dict[str, Any] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    #: (date, lent, repaid, written_off, interest) after each of its transactions.
    history: list[tuple[datetime.date, Decimal, Decimal, Decimal, Decimal]] = field(
        default_factory=list, repr=False)

    def record(self, day: datetime.date) -> None:
        """Keep the loan's amounts after a transaction dated ``day`` (see :meth:`as_of`);
        unchanged amounts are the previous row's numbers, as for grants."""
        if self.history:
            _day, lent, repaid, written_off, interest = self.history[-1]
            self.lent = _kept(self.lent, lent)
            self.repaid = _kept(self.repaid, repaid)
            self.written_off = _kept(self.written_off, written_off)
            self.interest = _kept(self.interest, interest)
        self.history.append((day, self.lent, self.repaid, self.written_off, self.interest))

    def as_of(self, day: datetime.date) -> Loan | None:
        """The loan after every entry dated on or before ``day`` (None: not disbursed yet)."""
        if self.disbursed_on is None or self.disbursed_on > day:
            return None
        if not self.history or self.history[-1][0] <= day:
            return self
        cut = bisect.bisect_right(self.history, day, key=_first)
        state = self.history[cut - 1]
        return dataclasses.replace(
            self, lent=state[1], repaid=state[2], written_off=state[3], interest=state[4],
            events=[e for e in self.events if e.date <= day], history=self.history[:cut])

    def schedule(self) -> list[tuple[int, datetime.date, Decimal]]:
        """The instalments of the expected schedule: (number, due date, principal due by it).

        Instalment k falls due ``grace + k`` months after disbursement; a loan whose grace
        covers its whole term has one instalment, at its end.  At most :data:`MAX_TERM`
        instalments are laid out (a longer term is a typing error, shown, not expanded).
        """
        if self.disbursed_on is None:
            return []
        count = max(self.term_months - self.grace_months, 1 if self.term_months else 0)
        first = (self.grace_months + 1 if self.term_months > self.grace_months
                 else self.term_months)
        rows = []
        for k in range(min(count, MAX_TERM)):
            due = _add_months(self.disbursed_on, first + k)
            if due is None:
                break
            rows.append((k + 1, due, self.expected_repaid(due)))
        return rows

    @property
    def outstanding(self) -> Decimal:
        return self.lent - self.repaid - self.written_off

    @property
    def is_withheld(self) -> bool:
        """Whether the borrower's name must stay out of public outputs (SPEC 3.5)."""
        return self.private or self.borrower_kind == "person"

    def expected_repaid(self, at: datetime.date) -> Decimal:
        """Principal due by ``at``: equal monthly instalments after the grace period.

        ``term-months`` counts the whole life of the loan, grace included; instalment k
        (1-based) falls due ``grace + k`` months after the first disbursement.
        """
        if self.disbursed_on is None or self.lent <= 0:
            return ZERO
        instalments = self.term_months - self.grace_months
        if instalments <= 0:
            end = _add_months(self.disbursed_on, self.term_months)
            return self.lent if self.term_months and end is not None and at >= end else ZERO
        months = _months_between(self.disbursed_on, at) - self.grace_months
        due = max(0, min(instalments, months))
        return (self.lent * due / instalments).quantize(CENT)

    def arrears(self, at: datetime.date) -> Decimal:
        """Principal due by ``at`` and not repaid; a written-off loan owes nothing more."""
        if self.written_off > 0:
            return ZERO
        return max(ZERO, self.expected_repaid(at) - self.repaid)


#: The longest loan term laid out as a schedule: 100 years of monthly instalments.
MAX_TERM = 1200


def _first(item: tuple[Any, ...]) -> Any:
    return item[0]


def _add_months(day: datetime.date, months: int) -> datetime.date | None:
    """``day`` plus ``months`` (the month's last day where ``day`` does not exist in it);
    None beyond the calendar (year 9999)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if year > datetime.MAXYEAR:
        return None
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from ``start`` to ``end`` (a month counts once its day is reached)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    reached = _add_months(start, months)
    if reached is None or end < reached:
        months -= 1
    return months


@dataclass
class Holdings:
    """The endowment's securities (``Assets:Endowment:*``) at a date: at cost and at market
    (the latest price on or before the date; at cost where no price is known)."""

    book: Decimal = ZERO
    market: Decimal = ZERO


@dataclass
class SpendingHeadroom:
    """An endowment fund's spending rule in one year, at a date (SPEC 3.2).

    ``limit`` is None when the fund has no quarter end before the year: each transfer is
    then limited by the balance just before it, and there is no yearly headroom to show.
    """

    fund: str
    year: int
    rate: Decimal
    quarters: int
    limit: Decimal | None
    #: Transfers out of the fund in the year, dated on or after the rule, up to the date.
    transferred: Decimal
    #: Every transfer out of the fund in the year up to the date, the rule's or not.
    drawn: Decimal

    @property
    def headroom(self) -> Decimal | None:
        return None if self.limit is None else self.limit - self.transferred


@dataclass
class Share:
    """An amount attributed to a fund (and, for ``used``, to a grant, loan or cost)."""

    fund: str
    amount: Decimal
    kind: str = ""
    id: str = ""


@dataclass
class Trace:
    """Where one contributor's money went (SPEC 5 ``trace`` and 6.3)."""

    contributor: str
    given: list[Share]
    earned: list[Share]
    used: list[Share]
    unspent: list[Share]
    pledged: list[Share]

    def total(self, part: str) -> Decimal:
        return sum((s.amount for s in getattr(self, part)), ZERO)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of ``fundledger trace`` (SPEC 5), amounts as Decimals."""

        def plain(shares: list[Share]) -> list[dict[str, Any]]:
            return [{"fund": s.fund, "amount": s.amount} for s in shares]

        return {
            "contributor": self.contributor,
            "given": plain(self.given),
            "earned": plain(self.earned),
            "used": [
                {"fund": s.fund, "kind": s.kind, "id": s.id, "amount": s.amount}
                for s in self.used
            ],
            "unspent": plain(self.unspent),
            "pledged": plain(self.pledged),
        }
