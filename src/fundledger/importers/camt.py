"""ISO 20022 camt.053 (bank-to-customer statement), versions 001.02 to 001.08 and later.

Parsing is streamed: each ``Ntry`` is read as soon as it is complete and then cleared, so
a 50,000-entry statement needs little memory.  The document body goes through the C
``iterparse``; its prolog (the only place a DTD, and so an entity declaration, may stand)
is first read with defusedxml, which refuses any DTD: no entity expansion, no external
entity, an entity bomb is reported as malformed input.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import replace
from decimal import Decimal
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree

from fundledger.importers.statement import (
    Balance,
    Line,
    Statement,
    StatementError,
    opening_date,
    tidy,
)

NAMESPACE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.(\d\d)")
AMOUNT = re.compile(r"\d{1,18}(\.\d{1,5})?")
#: Balance types: the opening of the period, or the previous closing (dated a day earlier).
OPENING_TYPES = ("OPBD", "PRCD")
CLOSING_TYPES = ("CLBD",)
ONE_DAY = datetime.timedelta(days=1)


def sniff(head: bytes) -> bool:
    """Whether the start of a file looks like a camt.053 document (cheap, for ``identify``)."""
    return b"camt.053.001." in head and b"Document" in head


class _Tags:
    """Namespace-qualified tag names and paths for one camt version, built once per file."""

    def __init__(self, ns: str) -> None:
        q = "{" + ns + "}" if ns else ""
        self.q = q
        self.stmt, self.ntry, self.bal = q + "Stmt", q + "Ntry", q + "Bal"

    def path(self, *parts: str) -> str:
        return "/".join(self.q + part for part in parts)


def parse(path: str) -> list[Statement]:
    """Read every ``Stmt`` of a camt.053 file, or raise :class:`StatementError`."""
    _refuse_dtd(path)
    statements: list[Statement] = []
    tags: _Tags | None = None
    lines: list[Line] = []
    try:
        for _event, elem in ElementTree.iterparse(path, events=("end",)):
            if tags is None:
                tags = _Tags(_namespace(path, elem.tag))
                reader = _EntryReader(path, tags)
            tag = elem.tag
            if tag == tags.ntry:
                where = f"Stmt[{len(statements) + 1}]/Ntry[{reader.count + 1}]"
                reader.count += 1
                lines.extend(reader.read(elem, where))
                elem.clear()
            elif tag == tags.stmt:
                statements.append(_statement(path, elem, tags, len(statements) + 1, lines))
                lines, reader.count = [], 0
                elem.clear()
    except ElementTree.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise StatementError(path, line, f"malformed XML: {_reason(exc)}") from None
    if not statements:
        raise StatementError(path, "Document", "no Stmt (statement) in this camt.053 file")
    return statements


def _refuse_dtd(path: str) -> None:
    """Read the prolog with defusedxml and refuse any DTD (entity bombs, external entities)."""
    try:
        for _event, _elem in SafeElementTree.iterparse(path, events=("start",), forbid_dtd=True):
            return
    except DefusedXmlException:
        raise StatementError(path, "DOCTYPE", "refused: a statement has no DTD; its entity "
                             "declarations could expand without bound or read other files"
                             ) from None
    except ElementTree.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise StatementError(path, line, f"malformed XML: {_reason(exc)}") from None


def _reason(exc: ElementTree.ParseError) -> str:
    return re.sub(r": line \d+, column \d+$", "", str(exc))


def _namespace(path: str, tag: str) -> str:
    ns = tag[1:].split("}", 1)[0] if tag.startswith("{") else ""
    if not NAMESPACE.fullmatch(ns):
        raise StatementError(path, "Document", f"not a camt.053 document (namespace {ns!r})")
    return ns


def _statement(path: str, stmt: ElementTree.Element, tags: _Tags, index: int,
               lines: list[Line]) -> Statement:
    where = f"Stmt[{index}]"
    acct_id = tags.path("Acct", "Id")
    iban = stmt.findtext(acct_id + "/" + tags.q + "IBAN")
    number = stmt.findtext(tags.path("Acct", "Id", "Othr", "Id"))
    currency = tidy(stmt.findtext(tags.path("Acct", "Ccy")))
    statement = Statement(path, where, currency or (lines[0].currency if lines else "EUR"),
                          iban=tidy(iban) or None, number=tidy(number) or None, lines=lines)
    opening = closing = None
    for n, bal in enumerate(stmt.iter(tags.bal), 1):
        kind = tidy(bal.findtext(tags.path("Tp", "CdOrPrtry", "Cd")))
        bal_where = f"{where}/Bal[{n}]"
        if kind in OPENING_TYPES and (opening is None or kind == "OPBD"):
            opening = (kind, _balance(path, bal, tags, bal_where))
        elif kind in CLOSING_TYPES:
            closing = _balance(path, bal, tags, bal_where)
    if closing is not None:
        # The bank's closing balance is at the end of its day; Beancount checks at the start.
        statement.closing = replace(closing, date=closing.date + ONE_DAY)
    if opening is not None:
        kind, balance = opening
        # OPBD is the balance at the start of its day, PRCD at the end of its day.
        start = balance.date if kind == "OPBD" else balance.date + ONE_DAY
        statement.opening = replace(balance, date=opening_date(start, lines))
    statement.check_totals()
    return statement


def _balance(path: str, bal: ElementTree.Element, tags: _Tags, where: str) -> Balance:
    amount, currency = _amount(path, bal.find(tags.q + "Amt"), where)
    if _sign(path, bal, tags, where) < 0:
        amount = -amount
    day = _date(path, bal.find(tags.q + "Dt"), tags, where + "/Dt")
    if day is None:
        raise StatementError(path, where, "balance without a date (Dt)")
    return Balance(day, amount, currency, where)


def _amount(path: str, elem: ElementTree.Element | None, where: str) -> tuple[Decimal, str]:
    if elem is None:
        raise StatementError(path, where, "missing amount (Amt)")
    text = (elem.text or "").strip()
    if not AMOUNT.fullmatch(text):
        raise StatementError(path, where + "/Amt", f"bad amount {text!r}")
    currency = elem.get("Ccy", "").strip()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise StatementError(path, where + "/Amt", f"bad or missing currency {currency!r}")
    return Decimal(text), currency


def _sign(path: str, elem: ElementTree.Element, tags: _Tags, where: str) -> int:
    indicator = (elem.findtext(tags.q + "CdtDbtInd") or "").strip()
    if indicator == "CRDT":
        return 1
    if indicator == "DBIT":
        return -1
    raise StatementError(path, where + "/CdtDbtInd", f"bad credit/debit indicator {indicator!r}")


def _date(path: str, elem: ElementTree.Element | None, tags: _Tags,
          where: str) -> datetime.date | None:
    """A ``Dt`` or ``DtTm`` child of a date element (``BookgDt``, ``ValDt``, balance ``Dt``)."""
    if elem is None:
        return None
    text = elem.findtext(tags.q + "Dt") or elem.findtext(tags.q + "DtTm")
    if text is None:
        raise StatementError(path, where, "date without Dt or DtTm")
    try:
        return datetime.date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise StatementError(path, where, f"bad date {text.strip()!r}") from None


class _EntryReader:
    """Turns one ``Ntry`` into lines: one line, or one per ``TxDtls`` of a batch."""

    def __init__(self, path: str, tags: _Tags) -> None:
        self.path, self.tags, self.count = path, tags, 0
        q = tags.q
        self.t_sts, self.t_cd, self.t_amt = q + "Sts", q + "Cd", q + "Amt"
        self.t_bookg, self.t_val = q + "BookgDt", q + "ValDt"
        self.t_acctref, self.t_ntryref = q + "AcctSvcrRef", q + "NtryRef"
        self.t_addtl = q + "AddtlNtryInf"
        self.t_txdtls = tags.path("NtryDtls", "TxDtls")
        self.t_txamt = q + "Amt"
        self.t_txamt_v2 = tags.path("AmtDtls", "TxAmt", "Amt")
        self.t_refs_acct = tags.path("Refs", "AcctSvcrRef")
        self.t_refs_e2e = tags.path("Refs", "EndToEndId")
        self.t_ustrd = tags.path("RmtInf", "Ustrd")
        self.t_strd_ref = tags.path("RmtInf", "Strd", "CdtrRefInf", "Ref")
        self.t_addtl_tx = q + "AddtlTxInf"
        self.party = {
            role: (tags.path("RltdPties", role, "Nm"), tags.path("RltdPties", role, "Pty", "Nm"))
            for role in ("Dbtr", "Cdtr", "UltmtDbtr", "UltmtCdtr")
        }

    def read(self, ntry: ElementTree.Element, where: str) -> list[Line]:
        path = self.path
        sts = ntry.find(self.t_sts)
        status = (sts.findtext(self.t_cd) or sts.text or "").strip() if sts is not None else ""
        if status != "BOOK":
            if status in ("PDNG", "INFO", "FUTR"):
                return []  # not booked yet: it will come back booked on a later statement
            raise StatementError(path, where + "/Sts", f"unknown entry status {status!r}")
        amount, currency = _amount(path, ntry.find(self.t_amt), where)
        sign = _sign(path, ntry, self.tags, where)
        day = (_date(path, ntry.find(self.t_bookg), self.tags, where + "/BookgDt")
               or _date(path, ntry.find(self.t_val), self.tags, where + "/ValDt"))
        if day is None:
            raise StatementError(path, where, "entry without a booking date (BookgDt)")
        entry_ref = tidy(ntry.findtext(self.t_acctref)) or tidy(ntry.findtext(self.t_ntryref))
        details = ntry.findall(self.t_txdtls)
        extra = tidy(ntry.findtext(self.t_addtl))
        split = self._split(details, sign * amount, where) if len(details) > 1 else None
        if split is None:
            payee, text, tx_ref = (self._describe(details[0], sign) if details
                                   else (None, "", None))
            if len(details) > 1:
                text = " / ".join(filter(None, (self._describe(d, sign)[1] for d in details)))
            # A transaction's own reference names the whole entry only when it is alone.
            ref = entry_ref or (tx_ref if len(details) == 1 else None)
            return [Line(day, sign * amount, currency, payee, text or extra, ref, where)]
        lines = []
        for n, (detail, part, part_sign) in enumerate(split, 1):
            part_sign = part_sign or sign
            payee, text, tx_ref = self._describe(detail, part_sign)
            own_ref = tidy(detail.findtext(self.t_refs_acct))
            ref = own_ref or (f"{entry_ref}/{n}" if entry_ref else tx_ref)
            lines.append(Line(day, part_sign * part, currency, payee, text or extra, ref,
                              f"{where}/NtryDtls/TxDtls[{n}]"))
        return lines

    def _split(self, details: list[ElementTree.Element], signed: Decimal,
               where: str) -> list[tuple[ElementTree.Element, Decimal, int]] | None:
        """Each ``TxDtls`` with its own amount, if they add up to the entry; else None."""
        parts = []
        for n, detail in enumerate(details, 1):
            elem = detail.find(self.t_txamt)
            if elem is None:
                elem = detail.find(self.t_txamt_v2)
            if elem is None:
                return None
            part, _ccy = _amount(self.path, elem, f"{where}/NtryDtls/TxDtls[{n}]")
            indicator = (detail.findtext(self.tags.q + "CdtDbtInd") or "").strip()
            parts.append((detail, part, {"CRDT": 1, "DBIT": -1}.get(indicator, 0)))
        entry_sign = 1 if signed >= 0 else -1
        total = sum((p * (s or entry_sign) for _d, p, s in parts), Decimal(0))
        return parts if total == signed else None

    def _describe(self, detail: ElementTree.Element,
                  sign: int) -> tuple[str | None, str, str | None]:
        """Counterparty name, remittance text and the transaction's own reference."""
        roles = ("Dbtr", "UltmtDbtr") if sign > 0 else ("Cdtr", "UltmtCdtr")
        payee = None
        for role in roles:
            for path in self.party[role]:
                payee = tidy(detail.findtext(path))
                if payee:
                    break
            if payee:
                break
        texts = [tidy(e.text) for e in detail.iterfind(self.t_ustrd)]
        texts += [tidy(e.text) for e in detail.iterfind(self.t_strd_ref)]
        text = " ".join(filter(None, texts)) or tidy(detail.findtext(self.t_addtl_tx))
        ref = tidy(detail.findtext(self.t_refs_acct))
        e2e = tidy(detail.findtext(self.t_refs_e2e))
        if not ref and e2e and e2e.upper() != "NOTPROVIDED":
            ref = e2e
        return payee or None, text, ref or None
