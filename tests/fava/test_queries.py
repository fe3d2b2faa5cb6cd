"""The saved BQL queries: each runs (through beanquery and the `bean-query` command) and
gives the engine's figures; the demo books expose them to Fava as `query` entries."""

from __future__ import annotations

import datetime
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data
from beanquery import query as bql

from fundledger.engine import analyse
from fundledger.queries import as_beancount, saved_queries
from tests.fava.conftest import REPO, write_small

D = Decimal
BEAN_QUERY = Path(sys.executable).with_name("bean-query")

#: A contribution whose payee is not the contributor (SPEC 3.5: `contributor:` wins).
BEQUEST = """
2020-10-01 * "Notary office" "Bequest"
  fund: "general"
  contributor: "Heir Foundation"
  Assets:Bank:Current  1000.00 EUR
  Income:Contributions:Partners
"""


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = write_small(tmp_path_factory.mktemp("queries"))
    path.write_text(path.read_text() + BEQUEST)
    return path


@pytest.fixture(scope="module")
def loaded(ledger: Path) -> tuple[list[data.Directive], dict]:
    entries, errors, options = loader.load_file(str(ledger))
    assert [e.message.split()[0] for e in errors] == ["FL201"]
    return entries, options


def run(loaded: tuple[list[data.Directive], dict], name: str) -> list[tuple]:
    entries, options = loaded
    _types, rows = bql.run_query(entries, options, saved_queries()[name])
    return rows


def units(inventory: object) -> Decimal:
    """The EUR number of a one-currency inventory or position (0 when empty)."""
    positions = list(getattr(inventory, "get_positions", lambda: [inventory])())
    return sum((p.units.number for p in positions if p is not None), D(0))


def test_the_saved_queries() -> None:
    assert list(saved_queries()) == ["fund-balances", "fund-movements", "grants-pipeline",
                                     "loans", "contributions", "suspense"]


def test_fund_balances_are_the_engine_balances_before_transfers(loaded: tuple) -> None:
    books = analyse(loaded[0])
    rows = dict(run(loaded, "fund-balances"))
    assert rows == {"dotation": D("1020000.00"), "general": D("-79000.00"),
                    "zero-waste": D("20000.00")}
    for fund, figures in books.figures.items():
        assert rows[fund] == figures.balance - figures.transfers_in + figures.transfers_out


def test_fund_movements(loaded: tuple) -> None:
    rows = {(fund, account): units(amount) for fund, account, amount
            in run(loaded, "fund-movements")}
    assert rows == {
        ("dotation", "Income:Contributions"): D("-1000000.00"),
        ("dotation", "Income:Investment"): D("-20000.00"),
        ("general", "Assets:Loans"): D("2700.00"),
        ("general", "Assets:Receivable"): D("15000.00"),
        ("general", "Expenses:Admin"): D("100000.00"),
        ("general", "Income:Contributions"): D("-21000.00"),
        ("zero-waste", "Expenses:Grants"): D("30000.00"),
        ("zero-waste", "Income:Contributions"): D("-50000.00"),
    }


def test_grants_pipeline_is_net_awarded_and_still_payable(loaded: tuple) -> None:
    books = analyse(loaded[0])
    rows = {(grant, account): units(amount) for grant, account, amount
            in run(loaded, "grants-pipeline")}
    for grant in books.grants.values():
        assert rows[grant.id, "Expenses:Grants"] == grant.net
        assert -rows[grant.id, "Liabilities:GrantsPayable"] == grant.remaining
    assert rows["G-2020-001", "Liabilities:GrantsPayable"] == D("-15000.00")


def test_loans(loaded: tuple) -> None:
    rows = run(loaded, "loans")
    assert [(loan, fund, borrower, units(out)) for loan, fund, borrower, out in rows] == [
        ("L-2020-001", "general", "Repair Cafe", D("2700.00"))]


def test_contributions_by_contributor(loaded: tuple) -> None:
    rows = {(who, fund): given for who, fund, given in run(loaded, "contributions")}
    assert rows == {("Heir Foundation", "general"): D("1000.00"),
                    ("Metropole", "dotation"): D("1000000.00"),
                    ("Savings Bank", "zero-waste"): D("50000.00"),
                    ("Territory Bank", "general"): D("20000.00")}
    books = analyse(loaded[0])
    for (who, fund), given in rows.items():
        assert {s.fund: s.amount for s in books.trace(who).given}[fund] == given


def test_suspense_items(loaded: tuple) -> None:
    rows = run(loaded, "suspense")
    assert len(rows) == 1
    date, flag, payee, _narration, account, position, bank_ref = rows[0]
    assert (date, flag, payee, account, bank_ref) == (
        datetime.date(2021, 1, 11), "!", "Unknown", "Assets:Suspense", "REF-0042")
    assert position.units.number == D("-120.00")


@pytest.mark.parametrize("name", list(saved_queries()))
def test_each_query_runs_with_bean_query(ledger: Path, name: str) -> None:
    """What the docs tell users to type: bean-query LEDGER "$(cat queries/NAME.bql)"."""
    text = (REPO / "queries" / f"{name}.bql").read_text(encoding="utf-8")
    done = subprocess.run([str(BEAN_QUERY), "-q", "-f", "csv", str(ledger), text],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.strip().splitlines()
    assert len(lines) >= 2  # a header and at least one row on this ledger


def test_root_queries_folder_is_the_package_data() -> None:
    assert (REPO / "queries").resolve() == (REPO / "src" / "fundledger" / "queries").resolve()


@pytest.mark.parametrize("book", ["lyon", "torino"])
def test_demo_books_expose_the_saved_queries_to_fava(book: str) -> None:
    path = REPO / "ledger" / book / "queries.beancount"
    if not path.exists() or " query " not in path.read_text(encoding="utf-8"):
        pytest.skip(f"{path} not written yet")
    entries, errors, _options = loader.load_file(str(path))
    assert not errors
    queries = {e.name: e.query_string for e in entries if isinstance(e, data.Query)}
    assert queries == saved_queries()
    first = min(e.date for e in entries)
    assert path.read_text(encoding="utf-8") == as_beancount(first)


def test_query_entries_load_in_a_ledger(tmp_path: Path) -> None:
    path = write_small(tmp_path)
    (tmp_path / "queries.beancount").write_text(as_beancount(datetime.date(2019, 1, 1)))
    path.write_text(path.read_text() + '\ninclude "queries.beancount"\n')
    entries, errors, _options = loader.load_file(str(path))
    assert [e.message.split()[0] for e in errors] == ["FL201"]
    assert [e.name for e in entries if isinstance(e, data.Query)] == list(saved_queries())
    from fava.application import create_app

    fava = create_app([str(path)], load=True).config["LEDGERS"].ledgers[0]
    assert [e.message.split()[0] for e in fava.errors] == ["FL201"]  # the option is known
    assert fava.fava_options.sidebar_show_queries == len(saved_queries())
    assert [q.name for q in fava.all_entries_by_type.Query] == list(saved_queries())
