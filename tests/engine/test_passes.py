"""Every command runs the fund engine once: the plugin's pass, or one pass on a cache hit.

The test counts the engine's passes (:meth:`_Pass.run`) while each command runs in this
process, with Beancount's cache off (the plugin runs) and then warm (it does not), and
fails above one.  Fava's load and every page, a contributor's included, count too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from fundledger.cli import cli
from fundledger.engine import core

ROOT = Path(__file__).resolve().parents[2]

COMMANDS = [
    ["check"],
    ["funds"],
    ["funds", "--at", "2024-06-30"],  # a quarter end
    ["funds", "--at", "2024-05-17"],  # any other day
    ["funds", "--at", "2031-01-01"],  # after the last entry
    ["trace", "--contributor", "Caisse d'Épargne"],
    ["trace", "--contributor", "Caisse d'Épargne", "--at", "2023-02-11"],
    ["report", "quarterly", "--quarter", "2025-Q3"],
    ["report", "quarterly", "--quarter", "2027-Q1"],
    ["report", "dedicated-funds", "--year", "2024"],
    ["report", "contributor", "--contributor", "Banque des Territoires"],
    ["budget", "--year", "2026"],
    ["budget", "--year", "2025", "--at", "2025-08-14"],
    ["forecast", "--from", "2026-09-30"],
    ["forecast", "--from", "2025-05-17", "--quarters", "3"],
    ["forecast"],  # from today
]


@pytest.fixture(scope="module")
def lyon(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("passes") / "lyon"
    shutil.copytree(ROOT / "ledger" / "lyon", folder)
    return folder / "main.beancount"


@pytest.fixture()
def passes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    # Answers kept for unchanged books (fundledger.answers) run no pass at all; these
    # tests count what a command does when it has to compute.
    monkeypatch.setenv("FUNDLEDGER_NO_CACHE", "1")
    counted: list[int] = []
    real = core._Pass.run

    def run(self: core._Pass, entries: object) -> None:
        counted.append(1)
        real(self, entries)

    monkeypatch.setattr(core._Pass, "run", run)
    return counted


@pytest.mark.parametrize("cache", ["off", "warm"])
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_one_engine_pass_per_command(command: list[str], cache: str, lyon: Path,
                                     passes: list[int], tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    if cache == "off":
        monkeypatch.setenv("BEANCOUNT_DISABLE_LOAD_CACHE", "1")
    else:
        monkeypatch.delenv("BEANCOUNT_DISABLE_LOAD_CACHE", raising=False)
        from beancount import loader

        monkeypatch.setattr(loader, "PICKLE_CACHE_THRESHOLD", 0)  # cache even a small load
        CliRunner().invoke(cli, ["funds", str(lyon)])  # warms the cache
        passes.clear()
    args = [*command[:2], str(lyon), *command[2:]] if command[0] == "report" else [
        command[0], str(lyon), *command[1:]]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert len(passes) == 1, f"{' '.join(command)}: {len(passes)} engine passes"


def test_publish_runs_the_engine_once(lyon: Path, passes: list[int], tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BEANCOUNT_DISABLE_LOAD_CACHE", "1")
    result = CliRunner().invoke(cli, ["publish", str(lyon), "-o", str(tmp_path / "site")],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert len(passes) == 1


def test_fava_runs_the_engine_once_per_load(lyon: Path, passes: list[int]) -> None:
    from fava.application import create_app

    from fundledger.fava import extension

    app = create_app([str(lyon)], load=True)
    client = app.test_client()
    bfile = app.config["LEDGERS"].first_slug()
    for page in extension.PAGES.values():
        assert client.get(f"/{bfile}/extension/{page}/").status_code == 200
    response = client.get(f"/{bfile}/extension/{extension.PAGES['contributors']}/"
                          "?contributor=Banque%20des%20Territoires")
    assert response.status_code == 200 and "Banque des Territoires" in response.text
    assert len(passes) == 1
