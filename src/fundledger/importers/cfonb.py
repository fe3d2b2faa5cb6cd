"""French CFONB 120 account statements (relevé de compte 120 caractères).

Records: ``01`` previous balance, ``04`` movement, ``05`` complement of the movement just
before it (qualifier ``LIB``, ``NPY``, ``NBE``, ``RCN``, ``REF``...), ``07`` new balance.
Amounts carry their sign in their last character (``{`` and ``A``-``I`` positive, ``}``
and ``J``-``R`` negative) and their number of decimals in column 20.  Files are Latin-1;
lines may have lost their trailing blanks, or the file its line breaks (records then follow
each other every 120 characters); one file may hold several statements.
"""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from fundledger.importers.statement import (
    Balance,
    Line,
    Statement,
    StatementError,
    opening_date,
    tidy,
)

WIDTH = 120
POSITIVE = "{ABCDEFGHI"
NEGATIVE = "}JKLMNOPQR"
ONE_DAY = datetime.timedelta(days=1)
#: Complement qualifiers whose text belongs in the narration.
TEXT_QUALIFIERS = ("LIB", "LCC", "LC2", "LCS", "RCN")


def sniff(head: bytes) -> bool:
    """Whether a file starts like a CFONB 120 statement (cheap, for ``identify``)."""
    text = head.lstrip(b"\r\n")
    first = text.split(b"\n", 1)[0].rstrip(b"\r")
    return (text[:2] == b"01" and len(first) <= WIDTH * 2000
            and (first[16:19].isalpha() and first[19:20].isdigit()
                 or first[16:19] == b"   " and first[34:40].isdigit()
                 and first[19:20] in (b" ", b"0", b"1", b"2", b"3"))
            and (len(first) <= WIDTH or len(first) % WIDTH == 0))


def records(path: str) -> list[tuple[int, str]]:
    """The file's non-blank records with their line numbers, each padded to 120 columns."""
    text = Path(path).read_bytes().decode("latin-1")
    raw = text.splitlines()
    if len(raw) == 1 and len(raw[0]) > WIDTH and len(raw[0]) % WIDTH == 0:
        raw = [raw[0][i:i + WIDTH] for i in range(0, len(raw[0]), WIDTH)]
    result = []
    for lineno, line in enumerate(raw, 1):
        if not line.strip():
            continue
        if len(line) > WIDTH:
            raise StatementError(path, lineno, f"record of {len(line)} characters (CFONB 120 "
                                 "records have 120)")
        result.append((lineno, line.ljust(WIDTH)))
    return result


def parse(path: str) -> list[Statement]:
    """Read every statement (01 ... 07) of a CFONB 120 file, or raise StatementError."""
    statements: list[Statement] = []
    current: Statement | None = None
    movement: _Movement | None = None
    last = 0
    for lineno, rec in records(path):
        last = lineno
        code = rec[:2]
        if code == "01":
            if current is not None:
                raise StatementError(path, lineno, "new statement (01) before the new balance "
                                     f"(07) of the statement opened at line {current.where}")
            current = _open(path, lineno, rec)
            movement = None
        elif code in ("04", "05", "07") and current is None:
            raise StatementError(path, lineno, f"record {code} outside a statement (no 01 before)")
        elif code == "04":
            _check_account(path, lineno, rec, current)
            movement = _Movement(path, lineno, rec, current.currency)
            current.lines.append(movement.line)
        elif code == "05":
            if movement is None:
                raise StatementError(path, lineno, "complement (05) without a movement (04)")
            movement.complete(rec)
        elif code == "07":
            _check_account(path, lineno, rec, current)
            _close(path, lineno, rec, current)
            statements.append(current)
            current, movement = None, None
        else:
            raise StatementError(path, lineno, f"unknown record type {code!r}")
    if current is not None:
        raise StatementError(path, last, "truncated: no new balance (07) for the statement "
                             f"opened at line {current.where}")
    if not statements:
        raise StatementError(path, None, "no statement in this CFONB file")
    return statements


