"""The quarterly report stays light: neither pandas nor matplotlib (SPEC 8, 1.50x a load).

pandas' import alone is about a third of a bare Beancount load of a 10k-transaction
ledger, matplotlib's import and drawing more than half: either one back in the quarterly
report's path breaks SPEC 8's budget.  The command runs in a fresh interpreter, so a
module imported by an earlier test cannot hide an import.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """
import sys
from fundledger.cli import cli
try:
    cli(sys.argv[1:])
except SystemExit as exc:
    status = exc.code
print("status", status)
for name in ("pandas", "matplotlib", "weasyprint", "jinja2"):
    print(name, name in sys.modules)
"""


def imports_after(*args: str) -> dict[str, str]:
    result = subprocess.run([sys.executable, "-c", SCRIPT, *args], capture_output=True,
                            text=True, check=True, timeout=300)
    return dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_quarterly_report_imports_neither_pandas_nor_matplotlib(
        ledger_path: Path, tmp_path: Path, lang: str) -> None:
    out = tmp_path / "q.html"
    seen = imports_after("report", "quarterly", str(ledger_path), "--quarter", "2025-Q3",
                         "--lang", lang, "-o", str(out))
    assert seen["status"] == "0"
    assert out.read_text(encoding="utf-8").count("<svg") == 4  # the charts were drawn
    assert seen["pandas"] == "False"
    assert seen["matplotlib"] == "False"
    assert seen["weasyprint"] == "False"  # HTML needs no PDF engine
    assert seen["jinja2"] == "True"  # the check does see what the report imports
