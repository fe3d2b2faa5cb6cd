"""Sheltered foundations: what a host's books declare, and what each entity's books owe it.

A host foundation keeps each sheltered foundation's books apart (their own files) and
names them in its own books::

    2019-03-12 custom "sheltered" "lyon" "../lyon/main.beancount" "Fondation ... Lyon"
    2019-03-12 custom "host-fee" "lyon" 2.5

The :class:`Sheltering` family rides every ledger's engine pass and records, for the
books it reads, both roles: as a host (the ``sheltered`` and ``host-fee`` directives, the
fees it received, ``host-fee: "lyon"`` on its income), and as a sheltered foundation (the
fees it paid, ``host-fee: TRUE`` on ``Expenses:Admin:*``, and the base of the fee: its
contributions and investment income).  Transactions between entities carry
``entity-transfer: "NAME"`` naming the other entity.  Consolidation then needs only these
small summaries, never the entries, so each entity can be analysed in its own process.

Everything here is pure: :func:`consolidate` and :func:`fee_breaches` compute the
consolidated totals, the eliminations and FL801 from the entities' summaries.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from beancount.core import data

from fundledger.engine.accounts import Kind
from fundledger.engine.codes import CODES, where
from fundledger.engine.directives import Malformed, _values
from fundledger.engine.family import Move, RuleFamily
from fundledger.engine.model import ZERO, FundFigures

#: The figures of a consolidation row, in the order of ``fundledger funds``.
FIGURES = ("received", "spent", "transfers_in", "transfers_out", "balance",
           "loans_outstanding", "pledges_outstanding", "available")

#: The largest difference FL801 tolerates between a year's fee and its rule (rounding).
FEE_TOLERANCE = Decimal("0.01")

#: Name of the host entity when its books set no ``fundledger-option "entity"``.
DEFAULT_HOST = "host"


@dataclass(frozen=True)
class Sheltered:
    """A ``custom "sheltered" NAME PATH LABEL`` directive of a host's books."""

    name: str
    path: str
    label: str
    date: datetime.date
    where: str  # FILE:LINE of the directive


@dataclass(frozen=True)
class Rate:
    """A ``custom "host-fee" NAME RATE`` directive: RATE percent from its date on."""

    date: datetime.date
    percent: Decimal
    where: str


@dataclass
class Elimination:
    """One side of an amount between two entities, removed from the consolidated totals.

    ``received`` and ``spent`` are what the entity's own figures count and the totals
    must not (positive numbers; the consolidation subtracts them).
    """

    what: str           # "host-fee" or "entity-transfer"
    entity: str         # whose books hold this side
    counterpart: str    # the other entity
    year: int
    fund: str
    kind: str
    received: Decimal = ZERO
    spent: Decimal = ZERO


@dataclass
class Summary:
    """What consolidation needs of one entity's books (plain, picklable data)."""

    entity: str
    label: str
    path: str
    funds: list[FundFigures] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: Fees paid to the host, by year: amount, and FILE:LINE of the year's last fee.
    fees_paid: dict[int, tuple[Decimal, str]] = field(default_factory=dict)
    #: Contributions and investment income received per day (the fee's base).
    fee_base: dict[datetime.date, Decimal] = field(default_factory=dict)
    #: The entity's own sides of fees and entity transfers (counterpart named by it).
    eliminations: list[Elimination] = field(default_factory=list)
    #: Date of the last entry counted (the books' end, or ``--at``).
    last_date: datetime.date | None = None
    #: Receipts recorded in the books: (issuer, number, date, FILE:LINE), for FL803
    #: across entities (a host's series spans its foundations' books).
    receipts: list[tuple[str, str, datetime.date, str]] = field(default_factory=list)


#: Accounts whose receipts make the base of the host's fee: contributions, and other income
#: (investment income and gains); loan interest is not investment income.
_BASE_KINDS = frozenset({Kind.CONTRIBUTION, Kind.INCOME})


def read_sheltered(entry: data.Custom) -> Sheltered:
    """A ``custom "sheltered" NAME PATH LABEL`` directive, or :class:`Malformed`."""
    name, path, label = _values(entry, "sss")
    if not name or not path:
        raise Malformed("name and path must not be empty")
    return Sheltered(name, path, label, entry.date, where(entry))


