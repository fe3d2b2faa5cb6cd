"""De-duplication, property-tested on real statements cut into overlapping pieces.

The movements of real statements (the Lyon camt.053 sample, the public Pennylane CFONB
example, with its two different movements under one reference) are cut at day boundaries
into overlapping statements written as CFONB 120, OFX or camt.053; pieces reissue their references
(as some banks reissue OFX FITIDs between two downloads) and are imported in any order.
Whatever happens, the books end with exactly the bank's lines, once each, and every
balance assertion the imports wrote holds.
"""

from __future__ import annotations

import datetime
import tempfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

from beancount.core import data
from beancount.core.amount import Amount
from hypothesis import given, settings
from hypothesis import strategies as st

from fundledger.importers.base import CamtImporter, CfonbImporter, OfxImporter
from fundledger.importers.dedup import DUPLICATE, mark_duplicates
from fundledger.importers.statement import Line

from .conftest import DATA, SAMPLES
from .make_data import cfonb_amount

ACCOUNT = "Assets:Bank:A"
NUMBER = "00001234567"
ONE_DAY = datetime.timedelta(days=1)


def real_lines() -> list[tuple[str, list[Line], Decimal]]:
    """Real statements' movements, oldest first, and the balance before them."""
    camt = CamtImporter(accounts={"FR7613825002000800123456737": ACCOUNT})
    statement = camt.statements(str(SAMPLES / "caisse-epargne-2026-10-01.camt053.xml"))[0]
    found = [("camt", sorted(statement.lines, key=lambda ln: ln.date),
              statement.opening.amount)]
    cfonb = CfonbImporter(account=ACCOUNT)
    for n, stmt in enumerate(cfonb.statements(str(DATA / "cfonb-pennylane-example.txt"))):
        found.append((f"cfonb{n}", sorted(stmt.lines, key=lambda ln: ln.date),
                      stmt.opening.amount))
    return found


REAL = real_lines()


def days_of(lines: list[Line]) -> list[datetime.date]:
    return sorted({line.date for line in lines})


def cfonb_file(lines: list[Line], opening: Decimal, refs: list[str | None]) -> str:
    def head(code: str, day: datetime.date) -> str:
        return f"{code}40031    00001EUR2 {NUMBER}  {day:%d%m%y}"

    first, last = min(ln.date for ln in lines), max(ln.date for ln in lines)
    records = [(head("01", first - ONE_DAY).ljust(90) + cfonb_amount(opening)).ljust(120)]
    for line, ref in zip(lines, refs, strict=True):
        records.append(head("04", line.date) + f"  {line.date:%d%m%y}"
                       + (line.text or "").ljust(31)[:31] + "  0000000  "
                       + cfonb_amount(line.amount) + (ref or "").ljust(16)[:16])
    closing = opening + sum((ln.amount for ln in lines), Decimal(0))
    records.append((head("07", last).ljust(90) + cfonb_amount(closing)).ljust(120))
    return "\n".join(records) + "\n"


def ofx_file(lines: list[Line], opening: Decimal, refs: list[str | None]) -> str:
    closing = opening + sum((ln.amount for ln in lines), Decimal(0))
    last = max(ln.date for ln in lines)
    body = "".join(
        f"<STMTTRN><TRNTYPE>OTHER<DTPOSTED>{ln.date:%Y%m%d}<TRNAMT>{ln.amount}"
        f"<FITID>{ref}<NAME>{(ln.text or 'X')[:32]}</STMTTRN>\n"
        for ln, ref in zip(lines, refs, strict=True))
    return ("OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n"
            "CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n"
            "<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>"
            "<DTSERVER>20261110<LANGUAGE>FRA</SONRS></SIGNONMSGSRSV1><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>"
            f"<STMTRS><CURDEF>EUR<BANKACCTFROM><BANKID>40031<ACCTID>{NUMBER}"
            "<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>"
            f"<DTSTART>{min(ln.date for ln in lines):%Y%m%d}<DTEND>{last:%Y%m%d}\n"
            f"{body}</BANKTRANLIST><LEDGERBAL><BALAMT>{closing}<DTASOF>{last:%Y%m%d}"
            "</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n")


