"""Crash safety: ``fundledger import --apply`` killed at the worst moment, or at random, or
cut short by a full disk leaves the old ledger or the new one, never a half; concurrent
runs never interleave; an edit saved meanwhile is never lost.  Reports and the public site
are whole or absent; a truncated load cache is ignored.

These run fundledger as real processes: a crash and a lock are properties of processes.
``FUNDLEDGER_FAULT`` is the test hook of :mod:`fundledger.files` (``os._exit`` at a point
of :func:`fundledger.files.atomic_write`).
"""

from __future__ import annotations

import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fundledger.files import FAULT_STATUS, atomic_write, lock_path, locked
from fundledger.importers.session import ImportRefused
from fundledger.importers.session import locked as importer_locked
from fundledger.ledger import load

from .conftest import assert_one_line_refusal, full_env, run, run_process
from .statements import CAMT, CFONB, OFX, base, books

TEMPS = ".main.beancount.*.tmp"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name in (CAMT, CFONB, OFX):
        (tmp_path / name).write_bytes(base(name))
    books(tmp_path)
    return tmp_path


def new_version(tmp_path: Path, *statements: str) -> bytes:
    """The ledger after a clean import of ``statements``, made in a folder of its own."""
    other = tmp_path / "reference"
    other.mkdir()
    ledger = books(other)
    done = run_process("import", *(tmp_path / s for s in statements), "--ledger", ledger,
                       "--apply")
    assert done.returncode == 0, done.stderr
    return ledger.read_bytes()


def bank_refs(ledger: Path) -> list[str]:
    return re.findall(r'bank-ref: "([^"]*)"', ledger.read_text(encoding="utf-8"))


@pytest.mark.parametrize("point", ["after-temp-write", "before-temp-write"])
def test_fault_between_write_and_rename_leaves_the_old_ledger(folder: Path, point: str) -> None:
    ledger = folder / "main.beancount"
    old = ledger.read_bytes()
    new = new_version(folder, CAMT)
    crashed = run_process("import", folder / CAMT, "--ledger", ledger, "--apply",
                          env={"FUNDLEDGER_FAULT": point})
    assert crashed.returncode == FAULT_STATUS, crashed.stderr
    assert ledger.read_bytes() == old
    assert not load(ledger).errors
    orphans = list(folder.glob(TEMPS))
    assert len(orphans) == 1  # the crash left its temporary file, as a real one would
    with locked(ledger, wait=0):  # the dead process's lock died with it
        pass
    if point == "after-temp-write":
        assert orphans[0].read_bytes() == new  # complete, but never renamed into place

    again = run_process("import", folder / CAMT, "--ledger", ledger, "--apply")
    assert again.returncode == 0, again.stderr
    assert ledger.read_bytes() == new
    assert not list(folder.glob(TEMPS))  # the orphan was swept by the next write
    assert run_process("check", ledger).returncode == 0


