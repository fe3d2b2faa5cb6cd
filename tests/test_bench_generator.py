"""The benchmark's ledger generator (bench/generate.py): clean, deterministic, faithful.

The benchmark itself is run by hand (no timed assertions here); what the suite guards is
that the ledgers it measures are the ones SPEC 8 describes: clean SPEC 3 books, the same
postings in the hledger journal, and byte-identical output for the same seed.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from fundledger.cli import cli
from fundledger.engine import analyse
from fundledger.ledger import load

ROOT = Path(__file__).resolve().parents[1]
SIZE = 500


def _generator():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench/generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_generate", module)
    spec.loader.exec_module(module)
    return module


gen = _generator()


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("bench") / "500"
    gen.write(SIZE, directory, seed=8)
    return directory


@pytest.fixture(scope="module")
def loaded(ledgers: Path):
    return load(ledgers / "fund.beancount")


def test_generated_ledger_passes_fundledger_check(ledgers: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(ledgers / "fund.beancount")])
    assert result.exit_code == 0, result.output
    assert "no errors" in result.output


def test_exact_transaction_count_and_realistic_mix(ledgers: Path, loaded) -> None:
    text = (ledgers / "fund.beancount").read_text(encoding="utf-8")
    assert len(re.findall(r"^\d{4}-\d\d-\d\d \* ", text, flags=re.M)) == SIZE
    assert text.count('plugin "fundledger.plugins.funds"') == 1
    books = analyse(loaded.entries)
    assert books.errors == []
    assert len(books.funds) == 8
    assert books.funds["dotation"].non_consumable_endowment
    # Every element of the mix SPEC 8 asks for is there.
    assert len(books.grants) >= 10 and any(g.paid and g.paid < g.awarded for g in
                                           books.grants.values())
    assert any(g.revoked or g.payable for g in books.grants.values())
    assert books.loans and any(loan.repaid > 0 for loan in books.loans.values())
    assert any(loan.meta.get("term-months") for loan in books.loans.values())
    assert books.transfers and any(t.source == "dotation" for t in books.transfers)
    assert "dotation" in books.spending_rules
    assert any(f.pledges_outstanding > 0 for f in books.figures.values())
    assert "Versement promesse" in text  # pledges are paid too
    assert books.impacts
    assert len(re.findall(r"^\d{4}-\d\d-\d\d balance ", text, flags=re.M)) >= 20
    assert 'custom "fund-transfer"' in text and "Assets:Receivable:Pledges:Partners" in text
    # Every fund ends with money available, as a clean foundation's would.
    assert all(f.available >= 0 for f in books.figures.values())


def test_bare_copy_only_drops_the_plugin_line(ledgers: Path) -> None:
    full = (ledgers / "fund.beancount").read_text(encoding="utf-8").splitlines()
    bare = (ledgers / "bare.beancount").read_text(encoding="utf-8").splitlines()
    assert [line for line in full if "fundledger.plugins.funds" not in line] == bare
    result = CliRunner().invoke(cli, ["check", str(ledgers / "bare.beancount")])
    assert result.exit_code == 0, result.output  # fundledger still checks it: clean too


def test_same_seed_same_bytes_other_seed_other_ledger(tmp_path: Path) -> None:
    gen.write(SIZE, tmp_path / "a", seed=8)
    gen.write(SIZE, tmp_path / "b", seed=8)
    gen.write(SIZE, tmp_path / "c", seed=9)
    for name in ("fund.beancount", "bare.beancount", "fund.journal"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert (tmp_path / "a/fund.beancount").read_bytes() != (
        tmp_path / "c/fund.beancount").read_bytes()


def _journal_fund_totals(journal: str) -> dict[str, Decimal]:
    """Income minus expenses per fund tag, read straight from the journal text."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for match in re.finditer(r"^    (Income|Expenses):\S+\s+(-?[\d.]+) EUR\s+; fund: (\S+)$",
                             journal, flags=re.M):
        totals[match[3]] -= Decimal(match[2])
    return dict(totals)


