"""Bad usage (SPEC 5): exit 2 with one clear line on stderr, as a real process.

Both the commands' own checks and click's usage errors (unknown option value, bad date,
missing argument), which click alone prints in four lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import assert_one_line_refusal, run_process
from .statements import BOOKS


@pytest.mark.parametrize("args", [
    pytest.param(["funds", BOOKS, "--at", "2019-13-01"], id="bad-date"),
    pytest.param(["funds", BOOKS, "--format", "xml"], id="bad-format"),
    pytest.param(["trace", BOOKS], id="missing-option"),
    pytest.param(["report", "quarterly", BOOKS, "--quarter", "2026-Q5"], id="bad-quarter"),
])
def test_bad_usage_one_line(args: list) -> None:
    assert_one_line_refusal(run_process(*args))


def test_bad_output_suffix_writes_nothing(tmp_path: Path) -> None:
    output = tmp_path / "rapport.docx"
    result = run_process("report", "quarterly", BOOKS, "--quarter", "2026-Q3", "-o", output)
    assert_one_line_refusal(result, output)
    assert list(tmp_path.iterdir()) == []
