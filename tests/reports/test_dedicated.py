"""Tableau de variation des fonds dédiés (SPEC 6.2)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from fundledger.cli import cli
from fundledger.engine import analyse
from fundledger.reports import dedicated
from tests.reports.conftest import plain
from tests.reports.test_quarterly import assert_no_english, text_of

D = Decimal


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_table_figures_and_identity(loaded) -> None:
    table = dedicated.build(analyse(loaded.entries, trace=False), 2025)
    rows = {r["fund"]: r for r in table.to_dict("records")}
    assert set(rows) == {"zero-dechet", "logement"}  # restricted funds only
    zero = rows["zero-dechet"]
    assert (zero["opening"], zero["resources"], zero["used"], zero["transfers_in"],
            zero["transfers_out"], zero["closing"]) == (
        D("70000.00"), D("0.00"), D("33000.00"), D("30000.00"), D("0.00"), D("67000.00"))
    housing = rows["logement"]
    assert (housing["opening"], housing["resources"], housing["used"],
            housing["transfers_in"], housing["closing"]) == (
        D("60000.00"), D("150.00"), D("8000.00"), D("10000.00"), D("62150.00"))
    for row in rows.values():
        assert (row["opening"] + row["resources"] - row["used"] + row["transfers_in"]
                - row["transfers_out"]) == row["closing"]
    totals = dedicated.totals(table)
    assert totals["closing"] == D("129150.00")


def test_closing_balances_match_the_funds_command(ledger_path: Path, loaded) -> None:
    result = run("funds", str(ledger_path), "--at", "2025-12-31", "--format", "json")
    engine = {row["fund"]: row["balance"] for row in json.loads(result.stdout)}
    for row in dedicated.build(analyse(loaded.entries, trace=False), 2025).to_dict("records"):
        assert f"{row['closing']:.2f}" == engine[row["fund"]]


def test_fund_declared_during_the_year_opens_at_zero(loaded) -> None:
    table = dedicated.build(analyse(loaded.entries, trace=False), 2024)
    rows = {r["fund"]: r for r in table.to_dict("records")}
    assert rows["zero-dechet"]["opening"] == 0
    assert rows["zero-dechet"]["resources"] == D("100000.00")
    assert rows["zero-dechet"]["closing"] == D("70000.00")


def test_csv(ledger_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "d.csv"
    result = run("report", "dedicated-funds", str(ledger_path), "--year", "2025", "-o", str(out))
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["fund"] for r in rows] == ["zero-dechet", "logement", "TOTAL"]
    assert rows[0]["used"] == "33000.00"
    assert rows[2]["closing"] == "129150.00"


def test_html_languages_and_pdf(ledger_path: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    for lang, title, figure in (("fr", "Tableau de variation des fonds dédiés", "129 150,00"),
                                ("it", "Prospetto di variazione dei fondi vincolati",
                                 "129.150,00"),
                                ("en", "Statement of changes in restricted funds",
                                 "129,150.00")):
        result = run("report", "dedicated-funds", str(ledger_path), "--year", "2025",
                     "--lang", lang)
        assert result.exit_code == 0
        text = text_of(result.stdout)
        assert title in text and plain(figure) in text
        if lang != "en":
            assert_no_english(text, lang)
    out = tmp_path / "d.pdf"
    result = run("report", "dedicated-funds", str(ledger_path), "--year", "2025", "-o", str(out))
    assert result.exit_code == 0
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert len(reader.pages) == 1
    text = plain(reader.pages[0].extract_text())
    assert plain("67 000,00") in text and plain("129 150,00") in text
    assert "ANC 2018-06" in text
