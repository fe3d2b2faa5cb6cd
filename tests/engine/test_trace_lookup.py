"""A contributor's trace is the same whether it is the first one asked for (found by a
scan of the grants and loans) or a later one (read from an index by contributor)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data

from fundledger.engine import analyse

LYON = Path(__file__).resolve().parents[2] / "ledger" / "lyon" / "main.beancount"
LYON_DAY = datetime.date(2030, 1, 1)


def test_first_and_later_lookups_agree() -> None:
    entries, errors, _ = loader.load_file(str(LYON))
    assert not errors
    names = analyse(entries, trace=False).contributors()
    assert len(names) >= 5
    indexed = analyse(entries)
    indexed.trace(names[-1])  # from now on, lookups go through the index
    # Persons' gifts (withheld donors) came late in the books; unrestricted money goes to
    # costs: every other contributor's money paid for grants or loans.
    persons = {e.payee for e in entries if isinstance(e, data.Transaction)
               and e.meta.get("contributor-kind") == "person"}
    for name in names:
        first = analyse(entries).trace(name)  # a fresh tracer: the scan
        assert first == indexed.trace(name), name
        restricted = any(share.fund != "general" for share in first.given)
        if restricted and name not in persons:
            assert any(s.kind in ("grant", "loan") for s in first.used), name


def test_a_frozen_tracer_traces_alike_and_takes_no_more_events() -> None:
    """A server keeps the books between loads with the lots let go (``Tracer.freeze``):
    every contributor's trace is the same, to the cent and in the same order."""
    entries, _errors, _ = loader.load_file(str(LYON))
    names = analyse(entries, trace=False).contributors()
    before = analyse(entries)
    expected = {name: before.trace(name) for name in names}
    frozen = analyse(entries)
    frozen.tracer.freeze()
    frozen.tracer.freeze()  # twice is once
    assert {name: frozen.trace(name) for name in names} == expected
    assert any(share.kind == "loan" for trace in expected.values() for share in trace.used)
    with pytest.raises(RuntimeError, match="frozen"):
        frozen.tracer.earn("general", 100, LYON_DAY)
