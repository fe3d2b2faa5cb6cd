"""fundledger's Fava extension: ``custom "fava-extension" "fundledger.fava"`` in the ledger.

Fava instantiates every extension class found in this module, one sidebar page each.
"""

from fundledger.fava.extension import (
    HOST_PAGES,
    PAGES,
    FundledgerBudget,
    FundledgerCompliance,
    FundledgerConsolidated,
    FundledgerContributors,
    FundledgerFunds,
    FundledgerGrants,
    FundledgerLoans,
    FundledgerProgrammes,
)

__all__ = [
    "HOST_PAGES",
    "PAGES",
    "FundledgerBudget",
    "FundledgerCompliance",
    "FundledgerConsolidated",
    "FundledgerContributors",
    "FundledgerFunds",
    "FundledgerGrants",
    "FundledgerLoans",
    "FundledgerProgrammes",
]
