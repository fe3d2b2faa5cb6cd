"""Tax receipts: the gifts that call for one, the receipts the books record, FL802 and FL803.

A gift opens a French tax reduction when it comes from a person (form Cerfa 11580,
article 200 of the *Code général des impôts*) or a company (Cerfa 16216, article 238 bis),
its origin is *générosité* (``origin: "generosite"``, or a person's gift with no
``origin:``), and it is not marked ``receipt: FALSE``.  ``fundledger receipts`` records
each receipt it issues in the books::

    2025-09-15 custom "receipt" "2025-0001" "Transports Rhodaniens" 25000.00 EUR
      form: "16216"
      issuer: "ful"          ; only when a host issues it (else the books' own series)

The :class:`Receipts` family rides the engine's pass: it lists the gifts, reads the
receipts, and reports FL802 (a receipt whose gift is gone or changed) and FL803 (a number
used twice, a gap in a series).
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from beancount.core import data

from fundledger.engine.accounts import Kind
from fundledger.engine.chart import origin_of  # one rule for a contribution's origin
from fundledger.engine.directives import OPERATING_CURRENCY, Malformed, _values
from fundledger.engine.family import Move, RuleFamily
from fundledger.engine.model import ZERO

#: Form number by contributor kind.
FORMS = {"person": "11580", "company": "16216"}

#: Article of the Code général des impôts each form's reduction comes from.
ARTICLES = {"11580": "200", "16216": "238 bis"}

#: Accounts whose postings give money: contributions, and pledges (promised, then paid).
_GIVING = frozenset({Kind.CONTRIBUTION, Kind.PLEDGE})

#: A receipt number: the year, a dash, the sequence number (``2025-0001``).
NUMBER = re.compile(r"^(\d{4})-(\d+)$")

#: The series of receipts a ledger issues in its own name (no ``issuer:``).
OWN = ""


class Gift(NamedTuple):
    """Money a contributor gave in one transaction (contributions, or a pledge paid)."""

    date: datetime.date
    contributor: str
    kind: str | None
    origin: str
    amount: Decimal
    wanted: bool       # ``receipt: FALSE`` makes it False
    #: The transaction's metadata (how it was paid, the gift's form), not the transaction:
    #: a server's books would otherwise keep every loaded gift beside its annotated copy.
    meta: dict[str, Any]

    @property
    def form(self) -> str | None:
        """The receipt's form, when this gift opens a tax reduction."""
        if self.wanted and self.origin == "generosite" and self.amount > 0:
            return FORMS.get(str(self.kind))
        return None


@dataclass(frozen=True)
class Receipt:
    """A ``custom "receipt" NUMBER CONTRIBUTOR AMOUNT`` directive."""

    number: str
    contributor: str
    amount: Decimal
    date: datetime.date
    issuer: str
    form: str
    #: The directive (None for a receipt being issued, not yet in the books).
    entry: data.Custom | None

    @property
    def year(self) -> int:
        return int(NUMBER.match(self.number).group(1))  # type: ignore[union-attr]

    @property
    def sequence(self) -> int:
        return int(NUMBER.match(self.number).group(2))  # type: ignore[union-attr]


def read_receipt(entry: data.Custom) -> Receipt:
    number, contributor, amount = _values(entry, "ssa")
    if not NUMBER.match(number):
        raise Malformed(f'receipt number "{number}" is not YEAR-SEQUENCE (e.g. 2025-0001)')
    if amount.currency != OPERATING_CURRENCY:
        raise Malformed(f"amount must be in {OPERATING_CURRENCY}, not {amount.currency}")
    issuer = entry.meta.get("issuer", OWN)
    form = entry.meta.get("form", "")
    if not isinstance(issuer, str) or not isinstance(form, str):
        raise Malformed("issuer: and form: must be strings")
    return Receipt(number, contributor, amount.number, entry.date, issuer, form, entry)


