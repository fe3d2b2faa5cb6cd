"""Contributor tracing's column kernels (``engine/lots.py``) run compiled (Cython) where a
C compiler built them, and as plain Python otherwise, from the same file: both must give
the same traces, to the cent and in
the same order, and the largest-remainder split must be the SPEC 6.3 one on both paths
(int64 and Python-integer arithmetic, ties broken by age then place)."""

from __future__ import annotations

import datetime
import importlib.util
import os
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fundledger.engine
from fundledger.engine import core, lots, tracing
from fundledger.engine.model import TRACE_LIMIT_CENTS
from tests.engine.helpers import load_ledger
from tests.engine.test_properties import arbitrary, arbitrary_ledger, simulate, steps

ROOT = Path(__file__).resolve().parents[2]
BOOKS = [ROOT / "ledger" / "lyon" / "main.beancount", ROOT / "ledger" / "torino" / "main.beancount"]


def _from_source(name: str, file: str):
    spec = importlib.util.spec_from_file_location(
        name, ROOT / "src" / "fundledger" / "engine" / file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _plain_tracing():
    """The tracing module over its kernels run from their source, as plain Python (never
    the extension)."""
    kernels = _from_source("fundledger_lots_plain", "lots.py")
    assert not kernels.compiled()
    saved = sys.modules["fundledger.engine.lots"]
    sys.modules["fundledger.engine.lots"] = fundledger.engine.lots = kernels
    try:
        module = _from_source("fundledger_tracing_plain", "tracing.py")
    finally:
        sys.modules["fundledger.engine.lots"] = fundledger.engine.lots = saved
    assert not module.compiled()
    return module


PLAIN = _plain_tracing()


def test_the_tracer_is_compiled_where_required() -> None:
    """CI builds the extension: a silent fall back to plain Python would be 10x slower."""
    if not tracing.compiled():
        if os.environ.get("FUNDLEDGER_REQUIRE_COMPILED"):
            pytest.fail("fundledger.engine.lots was not compiled (no C compiler?)")
        pytest.skip("tracing runs as plain Python here (no C compiler at install)")
    assert lots.__file__.endswith((".so", ".pyd"))
    assert tracing.Tracer().lots.__class__ is lots.Lots


def reference_split(amount: int, weights: list[int], ages: list[int]) -> list[int]:
    """SPEC 6.3 in the plainest words: floors, then a cent each to the largest remainders,
    a tie going to the older (smaller age), then to the earlier."""
    total = sum(weights)
    if total <= 0 or amount <= 0:
        return [0] * len(weights)
    if amount == total:
        return list(weights)
    shares = [w * amount // total for w in weights]
    remainders = [w * amount % total for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], ages[i], i))
    for i in order[: amount - sum(shares)]:
        shares[i] += 1
    return shares


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_split_is_the_largest_remainder_on_every_path(data) -> None:
    size = data.draw(st.integers(1, 40))
    # Products below 2**62 (int64) and beyond (Python integers); the tracer's limit keeps
    # every sum below 2**62 (TRACE_LIMIT_CENTS).
    scale = data.draw(st.sampled_from([10, 10**6, 10**12, TRACE_LIMIT_CENTS // 64]))
    weights = data.draw(st.lists(st.integers(0, scale), min_size=size, max_size=size))
    amount = data.draw(st.integers(1, min(max(1, sum(weights) * 2), TRACE_LIMIT_CENTS - 1)))
    ages = data.draw(st.lists(st.integers(-1, 5), min_size=size, max_size=size))  # many ties
    for module in (tracing, PLAIN):
        shares = module.split_cents(amount, weights, lambda tied: [ages[i] for i in tied])
        assert shares == reference_split(amount, weights, ages)


def _traces(module, entries: list) -> dict:
    original = tracing.Tracer
    try:
        tracing.Tracer = module.Tracer  # analyse imports Tracer from the tracing module
        books = core.analyse(entries)
    finally:
        tracing.Tracer = original
    return {name: books.trace(name).as_dict() for name in books.contributors()}


def _same(text: str) -> None:
    entries, _errors, _ = loader.load_string(text)
    assert _traces(tracing, entries) == _traces(PLAIN, entries)


@pytest.mark.parametrize("path", BOOKS, ids=lambda p: p.parent.name)
def test_demo_books_trace_alike_compiled_and_plain(path: Path) -> None:
    entries, errors, _ = loader.load_file(str(path))
    assert not errors
    traces = _traces(tracing, entries)
    assert len(traces) >= 3 and any(t["used"] for t in traces.values())
    assert traces == _traces(PLAIN, entries)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(steps.filter(bool), min_size=1, max_size=6))
def test_random_valid_ledgers_trace_alike(chunks) -> None:
    _same(simulate([step for chunk in chunks for step in chunk]))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(arbitrary)
def test_arbitrary_postings_trace_alike(rows) -> None:
    _same(arbitrary_ledger(rows))


REPAID_AND_LENT_AGAIN = """
2019-02-01 * "Métropole de Lyon" "Don"
  fund: "zero"
  Assets:Bank:Main  300.00 EUR
  Income:Contributions:Public

2019-02-02 * "Caisse d'Épargne" "Don"
  fund: "zero"
  Assets:Bank:Main  300.00 EUR
  Income:Contributions:Partners

2019-02-03 * "Métropole de Lyon" "Don"
  fund: "zero"
  Assets:Bank:Main  300.00 EUR
  Income:Contributions:Public

2019-03-01 * "Coopérative" "Prêt d'honneur"
  loan: "P-1"
  fund: "zero"
  term-months: 12
  Assets:Loans:Honour  800.00 EUR
  Assets:Bank:Main

2019-04-01 * "Coopérative" "Remboursement"
  loan: "P-1"
  fund: "zero"
  Assets:Bank:Main  800.00 EUR
  Assets:Loans:Honour

2019-05-01 * "Coopérative" "Prêt d'honneur, de nouveau"
  loan: "P-1"
  fund: "zero"
  Assets:Loans:Honour  400.00 EUR
  Assets:Bank:Main

2019-06-01 * "Atelier" "Accompagnement"
  fund: "zero"
  Expenses:Programs:Accompaniment  500.00 EUR
  Assets:Bank:Main
"""


@pytest.mark.parametrize("module", [tracing, PLAIN], ids=["compiled", "plain"])
def test_a_settled_loan_keeps_one_row_per_contributor(tmp_path: Path, module) -> None:
    """Once all of a loan's money came back, it keeps a row per contributor (its place in
    the results), not one per lot; lent again, it is paid by the oldest lots as ever."""
    entries, errors, _ = load_ledger(tmp_path, REPAID_AND_LENT_AGAIN)
    assert not errors
    original, tracer_class = tracing.Tracer, module.Tracer
    tracer = None

    def keep():
        nonlocal tracer
        tracer = tracer_class()
        return tracer

    try:
        tracing.Tracer = keep
        books = core.analyse(entries, at=datetime.date(2019, 4, 1))
        assert len(tracer.paid_by[("loan", "P-1")]) == 2  # three lots, two contributors
        books = core.analyse(entries)
    finally:
        tracing.Tracer = original
    lyon, caisse = books.trace("Métropole de Lyon"), books.trace("Caisse d'Épargne")
    # Lent again: 300 from Lyon's first lot, 100 from Caisse's; the cost: 200 + 300.
    assert [(s.kind, s.id, s.amount) for s in lyon.used] == [
        ("loan", "P-1", Decimal("300.00")),
        ("expense", "Expenses:Programs:Accompaniment", Decimal("300.00"))]
    assert [(s.kind, s.id, s.amount) for s in caisse.used] == [
        ("loan", "P-1", Decimal("100.00")),
        ("expense", "Expenses:Programs:Accompaniment", Decimal("200.00"))]
    assert lyon.total("unspent") == Decimal("0.00") and caisse.total("unspent") == 0


TWO_FUNDS_GRANT = """
2019-02-01 * "Métropole de Lyon" "Contribution"
  fund: "zero"
  Assets:Bank:Main  100.00 EUR
  Income:Contributions:Partners
2019-02-01 * "Caisse d'Épargne" "Contribution"
  fund: "food"
  Assets:Bank:Main  100.00 EUR
  Income:Contributions:Partners
2019-03-01 * "Ressourcerie" "Subvention sur deux fonds"
  grant: "G-2"
  Expenses:Grants:Themes  60.00 EUR
    fund: "zero"
  Expenses:Grants:Themes  40.00 EUR
    fund: "food"
  Assets:Bank:Main  -100.00 EUR
2019-04-01 * "Ressourcerie" "Remboursement partiel"
  grant: "G-2"
  fund: "zero"
  Assets:Bank:Main  50.00 EUR
  Expenses:Grants:Themes  -50.00 EUR
"""


@pytest.mark.parametrize("module", [tracing, PLAIN], ids=["compiled", "plain"])
def test_a_grant_paid_from_two_funds_gives_back_to_each_fund_s_lots(tmp_path: Path,
                                                                      module) -> None:
    """The lots that paid for a grant keep their fund with the spending that took them:
    money given back returns to each lot in its own fund, in proportion (60/40), and once
    all came back each contributor keeps the grant's place in its own fund."""
    entries, _errors, _ = load_ledger(tmp_path, TWO_FUNDS_GRANT)
    original = tracing.Tracer
    try:
        tracing.Tracer = module.Tracer
        books = core.analyse(entries)
        full = core.analyse(load_ledger(tmp_path, TWO_FUNDS_GRANT + """
2019-05-01 * "Ressourcerie" "Remboursement du reste"
  grant: "G-2"
  fund: "zero"
  Assets:Bank:Main  50.00 EUR
  Expenses:Grants:Themes  -50.00 EUR
""")[0])
    finally:
        tracing.Tracer = original
    lyon, caisse = books.trace("Métropole de Lyon"), books.trace("Caisse d'Épargne")
    assert [(s.fund, s.kind, s.id, s.amount) for s in lyon.used] == [
        ("zero", "grant", "G-2", Decimal("30.00"))]
    assert [(s.fund, s.kind, s.id, s.amount) for s in caisse.used] == [
        ("food", "grant", "G-2", Decimal("20.00"))]
    assert [(s.fund, s.amount) for s in lyon.unspent] == [("zero", Decimal("70.00"))]
    assert [(s.fund, s.amount) for s in caisse.unspent] == [("food", Decimal("80.00"))]
    books.tracer.freeze()
    assert books.trace("Caisse d'Épargne") == caisse
    settled = full.trace("Caisse d'Épargne")
    assert settled.used == [] and [(s.fund, s.amount) for s in settled.unspent] == [
        ("food", Decimal("100.00"))]


LARGE_GRANT = """
2019-02-01 * "Métropole de Lyon" "Dotation"
  fund: "zero"
  Assets:Bank:Main  30000000.00 EUR
  Income:Contributions:Partners
2019-02-02 * "Caisse d'Épargne" "Contribution"
  fund: "zero"
  Assets:Bank:Main  1000.00 EUR
  Income:Contributions:Partners
2019-03-01 * "Ressourcerie" "Première tranche"
  grant: "G-9"
  fund: "zero"
  Expenses:Grants:Themes  12500000.00 EUR
  Assets:Bank:Main
2019-04-01 * "Ressourcerie" "Seconde tranche"
  grant: "G-9"
  fund: "zero"
  Expenses:Grants:Themes  12500000.00 EUR
  Assets:Bank:Main
2019-05-01 * "Ressourcerie" "Remboursement partiel"
  grant: "G-9"
  fund: "zero"
  Assets:Bank:Main  5000000.01 EUR
  Expenses:Grants:Themes  -5000000.01 EUR
2019-06-01 * "Atelier" "Petite subvention"
  grant: "G-10"
  fund: "zero"
  Expenses:Grants:Themes  0.03 EUR
  Assets:Bank:Main
"""


@pytest.mark.parametrize("module", [tracing, PLAIN], ids=["compiled", "plain"])
def test_what_one_lot_paid_beyond_an_int32_of_cents_is_kept_whole(tmp_path: Path,
                                                                  module) -> None:
    """What each lot paid for a grant is kept in 32 bits while it fits (most do) and in 64
    once it does not: 25 M€ from one lot (2.5 billion cents, in two tranches that each fit)
    and a refund of part of it are traced to the cent, before and after a freeze."""
    entries, errors, _ = load_ledger(tmp_path, LARGE_GRANT)
    assert not errors
    original = tracing.Tracer
    try:
        tracing.Tracer = module.Tracer
        books = core.analyse(entries)
    finally:
        tracing.Tracer = original
    lyon = books.trace("Métropole de Lyon")
    assert [(s.kind, s.id, s.amount) for s in lyon.used] == [
        ("grant", "G-9", Decimal("19999999.99")), ("grant", "G-10", Decimal("0.03"))]
    assert [s.amount for s in lyon.unspent] == [Decimal("10000000.01") - Decimal("0.03")]
    assert books.trace("Caisse d'Épargne").used == []
    books.tracer.freeze()
    assert books.trace("Métropole de Lyon") == lyon


@given(st.lists(st.lists(st.integers(0, 2**31 - 1), max_size=40), max_size=6))
@settings(max_examples=200, deadline=None)
def test_lots_waiting_for_the_queue_are_sorted(runs) -> None:
    """Lots given money wait to join their fund's queue in the order they came (runs of
    ascending lots, one per repayment); they join it sorted (the compiled sort is the same
    code, checked through the traces above)."""
    import array

    values = [v for run in runs for v in sorted(run)]
    column = array.array("i", values)
    PLAIN.kernel._sort32(column, len(values))
    assert list(column) == sorted(values)
