"""De-duplication: nothing imported twice, nothing real dropped, whatever overlaps.

Duplicates are decided one to one: each posting already in the books on a bank account
absorbs at most one new line, and a new line is absorbed by at most one posting.  The
bank's reference (``bank-ref:``) is a hint, never a key on its own: CFONB reference zones
are not unique, and some banks reissue OFX ``FITID``\\s between two downloads.  A new line
is matched, in this order of preference (each pass over all the file's lines before the
next, so that a weaker match never takes what a stronger one would have claimed):

1. same account, amount, reference and day;
2. same account, amount and reference, the days at most :data:`WINDOW` apart (one file
   dates a movement by its booking date, another by its value date);
3. same account, amount and day, whatever the references (a reissued reference);
4. same account and amount, the days at most :data:`WINDOW` apart, when only one of the
   two carries a reference (they come from two kinds of export, which may date a
   movement differently), or when neither does and the books' day lies inside the span
   of days the new file covers for that account.  Two lines that both carry a reference,
   or a books' line outside the new file's span, are matched on their day only: a
   recurring fee of the day after is a new movement.

So a new movement that reuses a reference with another amount is imported; a line
already imported under a reissued reference is absorbed; two identical movements of one
day in one statement are both imported when the books hold neither, and one of them when
the books hold one.  Balance assertions are duplicates when the books assert the same
balance on the same day, ``open`` directives when the account is already open.
"""

from __future__ import annotations

import datetime
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from decimal import Decimal

from beancount.core import data
from beancount.core.amount import Amount

from fundledger.collector import fewer_collections

#: beangulp's marker: a marked entry is printed commented out by ``beangulp extract``.
DUPLICATE = "__duplicate__"
BANK_REF = "bank-ref"
#: How many days apart one movement's booking and value dates may be.
WINDOW = datetime.timedelta(days=4)

#: A posting the books hold: [day, reference, still free to absorb a line].
_Slot = list


class Seen:
    """What the books already hold, indexed by (account, currency, amount)."""

    def __init__(self, existing: Iterable[data.Directive]) -> None:
        self.slots: dict[tuple[str, str, Decimal], list[_Slot]] = {}
        self.balances: set[tuple] = set()
        self.opened: set[str] = set()
        for entry in existing:
            self.add(entry)

    def add(self, entry: data.Directive) -> None:
        if isinstance(entry, data.Transaction):
            ref = entry.meta.get(BANK_REF) if entry.meta else None
            ref = str(ref) if ref is not None else None
            slots = self.slots
            for posting in entry.postings:
                units = posting.units
                # As written (the books are read without booking): an elided amount is
                # no bank line's.
                if units.__class__ is not Amount or units.number.__class__ is not Decimal:
                    continue
                key = (posting.account, units.currency, units.number)
                found = slots.get(key)
                if found is None:
                    slots[key] = [[entry.date, ref, True]]
                else:
                    found.append([entry.date, ref, True])
        elif isinstance(entry, data.Balance):
            self.balances.add((entry.date, entry.account, entry.amount.number))
        elif isinstance(entry, data.Open):
            self.opened.add(entry.account)

    def claim_all(self, entries: list[data.Directive]) -> list[bool]:
        """For each entry, whether the books already hold it (using up what matched)."""
        result = [False] * len(entries)
        lines: list[tuple[int, tuple, datetime.date, str | None]] = []
        spans: dict[str, tuple[datetime.date, datetime.date]] = {}
        for n, entry in enumerate(entries):
            if isinstance(entry, data.Transaction):
                posting = entry.postings[0]
                units = posting.units
                key = (posting.account, units.currency, units.number)
                ref = entry.meta.get(BANK_REF) if entry.meta else None
                lines.append((n, key, entry.date, str(ref) if ref is not None else None))
                low, high = spans.get(posting.account, (entry.date, entry.date))
                spans[posting.account] = (min(low, entry.date), max(high, entry.date))
            elif isinstance(entry, data.Balance):
                result[n] = (entry.date, entry.account, entry.amount.number) in self.balances
            elif isinstance(entry, data.Open):
                result[n] = entry.account in self.opened
        slots = self.slots
        waiting = [line for line in lines if line[1] in slots]
        days: dict[tuple, list[datetime.date]] = {}
        for key in {line[1] for line in waiting}:
            # Sorted by day, so that each line looks only at the days within the window
            # (a bank account may hold thousands of fees of one amount).
            slots[key].sort(key=_day_of)
            days[key] = [slot[0] for slot in slots[key]]
        for rule in (_same_ref_same_day, _same_ref_near, _same_day, _near_in_span):
            left = []
            for line in waiting:
                n, key, day, ref = line
                span = spans[key[0]]
                best = None
                candidates = slots[key]
                start = bisect_left(days[key], day - WINDOW)
                stop = bisect_right(days[key], day + WINDOW)
                for slot in candidates[start:stop]:
                    if slot[2] and rule(slot, day, ref, span) and (
                            best is None or abs(slot[0] - day) < abs(best[0] - day)):
                        best = slot
                        if slot[0] == day:
                            break
                if best is None:
                    left.append(line)
                else:
                    best[2] = False
                    result[n] = True
            waiting = left
            if not waiting:
                break
        return result


def _day_of(slot: _Slot) -> datetime.date:
    return slot[0]


def _same_ref_same_day(slot: _Slot, day: datetime.date, ref: str | None, _span: tuple) -> bool:
    return ref is not None and slot[1] == ref and slot[0] == day


def _same_ref_near(slot: _Slot, day: datetime.date, ref: str | None, _span: tuple) -> bool:
    return ref is not None and slot[1] == ref and abs(slot[0] - day) <= WINDOW


def _same_day(slot: _Slot, day: datetime.date, _ref: str | None, _span: tuple) -> bool:
    return slot[0] == day


def _near_in_span(slot: _Slot, day: datetime.date, ref: str | None,
                  span: tuple[datetime.date, datetime.date]) -> bool:
    if abs(slot[0] - day) > WINDOW:
        return False
    if (slot[1] is None) != (ref is None):
        return True
    return slot[1] is None and span[0] <= slot[0] <= span[1]


def mark_duplicates(entries: list[data.Directive], existing: Iterable[data.Directive]) -> int:
    """Mark (beangulp's way) the entries the books already hold; return how many."""
    with fewer_collections():
        seen = Seen(existing)
        found = seen.claim_all(entries)
    for entry, duplicate in zip(entries, found, strict=True):
        if duplicate:
            entry.meta[DUPLICATE] = True
    return sum(found)
