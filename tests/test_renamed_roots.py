"""Books with renamed roots (``option "name_income" "Produits"``...) are understood end to end.

The Lyon demo books are rewritten under French root names (Actif, Passif, Capitaux,
Produits, Charges): ``check``, ``funds``, ``trace``, the reports and the public site must
answer exactly as for the original books (the figures to the cent, the same errors, the
same pages), and a bank statement imported into French books parks its unmatched lines on
``Actif:Suspense``.  A French ledger that overspends a fund and forgets a fund on a
posting gets its FL201 and FL101, as an English one would.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from fundledger.cli import cli
from fundledger.engine.accounts import Roots
from fundledger.importers.base import LedgerFacts, default_importers
from fundledger.ledger import load

ROOT = Path(__file__).resolve().parents[1]
LYON = ROOT / "ledger" / "lyon"
MINI = ROOT / "tests" / "importers" / "data" / "lyon-mini.beancount"
CAMT = ROOT / "importers" / "samples" / "caisse-epargne-2026-10-01.camt053.xml"
FRENCH = {"Assets": "Actif", "Liabilities": "Passif", "Equity": "Capitaux",
          "Income": "Produits", "Expenses": "Charges"}
OPTIONS = "".join(f'option "name_{english.lower()}" "{french}"\n'
                  for english, french in FRENCH.items())


def frenchify(text: str) -> str:
    """The same books under French root names (every account, every query)."""
    for english, french in FRENCH.items():
        text = re.sub(rf"(?<![\w:]){english}(?=:)", french, text)
    return text


def unclosed(text: str) -> str:
    """``text`` without its ``period-close`` directives: their digests certify the books
    as written, account names included, so renamed books are, rightly, not those."""
    return re.sub(r'^\d{4}-\d\d-\d\d custom "period-(close|reopen)" .*\n(?:[ \t]+.*\n)*', "",
                  text, flags=re.M)


def french_copy(source: Path, folder: Path) -> Path:
    """Copy of the books in ``source``'s folder, rewritten; returns the main file.

    Every file gets the options: Beancount checks account names file by file, each with
    its own options (an included file does not inherit its includer's root names).
    """
    folder.mkdir(exist_ok=True)
    for path in source.parent.glob("*.beancount"):
        text = frenchify(unclosed(path.read_text(encoding="utf-8")))
        (folder / path.name).write_text(OPTIONS + text, encoding="utf-8")
    return folder / source.name


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(original Lyon books, their French copy)."""
    folder = tmp_path_factory.mktemp("roots")
    original = folder / "en"
    original.mkdir()
    for path in LYON.glob("*.beancount"):  # the same books, unclosed too
        padding = "".join(f"; {line}" for line in OPTIONS.splitlines(True))  # same lines
        (original / path.name).write_text(padding + unclosed(path.read_text(encoding="utf-8")),
                                          encoding="utf-8")
    return original / "main.beancount", french_copy(LYON / "main.beancount", folder / "fr")


def test_the_copy_really_is_french(books: tuple[Path, Path]) -> None:
    _original, french = books
    accounts = {e.account.split(":")[0] for e in load(french).entries if hasattr(e, "account")}
    assert accounts <= set(FRENCH.values()) and {"Produits", "Charges", "Actif"} <= accounts


@pytest.mark.parametrize("command", [
    ["check"],
    ["funds", "--format", "json"],
    ["funds", "--at", "2024-12-31", "--format", "csv"],
    ["trace", "--contributor", "Métropole de Lyon", "--format", "json"],
])
def test_same_answers_as_the_original_books(books: tuple[Path, Path], command: list) -> None:
    original, french = books
    status, out, _err = run(command[0], original, *command[1:])
    status_fr, out_fr, _err = run(command[0], french, *command[1:])
    assert status_fr == status
    assert out_fr.replace(str(french), str(original)) == frenchify(out).replace(
        str(french), str(original)) or out_fr == out.replace(str(original), str(french))
    if command[0] == "funds" and "json" in command:
        rows = json.loads(out_fr)
        assert rows and any(row["received"] != "0.00" for row in rows)


def test_reports_and_site_from_french_books(books: tuple[Path, Path], tmp_path: Path) -> None:
    original, french = books
    for ledger, name in ((original, "en"), (french, "fr")):
        assert run("report", "quarterly", ledger, "--quarter", "2025-Q3", "-o",
                   tmp_path / f"q-{name}.html")[0] == 0
        assert run("report", "dedicated-funds", ledger, "--year", "2025", "-o",
                   tmp_path / f"d-{name}.csv")[0] == 0
        assert run("publish", ledger, "-o", tmp_path / f"site-{name}")[0] == 0
    assert (tmp_path / "d-fr.csv").read_text() == (tmp_path / "d-en.csv").read_text()
    english = (tmp_path / "q-en.html").read_text(encoding="utf-8")
    french_report = (tmp_path / "q-fr.html").read_text(encoding="utf-8")
    figures = re.compile(r'<td class="num">([^<]*)</td>')
    assert figures.findall(french_report) == figures.findall(english)
    pages = sorted(p.relative_to(tmp_path / "site-en").as_posix()
                   for p in (tmp_path / "site-en").rglob("*.html"))
    assert pages == sorted(p.relative_to(tmp_path / "site-fr").as_posix()
                           for p in (tmp_path / "site-fr").rglob("*.html"))
    home = "fr/index.html"
    assert ((tmp_path / "site-fr" / home).read_text(encoding="utf-8")
            == (tmp_path / "site-en" / home).read_text(encoding="utf-8"))


def test_rules_apply_under_french_roots(tmp_path: Path) -> None:
    ledger = tmp_path / "fr.beancount"
    ledger.write_text(OPTIONS + """\
option "operating_currency" "EUR"
plugin "fundledger.plugins.funds"
2025-01-01 open Actif:Bank:Courant EUR
2025-01-01 open Produits:Contributions:Partenaires EUR
2025-01-01 open Charges:Programs:Accompagnement EUR
2025-01-01 custom "fund" "insertion" "restricted" "Insertion"
2025-01-10 * "Métropole de Lyon" "Contribution"
  fund: "insertion"
  Actif:Bank:Courant  1000.00 EUR
  Produits:Contributions:Partenaires
2025-03-01 * "Traiteur" "Trop"
  fund: "insertion"
  Charges:Programs:Accompagnement  1000.01 EUR
  Actif:Bank:Courant
2025-03-02 * "Imprimeur" "Oubli"
  Charges:Programs:Accompagnement  10.00 EUR
  Actif:Bank:Courant
""", encoding="utf-8")
    status, out, _err = run("check", ledger)
    assert status == 1
    assert re.search(r":16: FL201 fund \"insertion\" would have -0.01 EUR", out), out
    assert re.search(r":20: FL101 posting to Charges:Programs:Accompagnement", out), out
    status, out, _err = run("funds", ledger, "--format", "json")
    row = json.loads(out)[0]
    assert (row["received"], row["spent"]) == ("1000.00", "1000.01")  # FL101: no fund


def test_import_into_french_books_uses_their_suspense_account(tmp_path: Path) -> None:
    ledger = french_copy(MINI, tmp_path / "books")
    config = ledger.parent / "importers"  # the repository's configuration, its rules French
    config.mkdir()
    for name in ("config.py", "rules.toml"):
        (config / name).write_text(frenchify((ROOT / "importers" / name).read_text(
            encoding="utf-8")), encoding="utf-8")
    status, _out, err = run("import", CAMT, "--ledger", ledger, "--apply")
    assert status == 0, err
    text = ledger.read_text(encoding="utf-8")
    assert "Actif:Suspense" in text and "Assets:Suspense" not in text
    status, out, _err = run("check", ledger)
    assert "Invalid account" not in out


def test_importers_read_grants_and_loans_under_french_roots() -> None:
    roots = Roots.of({f"name_{k.lower()}": v for k, v in FRENCH.items()})
    entries = load(french_copy(MINI, Path(tempfile.mkdtemp()))).entries
    facts = LedgerFacts(entries, roots)
    english = LedgerFacts(load(MINI).entries)
    assert set(facts.grants) == set(english.grants) and facts.grants
    assert all(known.debit_account.startswith("Passif:") for known in facts.grants.values())
    importer = default_importers()[0]
    importer.roots = roots
    assert importer.suspense == "Actif:Suspense"


def test_fava_pages_under_french_roots(books: tuple[Path, Path]) -> None:
    """Same funds table as the original books; its links filter on the French roots."""
    from fava.application import create_app

    from fundledger.fava import PAGES

    tables = {}
    for ledger in books:
        app = create_app([str(ledger)], load=True)
        slug = app.config["LEDGERS"].first_slug()
        answer = app.test_client().get(f"/{slug}/extension/{PAGES['funds']}/")
        assert answer.status_code == 200
        tables[ledger] = answer.get_data(as_text=True)
    original, french = (tables[ledger] for ledger in books)
    amounts = re.compile(r'data-amount="([^"]*)"')
    assert amounts.findall(french) == amounts.findall(original) and amounts.findall(original)
    assert "%5EProduits:" in french or "^Produits:" in french
    assert "Income:" not in french.split("<table", 1)[1].split("</table>", 1)[0]
