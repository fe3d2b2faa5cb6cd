"""The quarterly board report (SPEC 6.1): figures to the cent, languages, PDF."""

from __future__ import annotations

import datetime
import html
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from fundledger import i18n
from fundledger.cli import cli
from fundledger.engine import analyse
from fundledger.reports import facts, quarterly
from fundledger.reports.base import ledger_info
from tests.reports.conftest import plain

Q3 = quarterly.Quarter(2025, 3)
D = Decimal


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def text_of(document: str) -> str:
    """Visible text of an HTML report (styles and charts left out), spaces normalised."""
    document = re.sub(r"<style>.*?</style>|<svg.*?</svg>", " ", document, flags=re.S)
    return plain(html.unescape(re.sub(r"<[^>]+>", " ", document)))


@pytest.fixture(scope="module")
def built(loaded):
    return quarterly.build(analyse(loaded.entries, trace=False), Q3, "fr", with_charts=False)


def test_headline_figures(built) -> None:
    h = built["headline"]
    assert h["received"] == (D("5150.00"), D("25150.00"))
    assert h["granted"] == (D("33000.00"), D("45000.00"))
    assert h["lent"] == (D("5000.00"), D("5000.00"))
    assert h["repaid"] == (D("2000.00"), D("8000.00"))
    assert h["available"] == (D("1180450.00"), D("1196000.00"))
    # The endowment's value is its fund's balance, as on the public site; the securities'
    # market value (1,050,000 at the quarter's end, 1,010,000 at its start) has its section.
    assert h["endowment"] == (D("1035000.00"), D("1070000.00"))
    assert built["endowment"]["holdings_end"].market == D("1050000.00")


def test_fund_table_reconciles_with_the_funds_command(built, ledger_path: Path) -> None:
    code, out, _ = run("funds", str(ledger_path), "--at", "2025-09-30", "--format", "json")
    assert code == 0
    engine = {row["fund"]: row for row in json.loads(out)}
    code, out, _ = run("funds", str(ledger_path), "--at", "2025-06-30", "--format", "json")
    before = {row["fund"]: row for row in json.loads(out)}
    for row in built["funds"]:
        name = row["fund"]
        assert f"{row['closing']:.2f}" == engine[name]["balance"]
        assert f"{row['available']:.2f}" == engine[name]["available"]
        assert f"{row['loans_outstanding']:.2f}" == engine[name]["loans_outstanding"]
        assert f"{row['opening']:.2f}" == before[name]["balance"]
        for key in ("received", "spent", "transfers_in", "transfers_out"):
            moved = D(engine[name][key]) - D(before[name][key])
            assert row[key] == moved, (name, key)
        assert (row["opening"] + row["received"] - row["spent"] + row["transfers_in"]
                - row["transfers_out"]) == row["closing"]
    zero = next(r for r in built["funds"] if r["fund"] == "zero-dechet")
    assert (zero["opening"], zero["spent"], zero["closing"]) == (D("88000.00"), D("20000.00"),
                                                                 D("68000.00"))


def test_grants_awarded_and_paid_in_the_quarter(built) -> None:
    awarded = {r["id"]: r["amount"] for g in built["awarded"] for r in g["rows"]}
    assert awarded == {"G-2025-003": D("25000.00"), "G-2025-002": D("8000.00")}
    paid = {r["id"]: r["amount"] for g in built["paid"] for r in g["rows"]}
    assert paid == {"G-2025-003": D("10000.00"), "G-2024-001": D("15000.00"),
                    "G-2025-002": D("5000.00")}
    assert built["paid_total"] == D("30000.00")
    by_fund = {g["fund"]: g["total"] for g in built["paid"]}
    assert by_fund == {"zero-dechet": D("25000.00"), "logement": D("5000.00")}
    private = [r for g in built["awarded"] for r in g["rows"] if r["private"]]
    assert [r["id"] for r in private] == ["G-2025-002"]