def camt_file(lines: list[Line], opening: Decimal, refs: list[str | None]) -> str:
    """camt.053.001.04: the opening balance at the start of the first day (OPBD), the
    closing at the end of the last (CLBD); references unique in one file, as camt's are."""
    closing = opening + sum((ln.amount for ln in lines), Decimal(0))
    first, last = min(ln.date for ln in lines), max(ln.date for ln in lines)

    def bal(code: str, amount: Decimal, day: datetime.date) -> str:
        return (f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
                f'<Amt Ccy="EUR">{abs(amount)}</Amt>'
                f"<CdtDbtInd>{'CRDT' if amount >= 0 else 'DBIT'}</CdtDbtInd>"
                f"<Dt><Dt>{day}</Dt></Dt></Bal>")

    seen: set[str] = set()
    entries = []
    for n, (line, ref) in enumerate(zip(lines, refs, strict=True)):
        ref = ref if ref and ref not in seen else f"{ref or 'X'}-{n}"
        seen.add(ref)
        entries.append(
            f'<Ntry><Amt Ccy="EUR">{abs(line.amount)}</Amt>'
            f"<CdtDbtInd>{'CRDT' if line.amount >= 0 else 'DBIT'}</CdtDbtInd><Sts>BOOK</Sts>"
            f"<BookgDt><Dt>{line.date}</Dt></BookgDt><AcctSvcrRef>{ref}</AcctSvcrRef>"
            f"<AddtlNtryInf>{line.text or 'X'}</AddtlNtryInf></Ntry>")
    return ('<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:'
            'camt.053.001.04"><BkToCstmrStmt><Stmt><Id>P</Id><Acct><Id><Othr><Id>'
            f"{NUMBER}</Id></Othr></Id></Acct>" + bal("OPBD", opening, first)
            + bal("CLBD", closing, last) + "".join(entries)
            + "</Stmt></BkToCstmrStmt></Document>")


@st.composite
def pieces(draw: st.DrawFn):
    """A real statement, overlapping day ranges covering it, and an import order."""
    name, lines, opening = draw(st.sampled_from(REAL))
    days = days_of(lines)
    count = draw(st.integers(min_value=1, max_value=4))
    ranges = []
    # Cover every day, then add overlapping ranges.
    cuts = sorted(draw(st.lists(st.integers(min_value=1, max_value=max(1, len(days) - 1)),
                                max_size=count, unique=True))) if len(days) > 1 else []
    bounds = [0, *cuts, len(days)]
    ranges = [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if a < b]
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        a = draw(st.integers(min_value=0, max_value=len(days) - 1))
        b = draw(st.integers(min_value=a + 1, max_value=len(days)))
        ranges.append((a, b))
    order = draw(st.permutations(range(len(ranges))))
    formats = [draw(st.sampled_from(["cfonb", "ofx", "camt"])) for _ in ranges]
    reissue = [draw(st.booleans()) for _ in ranges]
    shuffle = draw(st.randoms(use_true_random=False))
    return name, lines, opening, days, [ranges[i] for i in order], \
        [formats[i] for i in order], [reissue[i] for i in order], shuffle


def holds(balance: data.Balance, txns: list[data.Transaction], base: Decimal) -> bool:
    before = sum((p.units.number for t in txns if t.date < balance.date
                  for p in t.postings if p.account == ACCOUNT), Decimal(0))
    return base + before == balance.amount.number


@settings(max_examples=60, deadline=None)
@given(case=pieces())
def test_overlapping_reissued_shuffled_pieces_give_exactly_the_bank_lines(case) -> None:
    name, lines, opening, days, ranges, formats, reissue, shuffle = case
    books: list[data.Directive] = []
    with tempfile.TemporaryDirectory() as folder:
        for n, ((a, b), fmt, fresh_refs) in enumerate(zip(ranges, formats, reissue,
                                                          strict=True)):
            chosen = [ln for ln in lines if days[a] <= ln.date < days[b - 1] + ONE_DAY]
            shuffle.shuffle(chosen)  # the order of lines in a file says nothing
            before = opening + sum((ln.amount for ln in lines if ln.date < days[a]),
                                   Decimal(0))
            if fmt == "ofx":
                # FITIDs are unique in one file: reissued ones are new for every piece.
                refs = [f"P{n}-{i}" if fresh_refs or not ln.ref else f"{ln.ref}-{i}"
                        if [x.ref for x in chosen].count(ln.ref) > 1 else ln.ref
                        for i, ln in enumerate(chosen)]
                path = Path(folder) / f"{n}.ofx"
                path.write_text(ofx_file(chosen, before, refs), encoding="latin-1")
                importer = OfxImporter(account=ACCOUNT)
            elif fmt == "camt":
                refs = [f"C{n}-{i}" if fresh_refs else ln.ref for i, ln in enumerate(chosen)]
                path = Path(folder) / f"{n}.xml"
                path.write_text(camt_file(chosen, before, refs), encoding="utf-8")
                importer = CamtImporter(account=ACCOUNT)
            else:
                refs = [f"R{n}-{i}" if fresh_refs else ln.ref for i, ln in enumerate(chosen)]
                path = Path(folder) / f"{n}.txt"
                path.write_text(cfonb_file(chosen, before, refs), encoding="latin-1")
                importer = CfonbImporter(account=ACCOUNT)
            entries = importer.extract(str(path), books)
            importer.deduplicate(entries, books)
            books += [e for e in entries if not e.meta.get(DUPLICATE)]
    txns = [e for e in books if isinstance(e, data.Transaction)]
    got = Counter((t.date, t.postings[0].units.number) for t in txns)
    assert got == Counter((ln.date, ln.amount) for ln in lines), name
    base = opening
    for balance in (e for e in books if isinstance(e, data.Balance)):
        assert holds(balance, txns, base), (name, balance.date, balance.amount)


