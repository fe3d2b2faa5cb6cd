"""Tracing counts cents in 64-bit integers: exact up to its limit, and says so beyond it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from fundledger.engine import Untraceable, analyse
from tests.engine.helpers import load_ledger

GIFTS = """
2019-02-01 * "Métropole de Lyon" "Dotation"
  fund: "general"
  Assets:Bank:Main  10000000000000000.00 EUR
  Income:Contributions:Partners

2019-02-02 * "Caisse d'Épargne" "Dotation"
  fund: "general"
  Assets:Bank:Main  10000000000000000.00 EUR
  Income:Contributions:Partners

2019-03-01 * "Banque" "Coupon"
  fund: "general"
  Assets:Bank:Main  5.01 EUR
  Income:Investment:Coupons
"""


def test_huge_but_traceable_amounts_are_exact_to_the_cent(tmp_path: Path) -> None:
    """Ten quadrillion euros each: the income split needs products beyond int64."""
    entries, errors, _ = load_ledger(tmp_path, GIFTS)
    assert not errors
    books = analyse(entries)
    assert not books.untraceable
    lyon, caisse = books.trace("Métropole de Lyon"), books.trace("Caisse d'Épargne")
    # 501 cents over two equal weights: 250 each, the odd cent to the older money
    assert [s.amount for s in lyon.earned] == [Decimal("2.51")]
    assert [s.amount for s in caisse.earned] == [Decimal("2.50")]
    assert lyon.total("unspent") == Decimal("10000000000000002.51")


def test_beyond_the_limit_tracing_stops_and_names_the_entry(tmp_path: Path) -> None:
    body = GIFTS + """
2019-04-01 * "Banque des Territoires" "Apport"
  fund: "general"
  Assets:Bank:Main  30000000000000000.00 EUR
  Income:Contributions:Partners
"""
    entries, errors, _ = load_ledger(tmp_path, body)
    assert not errors
    books = analyse(entries)
    assert books.untraceable.startswith(f"{tmp_path / 'main.beancount'}:")
    assert "contributor tracing stops here" in books.untraceable
    lineno = int(books.untraceable.split(":")[1])
    assert entries_line(entries, lineno).payee == "Banque des Territoires"
    with pytest.raises(Untraceable):
        books.trace("Métropole de Lyon")
    # the fund figures do not depend on tracing
    assert books.figures["general"].balance == Decimal("50000000000000005.01")


def entries_line(entries, lineno: int):
    return next(e for e in entries if e.meta.get("lineno") == lineno)
