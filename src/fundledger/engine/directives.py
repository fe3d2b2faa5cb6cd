"""Reading the ``custom`` directives of SPEC 3 into typed values.

Each reader returns the typed value, or raises :class:`Malformed` with the reason, which
the engine reports as FL103.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from beancount.core import data
from beancount.core.amount import Amount

from fundledger.engine.model import FUND_KINDS, Fund, Impact, Indicator, SpendingRule, Transfer

#: Fund figures are kept in this currency (SPEC 3: EUR is the operating currency).
OPERATING_CURRENCY = "EUR"

#: The directive types this spec defines, with the shape of their values.
SPEC_DIRECTIVES = ("fund", "fund-transfer", "spending-rule", "indicator", "impact")


class Malformed(ValueError):
    """A spec directive whose values do not have the shape the spec fixes."""


def _values(entry: data.Custom, shape: str, optional: str = "") -> list[Any]:
    """Check the values against ``shape`` (s=string, n=number, a=amount, b=bool, d=date)."""
    values = [v.value for v in entry.values]
    kinds = {
        "s": (str,),
        "n": (Decimal,),
        "a": (Amount,),
        "b": (bool,),
        "d": (datetime.date,),
    }
    if not len(shape) <= len(values) <= len(shape) + len(optional):
        expected = f"{len(shape)}" + (f" to {len(shape) + len(optional)}" if optional else "")
        raise Malformed(f"expects {expected} values, got {len(values)}")
    for position, (value, kind) in enumerate(zip(values, shape + optional, strict=False), start=1):
        # Beancount types accounts as strings with a dummy dtype: they are not strings here.
        is_account = entry.values[position - 1].dtype not in (str, Decimal, Amount, bool,
                                                               datetime.date)
        if not isinstance(value, kinds[kind]) or (kind == "s" and is_account):
            wanted = {"s": "a string", "n": "a number", "a": "an amount", "b": "a boolean",
                      "d": "a date"}[kind]
            raise Malformed(f"value {position} must be {wanted}")
    return values


def read_fund(entry: data.Custom) -> Fund:
    name, kind, label = _values(entry, "sss")
    if kind not in FUND_KINDS:
        raise Malformed(f'unknown fund kind "{kind}" (expected one of {", ".join(FUND_KINDS)})')
    if not name:
        raise Malformed("fund name is empty")
    consumable = entry.meta.get("consumable", kind != "endowment")
    if not isinstance(consumable, bool):
        raise Malformed("consumable: must be TRUE or FALSE")
    meta = {k: v for k, v in entry.meta.items() if k not in ("filename", "lineno")}
    return Fund(name, kind, label, entry.date, consumable, meta)


def read_transfer(entry: data.Custom) -> Transfer:
    source, target, amount, *rest = _values(entry, "ssa", "s")
    if amount.currency != OPERATING_CURRENCY:
        raise Malformed(f"amount must be in {OPERATING_CURRENCY}, not {amount.currency}")
    meta = {k: v for k, v in entry.meta.items() if k not in ("filename", "lineno")}
    return Transfer(entry.date, source, target, amount.number, rest[0] if rest else "", meta)


def read_spending_rule(entry: data.Custom) -> SpendingRule:
    fund, rate, quarters = _values(entry, "snn")
    if rate < 0 or rate > 100:
        raise Malformed("rate must be a percentage between 0 and 100")
    if quarters != quarters.to_integral_value() or quarters < 1:
        raise Malformed("quarters must be a whole number of at least 1")
    return SpendingRule(entry.date, fund, rate, int(quarters))


def read_indicator(entry: data.Custom) -> Indicator:
    name, label, unit = _values(entry, "sss")
    one = entry.meta.get("unit-one")
    return Indicator(name, label, unit, str(one) if isinstance(one, str) else None)


def read_impact(entry: data.Custom) -> Impact:
    subject, indicator, value = _values(entry, "ssn")
    return Impact(entry.date, subject, indicator, value)
