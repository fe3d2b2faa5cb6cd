"""A contributor's trace is the same whether it is the first one asked for (found by a
scan of the grants and loans) or a later one (read from an index by contributor)."""

from __future__ import annotations

from pathlib import Path

from beancount import loader

from fundledger.engine import analyse

LYON = Path(__file__).resolve().parents[2] / "ledger" / "lyon" / "main.beancount"


def test_first_and_later_lookups_agree() -> None:
    entries, errors, _ = loader.load_file(str(LYON))
    assert not errors
    names = analyse(entries, trace=False).contributors()
    assert len(names) >= 5
    indexed = analyse(entries)
    indexed.trace(names[-1])  # from now on, lookups go through the index
    paid_for = 0
    for name in names:
        first = analyse(entries).trace(name)  # a fresh tracer: the scan
        assert first == indexed.trace(name), name
        paid_for += any(s.kind in ("grant", "loan") for s in first.used)
    assert paid_for >= len(names) - 1  # all but private donors paid for grants or loans
