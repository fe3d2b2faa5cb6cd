"""The FEC: the checks of the regulation and of the DGFiP's validator, on real books.

``validate`` applies the rules the administration's *Test Compta Demat* tool and
BOI-CF-IOR-60-40-20 state for a file of this kind: the 18 fields in their order, dates
AAAAMMJJ, amounts with a decimal comma and no thousands separator, one of debit and credit
per line, balanced entries and file, a continuous entry sequence that follows the dates,
mandatory fields filled, paired fields (auxiliary account, currency, lettering) filled
together, one label per account and per journal.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from beancount.core import data
from click.testing import CliRunner

from fundledger.cli.fec import fec
from fundledger.ledger import load
from fundledger.reports import fec as fec_file
from tests.reports.conftest import LEDGER

ROOT = Path(__file__).resolve().parents[2]
AMOUNT = re.compile(r"^\d+,\d{2}$")
MANDATORY = ["JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum",
             "CompteLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit",
             "ValidDate"]


def amount(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def validate(raw: bytes, year: int) -> list[dict[str, str]]:
    """Every rule above; returns the lines as dicts."""
    text = raw.decode("iso8859_15")
    assert text.endswith("\r\n")
    lines = text[:-2].split("\r\n")
    header = lines[0].split("|")
    assert header == fec_file.COLUMNS and len(header) == 18
    rows = []
    for number, line in enumerate(lines[1:], 2):
        fields = line.split("|")
        assert len(fields) == 18, (number, line)
        rows.append(dict(zip(header, fields, strict=True)))
    debit = credit = Decimal(0)
    per_entry: dict[str, Decimal] = defaultdict(Decimal)
    labels: dict[str, set[str]] = defaultdict(set)
    journals: dict[str, set[str]] = defaultdict(set)
    last_num, last_date = 0, ""
    for row in rows:
        for name in MANDATORY:
            assert row[name].strip(), (name, row)
        for name in ("EcritureDate", "PieceDate", "ValidDate"):
            day = datetime.datetime.strptime(row[name], "%Y%m%d").date()
            assert len(row[name]) == 8
            if name == "EcritureDate":
                assert day.year == year
        assert row["ValidDate"] >= row["EcritureDate"]
        assert AMOUNT.match(row["Debit"]) and AMOUNT.match(row["Credit"]), row
        d, c = amount(row["Debit"]), amount(row["Credit"])
        assert d == 0 or c == 0
        debit += d
        credit += c
        per_entry[row["EcritureNum"]] += d - c
        num = int(row["EcritureNum"])
        assert num in (last_num, last_num + 1), "entry numbers are continuous"
        if num == last_num + 1:
            assert row["EcritureDate"] >= last_date, "entries follow the dates"
        last_num, last_date = num, row["EcritureDate"]
        assert re.match(r"^[1-8]\d{2,}$", row["CompteNum"]), row["CompteNum"]
        assert bool(row["CompAuxNum"]) == bool(row["CompAuxLib"])
        assert bool(row["Montantdevise"]) == bool(row["Idevise"])
        assert bool(row["EcritureLet"]) == bool(row["DateLet"])
        labels[row["CompteNum"]].add(row["CompteLib"])
        journals[row["JournalCode"]].add(row["JournalLib"])
    assert debit == credit
    assert all(v == 0 for v in per_entry.values()), {k: v for k, v in per_entry.items() if v}
    assert all(len(v) == 1 for v in labels.values())
    assert all(len(v) == 1 for v in journals.values())
    return rows


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "main.beancount"
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(fec, list(args))


def postings_of_year(path: Path, year: int) -> int:
    return sum(len(e.postings) for e in load(path).entries
               if isinstance(e, data.Transaction) and e.date.year == year)


def test_small_ledger(tmp_path: Path) -> None:
    path = write(tmp_path, LEDGER + '2024-01-01 custom "fundledger-option" "siren" '
                                    '"732829320"\n')
    result = run(str(path), "--year", "2025", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    out = tmp_path / "732829320FEC20251231.txt"
    rows = validate(out.read_bytes(), 2025)
    opening = [r for r in rows if r["JournalCode"] == "AN"]
    rest = [r for r in rows if r["JournalCode"] != "AN"]
    assert rows[: len(opening)] == opening and {r["EcritureNum"] for r in opening} == {"1"}
    assert len(rest) == postings_of_year(path, 2025)  # one line per posting
    assert {r["JournalCode"] for r in rest} == {"BQ", "OD"}
    # À-nouveaux: one line per balance-sheet account with an opening balance, and the
    # fund side split as the balance sheet splits it.
    by_account = {r["CompteLib"].split(" - ")[0]: r for r in opening}
    assert by_account["Assets:Endowment:Portfolio"]["Debit"] == "1000000,00"  # at cost
    assert by_account["Liabilities:GrantsPayable"]["Credit"] == "15000,00"
    assert by_account["Fonds propres sans droit de reprise"]["Credit"] == "1000000,00"
    dedicated = by_account["Fonds dédiés sur contributions financières d'autres organismes"]
    assert dedicated["Credit"] == "130000,00"  # zero-dechet 70,000 + logement 60,000
    # Reserves: general 50,000 - 10,000 lent... balance 50,000; dotation's income 70,000.
    assert by_account["Autres réserves"]["Credit"] == "120000,00"
    # Endowment contributions go to the corpus, a partner's to 755, the ETF in units.
    assert {r["CompteNum"] for r in rest if r["EcritureLib"].endswith("Don 2025")} == {
        "512", "755"}
    coupons = [r for r in rest if r["CompteNum"] == "762"]
    assert coupons and coupons[0]["Credit"] == "5000,00"


def test_named_file_and_errors(tmp_path: Path) -> None:
    path = write(tmp_path, LEDGER)
    out = tmp_path / "audit.txt"
    result = run(str(path), "--year", "2025", "-o", str(out))
    assert result.exit_code == 0 and out.exists()
    # A SIREN written with spaces and a note is read; one that is not a SIREN is left out
    # of the file's name, with a warning.
    spaced = write(tmp_path, LEDGER + '2024-01-01 custom "fundledger-option" "siren" '
                                      '"732 829 320 (siège)"\n')
    folder = tmp_path / "spaced"
    folder.mkdir()
    assert run(str(spaced), "--year", "2025", "-o", str(folder)).exit_code == 0
    assert [p.name for p in folder.iterdir()] == ["732829320FEC20251231.txt"]
    bad = write(tmp_path, LEDGER + '2024-01-01 custom "fundledger-option" "siren" "123"\n')
    folder = tmp_path / "bad"
    folder.mkdir()
    result = CliRunner().invoke(fec, [str(bad), "--year", "2025", "-o", str(folder)])
    assert result.exit_code == 0 and "is not a SIREN" in result.output
    assert [p.name for p in folder.iterdir()] == ["FEC20251231.txt"]
    result = run(str(path), "--year", "2025", "-o", str(tmp_path / "nowhere" / "x.txt"))
    assert result.exit_code == 2
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "target.txt")
    assert run(str(path), "--year", "2025", "-o", str(link)).exit_code == 2
    assert not (tmp_path / "target.txt").exists()


@pytest.mark.parametrize(("book", "years"), [("lyon", range(2019, 2027)),
                                              ("torino", range(2022, 2027))])
def test_demo_books_every_year(tmp_path: Path, book: str, years: range) -> None:
    from fundledger.engine.accounting import general_ledger

    path = ROOT / "ledger" / book / "main.beancount"
    loaded = load(path)
    books = loaded.analysis(trace=False)
    for year in years:
        gl = general_ledger(loaded.entries, loaded.options, books, year)
        rows = validate(fec_file.to_text(fec_file.build(gl, books)), year)
        assert len([r for r in rows if r["JournalCode"] != "AN"]) == postings_of_year(
            path, year)
        assert gl.unallocated(year) == 0
    assert fec_file.valid_siren("732829320") and not fec_file.valid_siren("732829321")


BAD = ["bad-date", "garbage-line", "binary", "missing-include", "unknown-fund",
       "posting-without-fund", "huge-spend", "huge-transfer", "many-decimals",
       "contribution-in-dollars", "payment-before-award"]


@pytest.mark.parametrize("name", BAD)
def test_bad_ledgers_whole_file_or_nothing(tmp_path: Path, name: str) -> None:
    """A ledger with errors still gets its file (exit 1, still valid); an unreadable one
    gets none (exit 2, one line), never a traceback."""
    import shutil

    from tests.reliability.conftest import CORPUS
    from tests.reliability.test_ledger_corpus import expectation

    source = CORPUS / "ledgers" / f"{name}.beancount"
    status, _regex = expectation(source)
    ledger = tmp_path / source.name
    shutil.copy(source, ledger)
    out = tmp_path / "out"
    out.mkdir()
    result = CliRunner().invoke(fec, [str(ledger), "--year", "2019", "-o", str(out / "f.txt")])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    assert result.exit_code == status, result.output
    if status == 2:
        assert list(out.iterdir()) == []
    else:
        validate((out / "f.txt").read_bytes(), 2019)


def test_corpus_contribution_and_opening_corpus_keep_apart(tmp_path: Path) -> None:
    """A contribution to the endowment in a year with an opening corpus: two sub-accounts of
    102, each with one label."""
    path = write(tmp_path, LEDGER + '''
2025-06-01 * "Métropole de Lyon" "Dotation complémentaire"
  fund: "dotation"
  Assets:Bank:Main  50000.00 EUR
  Income:Contributions:Metropole
''')
    result = run(str(path), "--year", "2025", "-o", str(tmp_path / "f.txt"))
    assert result.exit_code == 0, result.output
    rows = validate((tmp_path / "f.txt").read_bytes(), 2025)
    corpus = {r["CompteNum"]: r["CompteLib"] for r in rows if r["CompteNum"].startswith("102")}
    assert corpus == {"10201": "Fonds propres sans droit de reprise",
                      "10202": "Income:Contributions:Metropole"}


def test_a_closed_year_is_validated_on_its_close(tmp_path: Path) -> None:
    path = ROOT / "ledger" / "lyon" / "main.beancount"
    assert run(str(path), "--year", "2025", "-o", str(tmp_path)).exit_code == 0
    rows = validate((tmp_path / "528462195FEC20251231.txt").read_bytes(), 2025)
    assert {r["ValidDate"] for r in rows} == {"20260324"}  # approved by the board that day
    assert run(str(path), "--year", "2026", "-o", str(tmp_path)).exit_code == 0
    rows = validate((tmp_path / "528462195FEC20261231.txt").read_bytes(), 2026)
    assert all(r["ValidDate"] == r["EcritureDate"] for r in rows)  # still open


def test_fundledger_export_fec(tmp_path: Path) -> None:
    from fundledger.cli import cli

    path = ROOT / "ledger" / "lyon" / "main.beancount"
    result = CliRunner().invoke(cli, ["export", "fec", str(path), "--year", "2025", "-o",
                                      str(tmp_path)])
    assert result.exit_code == 0, result.output
    rows = validate((tmp_path / "528462195FEC20251231.txt").read_bytes(), 2025)
    assert len([r for r in rows if r["JournalCode"] != "AN"]) == postings_of_year(path, 2025)