def test_pipeline_and_loans(built) -> None:
    pipeline = {r["id"]: (r["committed"], r["paid"], r["remaining"]) for r in built["pipeline"]}
    assert pipeline["G-2025-003"] == (D("20000.00"), D("10000.00"), D("10000.00"))
    assert pipeline["G-2025-002"] == (D("8000.00"), D("5000.00"), D("3000.00"))
    assert "G-2025-009" not in pipeline  # awarded after the quarter
    assert built["pipeline_total"]["remaining"] == D("13000.00")
    loans = {r["id"]: r for r in built["loans"]}
    assert loans["P-2024-001"]["outstanding"] == D("16000.00")
    assert loans["P-2024-001"]["arrears"] == D("3000.00")  # 11 of 24 instalments due, 8 paid
    assert loans["P-2024-002"]["written_off"] == D("10000.00")
    assert loans["P-2024-002"]["arrears"] == 0
    # Outstanding principal of the portfolio equals the funds' loans outstanding.
    assert built["loans_total"]["outstanding"] == sum(
        (r["loans_outstanding"] for r in built["funds"]), D(0)) == D("21000.00")


def test_endowment_rule_impact_and_suspense(built) -> None:
    endowment = built["endowment"]
    assert endowment["holdings_end"].book == D("1000000.00")
    (fund,) = endowment["funds"]
    assert fund["balance"] == D("1035000.00")
    assert fund["draws_quarter"] == D("10000.00")
    assert fund["draws_year"] == D("40000.00")
    # 5 % of the average of the 2024 quarter ends (1 000 000, 1 020 000, 1 020 000, 1 070 000).
    assert fund["limit"] == D("51375.00")
    assert fund["headroom"] == D("11375.00")
    impact = {(r["fund"], r["indicator"]): r for r in built["impact"]}
    jobs = impact[("zero-dechet", "Emplois créés")]
    assert (jobs["value"], jobs["committed"], jobs["per_unit"]) == (3, D("30000.00"),
                                                                    D("10000"))
    assert built["suspense"] == D("-123.45")


def test_period_facts_pick_the_quarter_events_from_the_engine(loaded) -> None:
    books = analyse(loaded.entries, trace=False)
    q3 = facts.collect(books, datetime.date(2025, 7, 1),
                       datetime.date(2025, 9, 30))
    assert q3.grant_events and all(
        datetime.date(2025, 7, 1) <= e.date <= datetime.date(2025, 9, 30)
        for e in q3.grant_events + q3.loan_events)
    whole = facts.collect(books, datetime.date(1900, 1, 1),
                          datetime.date(2100, 1, 1))
    assert facts.total(whole.grant_events, "award") == sum(
        x.awarded for x in books.grants.values())


EXPECTED = {
    "fr": ["3e trimestre 2025", "1 180 450,00 €", "1 050 000,00 €", "Subventions versées",
           "30 000,00", "Plafond de tirage", "51 375,00 €", "confidentiel", "-123,45 €"],
    "it": ["3º trimestre 2025", "1.180.450,00 €", "1.050.000,00 €", "Contributi erogati",
           "30.000,00", "Limite di prelievo", "51.375,00 €", "riservato", "-123,45 €"],
    "en": ["3rd quarter 2025", "€1,180,450.00", "€1,050,000.00", "Grants paid in the quarter",
           "30,000.00", "Draw limit", "€51,375.00", "private", "-€123.45"],
}


@pytest.mark.parametrize("lang", ["fr", "it", "en"])
def test_html_in_each_language(ledger_path: Path, tmp_path: Path, lang: str) -> None:
    out = tmp_path / "q.html"
    code, _, _ = run("report", "quarterly", str(ledger_path), "--quarter", "2025-Q3",
                     "--lang", lang, "-o", str(out))
    assert code == 0
    document = out.read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in document
    assert document.count("<svg") >= 3  # charts inline: the file stands alone
    text = text_of(document)
    for expected in EXPECTED[lang]:
        assert plain(expected) in text, expected
    if lang != "en":
        assert_no_english(text, lang)


