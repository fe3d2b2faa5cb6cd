"""The contributor statement (SPEC 6.3): the engine's trace, privacy, language."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from fundledger.cli import cli
from fundledger.engine import analyse
from fundledger.reports import contributor
from tests.reports.conftest import plain
from tests.reports.test_quarterly import assert_no_english, text_of

D = Decimal


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("name", ["Caisse d'Épargne", "Banca Etica", "Métropole de Lyon"])
def test_statement_matches_the_trace_command(ledger_path: Path, loaded, name: str) -> None:
    result = run("trace", str(ledger_path), "--contributor", name, "--format", "json")
    assert result.exit_code == 0
    trace = json.loads(result.stdout)
    built = contributor.build(analyse(loaded.entries), name)
    for part in ("given", "earned", "used", "unspent", "pledged"):
        expected = sum((D(item["amount"]) for item in trace[part]), D(0))
        assert built["totals"][part] == expected, part
    used = {(i["kind"], i["id"]): D(i["amount"]) for i in trace["used"]}
    shown = {("grant", r["id"]): r["amount"] for r in built["grants"]}
    shown |= {("loan", r["id"]): r["amount"] for r in built["loans"]}
    shown |= {("expense", r["account"]): r["amount"] for r in built["costs"]}
    assert shown == used
    t = built["totals"]
    assert t["given"] + t["earned"] == t["used"] + t["unspent"] + t["pledged"]


def test_caisse_figures_and_impact(loaded) -> None:
    built = contributor.build(analyse(loaded.entries), "caisse d'épargne")  # case-insensitive
    assert built["name"] == "Caisse d'Épargne"
    assert built["totals"]["given"] == D("100000.00")
    assert built["totals"]["unspent"] == D("32000.00")
    grants = {r["id"]: r for r in built["grants"]}
    assert grants["G-2025-003"]["amount"] == D("20000.00")  # 25 000 less 5 000 revoked
    assert grants["G-2024-001"]["name"] == "Vrac Solidaire"
    assert grants["G-2024-001"]["share"] == 1
    assert grants["G-2024-001"]["impacts"] == [
        {"indicator": "Emplois créés", "unit": "emplois", "unit_one": None, "value": D(3)}]


def test_languages(loaded) -> None:
    entries = loaded.entries
    assert contributor.language_of(entries, "Caisse d'Épargne") == "en"  # first contribution
    assert contributor.language_of(entries, "Banca Etica") == "it"  # custom "contributor"
    assert contributor.language_of(entries, "Métropole de Lyon") is None  # ledger default


def test_private_beneficiary_is_withheld(ledger_path: Path, tmp_path: Path) -> None:
    """Banca Etica's money paid a grant to a person: the statement must not name them."""
    result = run("report", "contributor", str(ledger_path), "--contributor", "Banca Etica")
    assert result.exit_code == 0
    text = text_of(result.stdout)
    assert '<html lang="it">' in result.stdout
    assert "beneficiario riservato" in text
    assert "Karim" not in result.stdout and "Bourse" not in result.stdout
    assert plain("20.000,00 €") in text  # still pledged
    assert "<svg" in result.stdout
    assert_no_english(text, "it")
    out = tmp_path / "s.csv"
    result = run("report", "contributor", str(ledger_path), "--contributor", "Banca Etica",
                 "-o", str(out))
    assert result.exit_code == 0
    content = out.read_text(encoding="utf-8")
    assert "Karim" not in content
    rows = list(csv.DictReader(io.StringIO(content)))
    assert "G-2025-002" not in content  # a withheld grant's id is withheld too
    grant = next(r for r in rows if r["kind"] == "grant" and r["id"] == "")
    assert grant["name"] == "beneficiario riservato" and grant["part"] == "used"
    pledged = next(r for r in rows if r["part"] == "pledged")
    assert pledged["amount"] == "20000.00"


def test_pdf_in_the_contributors_language(ledger_path: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "s.pdf"
    result = run("report", "contributor", str(ledger_path), "--contributor", "Caisse d'Épargne",
                 "-o", str(out))
    assert result.exit_code == 0
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert 1 <= len(reader.pages) <= 4
    text = plain(" ".join(p.extract_text() for p in reader.pages))
    for expected in ("How your contributions were used", "€100,000.00", "€32,000.00",
                     "Vrac Solidaire", "Recyclerie Est", "Emplois créés"):
        assert expected in text, expected


def test_unknown_contributor_is_exit_2(ledger_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.html"
    result = run("report", "contributor", str(ledger_path), "--contributor", "Nobody",
                 "-o", str(out))
    assert result.exit_code == 2
    assert 'unknown contributor "Nobody"' in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_french_statement_has_no_english(ledger_path: Path) -> None:
    result = run("report", "contributor", str(ledger_path), "--contributor", "Métropole de Lyon")
    assert result.exit_code == 0
    assert '<html lang="fr">' in result.stdout  # the ledger's default
    text = text_of(result.stdout)
    assert "Relevé d'utilisation de vos contributions" in text
    assert_no_english(text, "fr")


def test_language_from_the_contributor_directive_value() -> None:
    from beancount import loader

    entries, _errors, _options = loader.load_string(
        '2024-01-01 custom "contributor" "Banca Etica" "it"\n'
        '2024-01-01 custom "contributor" "Other" "xx"\n')
    assert contributor.language_of(entries, "Banca Etica") == "it"
    assert contributor.language_of(entries, "Other") is None
