"""Account kinds: which accounts carry funds, grants and loans, from the ledger's root names.

The five root names follow Beancount's options (``name_assets``... ``name_expenses``), so a
ledger that writes ``option "name_income" "Produits"`` has its contributions under
``Produits:Contributions`` and every rule applies to them as to ``Income:Contributions``.
The second-level names (``Contributions``, ``Grants``, ``Loans``...) are fixed.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, NamedTuple

from fundledger.engine.model import SUSPENSE


class Kind(enum.IntEnum):
    """What an account is to the fund engine.  The order matters: the engine tests ranges
    (``kind <= Kind.INTEREST`` is "income of a fund"), so new kinds go at the end."""

    INCOME = 0          # other income: investment income and gains
    CONTRIBUTION = 1    # Income:Contributions:*
    INTEREST = 2        # Income:LoanInterest:*
    EXPENSE = 3         # Expenses:* (programmes, admin...)
    GRANT_EXPENSE = 4   # Expenses:Grants:*
    LOAN_LOSS = 5       # Expenses:LoanLosses:*
    LOAN = 6            # Assets:Loans:*
    PLEDGE = 7          # Assets:Receivable:Pledges:*
    PAYABLE = 8         # Liabilities:GrantsPayable*
    OTHER = 9           # everything else: banks, equity... (no fund)
    # Kinds from here on carry no fund either; the engine keeps their balances aside.
    ENDOWMENT = 10      # Assets:Endowment:* (the endowment's securities)
    SUSPENSE = 11       # any account with a Suspense component (unmatched bank lines)


#: Income of a fund (its ``received``).
INCOME_KINDS = frozenset({Kind.INCOME, Kind.CONTRIBUTION, Kind.INTEREST})
#: Spending of a fund (its ``spent``).
EXPENSE_KINDS = frozenset({Kind.EXPENSE, Kind.GRANT_EXPENSE, Kind.LOAN_LOSS})
#: Postings of these kinds must name a fund (FL101).
NEEDS_FUND = INCOME_KINDS | EXPENSE_KINDS | {Kind.LOAN, Kind.PLEDGE}


class Roots(NamedTuple):
    """The ledger's five root account names (Beancount's ``name_*`` options)."""

    assets: str = "Assets"
    liabilities: str = "Liabilities"
    equity: str = "Equity"
    income: str = "Income"
    expenses: str = "Expenses"

    @classmethod
    def of(cls, options: Mapping[str, Any] | None) -> Roots:
        """The roots of a ledger's options (Beancount's defaults where unset)."""
        if not options:
            return cls()
        defaults = cls()
        return cls(*(str(options.get(f"name_{field}") or getattr(defaults, field))
                     for field in cls._fields))

    # Accounts fundledger names itself, under the ledger's roots.
    def bank(self) -> str:
        return f"{self.assets}:Bank"

    def endowment(self) -> str:
        return f"{self.assets}:Endowment"

    def suspense(self) -> str:
        return f"{self.assets}:Suspense"

    def grants_payable(self) -> str:
        return f"{self.liabilities}:GrantsPayable"


class Classifier:
    """Decides an account's :class:`Kind` once per account name (the engine's hot path)."""

    def __init__(self, roots: Roots | None = None) -> None:
        self.roots = roots or Roots()
        r = self.roots
        #: Longest prefix first, so ``Income:Contributions:`` wins over ``Income:``.
        self._prefixes = (
            (f"{r.income}:Contributions", Kind.CONTRIBUTION),
            (f"{r.income}:LoanInterest", Kind.INTEREST),
            (r.income, Kind.INCOME),
            (f"{r.expenses}:Grants", Kind.GRANT_EXPENSE),
            (f"{r.expenses}:LoanLosses", Kind.LOAN_LOSS),
            (r.expenses, Kind.EXPENSE),
            (f"{r.assets}:Loans", Kind.LOAN),
            (f"{r.assets}:Receivable:Pledges", Kind.PLEDGE),
        )
        self._known: dict[str, Kind] = {}

    def __call__(self, account: str) -> Kind:
        kind = self._known.get(account)
        if kind is None:
            kind = self._known[account] = self._classify(account)
        return kind

    def _classify(self, account: str) -> Kind:
        # GrantsPayable, unlike the others, may be the account itself or have any suffix
        # (``Liabilities:GrantsPayable2024`` was accepted before; kept for old books).
        if account.startswith(self.roots.grants_payable()):
            return Kind.PAYABLE
        for prefix, kind in self._prefixes:
            if account == prefix or account.startswith(prefix + ":"):
                return kind
        if SUSPENSE.search(account):
            return Kind.SUSPENSE
        if _under(account, self.roots.endowment()):
            return Kind.ENDOWMENT
        return Kind.OTHER

    def is_bank(self, account: str) -> bool:
        return _under(account, self.roots.bank())

    def is_endowment(self, account: str) -> bool:
        return _under(account, self.roots.endowment())


def _under(account: str, parent: str) -> bool:
    return account == parent or account.startswith(parent + ":")
