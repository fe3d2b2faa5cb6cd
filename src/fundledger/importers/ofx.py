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
from ofxtools.Types import OFXTypeWarning

from fundledger.importers.statement import (
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
    try:
        with warnings.catch_warnings():
            # ofxtools warns of over-long fields (an IBAN in ACCTID); the data is still right.
            warnings.simplefilter("ignore", OFXTypeWarning)
            tree.parse(path)
            ofx = tree.convert()
    except (OFXParseError, OFXHeaderError) as exc:
        raise StatementError(path, _line_of(path, str(exc)), f"malformed OFX: {exc}") from None
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        # ofxtools validates element by element and names the element in its message.
        raise StatementError(path, _element(str(exc)), f"invalid OFX: {_first_line(exc)}") from None
    statements = [_statement(path, n, stmt) for n, stmt in enumerate(ofx.statements, 1)]
    if not statements:
        raise StatementError(path, "OFX", "no bank or credit-card statement in this OFX file")
    return statements


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