def txn(day: str, amount: str, ref: str | None = None) -> data.Transaction:
    meta = {"filename": "x", "lineno": 0}
    if ref:
        meta["bank-ref"] = ref
    units = Amount(Decimal(amount), "EUR")
    return data.Transaction(meta, datetime.date.fromisoformat(day), "*", None, "", data.EMPTY_SET,
                            data.EMPTY_SET,
                            [data.Posting(ACCOUNT, units, None, None, None, None),
                             data.Posting("Assets:Suspense", -units, None, None, None, None)])


def fresh(new: list[data.Transaction], books: list[data.Transaction]) -> list[tuple]:
    mark_duplicates(new, books)
    return [(str(t.date), str(t.postings[0].units.number), t.meta.get("bank-ref"))
            for t in new if not t.meta.get(DUPLICATE)]


def test_a_new_movement_reusing_a_reference_is_imported() -> None:
    books = [txn("2019-05-16", "-32.21", "REFERENCE"), txn("2019-05-16", "-7.90", "REFERENCE")]
    new = [txn("2019-05-16", "-32.21", "REFERENCE"), txn("2019-05-17", "-35.00", "REFERENCE")]
    assert fresh(new, books) == [("2019-05-17", "-35.00", "REFERENCE")]


def test_a_line_under_a_reissued_fitid_is_not_imported_again() -> None:
    books = [txn("2026-10-06", "-120.00", "A1"), txn("2026-10-06", "-80.00", "A2")]
    new = [txn("2026-10-06", "-80.00", "B7"), txn("2026-10-06", "-120.00", "B8"),
           txn("2026-10-07", "-15.00", "B9")]
    assert fresh(new, books) == [("2026-10-07", "-15.00", "B9")]


def test_two_identical_movements_of_one_day_are_both_imported_once() -> None:
    new = [txn("2026-10-06", "-50.00"), txn("2026-10-06", "-50.00")]
    assert len(fresh(new, [])) == 2
    # One already in the books (from an earlier statement): the other one is new.
    new = [txn("2026-10-06", "-50.00"), txn("2026-10-06", "-50.00")]
    assert fresh(new, [txn("2026-10-06", "-50.00")]) == [("2026-10-06", "-50.00", None)]


def test_one_to_one_an_entry_absorbs_at_most_one_line() -> None:
    books = [txn("2026-10-06", "-50.00", "X")]
    new = [txn("2026-10-06", "-50.00", "X"), txn("2026-10-06", "-50.00", "X2"),
           txn("2026-10-06", "-50.00")]
    assert len(fresh(new, books)) == 2


def test_booking_and_value_dates_window() -> None:
    # The books have the value date (CSV), the statement the booking date, 3 days later.
    books = [txn("2026-10-02", "-99.00"), txn("2026-10-09", "-99.00")]
    new = [txn("2026-10-05", "-99.00", "C1"), txn("2026-10-06", "-12.00", "C2")]
    assert fresh(new, books) == [("2026-10-06", "-12.00", "C2")]
    # Five days apart is another movement; so is the same fee the day after the books'
    # one when the statement does not cover that earlier day.
    assert len(fresh([txn("2026-10-07", "-99.00")], [txn("2026-10-02", "-99.00")])) == 1
    assert len(fresh([txn("2026-10-03", "-1.50"), txn("2026-10-04", "-1.50")],
                     [txn("2026-10-02", "-1.50")])) == 2
    # The same reference a day apart (re-dated by the bank) is the same line.
    assert fresh([txn("2026-10-03", "-7.00", "R")], [txn("2026-10-02", "-7.00", "R")]) == []
    # Two references of one export, a day apart: two movements (a daily fee).
    assert len(fresh([txn("2026-10-03", "-1.50", "F2")], [txn("2026-10-02", "-1.50", "F1")])) == 1