def _open(path: str, lineno: int, rec: str) -> Statement:
    statement = Statement(path, lineno, _currency(path, lineno, rec),
                          number=rec[21:32].strip(), bank=rec[2:7].strip(),
                          branch=rec[11:16].strip())
    day = _date(path, lineno, rec[34:40])
    # Kept as the bank dates it until the movements are known (see _close).
    statement.opening = Balance(day, amount(path, lineno, rec), statement.currency, lineno)
    return statement


def _close(path: str, lineno: int, rec: str, statement: Statement) -> None:
    day = _date(path, lineno, rec[34:40])
    statement.closing = Balance(day + ONE_DAY, amount(path, lineno, rec), statement.currency,
                                lineno)
    # The previous balance is dated the day it closed: Beancount sees it the next morning,
    # and never after the first movement of this statement.
    opening = statement.opening
    statement.opening = replace(opening, date=opening_date(opening.date + ONE_DAY,
                                                          statement.lines))
    statement.check_totals()


def _check_account(path: str, lineno: int, rec: str, statement: Statement) -> None:
    if rec[21:32].strip() != statement.number:
        raise StatementError(path, lineno, f"account {rec[21:32].strip()!r} differs from the "
                             f"statement's account {statement.number!r} (line {statement.where})")


def _currency(path: str, lineno: int, rec: str, default: str = "EUR") -> str:
    """Columns 17-19; blank in some banks' records: then the statement's (else euros)."""
    currency = rec[16:19]
    if not currency.strip():
        return default
    if not currency.isalpha() or not currency.isupper():
        raise StatementError(path, lineno, f"bad currency code {currency!r}")
    return currency


def amount(path: str, lineno: int, rec: str) -> Decimal:
    """Columns 91-104, the sign folded into the last character, decimals from column 20."""
    field = rec[90:104]
    digits, last = field[:13], field[13]
    # Some banks leave the balance records' currency and decimals blank: cents then.
    decimals = "2" if rec[19] == " " and rec[:2] in ("01", "07") else rec[19]
    if not digits.isdigit() or not decimals.isdigit():
        raise StatementError(path, lineno, f"bad amount {field!r} (decimals {decimals!r})")
    if last in POSITIVE:
        sign, unit = 1, POSITIVE.index(last)
    elif last in NEGATIVE:
        sign, unit = -1, NEGATIVE.index(last)
    else:
        raise StatementError(path, lineno, f"bad amount {field!r}: sign character {last!r}")
    return sign * Decimal(int(digits) * 10 + unit).scaleb(-int(decimals))


def _date(path: str, lineno: int, text: str) -> datetime.date:
    """A DDMMYY date; CFONB 120 has no century, and no statement predates 1970."""
    try:
        day, month, year = int(text[:2]), int(text[2:4]), int(text[4:6])
        return datetime.date(year + (1900 if year >= 70 else 2000), month, day)
    except ValueError:
        raise StatementError(path, lineno, f"bad date {text!r} (DDMMYY)") from None


class _Movement:
    """A 04 record and the 05 complements that follow it."""

    def __init__(self, path: str, lineno: int, rec: str, currency: str) -> None:
        self.path = path
        self.label = tidy(rec[48:79])
        self.texts: list[str] = []
        self.names: dict[str, str] = {}
        # The reference zone (columns 105-120), else the bank's entry number (82-88),
        # unless it is left blank or zero.
        number = tidy(rec[81:88])
        self.ref = tidy(rec[104:120]) or (number if number.strip("0") else "") or None
        value = amount(path, lineno, rec)
        self.line = Line(_date(path, lineno, rec[34:40]), value,
                         _currency(path, lineno, rec, currency), None, self.label, self.ref,
                         lineno)

    def complete(self, rec: str) -> None:
        qualifier, info = rec[45:48], tidy(rec[48:118])
        if not info:
            return
        if qualifier in TEXT_QUALIFIERS:
            self.texts.append(info)
        elif qualifier in ("NPY", "NBE"):
            self.names.setdefault(qualifier, info)
        elif qualifier == "REF":
            self.ref = info
        line = self.line
        line.text = " ".join([self.label, *self.texts])
        # The counterparty: the beneficiary of a debit, the payer of a credit.
        own, other = ("NBE", "NPY") if line.amount < 0 else ("NPY", "NBE")
        line.payee = self.names.get(own) or self.names.get(other)
        line.ref = self.ref
