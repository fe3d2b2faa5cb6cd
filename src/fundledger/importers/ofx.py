"""OFX bank and credit-card statements (v1 SGML and v2 XML), read with ofxtools.

ofxtools tokenises OFX with its own regular expressions (no XML parser, so no entity
expansion), validates every element against the OFX specification and converts types.
"""

from __future__ import annotations

import datetime
import re
import warnings
from pathlib import Path
from typing import Any

from ofxtools.header import OFXHeaderError
from ofxtools.Parser import OFXTree
from ofxtools.Parser import ParseError as OFXParseError

from fundledger.importers.statement import (
    AMOUNT_LIMIT,
    Balance,
    Line,
    Statement,
    StatementError,
    iban_valid,
    tidy,
)

ONE_DAY = datetime.timedelta(days=1)


def sniff(head: bytes) -> bool:
    """Whether a file starts like OFX (an SGML ``OFXHEADER:`` or an XML ``<?OFX`` header)."""
    start = head.lstrip()[:400].upper()
    return start.startswith(b"OFXHEADER") or (b"<?OFX" in start and b"<OFX>" in head.upper())


def parse(path: str) -> list[Statement]:
    """Read every statement of an OFX file, or raise :class:`StatementError`."""
    tree = OFXTree()
    with warnings.catch_warnings(record=True) as caught:
        # ofxtools warns of over-long fields (an IBAN in ACCTID; the data is still right)
        # and of unknown tags: never on stderr, an unknown tag is named if the file fails.
        warnings.simplefilter("always")
        try:
            tree.parse(path)
            ofx = tree.convert()
        except OFXHeaderError:
            raise StatementError(path, _bad_header_line(path), "malformed OFX header") from None
        except OFXParseError as exc:
            raise StatementError(path, _line_of(path, str(exc)),
                                 f"malformed OFX: {_first_line(exc)}") from None
        except ArithmeticError:
            element = _bad_number(path)
            raise StatementError(path, element, "invalid OFX: not a number"
                                 + _unknown_tags(caught)) from None
        except (ValueError, TypeError, KeyError, IndexError) as exc:
            # ofxtools validates element by element and names the element in its message.
            raise StatementError(path, _element(str(exc)), f"invalid OFX: {_first_line(exc)}"
                                 + _unknown_tags(caught)) from None
    statements = [_statement(path, n, stmt) for n, stmt in enumerate(ofx.statements, 1)]
    if not statements:
        raise StatementError(path, "OFX", "no bank or credit-card statement in this OFX file")
    return statements


def _unknown_tags(caught: list[warnings.WarningMessage]) -> str:
    tags = sorted({str(w.message).split()[0] for w in caught
                   if type(w.message).__name__ == "UnknownTagWarning" and str(w.message)})
    return f" (unknown tag {', '.join(tags)})" if tags else ""


def _bad_header_line(path: str) -> int:
    """The first line of an SGML OFX header that is not ``NAME:VALUE`` (else 1)."""
    with open(path, "rb") as handle:
        for n, raw in enumerate(handle.read(4096).split(b"\n"), 1):
            line = raw.strip()
            if line.startswith(b"<"):
                break
            if line and not re.fullmatch(rb"[A-Z]+:[\x21-\x7e]*", line):
                return n
    return 1


def _bad_number(path: str) -> str:
    """The aggregate holding the first amount that is not a number."""
    text = Path(path).read_text(encoding="latin-1")
    for tag, aggregate in (("TRNAMT", "STMTTRN"), ("BALAMT", "LEDGERBAL")):
        for value in re.findall(rf"<{tag}>([^<\r\n]*)", text):
            if not re.fullmatch(r"\s*[-+]?\d+([.,]\d*)?\s*", value):
                return f"{aggregate}/{tag}"
    return "OFX"


def _statement(path: str, index: int, stmt: Any) -> Statement:
    where = f"STMTRS[{index}]"
    account = stmt.account
    number = tidy(getattr(account, "acctid", None))
    iban = number if number and iban_valid(number) else None
    statement = Statement(path, where, stmt.curdef, iban=iban,
                          number=None if iban else number,
                          bank=tidy(getattr(account, "bankid", None)) or None,
                          branch=tidy(getattr(account, "branchid", None)) or None)
    for n, txn in enumerate(stmt.banktranlist or [], 1):
        name = tidy(txn.name) or tidy(getattr(txn.payee, "name", None))
        memo = tidy(txn.memo)
        # With a MEMO, NAME is the counterparty; without one, NAME is the bank's label.
        payee, text = (name or None, memo) if memo else (None, name)
        currency = getattr(getattr(txn, "currency", None), "cursym", None) or stmt.curdef
        statement.lines.append(Line(txn.dtposted.date(), txn.trnamt, currency, payee, text,
                                    tidy(txn.fitid) or None, f"{where}/STMTTRN[{n}]"))
    seen: dict[str, str] = {}
    for line in statement.lines:
        # FITIDs are unique by the OFX specification: a repeat is the same money twice.
        first = seen.setdefault(line.ref, str(line.where)) if line.ref else None
        if first is not None and first != line.where:
            raise StatementError(path, line.where, f"FITID {line.ref!r} repeats {first}")
        if abs(line.amount) >= AMOUNT_LIMIT:
            raise StatementError(path, line.where, f"amount {line.amount} out of range")
    statement.check_totals()
    ledger = stmt.ledgerbal
    if ledger is not None:
        # LEDGERBAL is the balance at DTASOF, after that day's movements: Beancount checks
        # balances at the start of a day, so it is asserted on the next day (and never
        # before the day after the last movement).
        day = ledger.dtasof.date() + ONE_DAY
        if statement.lines:
            day = max(day, max(line.date for line in statement.lines) + ONE_DAY)
        statement.closing = Balance(day, ledger.balamt, stmt.curdef, f"{where}/LEDGERBAL")
    return statement


def _element(message: str) -> str:
    found = re.findall(r"\b([A-Z][A-Z0-9]{2,})\b", message)
    return found[0] if found else "OFX"


def _first_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:200]


def _line_of(path: str, message: str) -> int | None:
    """The line of the file that holds the fragment ofxtools quotes in its message, if any."""
    fragment = re.search(r"'([^']{3,})'", message)
    try:
        lines = Path(path).read_text(encoding="latin-1").splitlines()
    except OSError:
        return None
    if fragment:
        for n, line in enumerate(lines, 1):
            if fragment.group(1).strip()[:40] in line:
                return n
    return len(lines) or None
