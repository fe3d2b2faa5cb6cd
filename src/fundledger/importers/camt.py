"""ISO 20022 camt.053 (bank-to-customer statement), versions 001.02 to 001.08 and later.

Safety first: the prolog (the only place a DTD, and so an entity declaration, may stand)
is read with defusedxml, which refuses any DTD — no entity expansion, no external entity;
an entity bomb is reported as malformed input.  The document is then parsed whole by lxml,
told never to resolve entities nor touch the network, and without ``huge_tree`` (so
libxml2's limits on depth and text size hold).

Speed: the hot path, reading the entries, is done in C.  One compiled XSLT stylesheet
(built once per namespace) writes every ``Ntry`` of every ``Stmt`` as one flat string —
the few fields that matter, separated by private-use characters — which Python splits
and turns into lines; the statement's account and balances are read in Python from the
parsed tree.  A 50,000-entry statement (24 MB) is read in about 1.7 s of CPU (3 s when
each entry was walked in Python), at the cost of holding the whole tree in memory: a peak
of about 370 MB for those 24 MB (90 MB when the entries were streamed and cleared).
The separators cannot come from the bank: a file whose text holds one (searched for in
the raw bytes, or in the tree for encodings other than UTF-8 and Latin ones) is refused.
Entries must be children of a ``Stmt``, and statements not nested, or the file is
refused.

What is read, per entry: ``Sts`` (its text, or its ``Cd``), ``Amt`` and its ``Ccy``,
``CdtDbtInd``, the date of ``BookgDt`` (else ``ValDt``), ``AcctSvcrRef`` (else
``NtryRef``), ``AddtlNtryInf``; per ``NtryDtls/TxDtls``: the names of ``Dbtr``, ``Cdtr``,
``UltmtDbtr`` and ``UltmtCdtr`` under ``RltdPties``, the remittance texts (``RmtInf/Ustrd``
and ``RmtInf/Strd/CdtrRefInf/Ref``, in document order), its amount, ``CdtDbtInd``,
``Refs/AcctSvcrRef``, ``Refs/EndToEndId`` and ``AddtlTxInf``.  Of repeated elements the
first counts, and a value is the element's own text (as lxml's ``.text``).

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

from fundledger.collector import fewer_collections
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

Element = Any  # an lxml element

# -- the entry reader: one XSLT pass ----------------------------------------------------
#
# Output: per Stmt STMT, per Ntry ENTRY and its fields, each followed by FIELD: NtryRef,
# amount, CdtDbtInd, Sts, Sts/Cd, date, AcctSvcrRef, AddtlNtryInf; then per TxDtls TX and
# its fields, each followed by FIELD: parties, amount, CdtDbtInd, Refs/AcctSvcrRef,
# Refs/EndToEndId, AddtlTxInf, then its remittance texts each followed by TEXT.
# An amount is "" when absent, else "=", its text, PART and its Ccy; the date is "" when
# neither BookgDt nor ValDt is there, else "B" or "V" (which box) and "=" and the text of
# its Dt (or DtTm), or "!" for a box with neither; parties are, per Dbtr, Cdtr, UltmtDbtr
# or UltmtCdtr under RltdPties, its digit (PARTIES), its name and PART.
STMT, ENTRY, FIELD, TX, TEXT, PART = "\ue004", "\ue000", "\ue001", "\ue002", "\ue003", "\ue005"
SEPARATORS = STMT + ENTRY + FIELD + TX + TEXT + PART
#: An element's value is its text content (XPath's string value): a comment inside does not
#: hide it.  Appended to each field's path (empty: the string value itself; the elements
#: read are leaves, but for ``Sts``, whose ``Cd`` is read first).
OWN = ""
PARTIES = ("Dbtr", "Cdtr", "UltmtDbtr", "UltmtCdtr")
#: Encodings in which the separators can only be written as UTF-8 bytes or a character
#: reference (both searched for in the raw file); any other is checked in the tree.
SCANNABLE = frozenset({"UTF-8", "UTF8", "US-ASCII", "ASCII", "ISO-8859-1", "ISO-8859-15",
                       "LATIN1", "WINDOWS-1252", "CP1252"})
#: Blanks that :func:`tidy` collapses and XPath's normalize-space() does not.
OTHER_BLANKS = re.compile("[\x0b\x0c\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f"
                          "\u205f\u3000]")
RAW_SEPARATOR = re.compile(rb"\xee\x80[\x80-\x85]|&#(?:[xX]0*[eE]00[0-5]|0*5734[4-9]);")


def _own(path: str) -> str:
    return f'<xsl:value-of select="{path}{OWN}"/><xsl:text>{FIELD}</xsl:text>'


def _tidy(path: str) -> str:
    """The text with its blanks collapsed (as :func:`tidy`, but for non-ASCII blanks)."""
    return f'<xsl:value-of select="normalize-space({path}{OWN})"/><xsl:text>{FIELD}</xsl:text>'


def _amount(path: str) -> str:
    return (f'<xsl:for-each select="{path}">=<xsl:value-of select=".{OWN}"/>'
            f'<xsl:text>{PART}</xsl:text><xsl:value-of select="@Ccy"/></xsl:for-each>'
            f"<xsl:text>{FIELD}</xsl:text>")


def _date(box: str) -> str:
    code = box[0]
    return (f'<xsl:when test="c:{box}/c:Dt">{code}=<xsl:value-of '
            f'select="(c:{box}/c:Dt)[1]{OWN}"/></xsl:when><xsl:when test="c:{box}/c:DtTm">'
            f'{code}=<xsl:value-of select="(c:{box}/c:DtTm)[1]{OWN}"/></xsl:when>'
            f'<xsl:when test="c:{box}">{code}!</xsl:when>')


def _stylesheet(ns: str) -> str:
    parties = "".join(
        f'<xsl:template match="c:{role}" mode="p">{n}<xsl:value-of select="normalize-space('
        f'(c:Nm | c:Pty/c:Nm)[1]{OWN})"/><xsl:text>{PART}</xsl:text></xsl:template>'
        for n, role in enumerate(PARTIES))
    return f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:c="{ns}">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="/">
  <xsl:for-each select="//c:Stmt"><xsl:text>{STMT}</xsl:text>
   <xsl:for-each select="c:Ntry"><xsl:text>{ENTRY}</xsl:text>
    {_tidy("c:NtryRef[1]")}{_amount("c:Amt[1]")}{_own("c:CdtDbtInd[1]")}{_own("c:Sts[1]")}
    {_own("(c:Sts/c:Cd)[1]")}
    <xsl:choose>{_date("BookgDt")}{_date("ValDt")}</xsl:choose><xsl:text>{FIELD}</xsl:text>
    {_tidy("c:AcctSvcrRef[1]")}{_tidy("c:AddtlNtryInf[1]")}
    <xsl:for-each select="c:NtryDtls/c:TxDtls"><xsl:text>{TX}</xsl:text>
     <xsl:apply-templates select="c:RltdPties/*" mode="p"/><xsl:text>{FIELD}</xsl:text>
     {_amount("(c:Amt | c:AmtDtls/c:TxAmt/c:Amt)[1]")}{_tidy("c:CdtDbtInd[1]")}
     {_tidy("(c:Refs/c:AcctSvcrRef)[1]")}{_tidy("(c:Refs/c:EndToEndId)[1]")}
     {_tidy("c:AddtlTxInf[1]")}
     <xsl:for-each select="c:RmtInf/c:Ustrd | c:RmtInf/c:Strd/c:CdtrRefInf/c:Ref">
      <xsl:value-of select="normalize-space(.{OWN})"/><xsl:text>{TEXT}</xsl:text>
     </xsl:for-each>
    </xsl:for-each>
   </xsl:for-each>
  </xsl:for-each>
</xsl:template>
<xsl:template match="*" mode="p"/>
{parties}
</xsl:stylesheet>"""


