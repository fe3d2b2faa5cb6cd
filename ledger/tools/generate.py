#!/usr/bin/env python3
"""Write the demo books, ledger/lyon/, ledger/torino/ and ledger/host/, deterministically.

Run from anywhere: ``python ledger/tools/generate.py``.  The output is committed; the
test suite checks it passes ``fundledger check`` and pins its key figures, so a change
here shows up as a reviewed diff of the books.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import host  # noqa: E402
import lyon  # noqa: E402
import torino  # noqa: E402


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    book = lyon.write(root)
    torino.write(root)
    host.write(root, book.host_fees, lyon.HOST_FEE_RATE)


if __name__ == "__main__":
    main()
