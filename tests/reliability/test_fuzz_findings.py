"""What the fuzzer found, pinned as plain examples and run as real processes (so Python
warnings reach stderr as a user would see them).  Each must give exit 2 and exactly one
stderr line naming the statement, with the ledger untouched.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import assert_one_line_refusal, run_process
from .statements import CAMT, OFX, base, books, import_args


def nul_in_camt(data: bytes) -> bytes:
    return data[:158] + b"\0" + data[159:]


def nul_in_ofx_header(data: bytes) -> bytes:
    return data.replace(b"VERSION:102", b"VERSION:1\x0002", 1)


def misspelt_ofx_tag(data: bytes) -> bytes:
    return data.replace(b"<SEVERITY>INFO", b"<SATUS>INFO", 1)


FINDINGS = [  # all three fixed in the importers (663c6d1); they were:
    # lxml's message ended with a newline: two stderr lines
    pytest.param(CAMT, nul_in_camt, id="camt-nul-byte"),
    # "OFX header is malformed:" then the whole header (13 lines), at a wrong line (79)
    pytest.param(OFX, nul_in_ofx_header, id="ofx-bad-header"),
    # ofxtools' UnknownTagWarning printed on stderr before the refusal
    pytest.param(OFX, misspelt_ofx_tag, id="ofx-unknown-tag-warning"),
]


@pytest.mark.parametrize(("statement", "spoil"), FINDINGS)
def test_finding_refused_in_one_line(tmp_path: Path, statement: str, spoil) -> None:
    ledger = books(tmp_path)
    before = ledger.read_bytes()
    bad = tmp_path / statement
    bad.write_bytes(spoil(base(statement)))
    result = run_process(*import_args(bad, ledger))
    assert_one_line_refusal(result, bad)
    assert ledger.read_bytes() == before