_TRANSFORMS: dict[str, etree.XSLT] = {}


def _transform(ns: str) -> etree.XSLT:
    transform = _TRANSFORMS.get(ns)
    if transform is None:
        transform = etree.XSLT(etree.XML(_stylesheet(ns)),
                               access_control=etree.XSLTAccessControl.DENY_ALL)
        _TRANSFORMS[ns] = transform
    return transform


def sniff(head: bytes) -> bool:
    """Whether the start of a file looks like a camt.053 document (cheap, for ``identify``)."""
    return b"camt.053.001." in head and b"Document" in head


def parse(path: str) -> list[Statement]:
    """Read every ``Stmt`` of a camt.053 file, or raise :class:`StatementError`."""
    with fewer_collections():
        return _parse(path)


def _parse(path: str) -> list[Statement]:
    _refuse_dtd(path)
    with open(path, "rb") as handle:
        raw = handle.read()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, collect_ids=False)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        reason = re.sub(r",? line \d+, column \d+$", "", exc.msg)
        raise StatementError(path, line, f"malformed XML: {reason}") from None
    root = _document(root)
    reader = _Reader(path, _namespace(path, root.tag))
    stmts, entries = reader.layout(root)
    reader.check_separators(root, raw)
    del raw
    sections = str(_transform(reader.ns)(root)).split(STMT)[1:]
    if len(sections) != len(stmts):
        raise StatementError(path, None, "internal error: unexpected reader output")
    if sum(section.count(ENTRY) for section in sections) != entries:
        reader.refuse_stray(root)
    statements: list[Statement] = []
    for index, (stmt, section) in enumerate(zip(stmts, sections, strict=True), 1):
        reader.fallback_day = reader.single_day(stmt)
        lines = reader.entries(section, f"Stmt[{index}]")
        statements.append(reader.statement(stmt, index, lines))
        reader.refs, reader.repeat = {}, None
    return statements


