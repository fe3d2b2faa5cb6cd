"""Tableau de variation des fonds dédiés: the regulation's layout, figures by hand."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from fundledger.cli import cli
from fundledger.reports import dedicated
from tests.reports.conftest import plain
from tests.reports.test_quarterly import assert_no_english, text_of

D = Decimal


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def rows_of(loaded, year: int) -> dict:
    groups = dedicated.build(loaded.analysis(trace=False), year)
    return {r.fund: r for g in groups for r in g["rows"]}


def test_table_figures_first_in_first_out(loaded) -> None:
    rows = rows_of(loaded, 2025)
    assert set(rows) == {"zero-dechet", "logement"}  # restricted funds only
    zero = rows["zero-dechet"]
    # Opening 70,000 + the 30,000 drawn from the endowment in January are older money:
    # the awards of 12,000, 25,000 and 1,000 use 38,000 of it; the 5,000 revoked comes back
    # as a resource of the year, unused at its end.
    assert (zero.opening, zero.reports, zero.utilisations, zero.transfers, zero.closing) == (
        D("70000.00"), D("5000.00"), D("38000.00"), D("30000.00"), D("67000.00"))
    housing = rows["logement"]
    assert (housing.opening, housing.reports, housing.utilisations, housing.transfers,
            housing.closing) == (D("60000.00"), D("150.00"), D("8000.00"), D("10000.00"),
                                 D("62150.00"))
    for row in rows.values():
        assert row.opening + row.reports - row.utilisations + row.transfers == row.closing
        assert row.dormant == 0  # both spent in 2025
    assert dedicated.totals(dedicated.build(loaded.analysis(trace=False), 2025))[
        "closing"] == D("129150.00")


def test_closing_balances_match_the_funds_command(ledger_path: Path, loaded) -> None:
    for year in (2024, 2025):
        result = run("funds", str(ledger_path), "--at", f"{year}-12-31", "--format", "json")
        engine = {row["fund"]: row["balance"] for row in json.loads(result.stdout)}
        for row in rows_of(loaded, year).values():
            assert f"{row.closing:.2f}" == engine[row.fund]


def test_fund_declared_during_the_year_opens_at_zero(loaded) -> None:
    zero = rows_of(loaded, 2024)["zero-dechet"]
    assert (zero.opening, zero.reports, zero.utilisations, zero.closing) == (
        0, D("70000.00"), 0, D("70000.00"))


def test_csv(ledger_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "d.csv"
    result = run("report", "dedicated-funds", str(ledger_path), "--year", "2025", "-o", str(out))
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["fund"] for r in rows] == ["zero-dechet", "logement", "SUBTOTAL", "TOTAL"]
    assert rows[0]["utilisations"] == "38000.00" and rows[0]["reports"] == "5000.00"
    assert rows[2]["origin"] == "contribution"
    assert rows[3]["closing"] == "129150.00"


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
    assert "ANC 2018-06" in text and "Contributions financières d'autres organismes" in text