def test_sigkill_at_random_moments_never_leaves_half_a_ledger(folder: Path) -> None:
    ledger = folder / "main.beancount"
    old = ledger.read_bytes()
    new = new_version(folder, CAMT, OFX)
    seen = set()
    draw = random.Random(20261123)
    for _ in range(6):
        ledger.write_bytes(old)
        process = subprocess.Popen(
            [sys.executable, "-m", "fundledger.cli", "import", str(folder / CAMT),
             str(folder / OFX), "--ledger", str(ledger), "--apply"],
            env=full_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(draw.uniform(0.0, 2.0))  # anywhere in the run, the write included
        process.send_signal(signal.SIGKILL)
        status = process.wait()
        now = ledger.read_bytes()
        assert now in (old, new), f"half-written ledger after kill (status {status})"
        seen.add("new" if now == new else "old")
    assert "old" in seen  # the loop did interrupt runs (a kill before the write)
    finish = run_process("import", folder / CAMT, folder / OFX, "--ledger", ledger, "--apply")
    assert finish.returncode == 0, finish.stderr
    assert ledger.read_bytes() == new
    assert not list(folder.glob(TEMPS))


def test_concurrent_applies_are_serialised(folder: Path) -> None:
    """Five runs at once, two of them the same statement: every line lands exactly once.

    Which run comes first is left to chance (see also
    test_statement_older_than_the_last_import_keeps_the_ledger_clean).
    """
    ledger = folder / "main.beancount"
    new_version(folder, CFONB, CAMT, OFX)
    expected = sorted(bank_refs(folder / "reference" / "main.beancount"))
    assert len(expected) == len(set(expected)) > 10
    jobs = [CAMT, CFONB, OFX, CAMT, OFX]
    processes = [subprocess.Popen(
        [sys.executable, "-m", "fundledger.cli", "import", str(folder / name), "--ledger",
         str(ledger), "--apply"], env=full_env(), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True) for name in jobs]
    outcomes = [(p.wait(), p.stderr.read()) for p in processes]
    for process in processes:
        process.stdout.close()
        process.stderr.close()
    assert [status for status, _ in outcomes] == [0] * len(jobs), outcomes
    assert sorted(bank_refs(ledger)) == expected  # nothing lost, nothing twice
    assert sum(" 0 new entries appended" in err for _, err in outcomes) >= 2  # the repeats
    assert run_process("check", ledger).returncode == 0
    assert not list(folder.glob(TEMPS))


def test_files_locked_excludes_the_importer_and_a_waiting_apply_rereads(folder: Path) -> None:
    ledger = folder / "main.beancount"
    assert lock_path(ledger) == folder / ".main.beancount.lock"
    with locked(ledger):
        with pytest.raises(ImportRefused, match="another import"), importer_locked(ledger, 0.1):
            pass
        waiting = subprocess.Popen(
            [sys.executable, "-m", "fundledger.cli", "import", str(folder / CAMT), "--ledger",
             str(ledger), "--apply"], env=full_env(), stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        time.sleep(1.0)  # lets it reach the lock; the assertions hold whenever it does
        # Meanwhile this writer books one of the statement's lines by hand.
        head = base(CAMT).decode()
        ref = re.search(r"<AcctSvcrRef>([^<]+)</AcctSvcrRef>", head)[1]
        text = ledger.read_text(encoding="utf-8")
        atomic_write(ledger, text + f'\n2026-10-02 * "Saisie manuelle"\n  bank-ref: "{ref}"\n'
                     "  Assets:Bank:CaisseEpargne  -8000.00 EUR\n  Assets:Suspense\n"
                     "2026-10-01 open Assets:Suspense\n")
    _out, err = waiting.communicate()
    assert waiting.returncode == 0, err
    assert bank_refs(ledger).count(ref) == 1  # it read the ledger after the lock was free
    assert run_process("check", ledger).returncode == 0


def test_statement_older_than_the_last_import_keeps_the_ledger_clean(folder: Path) -> None:
    ledger = folder / "main.beancount"
    for statement in (CAMT, CFONB):  # CFONB's lines start a day before CAMT's
        done = run_process("import", folder / statement, "--ledger", ledger, "--apply")
        assert done.returncode == 0, done.stderr
    check = run_process("check", ledger)
    assert check.returncode == 0, check.stdout


def test_apply_through_a_symlinked_ledger_updates_the_real_file(folder: Path) -> None:
    """A ledger reached through a link: the link stays a link, the real file gets the entries."""
    real = folder / "main.beancount"
    link = folder / "books-link.beancount"
    link.symlink_to(real.name)
    new = new_version(folder, CAMT)
    done = run_process("import", folder / CAMT, "--ledger", link, "--apply")
    assert done.returncode == 0, done.stderr
    assert link.is_symlink()
    assert real.read_bytes() == new


def test_report_killed_before_rename_keeps_the_previous_report(folder: Path) -> None:
    """Every output goes through atomic_write: a report crashing mid-write is not half there."""
    ledger = folder / "main.beancount"
    output = folder / "rapport.html"
    output.write_text("rapport précédent\n", encoding="utf-8")
    args = ("report", "quarterly", ledger, "--quarter", "2026-Q3", "-o", output)
    crashed = run_process(*args, env={"FUNDLEDGER_FAULT": "after-temp-write"})
    assert crashed.returncode == FAULT_STATUS, crashed.stderr
    assert output.read_text(encoding="utf-8") == "rapport précédent\n"
    done = run_process(*args)
    assert done.returncode == 0, done.stderr
    assert output.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not list(folder.glob(".rapport.html.*.tmp"))


def test_publish_killed_mid_write_leaves_no_litter_after_the_next_run(folder: Path) -> None:
    ledger = folder / "main.beancount"
    site = folder / "site"
    crashed = run_process("publish", ledger, "-o", site,
                          env={"FUNDLEDGER_FAULT": "after-temp-write"})
    assert crashed.returncode == FAULT_STATUS, crashed.stderr
    assert not site.exists()  # no half site
    done = run_process("publish", ledger, "-o", site)
    assert done.returncode == 0, done.stderr
    assert (site / "index.html").is_file() or any(site.rglob("*.html"))
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".site")) == []


