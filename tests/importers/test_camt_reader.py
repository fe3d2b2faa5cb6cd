"""The camt.053 reader's edges: what its one-pass XSLT must neither miss nor be fooled by."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from fundledger.importers import camt
from fundledger.importers.statement import StatementError

from .conftest import DATA

BATCH = (DATA / "camt053-v02-batch.xml").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / "statement.xml"
    path.write_bytes(text.encode(encoding))
    return str(path)


def refusal(path: str) -> str:
    with pytest.raises(StatementError) as caught:
        camt.parse(path)
    return str(caught.value)


def test_batch_sample_read_as_before(tmp_path: Path) -> None:
    [statement] = camt.parse(write(tmp_path, BATCH))
    assert [(str(line.amount), line.payee, line.text, line.ref, line.where)
            for line in statement.lines] == [
        ("700.00", "Association Les Amis", "DON NOVEMBRE", "BT-0211-01", "Stmt[1]/Ntry[1]"),
        ("-600.00", "Grap", "G-2026-001", "TX-A", "Stmt[1]/Ntry[2]/NtryDtls/TxDtls[1]"),
        ("-400.00", "Halle solidaire de Gerland", "Subvention G-2026-006", "BT-0211-02/2",
         "Stmt[1]/Ntry[2]/NtryDtls/TxDtls[2]"),
        ("-12.00", None, "COMMISSION D INTERVENTION", "BT-0311-03", "Stmt[1]/Ntry[3]"),
    ]


def test_booking_date_box_without_a_date_is_refused(tmp_path: Path) -> None:
    # It used to fall back on ValDt, or say "without a booking date": the reader looked
    # for a BookgDt it never kept.
    text = BATCH.replace("<BookgDt><Dt>2026-11-02</Dt></BookgDt><ValDt>",
                         "<BookgDt></BookgDt><ValDt>", 1)
    assert refusal(write(tmp_path, text)).endswith(
        "element Stmt[1]/Ntry[1]/BookgDt: date without Dt or DtTm")


def test_value_date_used_when_there_is_no_booking_date(tmp_path: Path) -> None:
    text = BATCH.replace("<BookgDt><Dt>2026-11-02</Dt></BookgDt><ValDt><Dt>2026-11-02",
                         "<ValDt><Dt>2026-11-01", 1)
    [statement] = camt.parse(write(tmp_path, text))
    assert str(statement.lines[0].date) == "2026-11-01"


@pytest.mark.parametrize("spoil", [
    "\ue001", "\ue000BT-X", "&#xE002;", "&#57347;", "&#x0e005;",
], ids=["field", "entry", "hex-reference", "decimal-reference", "padded-reference"])
def test_reader_separators_in_a_value_are_refused(tmp_path: Path, spoil: str) -> None:
    text = BATCH.replace("<Ustrd>DON</Ustrd>", f"<Ustrd>DON{spoil}</Ustrd>")
    message = refusal(write(tmp_path, text))
    assert ":31: refused: private-use character U+E00" in message


def test_separator_in_a_utf16_file_is_refused(tmp_path: Path) -> None:
    text = BATCH.replace('encoding="UTF-8"', 'encoding="UTF-16"').replace(
        "<Nm>Grap</Nm>", "<Nm>Grap\ue002</Nm>")
    assert "refused: private-use character U+E002" in refusal(write(tmp_path, text, "utf-16"))


def test_other_private_use_characters_are_kept(tmp_path: Path) -> None:
    text = BATCH.replace("<Ustrd>DON</Ustrd>", "<Ustrd>DON\ue006\uf8ff</Ustrd>")
    [statement] = camt.parse(write(tmp_path, text))
    assert statement.lines[0].text == "DON\ue006\uf8ff NOVEMBRE"


def test_non_ascii_blanks_are_collapsed_as_before(tmp_path: Path) -> None:
    text = BATCH.replace("<Nm>Association Les Amis</Nm>",
                         "<Nm>\u00a0Association\u2003 Les\u00a0\u00a0Amis </Nm>")
    [statement] = camt.parse(write(tmp_path, text))
    assert statement.lines[0].payee == "Association Les Amis"


def test_first_party_name_counts_even_when_empty(tmp_path: Path) -> None:
    text = BATCH.replace("<Dbtr><Nm>Association Les Amis</Nm></Dbtr>",
                         "<Dbtr><Nm> </Nm></Dbtr><Dbtr><Nm>Second</Nm></Dbtr>"
                         "<UltmtDbtr><Pty><Nm>Ultimate</Nm></Pty></UltmtDbtr>")
    [statement] = camt.parse(write(tmp_path, text))
    assert statement.lines[0].payee == "Ultimate"


def test_a_comment_does_not_hide_a_value(tmp_path: Path) -> None:
    # An element's value is its text content: comments are not part of it.
    plain = camt.parse(write(tmp_path, BATCH))[0].lines
    text = BATCH.replace('<Amt Ccy="EUR">12.00</Amt>', '<Amt Ccy="EUR"><!-- x -->12.00</Amt>')
    commented = camt.parse(write(tmp_path, text))[0].lines
    assert commented == plain
    assert (commented[-1].where, commented[-1].amount) == ("Stmt[1]/Ntry[3]", Decimal("-12.00"))


def test_missing_and_empty_amounts_told_apart(tmp_path: Path) -> None:
    missing = BATCH.replace('<Amt Ccy="EUR">12.00</Amt>', "")
    assert refusal(write(tmp_path, missing)).endswith("Ntry[3]: missing amount (Amt)")
    empty = BATCH.replace('<Amt Ccy="EUR">12.00</Amt>', '<Amt Ccy="EUR"/>')
    assert refusal(write(tmp_path, empty)).endswith("Ntry[3]/Amt: bad amount ''")


def test_zero_debit_keeps_its_sign(tmp_path: Path) -> None:
    text = BATCH.replace('<Amt Ccy="EUR">12.00</Amt>', '<Amt Ccy="EUR">0.00</Amt>').replace(
        "336997.10", "337009.10")
    [statement] = camt.parse(write(tmp_path, text))
    assert statement.lines[3].amount.as_tuple() == Decimal("-0.00").as_tuple()


def test_entry_outside_a_statement_is_refused(tmp_path: Path) -> None:
    stray = "<Ntry><Amt Ccy=\"EUR\">1.00</Amt></Ntry>"
    text = BATCH.replace("<GrpHdr>", stray + "<GrpHdr>")
    assert refusal(write(tmp_path, text)).endswith(
        ":4: an entry (Ntry) outside a statement (Stmt)")


def test_nested_statement_is_refused(tmp_path: Path) -> None:
    text = BATCH.replace("<Id>CE-2026-11-A</Id>", "<Id>CE-2026-11-A</Id><Stmt></Stmt>")
    assert "a statement (Stmt) inside Stmt" in refusal(write(tmp_path, text))