def test_journal_has_the_same_postings_with_the_fund_as_a_tag(ledgers: Path, loaded) -> None:
    journal = (ledgers / "fund.journal").read_text(encoding="utf-8")
    assert len(re.findall(r"^\d{4}-\d\d-\d\d \* ", journal, flags=re.M)) == SIZE
    books = analyse(loaded.entries)
    totals = _journal_fund_totals(journal)
    for name, figures in books.figures.items():
        assert totals.get(name, Decimal(0)) == figures.received - figures.spent, name


@pytest.mark.skipif(shutil.which("hledger") is None, reason="hledger not installed")
def test_hledger_reads_the_journal_and_pivots_on_fund(ledgers: Path, loaded) -> None:
    out = subprocess.run(
        ["hledger", "-f", str(ledgers / "fund.journal"), "balance", "--pivot", "fund",
         "Income", "Expenses", "-O", "csv"],
        capture_output=True, text=True, check=True).stdout  # assertions checked too
    rows = {line.split(",")[0].strip('"'): line.split(",")[1].strip('"')
            for line in out.splitlines()[1:] if line.strip()}
    books = analyse(loaded.entries)
    for name, figures in books.figures.items():
        value = Decimal(rows[name].replace(" EUR", "").replace("EUR", "") or "0")
        assert -value == figures.received - figures.spent, name


def test_funds_json_of_generated_ledger_matches_engine(ledgers: Path, loaded) -> None:
    result = CliRunner().invoke(cli, ["funds", str(ledgers / "fund.beancount"),
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {row["fund"]: row for row in json.loads(result.output)}
    books = analyse(loaded.entries)
    assert set(rows) == set(books.funds)
    assert Decimal(rows["dotation"]["balance"]) >= books.figures["dotation"].contributions


def test_parse_size() -> None:
    assert gen.parse_size("10k") == 10_000
    assert gen.parse_size("1.5k") == 1_500
    assert gen.parse_size("300000") == 300_000


def _runner():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench/run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def test_runner_judges_ratios_against_their_targets() -> None:
    run = _runner()
    assert run.Row("m", "10k", 2.2, 2.0, "≤ 1.10").ok == "yes"
    assert run.Row("m", "10k", 2.3, 2.0, "≤ 1.10").ok == "**NO**"
    assert run.Row("m", "50k", 25_000, 20_000, "≥ 1.00", unit="entries/s").ok == "yes"
    assert run.Row("m", "50k", 5_919, 20_000, "≥ 1.00", unit="entries/s").ok == "**NO**"
    assert run.Row("m", "10k", None, 2.0, "≤ 1.30").ok == "n/a"  # command not there yet
    rows = [run.Row("funds", "10k", 1.0, 1.0, "≤ 1.30"),
            run.Row("funds", "100k", 12.0, 10.0, "≤ 1.30")]
    (scaling,) = run.scaling_rows("10k", "100k", rows)
    assert scaling.ratio == 12.0 and scaling.target == "≤ 11" and scaling.ok == "**NO**"
    table = run.table(rows + [scaling])
    assert table.count("\n") == 4 and "| funds | 100k | 12.00 s | 10.00 s | 1.20× |" in table


def test_runner_measures_a_child_process_alone(tmp_path: Path) -> None:
    run = _runner()
    (tmp_path / ".x.picklecache").write_text("stale")
    grow = "import sys; b = bytearray(80 * 2**20); sys.exit(3)"
    result = run.measure([sys.executable, "-c", grow], cache=False, directory=tmp_path)
    assert result.status == 3
    assert result.peak_mb >= 80  # this child's own peak, not the test process's
    assert result.seconds > 0 and result.cpu > 0
    assert not (tmp_path / ".x.picklecache").exists()  # "no cache" drops cache files
