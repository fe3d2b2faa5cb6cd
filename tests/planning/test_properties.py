"""Forecast property: with nothing ahead (no budget, no due date, no loan schedule, no
expected income, no planned payment), every quarter's uncommitted money is today's
available, and the cash is today's bank balance; and the whole pass viewed at the start
(``Books.as_of``) gives the same forecast as a pass stopped there."""

from __future__ import annotations

import datetime
from decimal import Decimal

from beancount import loader
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fundledger.engine import analyse
from fundledger.engine.budget import planning_of
from tests.engine.test_properties import simulate, steps


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps, st.integers(min_value=0, max_value=400), st.integers(min_value=1, max_value=9))
def test_no_future_items_keeps_every_quarter_at_todays_available(drawn, offset: int,
                                                                  quarters: int) -> None:
    entries, errors, options = loader.load_string(simulate(drawn))
    assert errors == []
    start = datetime.date(2019, 2, 1) + datetime.timedelta(days=offset)
    books = analyse(entries, start, options=options, trace=False)
    result = planning_of(books).forecast(start, quarters)
    bank = sum((p.units.number for e in entries if e.date <= start
                for p in getattr(e, "postings", ()) if p.account.startswith("Assets:Bank:")),
               Decimal(0))
    assert len(result.quarters) == quarters
    for quarter in result.quarters:
        assert quarter.end > start
        for outlook in quarter.funds:
            assert outlook.uncommitted == books.figures[outlook.fund].available
        # Open grants have no plan nor end date: unscheduled, never paid.
        assert quarter.cash.cash == bank
    assert sum((u.amount for u in result.unscheduled), Decimal(0)) == sum(
        (g.payable for g in books.grants.values() if g.payable > 0), Decimal(0))
    # The whole pass, viewed at the start, answers the same.
    whole = analyse(entries, options=options, trace=False, snapshots=[start])
    assert planning_of(whole.as_of(start)).forecast(start, quarters).as_dict() == (
        result.as_dict())