class Receipts(RuleFamily):
    """Lists gifts and receipts; FL802 and FL803 at the end of the pass."""

    directives = ("receipt",)

    def __init__(self, books: Any) -> None:
        super().__init__(books)
        self.gifts: list[Gift] = []
        self.receipts: list[Receipt] = []
        #: Receipt of each gift that has one (by the gift's position in :attr:`gifts`).
        self.receipted: dict[int, Receipt] = {}

    def custom(self, entry: data.Custom) -> None:
        try:
            self.receipts.append(read_receipt(entry))
        except Malformed as exc:
            self.error("FL103", entry, directive=entry.type, reason=exc)

    def transaction(self, txn: data.Transaction, moves: list[Move]) -> None:
        given: dict[str, Decimal] | None = None
        for move in moves:
            # A contribution credited is given; a pledge credited is a promise paid; a
            # pledge debited (the promise itself) cancels its contribution: not given yet.
            if move.kind in _GIVING:
                name = contributor_of(txn, move.posting)
                if given is None:
                    given = {}
                given[name] = given.get(name, ZERO) - move.number
        if given is None:
            return
        kind = txn.meta.get("contributor-kind")
        for name, amount in given.items():
            if amount > 0:
                self.gifts.append(Gift(txn.date, name, kind if isinstance(kind, str) else None,
                                       origin_of(txn), amount,
                                       txn.meta.get("receipt") is not False, txn.meta))

    def finish(self, last: datetime.date | None) -> None:
        self._match()
        for breach in sequence_breaches((r.issuer, r.number, r) for r in self.receipts
                                        if r.issuer == OWN):
            number, issuer, what, receipt = breach
            self.error("FL803", receipt.entry, number=number,
                       issuer=issuer or "these books", what=what)
        for breach in sequence_breaches(((r.issuer, r.number, r) for r in self.receipts
                                         if r.issuer != OWN), gaps=False):
            number, issuer, what, receipt = breach
            self.error("FL803", receipt.entry, number=number, issuer=issuer, what=what)

    def _match(self) -> None:
        """Pair each receipt with its gift: same date, same contributor, same amount."""
        waiting: dict[tuple[datetime.date, str], list[int]] = defaultdict(list)
        for index, gift in enumerate(self.gifts):
            if gift.form is not None:
                waiting[(gift.date, gift.contributor)].append(index)
        for receipt in self.receipts:
            candidates = waiting.get((receipt.date, receipt.contributor), [])
            same = [i for i in candidates if self.gifts[i].amount == receipt.amount]
            if same:
                candidates.remove(same[0])
                self.receipted[same[0]] = receipt
            elif candidates:
                gift = self.gifts[candidates.pop(0)]
                self.error("FL802", receipt.entry, number=receipt.number,
                           contributor=receipt.contributor,
                           what=f"{receipt.amount:.2f} EUR, but the gift of {receipt.date} is "
                                f"{gift.amount:.2f} EUR")
            else:
                self.error("FL802", receipt.entry, number=receipt.number,
                           contributor=receipt.contributor,
                           what=f"no gift of {receipt.contributor} on {receipt.date} opens a "
                                "tax reduction any more")

    def unreceipted(self, year: int) -> list[Gift]:
        """The year's gifts that call for a receipt and have none, in date order."""
        return [gift for index, gift in enumerate(self.gifts)
                if gift.form is not None and gift.date.year == year
                and index not in self.receipted]


def contributor_of(txn: data.Transaction, posting: data.Posting) -> str:
    """Who gave: the posting's or transaction's ``contributor:``, else the payee."""
    name = (posting.meta or {}).get("contributor") or txn.meta.get("contributor")
    return str(name or txn.payee or txn.narration or "unknown contributor")


def sequence_breaches(receipts: Iterable[tuple[str, str, Any]], gaps: bool = True
                      ) -> list[tuple[str, str, str, Any]]:
    """FL803 of receipts given as (issuer, number, what to point at): a number used twice,
    and (with ``gaps``) each number missing from a series, one series per issuer and year,
    which runs from 1 to its highest number.  Returns (number, issuer, what, pointer)."""
    series: dict[tuple[str, int], dict[int, list[tuple[str, Any]]]] = defaultdict(
        lambda: defaultdict(list))
    for issuer, number, pointer in receipts:
        match = NUMBER.match(number)
        if match:
            series[(issuer, int(match.group(1)))][int(match.group(2))].append((number, pointer))
    breaches = []
    for (issuer, year), numbers in sorted(series.items()):
        for sequence in sorted(numbers):
            for number, pointer in numbers[sequence][1:]:
                breaches.append((number, issuer, "number used twice", pointer))
        if gaps:
            missing = [n for n in range(1, max(numbers) + 1) if n not in numbers]
            if missing:
                after = min(n for n in numbers if n > missing[0])
                number, pointer = numbers[after][0]
                shown = ", ".join(f"{year}-{n:04d}" for n in missing[:5])
                more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
                breaches.append((number, issuer, f"gap in the {year} series: {shown}{more} "
                                                 "missing", pointer))
    return breaches


def receipts_of(books: Any) -> Receipts:
    """The :class:`Receipts` family of analysed books."""
    return books.families[Receipts]
