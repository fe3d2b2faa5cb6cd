"""Property tests: whatever the amounts, what the bank wrote is what the ledger gets."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from fundledger.importers import cfonb
from fundledger.importers.base import CamtImporter
from fundledger.importers.dedup import DUPLICATE

from .make_data import cfonb_amount

amounts = st.decimals(min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"),
                      places=2, allow_nan=False, allow_infinity=False)


@given(value=amounts, decimals=st.integers(min_value=0, max_value=3))
def test_cfonb_folded_sign_reads_back(value: Decimal, decimals: int) -> None:
    value = value.quantize(Decimal(1).scaleb(-decimals))
    record = "04" + " " * 17 + str(decimals) + " " * 70 + cfonb_amount(value, decimals)
    assert cfonb.amount("x", 1, record.ljust(120)) == value


def camt_document(moves: list[Decimal], opening: Decimal) -> str:
    entries = []
    for n, value in enumerate(moves):
        entries.append(
            f'<Ntry><Amt Ccy="EUR">{abs(value)}</Amt>'
            f"<CdtDbtInd>{'CRDT' if value >= 0 else 'DBIT'}</CdtDbtInd><Sts>BOOK</Sts>"
            f"<BookgDt><Dt>2026-03-{1 + n % 28:02d}</Dt></BookgDt>"
            f"<AcctSvcrRef>R{n}</AcctSvcrRef></Ntry>")
    closing = opening + sum(moves, Decimal(0))

    def bal(code: str, amount: Decimal, day: str) -> str:
        return (f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
                f'<Amt Ccy="EUR">{abs(amount)}</Amt>'
                f"<CdtDbtInd>{'CRDT' if amount >= 0 else 'DBIT'}</CdtDbtInd>"
                f"<Dt><Dt>{day}</Dt></Dt></Bal>")

    return ('<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:'
            'camt.053.001.04"><BkToCstmrStmt><Stmt><Id>P</Id><Acct><Id><IBAN>'
            "FR7613825002000800123456737</IBAN></Id></Acct>"
            + bal("OPBD", opening, "2026-03-01") + bal("CLBD", closing, "2026-03-28")
            + "".join(entries) + "</Stmt></BkToCstmrStmt></Document>")


@settings(max_examples=40, deadline=None)
@given(moves=st.lists(amounts.filter(bool), min_size=1, max_size=30), opening=amounts,
       known=st.integers(min_value=0, max_value=30))
def test_camt_round_trip_and_reimport(moves: list[Decimal], opening: Decimal,
                                      known: int) -> None:
    """Every movement lands once, balances hold, and the overlap is recognised exactly."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.xml"
        path.write_text(camt_document(moves, opening), encoding="utf-8")
        importer = CamtImporter(accounts={"FR7613825002000800123456737": "Assets:Bank:A"})
        entries = importer.extract(str(path), [])
    txns = [e for e in entries if e.__class__.__name__ == "Transaction"]
    assert sorted(t.postings[0].units.number for t in txns) == sorted(moves)
    assert all(t.postings[0].units.number + t.postings[1].units.number == 0 for t in txns)
    balances = [e for e in entries if e.__class__.__name__ == "Balance"]
    for balance in balances:  # each holds: what the lines before its day add up to
        before = sum((t.postings[0].units.number for t in txns if t.date < balance.date),
                     Decimal(0))
        assert balance.amount.number == opening + before
    assert len(balances) == 2
    importer.deduplicate(txns, txns[:known])  # the ledger already holds the first ones
    assert sum(1 for e in txns if e.meta.get(DUPLICATE)) == min(known, len(txns))
