"""Ledger facts of a period that are not fund figures: grant awards and payments, loan
disbursements and repayments, the endowment's holdings, the suspense balance.

The fund engine gives fund figures at dates; a board report also lists *what happened*
in a quarter (which grant was paid on which day).  Those are ledger facts, read here in
one walk over the loaded entries, with the same rules as the engine (SPEC 3.3, 3.4) so
that, summed over a ledger's whole life, they equal the engine's grant and loan totals
(tests check it).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import convert, data, prices
from beancount.core.inventory import Inventory

from fundledger.engine import ZERO

ENDOWMENT_PREFIX = "Assets:Endowment:"
SUSPENSE = "Assets:Suspense"


@dataclass
class Event:
    """One grant or loan movement: kind is award/payment/revocation/refund or
    disbursement/repayment/write-off."""

    date: datetime.date
    kind: str
    id: str
    amount: Decimal


@dataclass
class Holdings:
    """Value of ``Assets:Endowment:*`` at a date: at cost and at market (latest price)."""

    book: Decimal = ZERO
    market: Decimal = ZERO


@dataclass
class PeriodFacts:
    """Everything :func:`collect` reads, for ``start`` to ``end`` inclusive."""

    start: datetime.date
    end: datetime.date
    grant_events: list[Event] = field(default_factory=list)
    loan_events: list[Event] = field(default_factory=list)
    holdings_start: Holdings = field(default_factory=Holdings)
    holdings_end: Holdings = field(default_factory=Holdings)
    suspense: Decimal = ZERO


def _id(posting: data.Posting, txn: data.Transaction, key: str) -> str | None:
    value = (posting.meta or {}).get(key, txn.meta.get(key))
    return None if value is None else str(value)


def _grant_events(txn: data.Transaction) -> list[Event]:
    """Award, payment, revocation and refund amounts per grant id in one transaction."""
    expense: dict[str, list[Decimal]] = defaultdict(list)
    payable: dict[str, list[Decimal]] = defaultdict(list)
    for posting in txn.postings:
        account = posting.account
        if account.startswith("Expenses:Grants:"):
            target = expense
        elif account.startswith("Liabilities:GrantsPayable"):
            target = payable
        else:
            continue
        ident = _id(posting, txn, "grant")
        if ident is not None:
            target[ident].append(posting.units.number)
    events = []
    for ident in dict.fromkeys([*expense, *payable]):
        awarded = sum((n for n in expense[ident] if n > 0), ZERO)
        returned = -sum((n for n in expense[ident] if n < 0), ZERO)
        debits = sum((n for n in payable[ident] if n > 0), ZERO)
        revoked = min(returned, debits)
        for kind, amount in (("award", awarded), ("revocation", revoked),
                             ("refund", returned - revoked), ("payment", debits - revoked)):
            if amount:
                events.append(Event(txn.date, kind, ident, amount))
    return events


def _loan_events(txn: data.Transaction) -> list[Event]:
    """Disbursement, repayment and write-off amounts per loan id in one transaction."""
    principal: dict[str, list[Decimal]] = defaultdict(list)
    losses: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for posting in txn.postings:
        account = posting.account
        if account.startswith("Assets:Loans:"):
            ident = _id(posting, txn, "loan")
            if ident is not None:
                principal[ident].append(posting.units.number)
        elif account.startswith("Expenses:LoanLosses:"):
            ident = _id(posting, txn, "loan")
            if ident is not None:
                losses[ident] += posting.units.number
    events = []
    for ident, numbers in principal.items():
        lent = sum((n for n in numbers if n > 0), ZERO)
        credits = -sum((n for n in numbers if n < 0), ZERO)
        written_off = min(credits, max(losses[ident], ZERO))
        for kind, amount in (("disbursement", lent), ("write-off", written_off),
                             ("repayment", credits - written_off)):
            if amount:
                events.append(Event(txn.date, kind, ident, amount))
    return events


def _value(inventory: Inventory, price_map: prices.PriceMap, day: datetime.date,
           currency: str) -> Holdings:
    holdings = Holdings()
    for position in inventory:
        cost = convert.get_cost(position)
        value = convert.get_value(position, price_map, day)
        if cost.currency == currency:
            holdings.book += cost.number
        if value.currency == currency:
            holdings.market += value.number
        elif cost.currency == currency:  # no price known: the market value falls back to cost
            holdings.market += cost.number
    return holdings


def collect(entries: list[data.Directive], start: datetime.date, end: datetime.date,
            currency: str = "EUR") -> PeriodFacts:
    """Read the period's grant and loan events and the endowment's value at both ends.

    ``holdings_start`` is the value just before ``start``; ``holdings_end`` and the
    suspense balance count every entry dated on or before ``end``.
    """
    facts = PeriodFacts(start, end)
    inventory = Inventory()
    opened: Inventory | None = None
    suspense_prefix = SUSPENSE + ":"
    for entry in entries:
        if entry.date > end:
            break
        if not isinstance(entry, data.Transaction):
            continue
        if opened is None and entry.date >= start:
            opened = Inventory(inventory)  # positions are immutable: a shallow copy
        for posting in entry.postings:
            account = posting.account
            if account.startswith(ENDOWMENT_PREFIX):
                inventory.add_position(posting)
            elif account == SUSPENSE or account.startswith(suspense_prefix):
                facts.suspense += posting.units.number
        if entry.date >= start and entry.meta is not None:
            if "grant" in entry.meta or any(p.meta and "grant" in p.meta
                                            for p in entry.postings):
                facts.grant_events.extend(_grant_events(entry))
            if "loan" in entry.meta or any(p.meta and "loan" in p.meta for p in entry.postings):
                facts.loan_events.extend(_loan_events(entry))
    if opened is None:
        opened = inventory
    price_map = prices.build_price_map(entries)
    facts.holdings_start = _value(opened, price_map, start - datetime.timedelta(days=1), currency)
    facts.holdings_end = _value(inventory, price_map, end, currency)
    return facts


def total(events: list[Event], kind: str, since: datetime.date | None = None) -> Decimal:
    """Sum of ``kind`` events (on or after ``since``)."""
    return sum((e.amount for e in events if e.kind == kind and (since is None or e.date >= since)),
               ZERO)
