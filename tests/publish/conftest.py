"""Fixtures for the public site: the demo books' sites (built once) and a small ledger.

The small ledger has exactly what the privacy rules are about: a private donor, a person
grantee, a company grantee that asked for privacy, public grantees, a private loan, and
bank details (IBAN, account number, bank references, documents).  Its figures are worked
out by hand in the comments.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
from beancount.core import data
from click.testing import CliRunner

from fundledger.cli import cli
from fundledger.engine import analyse
from fundledger.ledger import load

ROOT = Path(__file__).resolve().parents[2]
DEMO = {"lyon": ROOT / "ledger" / "lyon" / "main.beancount",
        "torino": ROOT / "ledger" / "torino" / "main.beancount"}

SMALL = """\
option "title" "Fondation Test Transparence"
option "operating_currency" "EUR"
plugin "fundledger.plugins.funds"

2024-01-01 custom "fundledger-option" "language" "fr"
2024-01-01 open Assets:Bank:CaisseTest EUR
  iban: "FR7630001007941234567890185"
2024-01-01 open Assets:Bank:Livret EUR
  account-number: "00012345678"
2024-01-01 open Assets:Loans:Honneur EUR
2024-01-01 open Liabilities:GrantsPayable EUR
2024-01-01 open Income:Contributions:Partners EUR
2024-01-01 open Income:Investment:Coupons EUR
2024-01-01 open Expenses:Grants:Themes EUR
2024-01-01 open Expenses:Programs:Accompaniment EUR

2024-01-01 custom "fund" "general" "unrestricted" "Fonds libres"
2024-01-01 custom "fund" "zero-dechet" "restricted" "Zéro déchet"
2024-01-01 custom "indicator" "jobs" "Emplois créés" "emplois"

; Resources of zero-dechet: 100000 (public) + 20000 (private donor) + 1000 coupons.
2024-01-10 * "Mutuelle Publique" "Contribution zéro déchet"
  fund: "zero-dechet"
  bank-ref: "VIR-REF-0042-XYZ"
  Assets:Bank:CaisseTest        100000.00 EUR
  Income:Contributions:Partners

2024-01-12 * "Jeanne Mécène-Discrète" "Don anonyme de Jeanne"
  fund: "zero-dechet"
  private: TRUE
  Assets:Bank:CaisseTest         20000.00 EUR
  Income:Contributions:Partners

2024-01-15 * "Banque Coupons" "Coupons"
  fund: "zero-dechet"
  Assets:Bank:Livret              1000.00 EUR
  Income:Investment:Coupons

2024-01-20 * "Mutuelle Publique" "Contribution libre"
  fund: "general"
  Assets:Bank:CaisseTest         10000.00 EUR
  Income:Contributions:Partners

; Public grant: 30000 awarded, 20000 paid.
2024-02-01 * "Recyclerie Ouverte" "Subvention — atelier vélo — comité du 2024-01-25"
  grant: "G-PUB-1"
  fund: "zero-dechet"
  grantee-kind: "association"
  projet: "atelier vélo"
  commune: "Villeurbanne"
  comite: "2024-01-25"
  note-interne: "dossier suivi par Paul, note confidentielle"
  Expenses:Grants:Themes          30000.00 EUR
  Liabilities:GrantsPayable

2024-02-10 * "Recyclerie Ouverte" "Versement 1"
  grant: "G-PUB-1"
  document: "factures/facture-secrete-42.pdf"
  bank-ref: "VIR-REF-0043-ABC"
  Liabilities:GrantsPayable       20000.00 EUR
  Assets:Bank:CaisseTest

; Withheld grants: a person (12000, paid 5000) and a private company (8000.50, all paid,
; 500.25 refunded).  Private beneficiaries: awarded 20000.50, net 19500.25.
2024-03-01 * "Amélie Personne-Physique" "Subvention — projet personnel d'Amélie"
  grant: "G-SECRET-1"
  fund: "zero-dechet"
  grantee-kind: "person"
  projet: "projet personnel d'Amélie"
  Expenses:Grants:Themes          12000.00 EUR
  Liabilities:GrantsPayable

2024-03-05 * "Amélie Personne-Physique" "Versement à Amélie"
  grant: "G-SECRET-1"
  private: TRUE
  Liabilities:GrantsPayable        5000.00 EUR
  Assets:Bank:CaisseTest

2024-03-02 * "Société Confidentielle SAS" "Subvention — local confidentiel"
  grant: "G-SECRET-2"
  fund: "zero-dechet"
  grantee-kind: "company"
  private: TRUE
  Expenses:Grants:Themes           8000.50 EUR
  Liabilities:GrantsPayable

2024-03-06 * "Société Confidentielle SAS" "Versement confidentiel"
  grant: "G-SECRET-2"
  private: TRUE
  Liabilities:GrantsPayable        8000.50 EUR
  Assets:Bank:CaisseTest

2024-04-06 * "Société Confidentielle SAS" "Remboursement partiel confidentiel"
  grant: "G-SECRET-2"
  fund: "zero-dechet"
  private: TRUE
  Assets:Bank:CaisseTest            500.25 EUR
  Expenses:Grants:Themes

2024-04-10 * "Coach Privé SARL" "Accompagnement de Amélie Personne-Physique"
  fund: "general"
  private: TRUE
  Expenses:Programs:Accompaniment   900.00 EUR
  Assets:Bank:CaisseTest

