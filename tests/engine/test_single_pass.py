"""One engine pass per command: the plugin's books serve the command when they fit.

`fundledger funds`, `trace` and `publish` used to run the engine twice over the same
entries (once as the plugin, once for the command).  Now the plugin keeps its books during
fundledger's own loads (:func:`fundledger.ledger.load`), and the command uses them only
when they are the books of exactly the entries it got: not on a cache hit (the plugin did
not run), not when a later plugin changed the entries, not for ``--at``.
"""

from __future__ import annotations

import datetime
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from fundledger.engine import analyse
from fundledger.ledger import load

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def lyon(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "ledger" / "lyon", tmp_path / "lyon")
    return tmp_path / "lyon" / "main.beancount"


def test_the_plugin_books_are_those_a_fresh_analysis_gives(
        lyon: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BEANCOUNT_DISABLE_LOAD_CACHE", "1")
    loaded = load(lyon, trace=True)
    assert loaded.books is not None and loaded.books.tracer is not None
    fresh = analyse(loaded.entries)
    assert loaded.books.figures == fresh.figures
    names = fresh.contributors()
    assert len(names) >= 5 and loaded.books.contributors() == names
    for name in names:
        assert loaded.books.trace(name) == fresh.trace(name), name
    assert loaded.analysis(trace=True) is loaded.books


def test_untraced_plugin_books_serve_funds_but_not_trace(
        lyon: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BEANCOUNT_DISABLE_LOAD_CACHE", "1")
    loaded = load(lyon)
    assert loaded.books is not None and loaded.books.tracer is None
    plugins = loaded.books
    assert loaded.analysis(trace=False) is plugins
    traced = loaded.analysis(trace=True)
    assert traced is not plugins and traced.tracer is not None
    assert loaded.analysis(trace=False) is traced  # kept: not analysed a third time
    # --at asks for other books than the kept ones, and does not replace them
    early = loaded.analysis(datetime.date(2020, 1, 1), trace=False)
    assert early is not traced and loaded.books is traced
    assert early.figures["dotation"].balance != traced.figures["dotation"].balance


def test_a_later_plugin_that_changes_the_entries_gets_a_fresh_analysis(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BEANCOUNT_DISABLE_LOAD_CACHE", "1")
    (tmp_path / "renew.py").write_text(
        "from beancount.core import data\n"
        "__plugins__ = ('renew',)\n"
        "def renew(entries, options_map):\n"
        "    return [e._replace(meta=dict(e.meta)) for e in entries], []\n")
    ledger = tmp_path / "main.beancount"
    ledger.write_text('option "operating_currency" "EUR"\noption "insert_pythonpath" "TRUE"\n'
                      'plugin "fundledger.plugins.funds"\nplugin "renew"\n'
                      "2019-01-01 open Assets:Bank:Main EUR\n"
                      "2019-01-01 open Income:Contributions:Public EUR\n"
                      '2019-01-01 custom "fund" "general" "unrestricted" "Fonds libres"\n'
                      '2019-02-01 * "Métropole de Lyon" "Don"\n  fund: "general"\n'
                      "  Assets:Bank:Main  100.00 EUR\n  Income:Contributions:Public\n")
    loaded = load(ledger, trace=True)
    assert not loaded.errors
    assert loaded.books is None
    books = loaded.analysis(trace=True)
    assert str(books.trace("Métropole de Lyon").unspent[0].amount) == "100.00"


def test_trace_is_the_same_from_a_cold_and_a_warm_cache(
        lyon: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache hit replays entries without running the plugin: the command analyses them."""
    from beancount import loader
    from click.testing import CliRunner

    from fundledger.cli import cli

    monkeypatch.delenv("BEANCOUNT_DISABLE_LOAD_CACHE", raising=False)
    # Beancount writes its cache only for loads of a second or more: always, here.
    monkeypatch.setattr(loader, "PICKLE_CACHE_THRESHOLD", 0)
    args = ["trace", str(lyon), "--contributor", "Banque des Territoires", "--format", "json"]
    cold = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert cold.exit_code == 0, cold.output
    assert list(lyon.parent.glob(".*picklecache")), "the first run should write the cache"
    assert load(lyon, trace=True).books is None  # a cache hit: the plugin did not run
    warm = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert warm.exit_code == 0, warm.output
    assert warm.stdout == cold.stdout
    result = json.loads(cold.stdout)
    given = sum(Decimal(s["amount"]) for s in result["given"])
    assert given == Decimal("1350000.00")
