"""Shared paths and helpers for the importer tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from fundledger.cli import cli

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
SAMPLES = ROOT / "importers" / "samples"
CONFIG = ROOT / "importers" / "config.py"
MINI = DATA / "lyon-mini.beancount"


@pytest.fixture(autouse=True)
def _elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from a folder without an import configuration (the repository's would be found
    from the current folder)."""
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    """A private copy of the small Lyon-like ledger (with no import configuration near it)."""
    target = tmp_path / "books" / "main.beancount"
    target.parent.mkdir()
    shutil.copy(MINI, target)
    return target


def run(*args: str | Path):
    """``fundledger ARGS`` in-process; returns click's result (stdout and stderr apart)."""
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
