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

# Fava lists a module's extension classes by the names the module gives them
# (inspect.getmembers, sorted) and keeps the first name of each class: these names put
# the pages in the sidebar in reading order, Funds first; the classes' own names, and so
# the pages' addresses (/extension/FundledgerFunds/), stay as they are.
Fundledger1Funds = FundledgerFunds
Fundledger2Grants = FundledgerGrants
Fundledger3Loans = FundledgerLoans
Fundledger4Budget = FundledgerBudget
Fundledger5Contributors = FundledgerContributors
Fundledger6Programmes = FundledgerProgrammes
Fundledger7Compliance = FundledgerCompliance

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
