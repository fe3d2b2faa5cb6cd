"""``fundledger --version`` says how tracing runs; a stale compiled tracer is set aside."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fundledger.engine import build, tracing

FUNDLEDGER = Path(sys.executable).with_name("fundledger")


def test_version_says_how_tracing_runs() -> None:
    done = subprocess.run([str(FUNDLEDGER), "--version"], capture_output=True, text=True,
                          check=True)
    mode = "compiled" if tracing.compiled() else "plain"
    assert done.stdout.startswith("fundledger, version ")
    assert f"(tracing: {mode}" in done.stdout
    if os.environ.get("FUNDLEDGER_REQUIRE_COMPILED"):
        assert "(tracing: compiled)" in done.stdout


@pytest.mark.skipif(not tracing.compiled(), reason="only a compiled tracer can be stale")
def test_a_stale_compiled_tracer_runs_as_plain_python(tmp_path: Path) -> None:
    source = tmp_path / "lots.py"
    shutil.copy(build.SOURCE, source)
    stamp = tmp_path / "lots.sha256"
    stamp.write_text(build.source_digest(source) + "\n", encoding="ascii")
    script = ("import sys; from pathlib import Path; from fundledger.engine import build; "
              f"m = build.load_tracer(Path({str(source)!r}), Path({str(stamp)!r})); "
              "print(m.compiled(), build.tracing_mode())")
    fresh = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           check=True)
    assert fresh.stdout.split()[0] == "True" and fresh.stderr == ""
    source.write_text(source.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    stale = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           check=True)
    assert stale.stdout.startswith("False plain (its compiled build is older")
    assert stale.stderr.count("runs as plain Python") == 1