def assert_no_english(text: str, lang: str) -> None:
    """No English label that differs from its translation appears in ``text``."""
    for key, labels in i18n.LABELS.items():
        english = labels["en"]
        if "{" in english or english in (labels[lang], labels["fr"], labels["it"]):
            continue
        if len(english) > 5:
            pattern = r"(?<!\w)" + re.escape(plain(english)) + r"(?!\w)"
            assert not re.search(pattern, text), (key, english)


def test_default_language_is_the_ledger_option(ledger_path: Path) -> None:
    code, out, _ = run("report", "quarterly", str(ledger_path), "--quarter", "2025-Q3")
    assert code == 0
    assert '<html lang="fr">' in out and "Rapport trimestriel" in out


def test_pdf(ledger_path: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "q.pdf"
    code, _, _ = run("report", "quarterly", str(ledger_path), "--quarter", "2025-Q3",
                     "--lang", "it", "-o", str(out))
    assert code == 0
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert 2 <= len(reader.pages) <= 8
    # Running header from page 2: the foundation's name and the report's title.
    second = plain(reader.pages[1].extract_text())
    assert "Fondation Test Innovation" in second
    assert "Relazione trimestrale di allocazione" in second
    text = plain(" ".join(page.extract_text() for page in reader.pages))
    for expected in ("Relazione trimestrale di allocazione", "1.180.450,00 €",
                     "Fondation Test Innovation",
                     "51.375,00 €", f"Pagina 1 di {len(reader.pages)}"):
        assert plain(expected) in text, expected


def test_earlier_quarter_has_no_suspense_warning(loaded) -> None:
    info = ledger_info(loaded.entries, loaded.options, [])
    q2 = quarterly.build(analyse(loaded.entries, trace=False), quarterly.Quarter(2025, 2), "en",
                         with_charts=False)
    assert q2["suspense"] == 0
    assert q2["headline"]["granted"] == (D("0"), D("12000.00"))
    assert q2["headline"]["repaid"] == (D("3000.00"), D("6000.00"))
    document = quarterly.render(analyse(loaded.entries, trace=False), info,
                                quarterly.Quarter(2025, 2), "en")
    assert "suspense account" not in document


def test_default_language_option() -> None:
    from beancount import loader

    from fundledger.reports.base import default_language

    def lang_of(text: str) -> str:
        entries, _errors, _options = loader.load_string(text)
        return default_language(entries)

    assert lang_of('2024-01-01 custom "fundledger-option" "language" "it"\n') == "it"
    assert lang_of('2024-01-01 custom "fundledger-option" "language" "de"\n') == "en"
    assert lang_of("") == "en"


def test_any_suspense_account_is_warned_about_by_name(ledger_path: Path) -> None:
    """A foundation whose import rules park lines on another suspense account (SPEC 7)."""
    from beancount import loader

    from fundledger.fava import views

    text = ledger_path.read_text(encoding="utf-8").replace(
        "2024-01-01 open Assets:Suspense EUR",
        "2024-01-01 open Assets:Suspense EUR\n2024-01-01 open Assets:Bank:Suspense EUR")
    text += ('\n2025-09-26 ! "Prélèvement inconnu"\n  Assets:Bank:Main  -10.00 EUR\n'
             "  Assets:Bank:Suspense\n")
    other = ledger_path.with_name("other.beancount")
    other.write_text(text, encoding="utf-8")
    entries, errors, options = loader.load_file(str(other))
    assert not errors
    info = ledger_info(entries, options, [])
    document = quarterly.render(analyse(entries, trace=False), info, Q3, "en")
    assert ("The suspense account Assets:Bank:Suspense, Assets:Suspense holds -€113.45"
            in html.unescape(document))
    # Fava's Compliance page counts the same accounts
    assert views.build(entries).suspense == {"EUR": D("-113.45")}
