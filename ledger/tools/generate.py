#!/usr/bin/env python3
"""Write the two demo books, ledger/lyon/ and ledger/torino/, deterministically.

Run from anywhere: ``python ledger/tools/generate.py``.  The output is committed; the
test suite checks it passes ``fundledger check`` and pins its key figures, so a change
here shows up as a reviewed diff of the books.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import lyon  # noqa: E402
import torino  # noqa: E402


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    lyon.write(root)
    torino.write(root)


if __name__ == "__main__":
    main()
