"""Statement files other open-source parsers use as their own test data (see
``data/real/SOURCES.md``), each against its expected extraction (beangulp's convention),
and the Lithuanian bank's daily camt.053 statements imported in any order.

Files whose movements do not add up to their own balances (test data written by hand for
other parsers) are refused by default, naming both figures, and read with balances off
(``--no-balance``) for their expected extraction.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from beancount.core import data
from beangulp import testing

from fundledger.importers import default_importers
from fundledger.importers.statement import StatementError
from fundledger.ledger import load

from .conftest import DATA, run

REAL = DATA / "real"
VERSIONS = DATA / "versions"
DAILY = sorted((REAL / "lt-daily").glob("*.xml"))
ACCOUNT = "Assets:Bank:Real"

#: Files refused as they are, and the two figures the refusal names.
REFUSED = {
    "akretion-bank_statement.cfo": ("-1999.92", "11871.14"),
    "genkgo-camt053.v2.all-balance-types.xml": ("9.860", "4.04"),
    "genkgo-camt053.v2.five.decimals.xml": ("27.000", "27.050"),
    "genkgo-camt053.v2.minimal.xml": ("27.00", "-27.00"),
    "genkgo-camt053.v3.xml": ("27.00", "-27.00"),
    "genkgo-camt053.v4.xml": ("27.00", "-27.00"),
    "genkgo-camt053.v8.xml": ("27.00", "-27.00"),
}
#: Files with nothing to check their movements against: refused unless --no-balance.
UNCHECKED = {
    "bsp-camt053_duplicate_same_day.xml": "no balance (Bal)",
    "bsp-sample.ofx": "no closing balance (LEDGERBAL)",
    "bsp-sample.qfx": "no closing balance (LEDGERBAL)",
    "ofxparse-ofx-v102-empty-tags.ofx": "no closing balance (LEDGERBAL)",
}
FILES = sorted(p for p in [*REAL.iterdir(), *VERSIONS.iterdir(), *DAILY[:2]]
               if p.is_file() and not p.name.endswith((".beancount", ".md")))


def importer_for(path: Path, balances: bool = True):
    found = [imp for imp in default_importers(account=ACCOUNT, balances=balances)
             if imp.identify(str(path))]
    assert len(found) == 1, (path.name, [imp.name for imp in found])
    return found[0]


@pytest.mark.parametrize("document", FILES, ids=lambda p: p.name)
def test_real_file_matches_its_expected_extraction(document: Path) -> None:
    balances = document.name not in REFUSED and document.name not in UNCHECKED
    importer = importer_for(document, balances)
    account, date, name, entries = testing.run_importer(importer, str(document))
    expected = document.with_name(document.name + ".beancount")
    if os.environ.get("FUNDLEDGER_REGENERATE"):
        testing.write_expected_file(str(expected), account, date, name, entries, force=True)
    diff = testing.compare_expected(str(expected), account, date, name, entries)
    assert not diff, "".join(diff)
    assert any(isinstance(e, data.Transaction | data.Balance) for e in entries)
    for entry in entries:  # amounts with two decimals at least
        if isinstance(entry, data.Transaction):
            assert entry.postings[0].units.number.as_tuple().exponent <= -2


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_statements_that_do_not_add_up_are_refused_naming_both_figures(name: str) -> None:
    with pytest.raises(StatementError) as caught:
        importer_for(REAL / name).extract(str(REAL / name), [])
    computed, stated = REFUSED[name]
    assert f"= {computed}, but the statement gives a closing balance of {stated}" in str(
        caught.value)


@pytest.mark.parametrize("name", sorted(UNCHECKED))
def test_unchecked_statements_are_refused_unless_no_balance(name: str) -> None:
    with pytest.raises(StatementError, match=UNCHECKED[name].replace("(", r"\(")
                       .replace(")", r"\)")):
        importer_for(REAL / name).extract(str(REAL / name), [])
    entries = importer_for(REAL / name, balances=False).extract(str(REAL / name), [])
    assert not [e for e in entries if isinstance(e, data.Balance)]


def test_two_identical_movements_of_one_day_are_both_imported() -> None:
    path = REAL / "bsp-camt053_duplicate_same_day.xml"
    entries = importer_for(path, balances=False).extract(str(path), [])
    moves = [(str(e.date), str(e.postings[0].units.number)) for e in entries
             if isinstance(e, data.Transaction)]
    assert moves == [("2026-04-07", "-4.50"), ("2026-04-07", "-4.50")]


DAILY_BOOKS = """option "operating_currency" "EUR"
2024-01-01 open Assets:Bank:Main EUR
  iban: "LT625883379695428516"
2024-01-01 open Assets:Bank:Second EUR
  iban: "LT414319056143772570"
2024-01-01 open Equity:Opening EUR
2024-03-01 * "Opening balances"
  Assets:Bank:Main  27229398.96 EUR
  Assets:Bank:Second  4801.55 EUR
  Equity:Opening
"""


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_daily_statements_in_any_order_end_with_the_bank_lines_and_hold(tmp_path: Path,
                                                                        seed: int) -> None:
    """Ten daily camt.053.001.08 statements of a Lithuanian bank (entries without a
    booking date nor status, balances without an indicator), imported one by one in a
    shuffled order, some twice: every balance holds and each movement is there once."""
    ledger = tmp_path / "books.beancount"
    ledger.write_text(DAILY_BOOKS)
    files = list(DAILY)
    random.Random(seed).shuffle(files)
    files += files[:3]
    for path in files:
        result = run("import", path, "--ledger", ledger, "--apply")
        assert result.exit_code == 0, result.stderr
    loaded = load(ledger)
    assert [e.message for e in loaded.errors] == []
    expected = sum(1 for path in DAILY
                   for e in importer_for(path).extract(str(path), [])
                   if isinstance(e, data.Transaction))
    got = sum(1 for e in loaded.entries if isinstance(e, data.Transaction)) - 1
    assert got == expected
    assert run("import", *DAILY, "--ledger", ledger, "--apply").exit_code == 0
    assert len(load(ledger).entries) == len(loaded.entries)
