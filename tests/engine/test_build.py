"""``fundledger --version`` says whether the engine runs compiled; a stale compiled module
is set aside for its source, and the results never depend on which one runs."""

from __future__ import annotations

import importlib.machinery
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fundledger.engine import build

FUNDLEDGER = Path(sys.executable).with_name("fundledger")
ENGINE = Path(build.__file__).parent
DEMO = Path(__file__).resolve().parents[2] / "ledger" / "lyon" / "main.beancount"
COMPILED = sorted(build.compiled_modules())
#: Which of the engine's modules were imported from an extension, printed by a child.
REPORT = ("import sys, fundledger.engine.core, fundledger.engine.lots; "
          "print(sorted(n.rsplit('.', 1)[1] for n, m in sys.modules.items() "
          "if n.startswith('fundledger.engine.') and not str(getattr(m, '__file__', '')"
          ").endswith('.py')))")


def test_version_says_how_the_engine_runs() -> None:
    done = subprocess.run([str(FUNDLEDGER), "--version"], capture_output=True, text=True,
                          check=True)
    assert done.stdout.startswith("fundledger, version ")
    assert "(engine: " in done.stdout
    if os.environ.get("FUNDLEDGER_REQUIRE_COMPILED"):
        assert "(engine: compiled)" in done.stdout
        assert {"core", "lots", "markers", "budget"} <= set(COMPILED)


def test_stale_builds_are_found_by_their_stamp(tmp_path: Path) -> None:
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    for name in ("core", "lots"):
        shutil.copy(ENGINE / f"{name}.py", tmp_path / f"{name}.py")
        (tmp_path / f"{name}{suffix}").write_bytes(b"")
        (tmp_path / f"{name}.sha256").write_text(
            build.source_digest(tmp_path / f"{name}.py") + "\n", encoding="ascii")
    (tmp_path / "model.py").write_text("# never compiled\n", encoding="utf-8")
    assert build.stale_builds(tmp_path) == [] and build.compiled_modules(tmp_path) == [
        "core", "lots"]
    with (tmp_path / "core.py").open("a", encoding="utf-8") as source:
        source.write("# edited after the build\n")
    assert build.stale_builds(tmp_path) == ["core"]
    (tmp_path / "lots.sha256").unlink()  # an extension setup.py did not stamp
    assert build.stale_builds(tmp_path) == ["core", "lots"]


@pytest.mark.skipif("core" not in COMPILED, reason="the engine is not compiled here")
def test_a_stale_module_runs_from_its_source_and_says_so(tmp_path: Path) -> None:
    copy = tmp_path / "fundledger"
    shutil.copytree(ENGINE.parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    fresh = subprocess.run([sys.executable, "-c", REPORT], capture_output=True, text=True,
                           env=env, check=True)
    assert fresh.stderr == "" and "'core'" in fresh.stdout and "'lots'" in fresh.stdout
    with (copy / "engine" / "core.py").open("a", encoding="utf-8") as source:
        source.write("\n# edited after the build\n")
    stale = subprocess.run([sys.executable, "-c", REPORT], capture_output=True, text=True,
                           env=env, check=True)
    assert "'core'" not in stale.stdout and "'lots'" in stale.stdout
    assert stale.stderr.count("runs partly as plain Python") == 1
    assert "compiled build of core is older than its source" in stale.stderr


@pytest.mark.skipif(not COMPILED, reason="the engine is not compiled here")
def test_plain_and_compiled_engines_give_the_same_figures() -> None:
    def run(**env: str) -> str:
        return subprocess.run(
            [str(FUNDLEDGER), "trace", str(DEMO), "--contributor", "Banque des Territoires",
             "--format", "json"], capture_output=True, text=True, check=True,
            env={**os.environ, "FUNDLEDGER_NO_CACHE": "1", **env}).stdout

    plain = subprocess.run([sys.executable, "-c", REPORT], capture_output=True, text=True,
                           check=True, env={**os.environ, "FUNDLEDGER_PLAIN_ENGINE": "1"})
    assert plain.stdout.strip() == "[]"
    figures = run()
    assert '"given"' in figures and figures == run(FUNDLEDGER_PLAIN_ENGINE="1")
