"""What every statement format is parsed into, before it becomes Beancount entries.

Each format parser (camt.053, CFONB 120, OFX, CSV) only reads its file into
:class:`Statement` objects; turning them into entries, categorising and de-duplicating is
done once, in :mod:`fundledger.importers.base`, so the formats cannot drift apart.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal


class StatementError(Exception):
    """A statement file is unreadable, malformed or truncated.

    ``where`` is a line number (text formats) or an element path (XML); ``str()`` gives the
    one line the command prints: ``FILE:LINE: message`` or ``FILE: element X: message``.
    """

    def __init__(self, path: str, where: int | str | None, message: str) -> None:
        message = " ".join(str(message).split())  # one line, whatever the parser said
        super().__init__(message)
        self.path = str(path)
        self.where = where
        self.message = message

    def __str__(self) -> str:
        if isinstance(self.where, int):
            return f"{self.path}:{self.where}: {self.message}"
        if self.where:
            return f"{self.path}: element {self.where}: {self.message}"
        return f"{self.path}: {self.message}"


@dataclass(slots=True)
class Line:
    """One booked bank movement, signed from the account holder's side (credit > 0)."""

    date: datetime.date
    amount: Decimal
    currency: str
    payee: str | None
    text: str
    ref: str | None
    where: int | str


@dataclass(slots=True)
class Balance:
    """A balance the bank states, already dated as Beancount checks it (start of day)."""

    date: datetime.date
    amount: Decimal
    currency: str
    where: int | str


@dataclass
class Statement:
    """One account's statement: who it is for, its movements and its balances."""

    path: str
    where: int | str
    currency: str
    iban: str | None = None
    number: str | None = None
    bank: str | None = None
    branch: str | None = None
    lines: list[Line] = field(default_factory=list)
    opening: Balance | None = None
    closing: Balance | None = None
    #: Set by :meth:`check_totals` when the movements do not add up to the balances.
    mismatch: StatementError | None = None

    def account_keys(self) -> list[str]:
        """Identifiers to look the ledger account up with, most specific first."""
        keys = []
        if self.iban:
            keys.append(normalise_id(self.iban))
        if self.number:
            number = normalise_id(self.number)
            if self.bank and self.branch:
                keys.append(normalise_id(self.bank + self.branch) + number)
            keys.append(number)
        return keys

    def check_totals(self) -> None:
        """Refuse a line in another currency (one Beancount account, one currency per
        statement), and note whether the movements lead from the opening to the closing.

        A statement that does not add up is refused by the importer unless it was told to
        import without balances (``--no-balance``): :attr:`mismatch` holds the refusal.
        This is what catches a statement cut short between two well-formed records.
        """
        for line in self.lines:
            if line.currency != self.currency:
                raise StatementError(self.path, line.where, f"amount in {line.currency} on a "
                                     f"{self.currency} account statement")
        self.mismatch = None
        if self.opening is None or self.closing is None:
            return
        moved = sum((line.amount for line in self.lines), Decimal(0))
        if self.opening.amount + moved != self.closing.amount:
            self.mismatch = StatementError(
                self.path, self.closing.where,
                f"movements do not add up: opening {money(self.opening.amount)} + movements "
                f"{money(moved)} = {money(self.opening.amount + moved)}, but the statement "
                f"gives a closing balance of {money(self.closing.amount)} (file truncated or "
                "altered? --no-balance imports its lines without balance assertions)")

    def assertions(self) -> list[Balance]:
        """The balances to assert, dated from the movements rather than the bank's dates.

        Banks book late lines into the next statement (dated on this statement's last
        day), and some date a closing balance before its last movements.  So a balance is
        asserted where no neighbouring statement's movements can change it:

        * the closing balance the day after the last movement, when that day is before
          the bank's closing date (a day with no movement lies between); otherwise at
          the start of the last movement day, less that day's movements;
        * the opening balance on the first movement day, when the bank's opening date is
          before it; otherwise the day after, plus the first day's movements;
        * a statement whose movements all fall on one day: the opening at the start of
          that day, the closing at the start of the next; one without movements, on the
          days the bank gives.
        """
        if not self.lines:
            return [b for b in (self.opening, self.closing) if b is not None]
        first = min(line.date for line in self.lines)
        last = max(line.date for line in self.lines)
        result = []
        opening, closing = self.opening, self.closing
        if first == last:
            if opening is not None:
                result.append(replace(opening, date=first))
            if closing is not None:
                result.append(replace(closing, date=last + ONE_DAY))
            return result
        if opening is not None:
            if opening.date < first:
                result.append(replace(opening, date=first))
            else:
                moved = sum((ln.amount for ln in self.lines if ln.date == first), Decimal(0))
                result.append(replace(opening, date=first + ONE_DAY,
                                      amount=opening.amount + moved))
        if closing is not None:
            if last + ONE_DAY < closing.date:
                result.append(replace(closing, date=last + ONE_DAY))
            else:
                moved = sum((ln.amount for ln in self.lines if ln.date == last), Decimal(0))
                result.append(replace(closing, date=last, amount=closing.amount - moved))
        return result


def money(value: Decimal) -> str:
    """An amount as written in every message and entry: two decimals at least."""
    return str(two_decimals(value))


def two_decimals(value: Decimal) -> Decimal:
    """``-533`` as ``-533.00``, ``-905.3`` as ``-905.30``; more decimals are kept."""
    return value.quantize(CENT) if value.as_tuple().exponent > -2 else value


CENT = Decimal("0.01")
ONE_DAY = datetime.timedelta(days=1)


def opening_date(start: datetime.date, lines: list[Line]) -> datetime.date:
    """When to assert an opening balance: the start of the day the bank gives it for,
    but never after the first movement it precedes (banks differ on how they date it)."""
    return min([start, *(line.date for line in lines)])


#: No bank line reaches a thousand billion: beyond, the file is corrupt (and Decimal's
#: default 28 digits would start rounding sums).
AMOUNT_LIMIT = Decimal(10) ** 15

_SPACES = re.compile(r"\s+")


def normalise_id(text: str) -> str:
    """An IBAN or account number without spaces, in upper case."""
    return _SPACES.sub("", text).upper()


def tidy(text: str | None) -> str:
    """Collapse runs of blanks; banks pad their fields (split/join: the fastest way)."""
    return " ".join(text.split()) if text else ""


def iban_valid(iban: str) -> bool:
    """ISO 13616 check digits (mod 97); enough to catch a mistyped or corrupted IBAN."""
    iban = normalise_id(iban)
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", iban):
        return False
    digits = "".join(str(int(ch, 36)) for ch in iban[4:] + iban[:4])
    return int(digits) % 97 == 1


def ledger_keys(iban: str | None, number: str | None) -> list[str]:
    """Identifiers under which an account's ``open`` metadata can be found.

    A French or Monegasque IBAN embeds the bank code, branch code and account number that
    CFONB and OFX files carry instead of an IBAN, so those are indexed too.
    """
    keys = []
    if iban:
        iban = normalise_id(iban)
        keys.append(iban)
        if iban[:2] in ("FR", "MC") and len(iban) == 27:
            keys += [iban[4:25], iban[14:25]]
    if number:
        keys.append(normalise_id(number))
    return keys
