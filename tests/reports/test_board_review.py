"""The board report as the review read it (issue 22): what explains a fund's awards
against its use, headings kept with their tables in print, a chart the themed funds can
be read on, a warning for a quarter the books have not reached, dates in one format."""

from __future__ import annotations

import html
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from fundledger import i18n
from fundledger.cli import cli
from fundledger.engine import analyse
from fundledger.reports import quarterly
from tests.reports.conftest import plain

ROOT = Path(__file__).resolve().parents[2]
LYON = ROOT / "ledger" / "lyon" / "main.beancount"
D = Decimal


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_the_quarters_revocations_refunds_and_write_offs_are_listed(loaded) -> None:
    built = quarterly.build(analyse(loaded.entries, trace=False), quarterly.Quarter(2025, 3),
                            "fr", with_charts=False)
    rows = [(r["kind"], r["id"], r["grantee"], r["amount"])
            for group in built["adjustments"] for r in group["rows"]]
    # G-2025-003: 5,000 of 25,000 revoked on 15/09; P-2024-002: 10,000 written off 20/08.
    assert rows == [("write-off", "P-2024-002", "Atelier Partagé", D("10000.00")),
                    ("revocation", "G-2025-003", "Recyclerie Est", D("5000.00"))]
    assert built["adjustments_total"] == D("15000.00")


def test_the_adjustments_section_in_each_language(ledger_path: Path) -> None:
    for lang, heading, kind in (
            ("fr", "Annulations, remboursements et pertes du trimestre", "Annulation"),
            ("it", "Revoche, restituzioni e perdite del trimestre", "Revoca"),
            ("en", "Revocations, refunds and write-offs in the quarter", "Loan write-off")):
        result = run("report", "quarterly", str(ledger_path), "--quarter", "2025-Q3",
                     "--lang", lang)
        assert result.exit_code == 0
        assert heading in result.stdout and f"<td>{kind}</td>" in result.stdout


def test_lyon_refund_explains_the_gap(tmp_path: Path) -> None:
    """Lyon 2026-Q3: 94,000 awarded against 91,010 used is a refund the report lists."""
    books = analyse(__import__("fundledger.ledger", fromlist=["load"]).load(LYON).entries,
                    trace=False)
    built = quarterly.build(books, quarterly.Quarter(2026, 3), "fr", with_charts=False)
    kinds = {r["kind"] for group in built["adjustments"] for r in group["rows"]}
    assert {"revocation", "refund"} <= kinds


def _pages(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [plain(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("lang", ["fr", "it"])
def test_a_heading_is_on_the_page_of_its_first_row(tmp_path: Path, lang: str) -> None:
    """The review's page 2 ended with a heading, a table header and a fund's name."""
    from fundledger.ledger import load

    out = tmp_path / "q.pdf"
    assert run("report", "quarterly", str(LYON), "--quarter", "2026-Q3", "--lang", lang,
               "-o", str(out)).exit_code == 0
    pages = _pages(out.read_bytes())
    built = quarterly.build(analyse(load(LYON).entries, trace=False),
                            quarterly.Quarter(2026, 3), lang, with_charts=False)
    checked = 0
    for key in ("awarded", "paid", "adjustments"):
        if not built[key]:
            continue
        heading = plain(i18n.t(f"section.{'grants_' if key != 'adjustments' else ''}{key}",
                               lang))
        first = built[key][0]["rows"][0]["id"]
        where = [i for i, text in enumerate(pages) if heading in text]
        assert where, heading
        assert first in pages[where[0]], (heading, where[0])
        checked += 1
    assert checked == 3


def test_the_fund_chart_leaves_the_endowment_out(ledger_path: Path) -> None:
    result = run("report", "quarterly", str(ledger_path), "--quarter", "2025-Q3")
    svg = re.search(r"<svg.*?</svg>", result.stdout, re.S).group(0)
    assert "Zéro déchet" in svg and "Dotation de la Métropole" not in svg
    assert "hors dotation" in result.stdout
    # The themed funds' bars now use the chart: the widest is more than half of it.
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"',
                                            svg)]
    assert max(widths) > 300


def test_a_quarter_after_the_books_is_warned_about(ledger_path: Path) -> None:
    result = run("report", "quarterly", str(ledger_path), "--quarter", "2027-Q1")
    assert result.exit_code == 0
    assert ("Les écritures s'arrêtent le 2 novembre 2025, avant ce trimestre"
            in html.unescape(result.stdout))
    assert result.stderr.count("\n") == 1 and "2025-11-02" in result.stderr
    same = run("report", "quarterly", str(ledger_path), "--quarter", "2025-Q3")
    assert "avant ce trimestre" not in same.stdout and same.stderr == ""


@pytest.mark.parametrize("lang, date", [("fr", "5 juil. 2025"), ("it", "5 lug 2025"),
                                        ("en", "5 Jul 2025")])
def test_table_dates_in_the_locales_medium_format(ledger_path: Path, lang: str,
                                                  date: str) -> None:
    text = run("report", "quarterly", str(ledger_path), "--quarter", "2025-Q3",
               "--lang", lang).stdout
    assert date in plain(text)
    assert not re.search(r"\b\d\d/\d\d/\d\d\b", text), "no dd/mm/yy dates"


def test_turin_has_no_endowment_card_nor_section() -> None:
    """InnoSocialMetro has no endowment: no "Valore della dotazione 0,00 €" card, no
    endowment section saying there is none."""
    torino = ROOT / "ledger" / "torino" / "main.beancount"
    result = run("report", "quarterly", str(torino), "--quarter", "2026-Q3", "--lang", "it")
    assert result.exit_code == 0
    assert i18n.t("headline.endowment", "it") not in result.stdout
    assert f'<h2>{i18n.t("section.endowment", "it")}</h2>' not in result.stdout
    lyon = run("report", "quarterly", str(LYON), "--quarter", "2026-Q3", "--lang", "it")
    assert f'<h2>{i18n.t("section.endowment", "it")}</h2>' in lyon.stdout