; A public loan and a private one.
2024-05-01 * "Tiers-Lieu Public" "Prêt d'honneur"
  loan: "P-PUB-1"
  fund: "zero-dechet"
  term-months: 24
  Assets:Loans:Honneur             6000.00 EUR
  Assets:Bank:CaisseTest

2024-05-02 * "Emprunteur Caché" "Prêt confidentiel"
  loan: "P-SECRET-1"
  fund: "zero-dechet"
  private: TRUE
  term-months: 12
  Assets:Loans:Honneur             4000.00 EUR
  Assets:Bank:CaisseTest

2024-05-03 document Assets:Bank:CaisseTest "documents/releve-secret-2024-05.pdf"

; Transfers: one public, one whose narration is private.
2024-06-15 custom "fund-transfer" "general" "zero-dechet" 1000.00 EUR "Décision du 2024-06-10"
2024-06-16 custom "fund-transfer" "general" "zero-dechet" 500.00 EUR "Transfert pour Amélie"
  private: TRUE

2024-06-01 custom "impact" "G-PUB-1" "jobs" 2
2024-06-01 custom "impact" "G-SECRET-1" "jobs" 1
"""

#: Withheld grants of SMALL, by hand.
SMALL_PRIVATE_AWARDED = "20000.50"
SMALL_PRIVATE_NET = "19500.25"
SMALL_PRIVATE_PAID = "13000.50"


def write_small(folder: Path, text: str = SMALL) -> Path:
    """SMALL (or ``text``) as ``folder/main.beancount``, with the document it names."""
    (folder / "documents").mkdir(parents=True, exist_ok=True)
    (folder / "documents" / "releve-secret-2024-05.pdf").write_bytes(b"%PDF-1.4\n")
    ledger = folder / "main.beancount"
    ledger.write_text(text, encoding="utf-8")
    return ledger


def run(*args: str):
    """Invoke the CLI in-process; returns click's Result (exit_code, stdout, stderr)."""
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@dataclass
class Built:
    ledger: Path
    site: Path
    exit_code: int


@pytest.fixture(scope="session")
def demo_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    """The Lyon and Turin sites, built once per session with ``fundledger publish``."""
    built = {}
    for name, ledger in DEMO.items():
        site = tmp_path_factory.mktemp(f"site-{name}") / "site"
        result = run("publish", ledger, "-o", site)
        built[name] = Built(ledger, site, result.exit_code)
    return built


@pytest.fixture(scope="session")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("small")
    ledger = write_small(folder)
    site = folder / "site"
    result = run("publish", ledger, "-o", site)
    assert result.exit_code == 0, result.output
    return Built(ledger, site, result.exit_code)


# -- what must never appear -------------------------------------------------------------------

def withheld(entries: Iterable[data.Directive]) -> tuple[set[str], set[str]]:
    """(strings, ids) no public file may contain, collected from the books themselves.

    Written independently of :mod:`fundledger.publish` so that a bug there cannot hide
    itself: the engine only tells which grants and loans are withheld.
    """
    entries = list(entries)
    books = analyse(entries)
    ids = {g.id for g in books.grants.values() if g.is_withheld}
    ids |= {loan.id for loan in books.loans.values()
            if loan.private or loan.meta.get("grantee-kind") == "person"}
    strings: set[str] = set()
    for entry in entries:
        meta = entry.meta or {}
        if meta.get("filename") and not str(meta["filename"]).startswith("<"):
            strings.add(str(meta["filename"]))
        metas = [meta]
        if isinstance(entry, data.Transaction):
            metas += [p.meta or {} for p in entry.postings]
            entry_ids = {str(m.get(k)) for m in metas for k in ("grant", "loan")}
            if meta.get("private") is True or entry_ids & ids:
                strings |= {s for s in (entry.payee, entry.narration) if s}
                strings |= {str(m["contributor"]) for m in metas if m.get("contributor")}
        for m in metas:
            for key in ("iban", "account-number", "bank-ref", "document"):
                if m.get(key):
                    strings.add(str(m[key]))
        if isinstance(entry, data.Open):
            strings.add(entry.account)
        if isinstance(entry, data.Custom) and meta.get("private") is True:
            strings |= {v.value for v in entry.values[2:] if isinstance(v.value, str)}
        if isinstance(entry, data.Document):
            strings.add(entry.filename)
    return {s for s in strings if len(s) >= 4}, ids


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


def leaks(site: Path, strings: set[str], ids: set[str]) -> list[tuple[str, str]]:
    """Every (file, withheld string) found, in the raw text or with entities decoded."""
    found = []
    id_patterns = {i: re.compile(rf"(?<![\w-]){re.escape(i)}(?![\w-])") for i in ids}
    for rel, content in site_files(site).items():
        text = content.decode("utf-8")
        readable = html.unescape(text)
        for secret in strings:
            if secret in text or secret in readable or secret in rel:
                found.append((rel, secret))
        for ident, pattern in id_patterns.items():
            if pattern.search(readable) or pattern.search(rel):
                found.append((rel, ident))
    return found


def readable(path: Path) -> str:
    return html.unescape(path.read_text(encoding="utf-8"))


def loaded(path: Path):
    return load(path)
