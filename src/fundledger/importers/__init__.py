"""Bank statement importers (SPEC 7): camt.053, CFONB 120, OFX and CSV, as beangulp importers.

Use them from a beangulp script or Fava's import page::

    from fundledger.importers import CamtImporter, load_rules
    CONFIG = [CamtImporter(load_rules("rules.toml"))]

or through ``fundledger import STATEMENT... --ledger LEDGER [--apply]``.
"""

from fundledger.importers.base import (
    CamtImporter,
    CfonbImporter,
    CsvImporter,
    OfxImporter,
    StatementImporter,
    default_importers,
)
from fundledger.importers.csvfile import BANKS, FRENCH, ITALIAN, CsvFormat
from fundledger.importers.rules import Rule, Rules, RulesError, load_rules
from fundledger.importers.statement import StatementError

__all__ = [
    "BANKS",
    "FRENCH",
    "ITALIAN",
    "CamtImporter",
    "CfonbImporter",
    "CsvFormat",
    "CsvImporter",
    "OfxImporter",
    "Rule",
    "Rules",
    "RulesError",
    "StatementError",
    "StatementImporter",
    "default_importers",
    "load_rules",
]
