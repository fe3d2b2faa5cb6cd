"""De-duplication: nothing imported twice, whatever overlaps.

A bank line with a reference is a duplicate when a transaction of the ledger carries the
same ``bank-ref:`` on the same account; a line without one, when the ledger holds a
posting of the same amount on the same account and day not already matched by another
line.  Balance assertions are duplicates when the ledger asserts the same balance on the
same day, ``open`` directives when the account is already open.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from beancount.core import data

from fundledger.collector import fewer_collections

#: beangulp's marker: a marked entry is printed commented out by ``beangulp extract``.
DUPLICATE = "__duplicate__"
BANK_REF = "bank-ref"


class Seen:
    """What the ledger already holds, indexed for constant-time look-ups.

    The index of plain amounts is built only when a line without a bank reference asks
    for it (most bank lines carry one).
    """

    def __init__(self, existing: Iterable[data.Directive]) -> None:
        self.refs: set[tuple[str, str]] = set()
        self._plain: Counter[tuple] | None = None
        self.balances: set[tuple] = set()
        self.opened: set[str] = set()
        self.transactions: list[data.Transaction] = []
        for entry in existing:
            self.add(entry)

    def add(self, entry: data.Directive) -> None:
        if isinstance(entry, data.Transaction):
            ref = entry.meta.get(BANK_REF) if entry.meta else None
            if ref is not None:
                ref = str(ref)
                for posting in entry.postings:
                    self.refs.add((posting.account, ref))
            self.transactions.append(entry)
            if self._plain is not None:
                self._count(entry)
        elif isinstance(entry, data.Balance):
            self.balances.add((entry.date, entry.account, entry.amount.number))
        elif isinstance(entry, data.Open):
            self.opened.add(entry.account)

    def _count(self, entry: data.Transaction) -> None:
        plain = self._plain
        for posting in entry.postings:
            if posting.units is not None and posting.units.number is not None:
                plain[(entry.date, posting.account, posting.units.number)] += 1

    @property
    def plain(self) -> Counter[tuple]:
        """(date, account, amount) -> how many postings of the ledger have it, unclaimed."""
        if self._plain is None:
            self._plain = Counter()
            for entry in self.transactions:
                self._count(entry)
        return self._plain

    def claim(self, entry: data.Directive) -> bool:
        """True when ``entry`` is already in the ledger (and use up what matched it)."""
        if isinstance(entry, data.Transaction):
            posting = entry.postings[0]
            ref = entry.meta.get(BANK_REF)
            if ref is not None:
                return (posting.account, str(ref)) in self.refs
            key = (entry.date, posting.account, posting.units.number)
            plain = self.plain
            if plain[key] > 0:
                plain[key] -= 1
                return True
            return False
        if isinstance(entry, data.Balance):
            return (entry.date, entry.account, entry.amount.number) in self.balances
        if isinstance(entry, data.Open):
            return entry.account in self.opened
        return False


def mark_duplicates(entries: list[data.Directive], existing: Iterable[data.Directive]) -> int:
    """Mark (beangulp's way) the entries the ledger already holds; return how many."""
    count = 0
    with fewer_collections():
        seen = Seen(existing)
        for entry in entries:
            if seen.claim(entry):
                entry.meta[DUPLICATE] = True
                count += 1
    return count