def test_an_edit_saved_during_an_import_is_not_lost(folder: Path, monkeypatch) -> None:
    """Fava's editor takes no lock: its save between the import's read and write survives."""
    from fundledger import files

    ledger = folder / "main.beancount"
    saved = '\n2026-10-31 note Assets:Bank:CaisseEpargne "saisi dans Fava"\n'

    def editor_saves_first(path, content, **options):
        with open(ledger, "a", encoding="utf-8") as handle:  # Fava writes in place
            handle.write(saved)
        return atomic_write(path, content, **options)

    # Every append to a ledger (import --apply, close) goes through files.append_to_ledger.
    monkeypatch.setattr(files, "atomic_write", editor_saves_first)
    result = run("import", folder / CAMT, "--ledger", ledger, "--apply")
    assert saved in ledger.read_text(encoding="utf-8")
    if result.exit_code == 2:
        assert len(result.stderr.splitlines()) == 1, result.stderr
    else:
        assert result.exit_code == 0 and "bank-ref" in ledger.read_text(encoding="utf-8")


def corrupt_cache(ledger: Path) -> Path:
    """Beancount writes its pickle cache in place: a crash can leave it truncated."""
    from fundledger.ledger import cache_pattern

    cache = ledger.with_name(cache_pattern(ledger).format(filename=ledger.name))
    cache.write_bytes(b"\x80\x04\x95garbage")
    return cache


def test_a_truncated_load_cache_is_ignored(folder: Path) -> None:
    ledger = folder / "main.beancount"
    clean = run_process("funds", ledger, "--format", "json")
    corrupt_cache(ledger)
    cached = run_process("funds", ledger, "--format", "json", env={
        "BEANCOUNT_DISABLE_LOAD_CACHE": None})
    assert (cached.returncode, cached.stdout) == (0, clean.stdout)
    assert "Traceback" not in cached.stderr


def test_a_truncated_load_cache_is_ignored_quietly(folder: Path) -> None:
    ledger = folder / "main.beancount"
    corrupt_cache(ledger)
    result = run_process("check", ledger, env={"BEANCOUNT_DISABLE_LOAD_CACHE": None})
    assert result.returncode == 0
    assert result.stderr == ""


def test_a_write_cut_short_by_a_full_disk_changes_nothing(folder: Path) -> None:
    """A file-size limit (as a full disk or a quota) stops the temporary file half-way."""
    import resource

    ledger = folder / "main.beancount"
    old = ledger.read_bytes()
    limit = len(old) + 200  # the new ledger is larger: its write fails in the middle

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))  # Python ignores SIGXFSZ

    result = run_process("import", folder / CAMT, "--ledger", ledger, "--apply",
                         preexec_fn=small_disk)
    assert_one_line_refusal(result, ledger)
    assert "File too large" in result.stderr or "cannot write" in result.stderr
    assert ledger.read_bytes() == old
    assert not list(folder.glob(TEMPS))


def test_a_lock_that_cannot_be_made_is_reported_as_such(folder: Path) -> None:
    ledger = folder / "main.beancount"
    before = ledger.read_bytes()
    lock_path(ledger).mkdir()  # as a read-only folder would, the lock file cannot be made
    result = run("import", folder / CAMT, "--ledger", ledger, "--apply")
    line = assert_one_line_refusal(result, ledger)
    assert "cannot create the lock file" in line
    assert ledger.read_bytes() == before