class Sheltering(RuleFamily):
    """Reads ``sheltered`` and ``host-fee``; records fees, the fee base, entity transfers."""

    directives = ("sheltered", "host-fee")

    def __init__(self, books: Any) -> None:
        super().__init__(books)
        self.sheltered: dict[str, Sheltered] = {}
        self.rates: dict[str, list[Rate]] = defaultdict(list)
        #: Fees paid to the host: (date, amount, FILE:LINE), in the pass's order.
        self.fees_paid: list[tuple[datetime.date, Decimal, str]] = []
        self.fee_base: dict[datetime.date, Decimal] = defaultdict(lambda: ZERO)
        #: (what, counterpart, date, fund) → [received, spent]: kept by date, so that a
        #: view of the books at an earlier date (``Books.as_of``) can leave later ones out.
        self.sides: dict[tuple[str, str, datetime.date, str], list[Decimal]] = {}
        self._admin = f"{books.roots.expenses}:Admin"

    def custom(self, entry: data.Custom) -> None:
        try:
            if entry.type == "sheltered":
                item = read_sheltered(entry)
                if item.name in self.sheltered:
                    raise Malformed(f'foundation "{item.name}" declared twice')
                self.sheltered[item.name] = item
            else:
                name, percent = _values(entry, "sn")
                if not 0 <= percent <= 100:
                    raise Malformed("rate must be a percentage between 0 and 100")
                if name not in self.sheltered:
                    raise Malformed(f'foundation "{name}" is not declared "sheltered" before')
                self.rates[name].append(Rate(entry.date, percent, where(entry)))
        except Malformed as exc:
            self.error("FL103", entry, directive=entry.type, reason=exc)

    def transaction(self, txn: data.Transaction, moves: list[Move]) -> None:
        counterpart = txn.meta.get("entity-transfer")
        if counterpart is None and "host-fee" not in txn.meta and not any(
                "host-fee" in (move.posting.meta or ()) for move in moves):
            # The common case, on the engine's hot path: only the fee's base to count.
            base = ZERO
            for move in moves:
                if move.kind in _BASE_KINDS and move.fund:
                    base -= move.number
            if base:
                self.fee_base[txn.date] += base
            return
        self._between_entities(txn, moves, counterpart)

    def _between_entities(self, txn: data.Transaction, moves: list[Move],
                          counterpart: Any) -> None:
        """A fee or a transfer between entities: record each side to eliminate."""
        day = txn.date
        fee_total = ZERO
        for move in moves:
            if not move.fund:
                continue
            meta = move.posting.meta or {}
            fee = meta.get("host-fee", txn.meta.get("host-fee"))
            income = move.kind <= Kind.INTEREST
            expense = Kind.EXPENSE <= move.kind <= Kind.LOAN_LOSS
            if isinstance(counterpart, str) and counterpart and (income or expense):
                self._side("entity-transfer", counterpart, day, move, income)
            elif fee is True and move.kind == Kind.EXPENSE and self._is_admin(move.posting):
                fee_total += move.number
                self._side("host-fee", "", day, move, income=False)
            elif isinstance(fee, str) and fee and income:
                self._side("host-fee", fee, day, move, income=True)
            elif fee is not None:
                self.error("FL105", txn, what=f"host-fee: {fee!r} on {move.posting.account}: "
                                              "TRUE goes on the fee a foundation pays "
                                              "(Expenses:Admin), the foundation's name on the "
                                              "fee its host receives (income)")
            if counterpart is None and move.kind in _BASE_KINDS:
                self.fee_base[txn.date] -= move.number
        if fee_total:
            self.fees_paid.append((day, fee_total, where(txn)))

    def _is_admin(self, posting: data.Posting) -> bool:
        return posting.account == self._admin or posting.account.startswith(self._admin + ":")

    def _side(self, what: str, counterpart: str, day: datetime.date, move: Move,
              income: bool) -> None:
        side = self.sides.setdefault((what, counterpart, day, move.fund), [ZERO, ZERO])
        if income:
            side[0] -= move.number
        else:
            side[1] += move.number


def sheltering_of(books: Any) -> Sheltering:
    """The :class:`Sheltering` family of analysed books."""
    return books.families[Sheltering]


