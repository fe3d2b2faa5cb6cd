"""OFX bank and credit-card statements (v1 SGML and v2 XML), read with ofxtools.

ofxtools tokenises OFX with its own regular expressions (no XML parser, so no entity
expansion), validates every element against the OFX specification and converts types.

What mainstream readers accept is accepted: blank lines (or a byte-order mark) before the
header; XML OFX without its ``<?OFX ...?>`` processing instruction (or with no header at
all); an empty ``TRNUID``; several ``BANKTRANLIST`` blocks in one statement (read as one);
a ``BANKID`` longer than the specification's nine characters (through ofxtools' own
option: ``String.strict`` off, which makes over-long fields a warning).
"""

from __future__ import annotations

import datetime
import io
import re
import threading
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ofxtools import Types as ofx_types
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


XML_DECLARATION = re.compile(rb"\s*<\?xml[^>]*\?>\s*", re.IGNORECASE)
V2_HEADER = (b'<?OFX OFXHEADER="200" VERSION="200" SECURITY="NONE" OLDFILEUID="NONE" '
             b'NEWFILEUID="NONE"?>\n')
EMPTY_TRNUID = re.compile(rb"<TRNUID>\s*(?:</TRNUID>)?(?=\s*<)", re.IGNORECASE)
#: The end of one BANKTRANLIST and the start of the next, with its DTSTART and DTEND.
LIST_JOIN = re.compile(rb"</BANKTRANLIST>\s*<BANKTRANLIST>\s*(?:<DTSTART>[^<]*(?:</DTSTART>)?"
                       rb"\s*)?(?:<DTEND>[^<]*(?:</DTEND>)?\s*)?", re.IGNORECASE)
#: A NAME that is a (masked) card number: French banks then put the merchant in MEMO.
CARD_NUMBER = re.compile(r"(?:CB|CARTE|CARD|FACTURE CARTE)?\s*[X*\d][\dX* ]{3,}",
                         re.IGNORECASE)
_STRICTNESS = threading.Lock()
#: An amount with a decimal comma (some French banks' OFX): ``-12,50``.
DECIMAL_COMMA = re.compile(rb"(<(?:TRNAMT|BALAMT)>\s*[-+]?\d+),(\d{1,4})(?=\s*<|\s*$)",
                           re.IGNORECASE | re.MULTILINE)
#: Milliseconds written after a colon (``20180804093914:014``), as some servers do.
DATE_COLON = re.compile(rb"(<DT[A-Z]+>\s*\d{14}):(\d{3})")
#: What a file without a sign-on answer is given: statements never depend on it.
SIGNON = (b"<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>"
          b"<DTSERVER>19700101<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1>")


