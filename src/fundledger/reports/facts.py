"""Facts of a period beside the fund figures: grant and loan movements, the endowment's
holdings, the suspense balance.

The fund engine gives fund figures at dates, and classifies every grant and loan
movement (``Grant.events``, ``Loan.events``); a board report also lists *what happened*
in a quarter, so this module picks the period's events from the engine and reads, in one
walk over the entries, what is not a fund figure: the endowment's value and the suspense
account.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import convert, data, prices
from beancount.core.inventory import Inventory

from fundledger.engine import SUSPENSE, ZERO, Books, Event, Grant, Loan
from fundledger.engine.accounts import Classifier


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
    suspense_accounts: set[str] = field(default_factory=set)


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


def _events(items: Iterable[Grant | Loan], start: datetime.date,
            end: datetime.date) -> list[Event]:
    events = [e for item in items for e in item.events if start <= e.date <= end]
    return sorted(events, key=lambda e: e.date)


def collect(entries: list[data.Directive], books: Books, start: datetime.date,
            end: datetime.date, currency: str = "EUR") -> PeriodFacts:
    """The period's grant and loan events and the endowment's value at both ends.

    ``holdings_start`` is the value just before ``start``; ``holdings_end`` and the
    suspense balance count every entry dated on or before ``end``.
    """
    facts = PeriodFacts(start, end)
    is_endowment = Classifier(books.roots).is_endowment  # under the ledger's root names
    inventory = Inventory()
    opened: Inventory | None = None
    for entry in entries:
        if entry.date > end:
            break
        if not isinstance(entry, data.Transaction):
            continue
        if opened is None and entry.date >= start:
            opened = Inventory(inventory)  # positions are immutable: a shallow copy
        for posting in entry.postings:
            account = posting.account
            if is_endowment(account):
                inventory.add_position(posting)
            elif SUSPENSE.search(account):
                facts.suspense += posting.units.number
                facts.suspense_accounts.add(account)
    if opened is None:
        opened = inventory
    facts.grant_events = _events(books.grants.values(), start, end)
    facts.loan_events = _events(books.loans.values(), start, end)
    price_map = prices.build_price_map(entries)
    facts.holdings_start = _value(opened, price_map, start - datetime.timedelta(days=1), currency)
    facts.holdings_end = _value(inventory, price_map, end, currency)
    return facts


def total(events: list[Event], kind: str, since: datetime.date | None = None) -> Decimal:
    """Sum of ``kind`` events (on or after ``since``)."""
    return sum((e.amount for e in events if e.kind == kind and (since is None or e.date >= since)),
               ZERO)
