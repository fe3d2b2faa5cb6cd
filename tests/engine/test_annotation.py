"""The plugin copies each posting's resolved fund onto it, on new postings of new
transactions written once the engine's pass is over, and a server's pass lets the tracer's
lots go before it does (so the copies and the lots are never in memory together)."""

from __future__ import annotations

import gc
import operator
import textwrap
from decimal import Decimal

from beancount import loader
from beancount.core import data
from beancount.parser import booking, parser

from fundledger.engine import analyse
from fundledger.engine.receipts import receipts_of
from fundledger.plugins import funds as plugin

LEDGER = textwrap.dedent("""\
    option "operating_currency" "EUR"
    plugin "fundledger.plugins.funds"
    2024-01-01 open Assets:Bank:CaisseEpargne EUR
    2024-01-01 open Income:Contributions:Metropole EUR
    2024-01-01 open Expenses:Programs:Accompagnement EUR
    2024-01-01 custom "fund" "zero-dechet" "restricted" "Tendre vers le zéro déchet"
    2024-02-01 * "Métropole de Lyon" "Dotation du thème zéro déchet"
      fund: "zero-dechet"
      Assets:Bank:CaisseEpargne  100.00 EUR
      Income:Contributions:Metropole  -100.00 EUR
    2024-03-01 * "Atelier Soli'Gones" "Accompagnement au-delà du fonds"
      fund: "zero-dechet"
      Assets:Bank:CaisseEpargne  -150.00 EUR
      Expenses:Programs:Accompagnement  150.00 EUR
    """)


def _parsed() -> tuple[list[data.Directive], dict]:
    entries, errors, options = parser.parse_string(LEDGER)
    assert not errors
    entries, errors = booking.book(entries, options)
    assert not errors
    return entries, options


def _transactions(entries: list[data.Directive]) -> list[data.Transaction]:
    return [e for e in entries if isinstance(e, data.Transaction)]


def test_the_fund_is_written_on_new_postings_and_the_loaded_ones_stay_as_they_were() -> None:
    entries, options = _parsed()
    loaded_transactions = _transactions(entries)
    others = [e for e in entries if not isinstance(e, data.Transaction)]
    out, _errors = plugin.funds(entries, options)
    for loaded, annotated in zip(loaded_transactions, _transactions(out), strict=True):
        assert loaded is not annotated
        assert all("fund" not in (p.meta or {}) for p in loaded.postings)
    assert [{p.account: (p.meta or {}).get("fund") for p in txn.postings}
            for txn in _transactions(out)] == [
        {"Assets:Bank:CaisseEpargne": None, "Income:Contributions:Metropole": "zero-dechet"},
        {"Assets:Bank:CaisseEpargne": None, "Expenses:Programs:Accompagnement": "zero-dechet"},
    ]
    assert [e for e in out if not isinstance(e, data.Transaction)] == others


def test_the_plugin_puts_the_copies_in_the_loader_s_list_so_the_loaded_ones_are_freed() -> None:
    """Beancount's loader keeps the list it gives a plugin until every plugin has run: a
    copy beside the loaded transaction would keep both alive that long (and a receipt's
    gift, which the books keep, would keep the loaded one for good)."""
    entries, options = _parsed()
    assert plugin.funds(entries, options)[0] is entries
    entries, options = _parsed()
    loaded = {id(e): e.narration for e in entries if isinstance(e, data.Transaction)}
    books = analyse(entries, options=options, annotate=True, in_place=True)  # kept, as Fava
    assert books.entries is entries and len(receipts_of(books).gifts) == 1  # the books keep
    copies = {id(e) for e in entries}
    gc.collect()
    assert [o for o in gc.get_objects() if type(o) is data.Transaction and id(o) in loaded
            and id(o) not in copies and o.narration == loaded[id(o)]] == []
    again, options = _parsed()  # without in_place, the list given is left alone
    as_loaded = list(again)
    books = analyse(again, options=options, annotate=True)
    assert books.entries is not again and all(map(operator.is_, again, as_loaded))
    assert _transactions(books.entries)[0] is not _transactions(again)[0]


def test_an_error_points_at_the_annotated_entry_the_loader_returns() -> None:
    """Fava's link from an error opens the entry by its hash: it must be the entry Fava has,
    not the one the pass read before writing the funds on it."""
    entries, errors, _options = loader.load_string(LEDGER)
    [overdraft] = [e for e in errors if getattr(e, "code", None) == "FL201"]
    assert any(entry is overdraft.entry for entry in entries)
    assert overdraft.entry.postings[1].meta["fund"] == "zero-dechet"
    assert overdraft.source["lineno"] == 11


def test_a_pass_that_freezes_its_tracer_traces_alike() -> None:
    entries, options = _parsed()
    plain = analyse(entries, options=options, annotate=True)
    frozen = analyse(entries, options=options, annotate=True, freeze_trace=True)
    assert frozen.tracer is not None and frozen.tracer._frozen is not None
    assert plain.tracer is not None and plain.tracer._frozen is None
    for name in ("Métropole de Lyon", "Atelier Soli'Gones"):
        assert frozen.trace(name) == plain.trace(name)
    assert frozen.trace("Métropole de Lyon").used[0].amount == Decimal("100.00")
    assert [e.postings for e in _transactions(frozen.entries)] == [
        e.postings for e in _transactions(plain.entries)]


def test_a_server_keeps_its_books_with_the_lots_let_go(monkeypatch) -> None:
    monkeypatch.setattr(plugin._Served, "enabled", True)
    monkeypatch.setattr(plugin._Served, "trace", True)
    monkeypatch.setattr(plugin._Served, "books", None)
    entries, _errors, _options = loader.load_string(LEDGER)
    books = plugin.last_books(entries)
    assert books is not None and books.tracer is not None
    assert books.tracer._frozen is not None
    assert books.trace("Métropole de Lyon").used[0].amount == Decimal("100.00")