def sniff(head: bytes) -> bool:
    """Whether a file starts like OFX (an SGML ``OFXHEADER:`` or an XML ``<?OFX`` header,
    or an XML document whose root is ``<OFX>``)."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:400].upper()
    if start.startswith(b"OFXHEADER"):
        return True
    if b"<?OFX" in start and b"<OFX>" in head.upper():
        return True
    body = XML_DECLARATION.sub(b"", start, count=1) if start.startswith(b"<?XML") else start
    return body.lstrip().startswith(b"<OFX>")


def normalise(raw: bytes) -> bytes:
    """The file as ofxtools reads it, its harmless deviations from the spec undone."""
    raw = raw.lstrip(b"\xef\xbb\xbf \t\r\n")
    upper = raw[:400].upper()
    if not upper.startswith(b"OFXHEADER") and b"<?OFX" not in upper:
        declaration = XML_DECLARATION.match(raw)
        if declaration:
            raw = raw[:declaration.end()] + V2_HEADER + raw[declaration.end():]
        else:
            raw = b'<?xml version="1.0" encoding="UTF-8"?>\n' + V2_HEADER + raw
    raw = _complete(raw)
    raw = EMPTY_TRNUID.sub(b"<TRNUID>0</TRNUID>", raw)
    raw = DATE_COLON.sub(rb"\1.\2", raw)
    raw = DECIMAL_COMMA.sub(rb"\1.\2", raw)
    if b"<SIGNONMSGSRSV1>" not in raw.upper() and b"<SIGNONMSGSRQV1>" not in raw.upper():
        raw = re.sub(rb"(<OFX>)", rb"\1" + SIGNON, raw, count=1, flags=re.IGNORECASE)
    return LIST_JOIN.sub(b"", raw)


SGML_HEADER = [b"OFXHEADER:100", b"DATA:OFXSGML", b"VERSION:102", b"SECURITY:NONE",
               b"ENCODING:USASCII", b"CHARSET:1252", b"COMPRESSION:NONE",
               b"OLDFILEUID:NONE", b"NEWFILEUID:NONE"]
#: A closing balance a file does not give: read back as none (see _statement).
NO_BALANCE = b"<LEDGERBAL><BALAMT>0<DTASOF>19700101</LEDGERBAL>"


def _complete(raw: bytes) -> bytes:
    """What some exports leave out and ofxtools requires, put back without changing any
    figure: the SGML header's missing fields, a statement answer's ``TRNUID`` and
    ``STATUS``, an account's ``BANKID`` and ``ACCTTYPE``, a statement's ``LEDGERBAL``
    (as a marker read back as no balance at all)."""
    if raw[:9].upper() == b"OFXHEADER":
        head, found, body = raw.partition(b"<")
        fields = {}
        for line in head.splitlines():
            name, colon, value = line.strip().partition(b":")
            if colon:
                fields[name.upper()] = value.strip()
        if len(fields) < len(SGML_HEADER):
            lines = []
            for default in SGML_HEADER:
                name, _, value = default.partition(b":")
                lines.append(name + b":" + fields.get(name, value))
            raw = b"\n".join(lines) + b"\n\n" + found + body
    for _ in range(3):  # empty elements, then the aggregates they leave empty
        raw = EMPTY_PAIR.sub(b"", raw)
    raw = re.sub(rb"<STMTTRN>(?:(?!<FITID>|</STMTTRN>).)*?</STMTTRN>",
                 lambda m: re.sub(rb"(<TRNAMT>[^<]*(?:</TRNAMT>)?)", rb"\1<FITID>" + NO_FITID,
                                  m.group(0), count=1, flags=re.IGNORECASE),
                 raw, flags=re.IGNORECASE | re.DOTALL)
    raw = re.sub(rb"<BANKTRANLIST>(?!\s*<DTSTART>)(.*?)</BANKTRANLIST>", _span, raw,
                 flags=re.IGNORECASE | re.DOTALL)
    raw = re.sub(rb"(<TRNTYPE>\s*)([A-Za-z]+)", lambda m: m.group(1) + m.group(2).upper(), raw)
    upper = raw.upper()
    if b"<SONRS>" in upper and b"<LANGUAGE>" not in upper:
        raw = re.sub(rb"(</SONRS>)", rb"<LANGUAGE>ENG\1", raw, count=1, flags=re.IGNORECASE)
    if b"<STMTRS>" in upper and b"<CURDEF>" not in upper:
        found = re.search(rb"<CURSYM>\s*([A-Z]{3})", raw)
        if found:
            raw = re.sub(rb"(<STMTRS>)", rb"\1<CURDEF>" + found.group(1), raw,
                         flags=re.IGNORECASE)
    if b"<STMTTRNRS>" in upper and b"<TRNUID>" not in upper:
        raw = re.sub(rb"(<STMTTRNRS>|<CCSTMTTRNRS>)",
                     rb"\1<TRNUID>0<STATUS><CODE>0<SEVERITY>INFO</STATUS>", raw,
                     flags=re.IGNORECASE)
    if b"<BANKACCTFROM>" in upper and b"<BANKID>" not in upper:
        raw = re.sub(rb"(<BANKACCTFROM>)", rb"\1<BANKID>0", raw, flags=re.IGNORECASE)
    if b"<BANKACCTFROM>" in upper and b"<ACCTTYPE>" not in upper:
        raw = re.sub(rb"(</BANKACCTFROM>)", rb"<ACCTTYPE>CHECKING\1", raw, flags=re.IGNORECASE)
    if b"<LEDGERBAL>" not in upper:
        raw = re.sub(rb"(</CCSTMTRS>|</STMTRS>)", NO_BALANCE + rb"\1", raw, flags=re.IGNORECASE)
    return raw


EMPTY_PAIR = re.compile(rb"<(?!OFX>)([A-Z0-9.]+)>\s*</\1>", re.IGNORECASE)
#: The reference given to a movement whose FITID is left empty: read back as none.
NO_FITID = b"FUNDLEDGER-NO-FITID"


def _span(match: re.Match[bytes]) -> bytes:
    """A BANKTRANLIST without DTSTART and DTEND: its movements' first and last days."""
    days = re.findall(rb"<DTPOSTED>\s*(\d{8})", match.group(1))
    if not days:
        return match.group(0)
    return (b"<BANKTRANLIST><DTSTART>" + min(days) + b"<DTEND>" + max(days) + match.group(1)
            + b"</BANKTRANLIST>")


