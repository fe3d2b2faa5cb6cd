"""What the engine's one pass offers to a family of rules (programmes, closed periods...).

The core pass (:mod:`fundledger.engine.core`) computes the fund figures, grants and loans
of each entry.  A *rule family* rides the same pass: it reads its own ``custom``
directives, sees each transaction after the core has applied it (with its postings
already classified as :class:`Move`\\ s), and finishes once the pass is over.  It keeps
its results on the :class:`~fundledger.engine.core.Books` and reports breaches through
:meth:`RuleFamily.error`, so every figure and rule still comes from one pass.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from beancount.core import data

from fundledger.engine.accounts import Kind
from fundledger.engine.codes import fund_error

if TYPE_CHECKING:  # pragma: no cover
    from fundledger.engine.core import Books


class Move(NamedTuple):
    """One posting of a transaction, as the engine understood it."""

    kind: Kind
    #: The posting's resolved fund ("" for accounts that need none, such as GrantsPayable).
    fund: str
    #: The posting's weight in EUR (its units, or their cost or price in EUR).
    number: Decimal
    posting: data.Posting
    grant: str | None
    loan: str | None


def contributor_of(txn: data.Transaction, posting: data.Posting) -> str:
    """Who gave the money of a contribution or pledge posting: the posting's or the
    transaction's ``contributor:``, else the payee (one rule for the core and families)."""
    name = (posting.meta or {}).get("contributor") or txn.meta.get("contributor")
    return str(name or txn.payee or txn.narration or "unknown contributor")


class RuleFamily:
    """Base of a family of rules computed in the engine's pass.  Subclasses set
    :attr:`directives` to the ``custom`` types they read, and override the hooks."""

    #: ``custom`` directive types this family reads (dispatched to :meth:`custom`).
    directives: ClassVar[tuple[str, ...]] = ()

    def __init__(self, books: Books) -> None:
        self.books = books

    def error(self, code: str, entry: Any, **fields: Any) -> None:
        self.books.errors.append(fund_error(code, entry, **fields))

    def entry(self, entry: data.Directive) -> None:
        """Every entry of the pass, in Beancount's order (before the core handles it)."""

    def custom(self, entry: data.Custom) -> None:
        """One of this family's ``custom`` directives."""

    def transaction(self, txn: data.Transaction, moves: list[Move]) -> None:
        """A transaction, after the core applied it to the funds, grants and loans."""

    def finish(self, last: datetime.date | None) -> None:
        """The pass is over (``last``: the date of its last entry)."""
