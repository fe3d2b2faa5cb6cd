"""A contributor's trace is the same whether it is the first one asked for (found by a
scan of the grants and loans) or a later one (read from an index by contributor)."""

from __future__ import annotations

from pathlib import Path

from beancount import loader
from beancount.core import data

from fundledger.engine import analyse

LYON = Path(__file__).resolve().parents[2] / "ledger" / "lyon" / "main.beancount"


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
