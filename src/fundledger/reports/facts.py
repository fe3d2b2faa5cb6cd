"""Facts of a period beside the fund figures: grant and loan movements, the endowment's
holdings, the suspense balance.

The fund engine gives fund figures at dates, classifies every grant and loan movement
(``Grant.events``, ``Loan.events``) and keeps what is not a fund figure (the endowment's
securities, the suspense accounts); a board report also lists *what happened* in a
quarter, so this module picks the period's share of them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from fundledger.engine import ZERO, Books, Event, Grant, Holdings, Loan


@dataclass
class PeriodFacts:
    """What happened from ``start`` to ``end`` inclusive, beside the fund figures."""

    start: datetime.date
    end: datetime.date
    grant_events: list[Event] = field(default_factory=list)
    loan_events: list[Event] = field(default_factory=list)
    holdings_start: Holdings = field(default_factory=Holdings)
    holdings_end: Holdings = field(default_factory=Holdings)
    suspense: Decimal = ZERO
    suspense_accounts: set[str] = field(default_factory=set)


def _events(items: Iterable[Grant | Loan], start: datetime.date,
            end: datetime.date) -> list[Event]:
    events = [e for item in items for e in item.events if start <= e.date <= end]
    return sorted(events, key=lambda e: e.date)


def collect(books: Books, start: datetime.date, end: datetime.date,
            currency: str = "EUR") -> PeriodFacts:
    """The period's grant and loan events, the endowment's securities at both ends and the
    suspense balance, all read from the engine's books (no walk over the entries).

    ``holdings_start`` is the value just before ``start``; ``holdings_end`` and the
    suspense balance count every entry dated on or before ``end``.
    """
    facts = PeriodFacts(start, end)
    facts.grant_events = _events(books.grants.values(), start, end)
    facts.loan_events = _events(books.loans.values(), start, end)
    facts.holdings_start = books.endowment_value(start - datetime.timedelta(days=1), currency)
    facts.holdings_end = books.endowment_value(end, currency)
    facts.suspense = books.suspense_balance(end).get(currency, ZERO)
    facts.suspense_accounts = set(books.suspense_accounts) if facts.suspense else set()
    return facts


def total(events: list[Event], kind: str, since: datetime.date | None = None) -> Decimal:
    """Sum of ``kind`` events (on or after ``since``)."""
    return sum((e.amount for e in events if e.kind == kind and (since is None or e.date >= since)),
               ZERO)
