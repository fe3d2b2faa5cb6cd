"""The bad-statement corpus: each spoilt real statement refused with one clear line, exit 2,
and the ledger byte-identical; the harmless variants accepted and leaving a clean ledger.

Every case is a real statement (``corpus/statements``) with one fault applied.  A bad
statement is imported with ``--apply`` *after a good one* in the same command, to show
that a refusal appends nothing at all, not even what the good file would have added.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import assert_one_line_refusal, run
from .statements import (
    CAMT,
    CFONB,
    CSV,
    OFX,
    base,
    books,
    changed,
    duplicate_first,
    first,
    import_args,
    lines,
    recode,
    sub,
)

NTRY = rb"<Ntry>.*?</Ntry>\s*"
BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""


def with_prolog(prolog: bytes, body_repl: tuple[bytes, bytes] = (b"", b"")) -> Callable:
    """Replace the XML declaration by ``prolog`` (a DTD), optionally using an entity."""
    def mutate(data: bytes) -> bytes:
        body = data.split(b"\n", 1)[1]
        if body_repl[0]:
            body = body.replace(body_repl[0], body_repl[1], 1)
        return changed(prolog + body, data)
    return mutate


def cut(fraction: float, extra: int = 0) -> Callable[[bytes], bytes]:
    return lambda data: data[:int(len(data) * fraction) + extra]


def cut_after(marker: bytes, occurrence: int = 1) -> Callable[[bytes], bytes]:
    def mutate(data: bytes) -> bytes:
        at = -1
        for _ in range(occurrence):
            at = data.index(marker, at + 1)
        return data[:at + len(marker)]
    return mutate


def drop_records(kind: bytes) -> Callable[[bytes], bytes]:
    return lines(lambda rows: [r for r in rows if not r.startswith(kind)])


# name -> (base statement, mutation, regex the stderr line must match after the file name)
REFUSED = {
    # truncated, anywhere
    "camt-cut-in-a-tag": (CAMT, cut(0.5), r":\d+: malformed XML: "),
    "camt-cut-after-an-entry": (CAMT, cut_after(b"</Ntry>", 2), r":\d+: malformed XML: "),
    "camt-cut-before-the-end": (CAMT, lambda d: d[:d.rindex(b"</Document>")],
                                r":\d+: malformed XML: "),
    "cfonb-cut-between-records": (CFONB, lines(lambda r: r[:len(r) // 2]),
                                  r":\d+: truncated: no new balance \(07\)"),
    "cfonb-cut-in-a-record": (CFONB, cut(0.5, 37), r":\d+: (truncated|record of \d+ char)"),
    "cfonb-no-closing-record": (CFONB, drop_records(b"07"), r":\d+: truncated"),
    "csv-cut-in-a-line": (CSV, lambda d: d[:d.rindex(b";", 0, len(d) - 40)],
                          r":\d+: "),
    "ofx-cut": (OFX, cut(0.5), r": element \w+: invalid OFX"),
    # wrong encoding
    "camt-latin1-declared-utf8": (CAMT, lambda d: changed(
        d.replace(b"METROPOLE", "MÉTROPOLE".encode("latin-1")), d),
        r":\d+: malformed XML: "),
    "camt-utf16": (CAMT, lambda d: changed(
        d.decode().replace("UTF-8", "UTF-16").encode("utf-16"), d), r":1: unknown statement"),
    "cfonb-utf8-not-latin1": (CFONB, recode("latin-1", "utf-8"),
                              r":\d+: record of 121 characters"),
    "cfonb-utf16": (CFONB, recode("latin-1", "utf-16"), r":1: unknown statement format"),
    "cfonb-records-too-short": (CFONB, lines(lambda r: [x[:100] for x in r]), r":1: "),
    # missing balances
    "ofx-no-ledger-balance": (OFX, sub(rb"<LEDGERBAL>.*?</LEDGERBAL>\s*", b""),
                              r": element STMTRS: invalid OFX"),
    # duplicated entries (caught by the balances)
    "camt-duplicated-entry": (CAMT, duplicate_first(NTRY, b"</TxsSummry>\n      "),
                              r": element Stmt\[1\]/Bal\[2\]: movements do not add up"),
    "cfonb-duplicated-record": (CFONB, lines(lambda r: r[:2] + r[1:]),
                                r":\d+: movements do not add up"),
    # bad amounts
    "camt-negative-amount": (CAMT, sub(rb">8000\.00<", b">-8000.00<"),
                             r": element Stmt\[1\]/Ntry\[1\]/Amt: bad amount '-8000.00'"),
    "camt-exponent-amount": (CAMT, sub(rb">8000\.00<", b">8E3<"), r"/Amt: bad amount '8E3'"),
    "camt-nan-amount": (CAMT, sub(rb">8000\.00<", b">NaN<"), r"/Amt: bad amount 'NaN'"),
    "camt-empty-amount": (CAMT, sub(rb">8000\.00<", b"><"), r"/Amt: bad amount ''"),
    "camt-comma-amount": (CAMT, sub(rb">8000\.00<", b">8000,00<"), r"/Amt: bad amount"),
    "camt-huge-amount": (CAMT, sub(rb">8000\.00<", b">999999999999999999.99999<"),
                         r"(bad amount|do not add up)"),
    "camt-no-currency": (CAMT, sub(rb'Ccy="EUR">8000', b'Ccy="">8000'), r"/Amt: bad or missing"),
    "camt-bad-credit-debit": (CAMT, sub(rb"<CdtDbtInd>DBIT</CdtDbtInd>",
                                        b"<CdtDbtInd>XXXX</CdtDbtInd>", 1),
                              r"/Ntry\[1\]/CdtDbtInd: bad credit/debit indicator 'XXXX'"),
    "camt-bad-date": (CAMT, sub(rb"<BookgDt><Dt>2026-10-02", b"<BookgDt><Dt>2026-02-30", 1),
                      r"/Ntry\[1\]/BookgDt: bad date '2026-02-30'"),
    "cfonb-bad-amount-sign": (CFONB, lambda d: changed(d.replace(b"0000000010416G",
                                                                 b"0000000010416X", 1), d),
                              r":\d+: bad amount"),
    "csv-bad-amount": (CSV, sub(b"606,06", b"six cents", 1), r":\d+: bad amount 'six cents'"),
    "csv-bad-date": (CSV, sub(rb"30/10/2026", b"31/02/2026", 1), r":\d+: bad date '31/02/2026'"),
    "ofx-bad-date": (OFX, sub(rb"<DTPOSTED>20261019", b"<DTPOSTED>20261399", 1),
                     r": element STMTTRN: invalid OFX"),
    "ofx-no-date": (OFX, sub(rb"<DTPOSTED>20261019\s*", b"", 1), r": element STMTTRN: invalid"),
    # wrong namespaces, unknown account
    "camt-054-namespace": (CAMT, sub(rb"camt\.053\.001\.08", b"camt.054.001.08"),
                           r":1: unknown statement format"),
    "camt-foreign-namespace": (CAMT, sub(rb"urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.08",
                                         b"urn:example:camt.053.001.08"),
                               r": element Document: not a camt.053 document"),
    "camt-no-namespace": (CAMT, sub(rb' xmlns="urn:iso[^"]*"', b""), r":1: unknown statement"),
    "camt-unknown-iban": (CAMT, sub(b"FR7613825002000800123456737", b"FR7613825002000800123456738"),
                          r": element Stmt\[1\]: no ledger account for FR76"),
    # XML attacks: refused before any expansion or fetch
    "camt-entity-bomb": (CAMT, with_prolog(BOMB, (b"CEPAC-20261016-0001", b"&lol9;")),
                         r": element DOCTYPE: refused"),
    "camt-external-entity": (CAMT, with_prolog(
        b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n',
        (b"CEPAC-20261016-0001", b"&x;")), r": element DOCTYPE: refused"),
    "camt-parameter-entity": (CAMT, with_prolog(
        b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x">%p;]>\n'),
        r": element DOCTYPE: refused"),
    "camt-undeclared-entity": (CAMT, sub(b"CEPAC-20261016-0001", b"&lol9;"),
                               r":\d+: malformed XML"),
    "camt-too-deep": (CAMT, sub(b"<GrpHdr>", b"<a>" * 100_000 + b"</a>" * 100_000 + b"<GrpHdr>"),
                      r":\d+: malformed XML: "),
    # nothing, or nothing of a statement
    "camt-0-bytes": (CAMT, lambda d: b"", r": empty file \(0 bytes\)$"),
    "cfonb-0-bytes": (CFONB, lambda d: b"", r": empty file \(0 bytes\)$"),
    "csv-0-bytes": (CSV, lambda d: b"", r": empty file \(0 bytes\)$"),
    "ofx-0-bytes": (OFX, lambda d: b"", r": empty file \(0 bytes\)$"),
    "camt-blank": (CAMT, lambda d: b"  \n\n", r":1: unknown statement format"),
    "camt-nul-bytes": (CAMT, lambda d: b"\0" * 4096, r":1: unknown statement format"),
    "csv-header-missing": (CSV, lines(lambda r: r[5:]), r":1: unknown statement format"),
    "cfonb-no-opening-record": (CFONB, drop_records(b"01"), r":\d+: "),
}

# Found by this corpus and fixed in the importers (663c6d1): kept as plain refusals.
# name -> (base, mutation, regex, what used to happen).
REFUSED_FIXED = {
    "camt-no-balances": (
        CAMT, sub(rb"<Bal>.*?</Bal>\s*", b""), r"Stmt\[1\]",
        "importers/camt.py:_statement accepts a Stmt with no Bal (ISO 20022 requires one); "
        "nothing then checks the movements (Statement.check_totals returns)"),
    "camt-duplicated-entry-no-balances": (
        CAMT, lambda d: sub(rb"<Bal>.*?</Bal>\s*", b"")(
            duplicate_first(NTRY, b"</TxsSummry>\n      ")(d)), r"Ntry",
        "importers/dedup.py:mark_duplicates: two lines with the same bank reference in one "
        "statement are both appended (money doubled)"),
    "ofx-duplicated-fitid": (
        OFX, lambda d: changed(d.replace(b"<BANKTRANLIST>\n<DTSTART>20261016\n<DTEND>20261031\n",
                                         b"<BANKTRANLIST>\n<DTSTART>20261016\n<DTEND>20261031\n"
                                         + first(rb"<STMTTRN>.*?</STMTTRN>\n", d), 1), d),
        r"STMTTRN|FITID",
        "importers/dedup.py:mark_duplicates: an OFX repeating a FITID is appended twice "
        "(money doubled); FITIDs are unique by the OFX spec"),
    "csv-duplicated-row": (
        CSV, lines(lambda r: r[:6] + r[5:]), r":\d+: ",
        "importers/csvfile.py:parse: a repeated row is appended twice; the running balance "
        "(Solde) column, which would show it, is not checked"),
    "csv-comma-separated": (
        CSV, lambda d: changed(d.replace(b";", b","), d), r":\d+: ",
        "importers/csvfile.py:parse: a comma-separated export with decimal commas splits "
        "'4,50' into two columns and appends wrong amounts (+46 EUR for a 4.50 debit) and a "
        "wrong balance; rows with more fields than the header should be refused"),
    "camt-foreign-currency-line": (
        CAMT, sub(rb'Ccy="EUR">8000\.00', b'Ccy="USD">8000.00'), r"USD",
        "importers/base.py: a USD line on an EUR account (Acct/Ccy EUR) is appended; the "
        "ledger then fails to load cleanly"),
    "csv-huge-amount": (
        CSV, sub(rb"2 400,00", b"99999999999999999999999999999999,00", 1), r":\d+: ",
        "importers/csvfile.py: amount of 32 digits accepted; beyond Decimal's 28-digit "
        "context the engine rounds and the CLI's money() raises InvalidOperation"),
    "ofx-huge-amount": (
        OFX, sub(rb"<TRNAMT>-16000\.00", b"<TRNAMT>-1600000000000000000000000000000000000.00", 1),
        r"STMTTRN|TRNAMT", "importers/ofx.py: amount of 37 digits accepted"),
    "ofx-bad-amount-message": (
        OFX, sub(rb"<TRNAMT>-16000\.00", b"<TRNAMT>abc", 1), r": element STMTTRN",
        "importers/ofx.py:parse: a bad TRNAMT gives 'importer fundledger.ofx failed: "
        "InvalidOperation: [<class 'decimal.ConversionSyntax'>]', naming no element"),
}

# Harmless variants: accepted, and the ledger stays clean.
ACCEPTED = {
    "cfonb-crlf-line-ends": (CFONB, lambda d: changed(d.replace(b"\n", b"\r\n"), d)),
    "csv-utf16": (CSV, recode("cp1252", "utf-16")),
    "camt-xinclude-ignored": (CAMT, sub(b"<GrpHdr>", b'<xi:include xmlns:xi="http://www.w3.org'
                                        b'/2001/XInclude" href="/etc/passwd" parse="text"/>'
                                        b"<GrpHdr>")),
    "camt-long-text": (CAMT, sub(b"CEPAC-20261016-0001", b"A" * 2_000_000)),
}


def params(table: dict) -> list:
    return [pytest.param(name, statement, mutate, *rest[:1], id=name)
            for name, (statement, mutate, *rest) in table.items()]


def spoil(folder: Path, name: str, statement: str, mutate: Callable[[bytes], bytes]) -> Path:
    suffix = ".xml" if statement.endswith(".xml") else Path(statement).suffix
    bad = folder / f"{name}{suffix}"
    bad.write_bytes(mutate(base(statement)))
    return bad


@pytest.mark.parametrize(("name", "statement", "mutate", "regex"),
                         params(REFUSED) + params(REFUSED_FIXED))
def test_refused_and_nothing_appended(tmp_path: Path, name: str, statement: str,
                                      mutate: Callable, regex: str) -> None:
    ledger = books(tmp_path)
    before = ledger.read_bytes()
    bad = spoil(tmp_path, name, statement, mutate)
    good = tmp_path / statement
    good.write_bytes(base(statement))
    args = import_args(bad, ledger)
    result = run(args[0], good, *args[1:])  # the good file first, then the bad one
    line = assert_one_line_refusal(result, bad)
    assert result.stdout == ""
    assert re.search(regex, line[line.index(str(bad)) + len(str(bad)):]), line
    assert ledger.read_bytes() == before
    assert not list(tmp_path.glob(".main.beancount.*.tmp"))
    assert "/etc/passwd" not in line and "root:" not in line


@pytest.mark.parametrize(("name", "statement", "mutate"), params(ACCEPTED))
def test_harmless_variants_accepted_and_ledger_clean(tmp_path: Path, name: str, statement: str,
                                                     mutate: Callable) -> None:
    ledger = books(tmp_path)
    variant = spoil(tmp_path, name, statement, mutate)
    args = import_args(variant, ledger)
    if statement == CSV:  # it continues the CFONB statement of the same account
        (tmp_path / CFONB).write_bytes(base(CFONB))
        args.insert(1, str(tmp_path / CFONB))
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    assert "new entries appended" in result.stderr
    assert b"root:" not in ledger.read_bytes()
    check = run("check", ledger)
    assert check.exit_code == 0, check.stdout


def test_same_statement_twice_in_one_run_and_under_another_name(tmp_path: Path) -> None:
    """Nothing doubled: the same file given twice, then a renamed copy in a later run."""
    ledger = books(tmp_path)
    statement = tmp_path / CAMT
    statement.write_bytes(base(CAMT))
    once = run("import", statement, statement, "--ledger", ledger, "--apply")
    assert once.exit_code == 0, once.stderr
    after = ledger.read_bytes()
    appended = re.findall(rb"bank-ref:", after)
    copy = tmp_path / "copie.xml"
    copy.write_bytes(base(CAMT))
    again = run("import", copy, "--ledger", ledger, "--apply")
    assert again.exit_code == 0 and "0 new entries appended" in again.stderr
    assert ledger.read_bytes() == after
    assert len(appended) == len(set(re.findall(rb'bank-ref: "[^"]*"', after)))
    assert run("check", ledger).exit_code == 0


ENTITIES = {
    "bomb": BOMB.split(b"\n", 1)[1].replace(b"lolz", b"OFX"),
    "external": b'<!DOCTYPE OFX [<!ENTITY lol9 SYSTEM "file:///etc/passwd">]>\n',
}


@pytest.mark.parametrize("kind", sorted(ENTITIES))
def test_ofx_v2_entities_are_never_expanded(tmp_path: Path, kind: str) -> None:
    """OFX 2 is XML: a DTD's entities must stay text (or the file be refused), never expand."""
    ledger = books(tmp_path)
    before = ledger.read_bytes()
    data = base("ofx-v2-iban.ofx")
    head, body = data.split(b"?>\n", 2)[:2], data.split(b"?>\n", 2)[2]
    body = re.sub(rb"<NAME>[^<]*", b"<NAME>&lol9;", body, count=1)
    bad = tmp_path / f"{kind}.ofx"
    bad.write_bytes(changed(b"?>\n".join(head) + b"?>\n" + ENTITIES[kind] + body, data))
    result = run(*import_args(bad, ledger))
    text = ledger.read_bytes()
    assert b"lollol" not in text and b"root:" not in text
    if result.exit_code == 2:
        assert_one_line_refusal(result, bad)
        assert text == before
    else:
        assert result.exit_code == 0, result.stderr
        assert b"&lol9;" in text  # kept as the bank's literal text
