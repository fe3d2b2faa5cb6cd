"""`receipts`: which gifts get one, numbering, idempotence, the books' record, FL802, FL803."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from fundledger.files import FAULT_ENV, FAULT_STATUS
from fundledger.reports.receipts import amount_in_words

LEDGER = """\
option "title" "Fondation Lyon"
plugin "fundledger.plugins.funds"
2025-01-01 custom "fundledger-option" "legal-name" "Fondation pour l'innovation sociale"
2025-01-01 custom "fundledger-option" "address" "1 rue de la République, 69001 Lyon"
2025-01-01 custom "fundledger-option" "purpose" "Soutenir l'innovation sociale"
2025-01-01 custom "fundledger-option" "status" "Fondation reconnue d'utilité publique"
2025-01-01 custom "fundledger-option" "signatory" "Claire Dupont, présidente"
2024-01-01 open Assets:Bank:Main EUR
2024-01-01 open Assets:Receivable:Pledges:Companies EUR
2024-01-01 open Income:Contributions:Gifts EUR
2024-01-01 custom "fund" "general" "unrestricted" "Fonds libres"
2025-03-01 * "Mécène SA" "Mécénat"
  fund: "general"
  contributor-kind: "company"
  origin: "generosite"
  contributor-siren: "123456789"
  Assets:Bank:Main   1234.50 EUR
  Income:Contributions:Gifts
2025-04-01 * "Jeanne Martin" "Don"
  fund: "general"
  contributor-kind: "person"
  Assets:Bank:Main   200.00 EUR
  Income:Contributions:Gifts
2025-04-02 * "Paul Durand" "Don avec contrepartie"
  fund: "general"
  contributor-kind: "person"
  receipt: FALSE
  Assets:Bank:Main   80.00 EUR
  Income:Contributions:Gifts
2025-04-03 * "Partenaire SA" "Convention de partenariat"
  fund: "general"
  contributor-kind: "company"
  Assets:Bank:Main   5000.00 EUR
  Income:Contributions:Gifts
2025-04-04 * "Association X" "Contribution"
  fund: "general"
  contributor-kind: "association"
  origin: "generosite"
  Assets:Bank:Main   300.00 EUR
  Income:Contributions:Gifts
2025-05-01 * "Promesse SA" "Promesse de don"
  fund: "general"
  contributor-kind: "company"
  origin: "generosite"
  Assets:Receivable:Pledges:Companies   900.00 EUR
  Income:Contributions:Gifts
2024-12-01 * "Jeanne Martin" "Don 2024"
  fund: "general"
  contributor-kind: "person"
  Assets:Bank:Main   70.00 EUR
  Income:Contributions:Gifts