def _payee(parties: str, sign: int) -> str:
    """The debtor's name for money in (else the ultimate debtor's), the creditor's for
    money out: the first of each role counts, even when its name is empty."""
    first, second = ("0", "2") if sign > 0 else ("1", "3")
    if parties.count(PART) == 1:  # one party: the usual case
        return tidy(parties[1:-1]) if parties[0] in (first, second) else ""
    names: dict[str, str] = {}
    for party in parties.split(PART)[:-1]:
        names.setdefault(party[0], party[1:])
    return tidy(names.get(first)) or tidy(names.get(second))


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


def _document(root: Element) -> Element:
    """The camt.053 ``Document`` itself, also when an envelope wraps it (a SWIFT
    ``BizMsgEnvlp`` with its ``AppHdr``, as some banks deliver it)."""
    if isinstance(root.tag, str) and NAMESPACE.fullmatch(root.tag[1:].split("}", 1)[0]):
        return root
    for elem in root.iter():
        tag = elem.tag
        if isinstance(tag, str) and tag.endswith("}Document") and NAMESPACE.fullmatch(
                tag[1:].split("}", 1)[0]):
            return elem
    return root


def _namespace(path: str, tag: str) -> str:
    ns = tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""
    if not NAMESPACE.fullmatch(ns):
        raise StatementError(path, "Document", f"not a camt.053 document (namespace {ns!r})")
    return ns


