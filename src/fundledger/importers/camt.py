"""ISO 20022 camt.053 (bank-to-customer statement), versions 001.02 to 001.08 and later.

Safety first: the prolog (the only place a DTD, and so an entity declaration, may stand)
is read with defusedxml, which refuses any DTD — no entity expansion, no external entity;
an entity bomb is reported as malformed input.  The body is then streamed with lxml's
``iterparse`` (lxml comes with beangulp), told never to resolve entities nor touch the
network, and filtered in C on ``Ntry`` and ``Stmt``: each entry is read as soon as it is
complete and then cleared, so a 50,000-entry statement reads at well over 20,000 entries
a second in little memory.

Versions differ in small ways, all handled: the namespace; ``Sts`` a code (001.02-08) or
a ``<Cd>`` (later); dates as ``Dt`` or ``DtTm``; party names directly under ``Dbtr`` /
``Cdtr`` or under their ``Pty`` (001.08); a transaction's amount in ``Amt`` or, in
001.02, in ``AmtDtls/TxAmt/Amt``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import replace
from decimal import Decimal
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from lxml import etree

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
CURRENCY = re.compile(r"[A-Z]{3}")
#: Balance types: the opening of the period, or the previous closing (dated a day earlier).
OPENING_TYPES = ("OPBD", "PRCD")
CLOSING_TYPES = ("CLBD",)
ONE_DAY = datetime.timedelta(days=1)
SIGNS = {"CRDT": 1, "DBIT": -1}
#: Entry statuses that are not (yet) bookings: they come back booked on a later statement.
NOT_BOOKED = ("PDNG", "INFO", "FUTR")
#: The only elements of an entry that are read; everything else is skipped unlooked-at.
WANTED = frozenset({"Amt", "CdtDbtInd", "Sts", "Cd", "Dt", "DtTm", "AcctSvcrRef", "NtryRef",
                    "AddtlNtryInf", "Nm", "Ustrd", "Ref", "AddtlTxInf", "EndToEndId"})
ROLES = frozenset({"Dbtr", "Cdtr", "UltmtDbtr", "UltmtCdtr"})

Element = Any  # an lxml element


def sniff(head: bytes) -> bool:
    """Whether the start of a file looks like a camt.053 document (cheap, for ``identify``)."""
    return b"camt.053.001." in head and b"Document" in head


def parse(path: str) -> list[Statement]:
    """Read every ``Stmt`` of a camt.053 file, or raise :class:`StatementError`."""
    _refuse_dtd(path)
    statements: list[Statement] = []
    lines: list[Line] = []
    reader: _Reader | None = None
    events = etree.iterparse(path, events=("end",), tag=("{*}Ntry", "{*}Stmt"),
                             resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        for _event, elem in events:
            if reader is None:
                reader = _Reader(path, _namespace(path, elem.getroottree().getroot().tag))
            if elem.tag == reader.t_ntry:
                reader.count += 1
                where = f"Stmt[{len(statements) + 1}]/Ntry[{reader.count}]"
                lines.extend(reader.entry(elem, where))
                elem.clear(keep_tail=True)
            elif elem.tag == reader.t_stmt:
                statements.append(reader.statement(elem, len(statements) + 1, lines))
                lines, reader.count, reader.refs, reader.repeat = [], 0, {}, None
                elem.clear(keep_tail=True)
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        reason = re.sub(r",? line \d+, column \d+$", "", exc.msg)
        raise StatementError(path, line, f"malformed XML: {reason}") from None
    if not statements:
        root = getattr(events, "root", None)
        if root is not None:
            _namespace(path, root.tag)
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
    except SafeElementTree.ParseError as exc:
        line = exc.position[0] if exc.position else None
        reason = re.sub(r": line \d+, column \d+$", "", str(exc))
        raise StatementError(path, line, f"malformed XML: {reason}") from None


def _namespace(path: str, tag: str) -> str:
    ns = tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""
    if not NAMESPACE.fullmatch(ns):
        raise StatementError(path, "Document", f"not a camt.053 document (namespace {ns!r})")
    return ns


class _Reader:
    """Reads entries and statements of one file.

    Entries, the hot path, are read in one pass over their elements (:meth:`entry`); the
    statement's account and balances through :meth:`kids` (children by local name), both
    several times cheaper than lxml's path-based ``find``.
    """

    def __init__(self, path: str, ns: str) -> None:
        self.path, self.count = path, 0
        self.q = "{" + ns + "}"
        self.cut = len(self.q)
        self.t_ntry, self.t_stmt = self.q + "Ntry", self.q + "Stmt"
        self.refs: dict[str, str] = {}  # bank reference -> the entry that carries it
        self.repeat: tuple[str, str] | None = None  # the first entry repeating a reference

    def kids(self, elem: Element | None) -> dict[str, Element]:
        """Children by local name (the first of each name)."""
        found: dict[str, Element] = {}
        if elem is not None:
            cut = self.cut
            for child in elem:
                tag = child.tag
                if isinstance(tag, str) and tag[cut:] not in found:
                    found[tag[cut:]] = child
        return found

    def every(self, elem: Element | None, local: str) -> list[Element]:
        """All children of that local name (``TxDtls``, ``Ustrd``, ``Bal``...)."""
        return [] if elem is None else list(elem.iterchildren(self.q + local))

    def text(self, elem: Element | None, *steps: str) -> str:
        for step in steps:
            if elem is None:
                return ""
            elem = self.kids(elem).get(step)
        return tidy(elem.text) if elem is not None else ""

    # -- statements --------------------------------------------------------------------

    def statement(self, stmt: Element, index: int, lines: list[Line]) -> Statement:
        where = f"Stmt[{index}]"
        acct = self.kids(stmt).get("Acct")
        iban = self.text(acct, "Id", "IBAN")
        number = self.text(acct, "Id", "Othr", "Id")
        currency = self.text(acct, "Ccy") or (lines[0].currency if lines else "EUR")
        statement = Statement(self.path, where, currency, iban=iban or None,
                              number=number or None, lines=lines)
        balances = self.every(stmt, "Bal")
        if not balances:
            if self.repeat:
                raise StatementError(self.path, *self.repeat)
            raise StatementError(self.path, where, "no balance (Bal): a camt.053 statement "
                                 "states at least its closing balance")
        opening = closing = None
        for n, bal in enumerate(balances, 1):
            kind = self.text(bal, "Tp", "CdOrPrtry", "Cd")
            bal_where = f"{where}/Bal[{n}]"
            if kind in OPENING_TYPES and (opening is None or kind == "OPBD"):
                opening = (kind, self.balance(bal, bal_where))
            elif kind in CLOSING_TYPES:
                closing = self.balance(bal, bal_where)
        if closing is not None:
            # The bank's closing balance is at the end of its day; Beancount checks balances
            # at the start of a day.
            statement.closing = replace(closing, date=closing.date + ONE_DAY)
        if opening is not None:
            kind, balance = opening
            # OPBD is the balance at the start of its day, PRCD at the end of its day.
            start = balance.date if kind == "OPBD" else balance.date + ONE_DAY
            statement.opening = replace(balance, date=opening_date(start, lines))
        statement.check_totals()
        if self.repeat:
            raise StatementError(self.path, *self.repeat)
        return statement

    def balance(self, bal: Element, where: str) -> Balance:
        kids = self.kids(bal)
        amount, currency = self.amount(kids.get("Amt"), where)
        amount *= self.sign(kids, where)
        day = self.date(kids.get("Dt"), where + "/Dt")
        if day is None:
            raise StatementError(self.path, where, "balance without a date (Dt)")
        return Balance(day, amount, currency, where)

    # -- fields ------------------------------------------------------------------------

    def amount(self, elem: Element | None, where: str) -> tuple[Decimal, str]:
        if elem is None:
            raise StatementError(self.path, where, "missing amount (Amt)")
        text = (elem.text or "").strip()
        if not AMOUNT.fullmatch(text):
            raise StatementError(self.path, where + "/Amt", f"bad amount {text!r}")
        currency = elem.get("Ccy", "").strip()
        if not CURRENCY.fullmatch(currency):
            raise StatementError(self.path, where + "/Amt",
                                 f"bad or missing currency {currency!r}")
        return Decimal(text), currency

    def sign(self, kids: dict[str, Element], where: str) -> int:
        elem = kids.get("CdtDbtInd")
        indicator = (elem.text or "").strip() if elem is not None else ""
        if indicator not in SIGNS:
            raise StatementError(self.path, where + "/CdtDbtInd",
                                 f"bad credit/debit indicator {indicator!r}")
        return SIGNS[indicator]

    def date(self, elem: Element | None, where: str) -> datetime.date | None:
        """The ``Dt`` or ``DtTm`` inside a date element (``BookgDt``, ``ValDt``, ``Dt``)."""
        if elem is None:
            return None
        kids = self.kids(elem)
        found = kids.get("Dt")
        if found is None:
            found = kids.get("DtTm")
        text = (found.text or "").strip() if found is not None else ""
        if not text:
            raise StatementError(self.path, where, "date without Dt or DtTm")
        try:
            return datetime.date.fromisoformat(text[:10])
        except ValueError:
            raise StatementError(self.path, where, f"bad date {text!r}") from None

    # -- entries -----------------------------------------------------------------------

    def entry(self, ntry: Element, where: str) -> list[Line]:
        """One ``Ntry``: one line, or one per ``TxDtls`` of a batch whose amounts add up.

        The hot path of a large statement: one pass over the entry's elements in document
        order, keeping the few that matter, each recognised by its name and its parent's.
        """
        cut = self.cut
        found: dict[str, Any] = {}
        txs: list[dict[str, Any]] = []
        tx: dict[str, Any] | None = None
        for elem in ntry.iterdescendants(etree.Element):
            local = elem.tag[cut:]
            if local == "TxDtls":
                tx = {"texts": []}
                txs.append(tx)
                continue
            if local not in WANTED:
                continue
            parent = elem.getparent().tag[cut:]
            if parent == "Ntry":
                found.setdefault(local, elem)
            elif parent in ("BookgDt", "ValDt", "Sts"):
                found.setdefault(parent + "/" + local, elem)
            elif tx is None:
                continue
            elif local == "Nm":
                if parent == "Pty":  # camt.053.001.08 puts the name under Pty
                    parent = elem.getparent().getparent().tag[cut:]
                if parent in ROLES:
                    tx.setdefault(parent, elem.text)
            elif local == "Ustrd" and parent == "RmtInf" or local == "Ref" and (
                    parent == "CdtrRefInf"):
                tx["texts"].append(elem.text)
            elif parent in ("TxDtls", "TxAmt", "Refs"):
                tx.setdefault(local, elem)
        return self._lines(found, txs, where)

    def _lines(self, found: dict[str, Any], txs: list[dict[str, Any]],
               where: str) -> list[Line]:
        sts = found.get("Sts")
        status = tidy(_text_of(found.get("Sts/Cd")) or _text_of(sts))
        if status != "BOOK":
            if status in NOT_BOOKED:
                return []
            raise StatementError(self.path, where + "/Sts", f"unknown entry status {status!r}")
        amount, currency = self.amount(found.get("Amt"), where)
        sign = self.sign(found, where)
        day = (self.day(found, "BookgDt", where) or self.day(found, "ValDt", where))
        if day is None:
            raise StatementError(self.path, where, "entry without a booking date (BookgDt)")
        entry_ref = tidy(_text_of(found.get("AcctSvcrRef"))) or tidy(
            _text_of(found.get("NtryRef")))
        if entry_ref:
            # The bank's reference is unique to an entry: a repeat is the same money twice
            # (refused once the statement is read, after its balances have had their say).
            first = self.refs.setdefault(entry_ref, where)
            if first != where and not self.repeat:
                self.repeat = (where, f"repeats the bank reference {entry_ref!r} of {first}")
        extra = tidy(_text_of(found.get("AddtlNtryInf")))
        split = self.split(txs, sign * amount, where) if len(txs) > 1 else None
        if split is None:
            payee, text, tx_ref = self.describe(txs[0], sign) if txs else (None, "", None)
            if len(txs) > 1:
                text = " / ".join(filter(None, (self.describe(t, sign)[1] for t in txs)))
            # A transaction's own reference names the whole entry only when it is alone.
            ref = entry_ref or (tx_ref if len(txs) == 1 else None)
            return [Line(day, sign * amount, currency, payee, text or extra, ref, where)]
        lines = []
        for n, (tx, part, part_sign) in enumerate(split, 1):
            payee, text, _tx_ref = self.describe(tx, part_sign)
            own_ref = tidy(_text_of(tx.get("AcctSvcrRef")))
            ref = own_ref or (f"{entry_ref}/{n}" if entry_ref else _tx_ref)
            lines.append(Line(day, part_sign * part, currency, payee, text or extra, ref,
                              f"{where}/NtryDtls/TxDtls[{n}]"))
        return lines

    def day(self, found: dict[str, Any], box: str, where: str) -> datetime.date | None:
        """The ``Dt`` or ``DtTm`` of the entry's ``BookgDt`` or ``ValDt``."""
        elem = found.get(box + "/Dt")
        if elem is None:
            elem = found.get(box + "/DtTm")
        if elem is None:
            if found.get(box) is not None:
                raise StatementError(self.path, f"{where}/{box}", "date without Dt or DtTm")
            return None
        text = (elem.text or "").strip()
        try:
            return datetime.date.fromisoformat(text[:10])
        except ValueError:
            raise StatementError(self.path, f"{where}/{box}", f"bad date {text!r}") from None

    def split(self, txs: list[dict[str, Any]], signed: Decimal,
              where: str) -> list[tuple[dict[str, Any], Decimal, int]] | None:
        """Each ``TxDtls`` with its own amount and sign, if they add up to the entry."""
        entry_sign = 1 if signed >= 0 else -1
        parts = []
        for n, tx in enumerate(txs, 1):
            elem = tx.get("Amt")
            if elem is None:
                return None
            part, _ccy = self.amount(elem, f"{where}/NtryDtls/TxDtls[{n}]")
            indicator = tidy(_text_of(tx.get("CdtDbtInd")))
            parts.append((tx, part, SIGNS.get(indicator, entry_sign)))
        total = sum((part * part_sign for _t, part, part_sign in parts), Decimal(0))
        return parts if total == signed else None

    @staticmethod
    def describe(tx: dict[str, Any], sign: int) -> tuple[str | None, str, str | None]:
        """Counterparty name, remittance text and the transaction's own reference."""
        roles = ("Dbtr", "UltmtDbtr") if sign > 0 else ("Cdtr", "UltmtCdtr")
        payee = tidy(tx.get(roles[0])) or tidy(tx.get(roles[1]))
        text = " ".join(filter(None, map(tidy, tx["texts"])))
        text = text or tidy(_text_of(tx.get("AddtlTxInf")))
        ref = tidy(_text_of(tx.get("AcctSvcrRef")))
        if not ref:
            e2e = tidy(_text_of(tx.get("EndToEndId")))
            ref = e2e if e2e.upper() != "NOTPROVIDED" else ""
        return payee or None, text, ref or None


def _text_of(elem: Element | None) -> str | None:
    return elem.text if elem is not None else None
