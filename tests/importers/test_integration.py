"""The importers from the outside: concurrent --apply, the beangulp script, Fava, the demo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from beancount.core import data

from fundledger.files import locked
from fundledger.ledger import load

from .conftest import CONFIG, MINI, ROOT, SAMPLES, run


def test_concurrent_applies_are_serialised(ledger: Path) -> None:
    """Two processes importing everything at once: each entry lands exactly once."""
    args = [sys.executable, "-m", "fundledger.cli", "import",
            *map(str, sorted(SAMPLES.iterdir())),
            "--ledger", str(ledger), "--apply", "--config", str(CONFIG)]
    procs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outcomes = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    assert [rc for _out, _err, rc in outcomes] == [0, 0], outcomes
    appended = sorted(err.split(": ")[1].split(" new")[0] for _out, err, _rc in outcomes)
    assert appended == ["0", "26"], outcomes
    loaded = load(ledger)
    assert not loaded.errors
    refs = [e.meta["bank-ref"] for e in loaded.entries
            if isinstance(e, data.Transaction) and "bank-ref" in e.meta]
    assert len(refs) == len(set(refs)) == 14


def test_a_held_lock_makes_apply_refuse_in_one_line(ledger: Path, monkeypatch) -> None:
    """Another writer holds the ledger's lock: --apply waits, then refuses, writing nothing."""
    from fundledger import files

    monkeypatch.setattr(files, "LOCK_WAIT", 0.2)
    before = ledger.read_bytes()
    with locked(ledger):
        result = run("import", SAMPLES / "caisse-epargne-2026-10-16.ofx", "--ledger", ledger,
                     "--apply", "--config", CONFIG)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"fundledger: {ledger}: another import or fundledger "
                                    "process is writing to it")
    assert len(result.stderr.splitlines()) == 1
    assert ledger.read_bytes() == before
    assert run("import", SAMPLES / "caisse-epargne-2026-10-16.ofx", "--ledger", ledger,
               "--apply", "--config", CONFIG).exit_code == 0  # released: taken at once


def test_beangulp_script_identifies_and_extracts(tmp_path: Path) -> None:
    sample = SAMPLES / "caisse-epargne-2026-10-01.camt053.xml"
    env = {**os.environ, "BEANCOUNT_DISABLE_LOAD_CACHE": "1"}
    identify = subprocess.run([sys.executable, str(CONFIG), "identify", str(SAMPLES)],
                              capture_output=True, text=True, env=env, timeout=120)
    assert identify.returncode == 0, identify.stderr
    for name in ("fundledger.camt053", "fundledger.cfonb120", "fundledger.ofx",
                 "fundledger.csv.fr"):
        assert name in identify.stdout
    extract = subprocess.run([sys.executable, str(CONFIG), "extract", str(sample),
                              "-e", str(MINI)], capture_output=True, text=True, env=env,
                             timeout=120)
    assert extract.returncode == 0, extract.stderr
    assert 'grant: "G-2026-003"' in extract.stdout
    assert "2026-10-14 balance Assets:Bank:CaisseEpargne" in extract.stdout


def test_fava_reads_the_configuration() -> None:
    from fava.core.ingest import load_import_config

    loaded = load_import_config(CONFIG)
    names = sorted(loaded.importers)
    assert names == ["fundledger.camt053", "fundledger.cfonb120", "fundledger.csv.fr",
                     "fundledger.csv.it", "fundledger.ofx"]
    camt = loaded.importers["fundledger.camt053"]
    assert camt.identify(SAMPLES / "caisse-epargne-2026-10-01.camt053.xml")
    assert not camt.identify(SAMPLES / "caisse-epargne-2026-10-16.ofx")


DEMO = ROOT / "ledger" / "lyon"


@pytest.mark.skipif(not (DEMO / "main.beancount").exists(), reason="no Lyon demo books")
def test_samples_continue_the_lyon_demo_books(tmp_path: Path) -> None:
    """The samples start where the demo books end: imported, every balance still holds."""
    books = tmp_path / "lyon"
    # Without Beancount's pickle cache: a copied cache names the original files, and
    # would replay the original books.
    shutil.copytree(DEMO, books, ignore=shutil.ignore_patterns("*.picklecache"))
    result = run("import", *sorted(SAMPLES.iterdir()), "--ledger", books / "main.beancount",
                 "--apply", "--config", CONFIG)
    assert result.exit_code == 0, result.stderr
    loaded = load(books / "main.beancount")
    assert [e.message for e in loaded.errors] == []
    closing = {(e.date.isoformat(), e.account): str(e.amount.number) for e in loaded.entries
               if isinstance(e, data.Balance) and e.date.isoformat() >= "2026-10-31"}
    assert closing == {("2026-10-31", "Assets:Bank:CaisseEpargne"): "337313.00"}