@contextmanager
def _lenient_lengths():
    """ofxtools' own option for over-long fields (a ten-character BANKID): a warning."""
    with _STRICTNESS:
        before = ofx_types.String.strict
        ofx_types.String.strict = False
        try:
            yield
        finally:
            ofx_types.String.strict = before


def parse(path: str) -> list[Statement]:
    """Read every statement of an OFX file, or raise :class:`StatementError`."""
    tree = OFXTree()
    with warnings.catch_warnings(record=True) as caught:
        # ofxtools warns of over-long fields (an IBAN in ACCTID; the data is still right)
        # and of unknown tags: never on stderr, an unknown tag is named if the file fails.
        warnings.simplefilter("always")
        try:
            source = io.BytesIO(normalise(Path(path).read_bytes()))
            tree.parse(source)
            with _lenient_lengths():
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
    # Bank and credit-card statements; investment statements are not bank statements.
    banking = [stmt for stmt in ofx.statements
               if type(stmt).__name__ in ("STMTRS", "CCSTMTRS")]
    statements = [_statement(path, n, stmt) for n, stmt in enumerate(banking, 1)]
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
        # With a MEMO, NAME is the counterparty; without one, NAME is the bank's label;
        # where NAME is a card number (French banks), MEMO names the merchant.
        if memo and CARD_NUMBER.fullmatch(name):
            payee, text = memo, f"{memo} ({name})"
        else:
            payee, text = (name or None, memo) if memo else (None, name)
        currency = getattr(getattr(txn, "currency", None), "cursym", None) or stmt.curdef
        statement.lines.append(Line(txn.dtposted.date(), txn.trnamt, currency, payee, text,
                                    _fitid(txn.fitid), f"{where}/STMTTRN[{n}]"))
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
    if ledger is None or ledger.dtasof.year <= 1970:
        # Nothing checks the movements: refused unless told --no-balance.
        statement.mismatch = StatementError(
            path, where.split("[")[0], "invalid OFX: no closing balance (LEDGERBAL) to check "
            "the movements against (--no-balance imports its lines without checking them)")
    else:
        # LEDGERBAL is the balance at DTASOF, after that day's movements: Beancount checks
        # balances at the start of a day, so it is asserted on the next day (and never
        # before the day after the last movement).
        day = ledger.dtasof.date() + ONE_DAY
        if statement.lines:
            day = max(day, max(line.date for line in statement.lines) + ONE_DAY)
        statement.closing = Balance(day, ledger.balamt, stmt.curdef, f"{where}/LEDGERBAL")
    return statement


def _fitid(fitid: str | None) -> str | None:
    found = tidy(fitid)
    return None if not found or found == NO_FITID.decode() else found


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