def summarise(books: Any, entity: str, label: str, path: str, errors: list[str],
              host: str) -> Summary:
    """The :class:`Summary` of one entity's analysed books (``host``: the host's name,
    the counterpart of the fees a sheltered foundation pays).

    ``books`` may be a view at an earlier date (``Books.as_of``): the family saw the whole
    ledger, so what it recorded after the view's last date is left out here.
    """
    family = sheltering_of(books)
    end = books.last_date
    summary = Summary(entity, label, path, list(books.figures.values()), errors,
                      last_date=end)
    for day, amount, at in family.fees_paid:
        if end is None or day <= end:
            paid, _where = summary.fees_paid.get(day.year, (ZERO, ""))
            summary.fees_paid[day.year] = (paid + amount, at)
    summary.fee_base = {day: amount for day, amount in family.fee_base.items()
                        if end is None or day <= end}
    by_year: dict[tuple[str, str, int, str], list[Decimal]] = {}
    for (what, counterpart, day, fund), (received, spent) in family.sides.items():
        if end is None or day <= end:
            side = by_year.setdefault((what, counterpart or host, day.year, fund),
                                      [ZERO, ZERO])
            side[0] += received
            side[1] += spent
    for (what, counterpart, year, fund), (received, spent) in sorted(by_year.items()):
        summary.eliminations.append(Elimination(
            what, entity, counterpart, year, fund, books.funds[fund].kind, received, spent))
    return summary


def rate_on(rates: list[Rate], day: datetime.date) -> Decimal:
    """The fee rate in force on ``day`` (the last ``host-fee`` dated on or before it)."""
    percent = ZERO
    for rate in rates:
        if rate.date <= day:
            percent = rate.percent
    return percent


@dataclass(frozen=True)
class FeeBreach:
    """FL801: a year's fee that differs from its rule by more than a cent."""

    entity: str
    year: int
    booked: Decimal
    base: Decimal
    expected: Decimal
    where: str

    def message(self) -> str:
        """The error line's message, from the code table (FL801 ...)."""
        return "FL801 " + CODES["FL801"].format(
            entity=self.entity, year=self.year, booked=f"{self.booked:.2f}",
            expected=f"{self.expected:.2f}", base=f"{self.base:.2f}")


def fee_breaches(summary: Summary, rates: list[Rate]) -> list[FeeBreach]:
    """FL801 for every calendar year that is over at the summary's last date, from the
    year of the first ``host-fee`` rate on.  The expected fee applies to each day's base
    the rate in force that day; entity transfers are not in the base."""
    if not rates or summary.last_date is None:
        return []
    first = min(rate.date.year for rate in rates)
    end = summary.last_date
    last = end.year if end >= datetime.date(end.year, 12, 31) else end.year - 1
    base: dict[int, Decimal] = defaultdict(lambda: ZERO)
    expected: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for day, amount in summary.fee_base.items():
        base[day.year] += amount
        expected[day.year] += amount * rate_on(rates, day) / 100
    breaches = []
    for year in range(first, last + 1):
        booked, at = summary.fees_paid.get(year, (ZERO, ""))
        if abs(booked - expected[year]) > FEE_TOLERANCE:
            breaches.append(FeeBreach(summary.entity, year, booked, base[year],
                                      expected[year], at or rates[0].where))
    return breaches


@dataclass
class Consolidation:
    """The consolidated figures: each entity's funds, the eliminations, the totals."""

    entities: list[Summary]
    eliminations: list[Elimination]
    #: Totals by fund kind, then "total" (after eliminations).
    totals: dict[str, dict[str, Decimal]]
    breaches: list[FeeBreach]


def elimination_figures(item: Elimination) -> dict[str, Decimal]:
    """An elimination as a row of figures to add to the totals (it takes away)."""
    row = dict.fromkeys(FIGURES, ZERO)
    row["received"] = -item.received
    row["spent"] = -item.spent
    row["balance"] = row["available"] = item.spent - item.received
    return row


def consolidate(host: Summary, sheltered: list[Summary],
                rates: dict[str, list[Rate]]) -> Consolidation:
    """Totals of every entity's funds, less the fees and transfers between entities.

    Both sides of each fee and entity transfer are eliminated: the payer's spending and
    the receiver's income, so the totals count only what came from, and went to, the
    world outside the group.
    """
    entities = [host, *sheltered]
    eliminations = [e for s in entities for e in s.eliminations]
    totals: dict[str, dict[str, Decimal]] = {}
    for summary in entities:
        for fund in summary.funds:
            row = totals.setdefault(fund.kind, dict.fromkeys(FIGURES, ZERO))
            for name, value in fund.as_dict().items():
                if name in row:
                    row[name] += value
    for item in eliminations:
        row = totals.setdefault(item.kind, dict.fromkeys(FIGURES, ZERO))
        for name, value in elimination_figures(item).items():
            row[name] += value
    ordered = {kind: totals[kind] for kind in ("endowment", "restricted", "unrestricted")
               if kind in totals}
    ordered["total"] = {name: sum((row[name] for row in ordered.values()), ZERO)
                        for name in FIGURES}
    breaches = [b for s in sheltered for b in fee_breaches(s, rates.get(s.entity, []))]
    return Consolidation(entities, eliminations, ordered, breaches)
