"""A one-shot command freezes its loaded ledger out of the cycle collector's sight; a
command run in-process (tests, a library user, Fava) never does, since frozen objects are
never freed."""

from __future__ import annotations

import gc
import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from fundledger.cli import cli

LYON = Path(__file__).resolve().parents[1] / "ledger" / "lyon" / "main.beancount"

FROZEN_AFTER_MAIN = """
import gc, sys
from fundledger.cli import main
sys.argv = ["fundledger", "funds", sys.argv[1]]
try:
    main()
except SystemExit as exit:
    print(exit.code, gc.get_freeze_count())
"""


def test_the_console_command_freezes_its_ledger() -> None:
    env = {**os.environ, "FUNDLEDGER_NO_CACHE": "1"}  # a command that loads the books
    done = subprocess.run([sys.executable, "-c", FROZEN_AFTER_MAIN, str(LYON)],
                          capture_output=True, text=True, check=True, env=env)
    status, frozen = done.stdout.split()[-2:]
    assert status in ("0", "None")
    assert int(frozen) > 10_000  # the loaded entries, at least


def test_an_in_process_command_freezes_nothing() -> None:
    before = gc.get_freeze_count()
    result = CliRunner().invoke(cli, ["funds", str(LYON)])
    assert result.exit_code == 0, result.output
    assert gc.get_freeze_count() == before


def test_the_collector_is_off_while_a_one_shot_command_loads_and_back_after() -> None:
    from fundledger import collector

    seen = []
    saved = collector._one_shot
    try:
        for one_shot in (False, True):
            collector._one_shot = one_shot
            with collector.fewer_collections():
                seen.append((gc.isenabled(), gc.get_threshold()[0]))
                with collector.fewer_collections():  # nested: still off, still raised
                    seen.append((gc.isenabled(), gc.get_threshold()[0]))
                seen.append((gc.isenabled(), gc.get_threshold()[0]))
            seen.append((gc.isenabled(), gc.get_threshold()[0]))
            # A one-shot block's objects are out of the collector's sight after it: its
            # first collection would walk them all (all still in the youngest generation).
            seen.append(gc.get_freeze_count() > 0)
            gc.unfreeze()
    finally:
        collector._one_shot = saved
        gc.unfreeze()
    default = gc.get_threshold()[0]
    assert seen == [(True, 100_000)] * 3 + [(True, default), False] + [
        (False, default)] * 3 + [(True, default), True]


def test_a_one_shot_command_holds_the_collector_off_until_its_books_are_loaded(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Off from the process's start (the imports), on again at the end of the outermost
    load block; a server turns it on at once."""
    from fundledger import collector
    from fundledger.cli import serve as serve_command

    monkeypatch.setattr(collector, "_one_shot", False)
    monkeypatch.setattr(collector, "_held", False)
    seen = []
    try:
        collector.one_shot_process()
        seen.append(gc.isenabled())
        with collector.fewer_collections():
            with collector.fewer_collections():
                pass
            seen.append(gc.isenabled())  # an inner block does not let it go
        seen.append(gc.isenabled())
        collector.one_shot_process()
        seen.append(gc.isenabled())
        monkeypatch.setattr(serve_command, "_run", lambda *_a: seen.append(gc.isenabled()))
        monkeypatch.setattr("fava.application.create_app", lambda *_a, **_k: None)
        monkeypatch.setattr("fundledger.plugins.funds.serving", lambda **_k: None)
        monkeypatch.setattr(collector, "one_malloc_arena", lambda: None)
        result = CliRunner().invoke(serve_command.serve, [str(LYON)])
        assert result.exit_code == 0, result.output
    finally:
        collector.release_collector()
        gc.enable()
        gc.unfreeze()
    assert seen == [False, False, True, False, True]


THREADS_ALLOCATING = """
import ctypes, sys, threading
from fundledger.collector import one_malloc_arena
if sys.argv[1] == "one":
    one_malloc_arena()
def work():
    block = bytearray(100_000)  # a C heap block (above Python's small objects)
    barrier.wait()
barrier = threading.Barrier(4)
threads = [threading.Thread(target=work) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
ctypes.CDLL(None).malloc_stats()
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's malloc only")
def test_a_server_s_threads_share_one_c_heap() -> None:
    """``fundledger serve`` keeps its worker threads on one C heap: with a heap each, rounds
    of pages left some 50 MB no one used again on 100k transactions."""
    def arenas(mode: str) -> int:
        run = subprocess.run([sys.executable, "-c", THREADS_ALLOCATING, mode],
                             capture_output=True, text=True, check=True)
        return run.stderr.count("Arena ")

    assert arenas("default") > 1
    assert arenas("one") == 1
