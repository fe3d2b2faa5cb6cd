"""Shared helpers of the reliability tests: run fundledger in-process or as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner, Result

from fundledger.cli import cli

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
ROOT = HERE.parents[1]
SAMPLES = ROOT / "importers" / "samples"
CONFIG = ROOT / "importers" / "config.py"
MINI = ROOT / "tests" / "importers" / "data" / "lyon-mini.beancount"


def run(*args: str | Path) -> Result:
    """``fundledger ARGS`` in-process; an exception escaping the command fails the test."""
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def run_process(*args: str | Path, env: dict[str, str | None] | None = None,
                **kwargs) -> subprocess.CompletedProcess:
    """``fundledger ARGS`` as a real process (crashes, signals, locks need one)."""
    return subprocess.run([sys.executable, "-m", "fundledger.cli", *map(str, args)],
                          capture_output=True, text=True, env=full_env(env), **kwargs)


def full_env(extra: dict[str, str | None] | None = None) -> dict[str, str]:
    """The environment of a test process: no load cache unless asked; None removes a name."""
    env = dict(os.environ, BEANCOUNT_DISABLE_LOAD_CACHE="1")
    for name, value in (extra or {}).items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def assert_one_line_refusal(result, *names: str | Path) -> str:
    """Exit 2, nothing on stdout, one stderr line naming each of ``names``, no traceback."""
    stderr = result.stderr
    status = getattr(result, "exit_code", getattr(result, "returncode", None))
    assert status == 2, (status, stderr)
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    for name in names:
        assert str(name) in lines[0], (name, lines[0])
    return lines[0]
