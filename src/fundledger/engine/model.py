"""The fund engine's results: plain data, no behaviour beyond derived figures."""

from __future__ import annotations

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
    """``custom "indicator" NAME LABEL UNIT``."""

    name: str
    label: str
    unit: str


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
            return self.lent if self.term_months and at >= _add_months(
                self.disbursed_on, self.term_months) else ZERO
        months = _months_between(self.disbursed_on, at) - self.grace_months
        due = max(0, min(instalments, months))
        return (self.lent * due / instalments).quantize(CENT)

    def arrears(self, at: datetime.date) -> Decimal:
        """Principal due by ``at`` and not repaid; a written-off loan owes nothing more."""
        if self.written_off > 0:
            return ZERO
        return max(ZERO, self.expected_repaid(at) - self.repaid)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from ``start`` to ``end`` (a month counts once its day is reached)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end < _add_months(start, months):
        months -= 1
    return months


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
