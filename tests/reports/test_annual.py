"""The annual accounts: figures by hand on the small ledger, and the checks on the demo books."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from click.testing import CliRunner

from fundledger.cli import cli
from fundledger.engine import analyse
from fundledger.ledger import load
from fundledger.reports import annual
from tests.reports.conftest import LEDGER, plain
from tests.reports.test_quarterly import assert_no_english, text_of

D = Decimal
ROOT = Path(__file__).resolve().parents[2]


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def lines(rows) -> dict:
    return {r.key: r for r in rows}


@pytest.fixture(scope="module")
def built(loaded):
    return annual.build(loaded.entries, loaded.options, loaded.analysis(trace=False), 2025)


def test_balance_sheet_by_hand(built) -> None:
    assets = lines(built.statements.assets)
    assert assets["bs.cash"].current == D("193573.45")
    assert assets["bs.financial_assets"].current == D("1000000.00")  # the ETF at cost
    assert assets["bs.loans"].current == D("21000.00")  # 16,000 + 5,000; one written off
    assert assets["bs.pledges"].current == D("20000.00")
    assert assets["bs.assets_total"].current == D("1234573.45")
    liabilities = lines(built.statements.liabilities)
    assert liabilities["bs.corpus"].current == D("1000000.00")
    assert liabilities["bs.result"].current == D("11300.00")
    assert liabilities["bs.reserves"].current == D("80000.00")
    assert liabilities["bs.dedicated_contribution"].current == D("129150.00")
    assert liabilities["bs.grants_payable"].current == D("14000.00")
    assert liabilities["bs.other_debts"].current == D("123.45")  # the suspense account
    assert liabilities["bs.liabilities_total"].current == D("1234573.45")
    # The year before: the funds then held 1,250,000 (dotation 1,070,000, general 50,000,
    # zero-dechet 70,000, logement 60,000).
    assert assets["bs.assets_total"].previous == liabilities["bs.liabilities_total"].previous


def test_income_statement_by_hand(built) -> None:
    income = lines(built.statements.income)
    assert income["is.contributions"].current == D("20000.00")  # the corpus is not income
    assert income["is.financial_income"].current == D("5150.00")  # coupons and interest
    assert income["is.grants"].current == D("41000.00")  # net of the 5,000 revoked
    assert income["is.other_charges"].current == D("10000.00")  # the loan written off
    assert income["is.utilisations"].current == D("46000.00")
    assert income["is.reports"].current == D("5150.00")
    assert income["is.result"].current == D("11300.00")
    own = lines(built.statements.own_funds)
    assert own["of.opening"].current == D("1120000.00")
    assert own["of.transfers"].current == D("-40000.00")  # drawn from the endowment
    assert own["of.closing"].current == D("1091300.00")
    assert "of.unallocated" not in own
    assert not built.public_generosity and not built.statements.crod


def test_cli_html_languages_pdf_csv(ledger_path: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    for lang, title, figure in (("fr", "Comptes annuels", "1 234 573,45"),
                                ("it", "Bilancio d'esercizio", "1.234.573,45"),
                                ("en", "Annual accounts", "1,234,573.45")):
        result = run("report", "annual", str(ledger_path), "--year", "2025", "--lang", lang)
        assert result.exit_code == 0, result.output
        text = text_of(result.stdout)
        assert title in text and plain(figure) in text
        if lang != "en":
            assert_no_english(text, lang)
    out = tmp_path / "a.pdf"
    assert run("report", "annual", str(ledger_path), "--year", "2025", "-o",
               str(out)).exit_code == 0
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    text = plain(" ".join(page.extract_text() for page in reader.pages))
    assert "Bilan" in text and "Compte de résultat" in text and "le bilan est équilibré" in text
    assert "Tableau de variation des fonds dédiés" in text
    assert "Compte de résultat par origine et destination" not in text
    out = tmp_path / "a.csv"
    assert run("report", "annual", str(ledger_path), "--year", "2025", "-o",
               str(out)).exit_code == 0
    rows = {(r["statement"], r["line"]): r for r in csv.DictReader(io.StringIO(
        out.read_text(encoding="utf-8")))}
    assert rows[("income", "is.result")]["current"] == "11300.00"
    assert rows[("liabilities", "bs.liabilities_total")]["current"] == "1234573.45"
    assert rows[("dedicated", "zero-dechet.utilisations")]["current"] == "38000.00"


def test_public_generosity_adds_crod_and_cer(tmp_path: Path) -> None:
    text = LEDGER.replace('2024-02-15 * "Fondation Solidaire" "Don libre"',
                          '2024-02-15 * "Fondation Solidaire" "Don libre"\n  origin: "generosite"')
    text += '2024-01-01 custom "fundledger-option" "public-generosity" "TRUE"\n'
    path = tmp_path / "main.beancount"
    path.write_text(text, encoding="utf-8")
    loaded = load(path)
    built = annual.build(loaded.entries, loaded.options, loaded.analysis(trace=False), 2025)
    crod = lines(built.statements.crod)
    # 2025's 20,000 gift to the general fund has no origin: a contribution.  The general
    # fund's contributions so far: 50,000 of generosity out of 70,000, so 5/7 of its
    # 13,700 of charges (1,200 + 2,500 + 10,000) are paid by generosity.
    assert crod["crod.generosity"].current == 0 and crod["crod.generosity"].previous == D(
        "50000.00")
    assert crod["crod.contributions"].current == D("20000.00")
    assert crod["crod.mission"].generosity == D("8928.57")  # 5/7 of 12,500
    assert crod["crod.operating"].generosity == D("857.14")  # 5/7 of 1,200
    assert crod["crod.result"].current == lines(built.statements.income)["is.result"].current
    cer = lines(built.statements.cer)
    assert cer["cer.carried_opening"].current == D("50000.00")  # nothing spent in 2024
    assert cer["cer.carried_closing"].current == D("50000.00") - D("8928.57") - D("857.14")
    result = run("report", "annual", str(path), "--year", "2025", "-o", str(tmp_path / "a.html"))
    assert result.exit_code == 0
    page = text_of((tmp_path / "a.html").read_text(encoding="utf-8"))
    assert "Compte d'emploi annuel des ressources collectées auprès du public" in page


def test_renamed_roots_balance(tmp_path: Path) -> None:
    text = "\n".join(['option "name_assets" "Actif"', 'option "name_income" "Produits"',
                      'option "name_expenses" "Charges"', 'option "name_liabilities" "Passif"',
                      LEDGER])
    for old, new in (("Assets:", "Actif:"), ("Income:", "Produits:"),
                     ("Expenses:", "Charges:"), ("Liabilities:", "Passif:")):
        text = text.replace(old, new)
    entries, errors, options = loader.load_string(text)
    assert not errors
    books = analyse(entries, options=options, trace=False)
    built = annual.build(entries, options, books, 2025)
    assert built.statements.checks["assets"] == built.statements.checks["liabilities"] == D(
        "1234573.45")
    assert lines(built.statements.income)["is.result"].current == D("11300.00")


@pytest.mark.parametrize(("book", "years"), [("lyon", range(2019, 2027)),
                                              ("torino", range(2022, 2027))])
def test_demo_books_balance_and_reconcile(book: str, years: range) -> None:
    loaded = load(ROOT / "ledger" / book / "main.beancount")
    books = loaded.analysis(trace=False)
    carried = None
    for year in years:
        built = annual.build(loaded.entries, loaded.options, books, year)
        s = built.statements
        assert s.checks["assets"] == s.checks["liabilities"], year
        assert s.checks["assets_previous"] == s.checks["liabilities_previous"], year
        own = lines(s.own_funds)
        # Own funds moved by the year's result, the corpus received and the transfers to
        # dedicated funds, and by nothing else (no unexplained line).
        assert "of.unallocated" not in own, year
        liabilities = lines(s.liabilities)
        fund_lines = sum((r.current for k, r in liabilities.items() if k in (
            "bs.corpus", "bs.reserves", "bs.result", "bs.dedicated_subvention",
            "bs.dedicated_contribution", "bs.dedicated_generosite")), D(0))
        assert fund_lines == built.general.funds[year].total
        assert lines(s.income)["is.result"].current == liabilities["bs.result"].current
        if s.cer:
            cer = lines(s.cer)
            if carried is not None:
                assert cer["cer.carried_opening"].current == carried
            carried = cer["cer.carried_closing"].current


def test_reconciles_with_the_funds_command() -> None:
    import json

    path = ROOT / "ledger" / "lyon" / "main.beancount"
    loaded = load(path)
    books = loaded.analysis(trace=False)
    for year in (2023, 2025):
        result = run("funds", str(path), "--at", f"{year}-12-31", "--format", "json")
        funds = {row["fund"]: row for row in json.loads(result.stdout)}
        s = annual.build(loaded.entries, loaded.options, books, year).statements
        liabilities = lines(s.liabilities)
        own_and_dedicated = (liabilities["bs.own_funds_total"].current
                             + liabilities["bs.dedicated_total"].current)
        assert own_and_dedicated == sum(D(f["balance"]) for f in funds.values())
        dedicated = sum(D(f["balance"]) for f in funds.values() if f["kind"] == "restricted")
        assert liabilities["bs.dedicated_total"].current == dedicated
        assets = lines(s.assets)
        loans = sum(D(f["loans_outstanding"]) for f in funds.values())
        pledges = sum(D(f["pledges_outstanding"]) for f in funds.values())
        assert assets["bs.loans"].current == loans and assets["bs.pledges"].current == pledges


def test_says_whether_the_year_is_closed() -> None:
    path = str(ROOT / "ledger" / "lyon" / "main.beancount")
    closed = text_of(run("report", "annual", path, "--year", "2025").stdout)
    assert "Période close le 24 mars 2026" in closed
    still_open = text_of(run("report", "annual", path, "--year", "2026").stdout)
    assert "Période non close" in still_open