"""


def fundledger(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fundledger.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture()
def ledger(tmp_path: Path) -> Path:
    path = tmp_path / "main.beancount"
    path.write_text(LEDGER.replace("2024-01-01 open", "2024-01-01 open").replace(
        '2024-01-01 custom "fund"', '2024-01-01 custom "fund"'), encoding="utf-8")
    return path


def text_of(pdf: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)


def test_issues_one_receipt_per_gift_opening_a_reduction(ledger: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = fundledger("receipts", ledger, "--year", "2025", "-o", out)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "declaration-222bis-2025.csv", "recu-2025-0001.pdf", "recu-2025-0002.pdf"]
    text = ledger.read_text(encoding="utf-8")
    assert ('2025-03-01 custom "receipt" "2025-0001" "Mécène SA" 1234.50 EUR\n'
            '  form: "16216"\n') in text
    assert '2025-04-01 custom "receipt" "2025-0002" "Jeanne Martin" 200.00 EUR' in text
    assert text.count('custom "receipt"') == 2  # not Paul (FALSE), Partenaire, X, Promesse
    company = text_of(out / "recu-2025-0001.pdf")
    assert "2025-0001" in company and "238 bis" in company and "123456789" in company
    assert "mille deux cent trente-quatre euros et cinquante centimes" in company
    assert "Fondation pour l'innovation sociale" in company
    person = text_of(out / "recu-2025-0002.pdf")
    assert "11580" in person and "deux cents euros" in person and "Jeanne Martin" in person
    with (out / "declaration-222bis-2025.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["form"], r["receipts"], r["amount"]) for r in rows] == [
        ("11580", "1", "200.00"), ("16216", "1", "1234.50")]
    assert fundledger("check", ledger).returncode == 0


def test_running_again_issues_only_missing_receipts(ledger: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert fundledger("receipts", ledger, "--year", "2025", "-o", out).returncode == 0
    first = ledger.read_bytes()
    again = fundledger("receipts", ledger, "--year", "2025", "-o", out)
    assert again.returncode == 0 and "0 receipt(s) issued" in again.stdout
    assert ledger.read_bytes() == first
    with ledger.open("a", encoding="utf-8") as handle:
        handle.write('2025-06-01 * "Luc Bernard" "Don"\n  fund: "general"\n'
                     '  contributor-kind: "person"\n  Assets:Bank:Main   50.00 EUR\n'
                     "  Income:Contributions:Gifts\n")
    (out / "recu-2025-0001.pdf").unlink()
    third = fundledger("receipts", ledger, "--year", "2025", "-o", out)
    assert third.returncode == 0, third.stderr
    assert "2025-0003" in third.stdout and "1 receipt(s) issued" in third.stdout
    assert (out / "recu-2025-0001.pdf").exists()  # reprinted, not renumbered
    assert ledger.read_text(encoding="utf-8").count('custom "receipt"') == 3
    other = fundledger("receipts", ledger, "--year", "2024", "-o", out)
    assert "2024-0001" in other.stdout


def test_fl802_when_the_gift_changes_or_goes(ledger: Path, tmp_path: Path) -> None:
    assert fundledger("receipts", ledger, "--year", "2025", "-o", tmp_path / "o").returncode == 0
    text = ledger.read_text(encoding="utf-8")
    changed = text.replace("Assets:Bank:Main   200.00 EUR", "Assets:Bank:Main   200.01 EUR", 1)
    ledger.write_text(changed, encoding="utf-8")
    result = fundledger("check", ledger)
    assert result.returncode == 1
    assert ('FL802 receipt "2025-0002" for Jeanne Martin: 200.00 EUR, but the gift of '
            "2025-04-01 is 200.01 EUR") in result.stdout
    gone = text.replace('"Mécène SA" "Mécénat"', '"Mécène SA" "Mécénat (annulé)"').replace(
        'origin: "generosite"\n  contributor-siren', 'origin: "contribution"\n  contributor-siren')
    ledger.write_text(gone, encoding="utf-8")
    result = fundledger("check", ledger)
    assert result.returncode == 1
    assert 'FL802 receipt "2025-0001" for Mécène SA: no gift' in result.stdout


def test_fl803_number_twice_and_gap(ledger: Path, tmp_path: Path) -> None:
    assert fundledger("receipts", ledger, "--year", "2025", "-o", tmp_path / "o").returncode == 0
    text = ledger.read_text(encoding="utf-8")
    twice = text.replace('"2025-0002" "Jeanne Martin"', '"2025-0001" "Jeanne Martin"')
    ledger.write_text(twice, encoding="utf-8")
    result = fundledger("check", ledger)
    assert 'FL803 receipt "2025-0001" of these books: number used twice' in result.stdout
    gap = text.replace('"2025-0002" "Jeanne Martin"', '"2025-0003" "Jeanne Martin"')
    ledger.write_text(gap, encoding="utf-8")
    result = fundledger("check", ledger)
    assert result.returncode == 1
    assert ('FL803 receipt "2025-0003" of these books: gap in the 2025 series: 2025-0002 '
            "missing") in result.stdout
    # The next receipt never fills a gap: numbers are never reused.
    with ledger.open("a", encoding="utf-8") as handle:
        handle.write('2025-06-01 * "Luc Bernard" "Don"\n  fund: "general"\n'
                     '  contributor-kind: "person"\n  Assets:Bank:Main   50.00 EUR\n'
                     "  Income:Contributions:Gifts\n")
    assert "2025-0004" in fundledger("receipts", ledger, "--year", "2025", "-o",
                                     tmp_path / "o").stdout


def test_host_series_spans_its_foundations(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "main.beancount").write_text(LEDGER, encoding="utf-8")
    host = tmp_path / "host.beancount"
    host.write_text('option "title" "Fondation hôte"\nplugin "fundledger.plugins.funds"\n'
                    '2025-01-01 custom "fundledger-option" "entity" "ful"\n'
                    '2025-01-01 custom "sheltered" "a" "a/main.beancount" "Fondation A"\n'
                    '2025-01-01 custom "sheltered" "b" "b/main.beancount" "Fondation B"\n',
                    encoding="utf-8")
    first = fundledger("receipts", tmp_path / "a" / "main.beancount", "--year", "2025",
                       "-o", tmp_path / "out", "--issuer", host)
    assert first.returncode == 0, first.stderr
    second = fundledger("receipts", tmp_path / "b" / "main.beancount", "--year", "2025",
                        "-o", tmp_path / "out", "--issuer", host)
    assert "2025-0003" in second.stdout and "2025-0004" in second.stdout
    assert (tmp_path / "out" / "recu-ful-2025-0004.pdf").exists()
    assert 'issuer: "ful"' in (tmp_path / "b" / "main.beancount").read_text(encoding="utf-8")
    pdf = text_of(tmp_path / "out" / "recu-ful-2025-0003.pdf")
    assert "Fondation hôte" in pdf and "Fondation B" in pdf
    rows = list(csv.DictReader((tmp_path / "out" / "declaration-222bis-2025.csv").open()))
    assert [(r["form"], r["receipts"]) for r in rows] == [("11580", "2"), ("16216", "2")]
    consolidated = fundledger("consolidate", host)
    assert consolidated.returncode == 0, consolidated.stderr
    # A receipt of the host's series removed from one foundation's books: a gap, found by
    # consolidate, which reads the whole series.
    b = tmp_path / "b" / "main.beancount"
    b.write_text(b.read_text(encoding="utf-8").replace('"2025-0003"', '"2025-0005"'),
                 encoding="utf-8")
    consolidated = fundledger("consolidate", host)
    assert consolidated.returncode == 1
    assert "gap in the 2025 series: 2025-0003 missing" in consolidated.stderr


def test_issuer_that_does_not_shelter_the_ledger(ledger: Path, tmp_path: Path) -> None:
    host = tmp_path / "host.beancount"
    host.write_text('plugin "fundledger.plugins.funds"\n', encoding="utf-8")
    before = ledger.read_bytes()
    result = fundledger("receipts", ledger, "--year", "2025", "-o", tmp_path / "o",
                        "--issuer", host)
    assert result.returncode == 2
    assert result.stderr.strip() == (f"fundledger: {host}: does not shelter {ledger} "
                                      '(no "sheltered" directive names it)')
    assert ledger.read_bytes() == before


@pytest.mark.parametrize(("amount", "words"), [
    ("1.00", "un euro"), ("80.00", "quatre-vingts euros"),
    ("1234.50", "mille deux cent trente-quatre euros et cinquante centimes"),
    ("25000.00", "vingt-cinq mille euros")])
def test_amount_in_words(amount: str, words: str) -> None:
    assert amount_in_words(Decimal(amount)) == words


def test_names_with_quotes_are_recorded_escaped(tmp_path: Path) -> None:
    ledger = tmp_path / "main.beancount"
    ledger.write_text(LEDGER + '''2025-07-01 * "Le \\"Bon\\" Café" "Mécénat"
  fund: "general"
  contributor-kind: "company"
  origin: "generosite"
  Assets:Bank:Main   90.00 EUR
  Income:Contributions:Gifts
''', encoding="utf-8")
    result = fundledger("receipts", ledger, "--year", "2025", "-o", tmp_path / "o")
    assert result.returncode == 0, result.stderr
    assert 'custom "receipt" "2025-0003" "Le \\"Bon\\" Café" 90.00 EUR' in ledger.read_text(
        encoding="utf-8")
    again = fundledger("receipts", ledger, "--year", "2025", "-o", tmp_path / "o")
    assert "0 receipt(s) issued" in again.stdout
    assert fundledger("check", ledger).returncode == 0


def test_a_crash_while_appending_leaves_the_books_and_issues_the_same_numbers_again(
        ledger: Path, tmp_path: Path) -> None:
    before = ledger.read_bytes()
    crashed = subprocess.run([sys.executable, "-m", "fundledger.cli", "receipts", str(ledger),
                              "--year", "2025", "-o", str(tmp_path / "o")],
                             capture_output=True, text=True, timeout=300,
                             env={**os.environ, FAULT_ENV: "after-temp-write"})
    assert crashed.returncode == FAULT_STATUS
    assert ledger.read_bytes() == before
    assert not list((tmp_path / "o").glob("*.pdf"))
    result = fundledger("receipts", ledger, "--year", "2025", "-o", tmp_path / "o")
    assert result.returncode == 0, result.stderr
    assert [line.split()[0] for line in result.stdout.splitlines()[:-1]] == [
        "2025-0001", "2025-0002"]
