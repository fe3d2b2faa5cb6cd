#!/usr/bin/env python3
"""Import configuration of the Lyon foundation's books (a beangulp script).

    python importers/config.py extract importers/samples/ -e ledger/lyon/main.beancount
    fundledger import importers/samples/*.xml --ledger ledger/lyon/main.beancount

``CONFIG`` (and ``HOOKS``) is also what Fava's import page reads (fava option
``import-config``).  Each importer may be given its own name (``name="..."``), so that two
importers of one format can sit here side by side.  The
bank accounts are found from the IBANs on their ``open`` directives in the ledger; the
categorisation rules are in ``rules.toml`` beside this file.
"""

from pathlib import Path

import beangulp

from fundledger.importers import (
    FRENCH,
    ITALIAN,
    CamtImporter,
    CfonbImporter,
    CsvImporter,
    OfxImporter,
    load_rules,
)

HERE = Path(__file__).resolve().parent
LEDGER = HERE.parent / "ledger" / "lyon" / "main.beancount"
RULES = load_rules(HERE / "rules.toml")

#: Where ``fundledger import --apply`` appends, relative to the ledger's folder; None
#: appends to the ledger file itself.
OUTPUT = None

CONFIG = [
    CamtImporter(RULES, ledger=LEDGER),
    CfonbImporter(RULES, ledger=LEDGER),
    OfxImporter(RULES, ledger=LEDGER),
    CsvImporter(FRENCH, RULES, ledger=LEDGER),
    CsvImporter(ITALIAN, RULES, ledger=LEDGER),
]

#: Functions run on what was extracted, as beangulp runs them (``fundledger import`` too):
#: ``hook(extracted, existing_entries) -> extracted``, each item being
#: ``(filename, entries, account, importer)``.
HOOKS: list = []

if __name__ == "__main__":
    beangulp.Ingest(CONFIG, HOOKS)()