class _Reader:
    """Reads the entries (from the XSLT's output) and the statements (from the tree).

    The statement's account and balances are read through :meth:`kids` (children by
    local name), several times cheaper than lxml's path-based ``find``.
    """

    def __init__(self, path: str, ns: str) -> None:
        self.path, self.ns = path, ns
        self.q = "{" + ns + "}"
        self.cut = len(self.q)
        self.t_ntry, self.t_stmt = self.q + "Ntry", self.q + "Stmt"
        self.refs: dict[str, str] = {}  # bank reference -> the entry that carries it
        self.repeat: tuple[str, str] | None = None  # the first entry repeating a reference
        #: A date field's first 12 characters -> its date (dates repeat a lot).
        self.dates: dict[str, datetime.date] = {}
        #: The date of entries that give none: the statement's single day, if it has one.
        self.fallback_day: datetime.date | None = None

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
        """All children of that local name (``Bal``...)."""
        return [] if elem is None else list(elem.iterchildren(self.q + local))

    def text(self, elem: Element | None, *steps: str) -> str:
        for step in steps:
            if elem is None:
                return ""
            elem = self.kids(elem).get(step)
        return tidy(elem.text) if elem is not None else ""

    # -- layout ------------------------------------------------------------------------

    def layout(self, root: Element) -> tuple[list[Element], int]:
        """The statements, and how many entries the document holds.

        Statements must not nest, and (checked against what the reader finds) entries must
        be children of a statement: an entry anywhere else would be read into no
        statement, or into the wrong one.
        """
        stmts, entries, t_stmt = [], 0, self.t_stmt
        for elem in root.iter(t_stmt, self.t_ntry):
            if elem.tag == t_stmt:
                stmts.append(elem)
            else:
                entries += 1
        if not stmts:
            raise StatementError(self.path, "Document",
                                 "no Stmt (statement) in this camt.053 file")
        for stmt in stmts:
            for parent in stmt.iterancestors(t_stmt, self.t_ntry):
                raise StatementError(self.path, stmt.sourceline, "a statement (Stmt) "
                                     f"inside {etree.QName(parent).localname}")
        return stmts, entries

    def refuse_stray(self, root: Element) -> None:
        for ntry in root.iter(self.t_ntry):
            parent = ntry.getparent()
            if parent is None or parent.tag != self.t_stmt:
                raise StatementError(self.path, ntry.sourceline,
                                     "an entry (Ntry) outside a statement (Stmt)")
        raise StatementError(self.path, None, "internal error: unexpected reader output")

    def check_separators(self, root: Element, raw: bytes) -> None:
        """Refuse a file whose text holds a character the reader uses as a separator
        (private-use characters no bank writes; in a value, they could shift fields)."""
        encoding = (root.getroottree().docinfo.encoding or "UTF-8").upper()
        if encoding in SCANNABLE and b"\0" not in raw and (
                b"\xee\x80" not in raw and b"&#" not in raw or not RAW_SEPARATOR.search(raw)):
            return
        test = " or ".join(f"contains(., '{ch}')" for ch in SEPARATORS)
        for found in root.xpath(f"//text()[{test}] | //@*[{test}]"):
            parent = found.getparent()
            char = next(ch for ch in found if ch in SEPARATORS)
            raise StatementError(self.path, parent.sourceline if parent is not None else None,
                                 f"refused: private-use character U+{ord(char):04X} in a "
                                 "value (no bank writes it; the reader uses it internally)")

    # -- entries -----------------------------------------------------------------------

    def entries(self, section: str, where_stmt: str) -> list[Line]:
        """The lines of one statement's entries (its section of the XSLT's output)."""
        lines: list[Line] = []
        add, extend, entry = lines.append, lines.extend, self.entry
        dates, refs = self.dates, self.refs
        # normalize-space() has already tidied the text fields, unless other blanks are
        # there: then every entry takes the general way, through tidy().
        fast = not OTHER_BLANKS.search(section)
        credit, debit = ("0", "2"), ("1", "3")  # the payee's roles (see _payee)
        for n, record in enumerate(section.split(ENTRY)[1:], 1):
            where = f"{where_stmt}/Ntry[{n}]"
            txs = record.split(TX)
            head = txs.pop(0)
            ntry_ref, amt, indicator, sts, sts_cd, box, ref, extra, _ = head.split(FIELD)
            day = dates.get(box[:12])
            # The common case inline: booked, good amount and sign, a date seen before;
            # anything else (and any error) through entry().
            if (sts_cd or sts) != "BOOK" or not fast or day is None:
                extend(entry(head, txs, where))
                continue
            number, _, currency = amt[1:].partition(PART)
            number, currency = number.strip(), currency.strip()
            if not (amt and indicator in SIGNS and AMOUNT.fullmatch(number)
                    and CURRENCY.fullmatch(currency)):
                extend(entry(head, txs, where))
                continue
            sign = SIGNS[indicator]
            signed = sign * Decimal(number)
            ref = ref or ntry_ref
            if len(txs) > 1:
                batch = self.batch(txs, signed, currency, day, ref, extra, where)
                if batch is None:
                    extend(entry(head, txs, where))
                    continue
                lines += batch
            if ref:
                first = refs.setdefault(ref, where)
                if first != where and not self.repeat:
                    self.repeat = (where, f"repeats the bank reference {ref!r} of {first}")
            if len(txs) > 1:
                continue
            payee = text = ""
            if txs:
                parties, _, _, tx_ref, e2e, tx_extra, texts = txs[0].split(FIELD)
                if parties:
                    if parties.count(PART) == 1:  # one party, already tidied
                        if parties[0] in (credit if sign > 0 else debit):
                            payee = parties[1:-1]
                    else:
                        payee = _payee(parties, sign)
                if texts:
                    text = " ".join(filter(None, texts.split(TEXT)))
                text = text or tx_extra
                ref = ref or tx_ref or (e2e if e2e.upper() != "NOTPROVIDED" else "")
            add(Line(day, signed, currency, payee or None, text or extra, ref or None, where))
        return lines

    def batch(self, txs: list[str], signed: Decimal, currency: str, day: datetime.date,
              entry_ref: str, extra: str, where: str) -> list[Line] | None:
        """A batch's lines when its amounts are all good and add up (else None: entry()
        then says what is wrong, or makes one line of the entry)."""
        entry_sign = 1 if signed >= 0 else -1
        parts = []
        total = Decimal(0)
        for tx in txs:
            fields = tx.split(FIELD)
            amt = fields[1]
            number, _, ccy = amt[1:].partition(PART)
            number = number.strip()
            if not (amt and AMOUNT.fullmatch(number) and CURRENCY.fullmatch(ccy.strip())):
                return None
            part_sign = SIGNS.get(fields[2], entry_sign)
            part = part_sign * Decimal(number)
            total += part
            parts.append((fields, part, part_sign))
        if total != signed:
            return None
        lines = []
        for n, (fields, part, part_sign) in enumerate(parts, 1):
            parties, _, _, own_ref, e2e, tx_extra, texts = fields
            payee = _payee(parties, part_sign) if parties else ""
            text = " ".join(filter(None, texts.split(TEXT))) if texts else ""
            text = text or tx_extra
            if not own_ref:
                own_ref = f"{entry_ref}/{n}" if entry_ref else (
                    e2e if e2e.upper() != "NOTPROVIDED" else "")
            lines.append(Line(day, part, currency, payee or None, text or extra,
                              own_ref or None, f"{where}/NtryDtls/TxDtls[{n}]"))
        return lines

    def entry(self, head: str, txs: list[str], where: str) -> list[Line]:
        """One ``Ntry``: one line, or one per ``TxDtls`` of a batch whose amounts add up."""
        ntry_ref, amt, indicator, sts, sts_cd, box, svcr_ref, extra, _rest = head.split(FIELD)
        status = sts_cd or sts
        if status != "BOOK":
            status = tidy(status)
            # An entry without Sts is booked: some banks leave it out of final statements.
            if status not in ("BOOK", ""):
                if status in NOT_BOOKED:
                    return []
                raise StatementError(self.path, where + "/Sts",
                                     f"unknown entry status {status!r}")
        amount, currency = self.amount(amt, where)
        sign = self.sign(indicator, where)
        day = self.day(box, where) or self.fallback_day
        if day is None:
            raise StatementError(self.path, where, "entry without a booking date (BookgDt)")
        entry_ref = tidy(svcr_ref) or tidy(ntry_ref)
        if entry_ref:
            # The bank's reference is unique to an entry: a repeat is the same money twice
            # (refused once the statement is read, unless its balances prove both real).
            first = self.refs.setdefault(entry_ref, where)
            if first != where and not self.repeat:
                self.repeat = (where, f"repeats the bank reference {entry_ref!r} of {first}")
        extra = tidy(extra)
        fields = [tx.split(FIELD) for tx in txs]
        signed = sign * amount
        split = self.split(fields, signed, where) if len(fields) > 1 else None
        if split is None:
            payee, text, tx_ref = self.describe(fields[0], sign) if fields else (None, "", None)
            if len(fields) > 1:
                text = " / ".join(filter(None, (self.describe(t, sign)[1] for t in fields)))
            # A transaction's own reference names the whole entry only when it is alone.
            ref = entry_ref or (tx_ref if len(fields) == 1 else None)
            return [Line(day, signed, currency, payee, text or extra, ref, where)]
        lines = []
        for n, (tx, part, part_sign) in enumerate(split, 1):
            payee, text, tx_ref = self.describe(tx, part_sign)
            own_ref = tidy(tx[3])
            ref = own_ref or (f"{entry_ref}/{n}" if entry_ref else tx_ref)
            lines.append(Line(day, part_sign * part, currency, payee, text or extra, ref,
                              f"{where}/NtryDtls/TxDtls[{n}]"))
        return lines

    def day(self, box: str, where: str) -> datetime.date | None:
        """The date of the entry's ``BookgDt`` (else ``ValDt``): see the output format."""
        if not box:
            return None
        name = "BookgDt" if box[0] == "B" else "ValDt"
        if box[1] == "!":
            raise StatementError(self.path, f"{where}/{name}", "date without Dt or DtTm")
        text = box[2:].strip()
        try:
            found = datetime.date.fromisoformat(text[:10])
        except ValueError:
            raise StatementError(self.path, f"{where}/{name}", f"bad date {text!r}") from None
        if box[2:12] == text[:10]:  # what entries() looks up
            self.dates[box[:12]] = found
        return found

    def split(self, txs: list[list[str]], signed: Decimal,
              where: str) -> list[tuple[list[str], Decimal, int]] | None:
        """Each ``TxDtls`` with its own amount and sign, if they add up to the entry."""
        entry_sign = 1 if signed >= 0 else -1
        parts = []
        for n, tx in enumerate(txs, 1):
            if not tx[1]:
                return None
            part, _ccy = self.amount(tx[1], f"{where}/NtryDtls/TxDtls[{n}]")
            parts.append((tx, part, SIGNS.get(tidy(tx[2]), entry_sign)))
        total = sum((part * part_sign for _t, part, part_sign in parts), Decimal(0))
        return parts if total == signed else None

    @staticmethod
    def describe(tx: list[str], sign: int) -> tuple[str | None, str, str | None]:
        """Counterparty name, remittance text and the transaction's own reference."""
        parties, _amt, _ind, svcr_ref, e2e, extra, texts = tx
        payee = tidy(_payee(parties, sign)) if parties else ""
        text = " ".join(filter(None, map(tidy, texts.split(TEXT)))) if texts else ""
        text = text or tidy(extra)
        ref = tidy(svcr_ref)
        if not ref:
            e2e = tidy(e2e)
            ref = e2e if e2e.upper() != "NOTPROVIDED" else ""
        return payee or None, text, ref or None

    # -- fields ------------------------------------------------------------------------

    def amount(self, field: str, where: str) -> tuple[Decimal, str]:
        """An amount field ("" when absent, else "=", the text, PART and the currency)."""
        if not field:
            raise StatementError(self.path, where, "missing amount (Amt)")
        text, _, currency = field[1:].partition(PART)
        text, currency = text.strip(), currency.strip()
        if not AMOUNT.fullmatch(text):
            raise StatementError(self.path, where + "/Amt", f"bad amount {text!r}")
        if not CURRENCY.fullmatch(currency):
            raise StatementError(self.path, where + "/Amt",
                                 f"bad or missing currency {currency!r}")
        return Decimal(text), currency

    def sign(self, indicator: str, where: str) -> int:
        indicator = indicator.strip()
        if indicator not in SIGNS:
            raise StatementError(self.path, where + "/CdtDbtInd",
                                 f"bad credit/debit indicator {indicator!r}")
        return SIGNS[indicator]

    # -- statements --------------------------------------------------------------------

    def single_day(self, stmt: Element) -> datetime.date | None:
        """The one day a statement covers, when its balances (all dated alike) say so: the
        date of its entries that give none (some banks' daily statements)."""
        days = set()
        for bal in self.every(stmt, "Bal"):
            found = self.kids(self.kids(bal).get("Dt"))
            text = (found.get("Dt") if "Dt" in found else found.get("DtTm"))
            if text is None or not (text.text or "").strip():
                return None
            days.add(text.text.strip()[:10])
        if len(days) != 1:
            return None
        try:
            return datetime.date.fromisoformat(days.pop())
        except ValueError:
            return None

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
            # Refused unless told to import without balances (--no-balance): nothing
            # would check the movements.
            statement.check_totals()
            statement.mismatch = StatementError(self.path, *self.repeat) if self.repeat else (
                StatementError(self.path, where, "no balance (Bal): a camt.053 statement "
                               "states at least its closing balance (--no-balance imports "
                               "its lines without checking them)"))
            return statement
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
        if self.repeat and (statement.opening is None or statement.closing is None):
            # A reference is a hint, not a key: two entries may share one when the
            # balances prove both are real; with nothing to check them against, a repeat
            # is refused as the same money twice (unless told --no-balance).
            statement.mismatch = statement.mismatch or StatementError(self.path,
                                                                      *self.repeat)
        return statement

    def balance(self, bal: Element, where: str) -> Balance:
        kids = self.kids(bal)
        amt = kids.get("Amt")
        field = "" if amt is None else f"={amt.text or ''}{PART}{amt.get('Ccy', '')}"
        amount, currency = self.amount(field, where)
        indicator = kids.get("CdtDbtInd")
        # A balance without its indicator is in credit (some banks leave it out then).
        if indicator is not None:
            amount *= self.sign(indicator.text or "", where)
        day = self.date(kids.get("Dt"), where + "/Dt")
        if day is None:
            raise StatementError(self.path, where, "balance without a date (Dt)")
        return Balance(day, amount, currency, where)

    def date(self, elem: Element | None, where: str) -> datetime.date | None:
        """The ``Dt`` or ``DtTm`` inside a balance's ``Dt``."""
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
