"""A small foundation ledger that exercises every part of the reports.

Figures the tests expect (Q3 2025 unless said otherwise) are worked out by hand in the
comments of ``LEDGER`` and in the tests; the tests also compare with the engine's own
``funds`` and ``trace`` commands, so a report can never drift from the engine.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

LEDGER = """\
option "title" "Fondation Test Innovation"
option "operating_currency" "EUR"
plugin "fundledger.plugins.funds"

2024-01-01 custom "fundledger-option" "language" "fr"
2024-01-01 open Assets:Bank:Main EUR
2024-01-01 open Assets:Endowment:Portfolio
2024-01-01 open Assets:Loans:Honneur EUR
2024-01-01 open Assets:Receivable:Pledges:Partners EUR
2024-01-01 open Assets:Suspense EUR
2024-01-01 open Liabilities:GrantsPayable EUR
2024-01-01 open Income:Contributions:Metropole EUR
2024-01-01 open Income:Contributions:Partners EUR
2024-01-01 open Income:Investment:Coupons EUR
2024-01-01 open Income:LoanInterest:Honneur EUR
2024-01-01 open Expenses:Grants:Themes EUR
2024-01-01 open Expenses:Programs:Accompaniment EUR
2024-01-01 open Expenses:Admin:Management EUR
2024-01-01 open Expenses:LoanLosses:Honneur EUR

2024-01-01 custom "fund" "dotation" "endowment" "Dotation de la Métropole"
  consumable: FALSE
2024-01-01 custom "fund" "general" "unrestricted" "Fonds libres"
2024-01-01 custom "fund" "zero-dechet" "restricted" "Zéro déchet"
2024-01-01 custom "fund" "logement" "restricted" "Logement et insertion"
2024-01-01 custom "spending-rule" "dotation" 5 4
2024-01-01 custom "indicator" "jobs" "Emplois créés" "emplois"
2024-01-01 custom "contributor" "Banca Etica"
  language: "it"

2024-01-10 * "Métropole de Lyon" "Dotation initiale"
  fund: "dotation"
  Assets:Endowment:Portfolio      1000 ETF {1000.00 EUR}
  Income:Contributions:Metropole  -1000000.00 EUR

2024-02-01 * "Caisse d'Épargne" "Contribution zéro déchet"
  fund: "zero-dechet"
  language: "en"
  Assets:Bank:Main                100000.00 EUR
  Income:Contributions:Partners

2024-02-15 * "Fondation Solidaire" "Don libre"
  fund: "general"
  Assets:Bank:Main                50000.00 EUR
  Income:Contributions:Partners

2024-03-01 * "Banca Etica" "Promessa logement"
  fund: "logement"
  Assets:Receivable:Pledges:Partners  60000.00 EUR
  Income:Contributions:Partners

2024-04-01 * "Vrac Solidaire" "Subvention épicerie vrac"
  grant: "G-2024-001"
  fund: "zero-dechet"
  grantee-kind: "association"
  Expenses:Grants:Themes          30000.00 EUR
  Liabilities:GrantsPayable

2024-04-20 * "Vrac Solidaire" "Versement 1/2"
  grant: "G-2024-001"
  Liabilities:GrantsPayable       15000.00 EUR
  Assets:Bank:Main

2024-05-01 * "Atelier Partagé" "Prêt d'honneur"
  loan: "P-2024-002"
  fund: "general"
  term-months: 12
  Assets:Loans:Honneur            10000.00 EUR
  Assets:Bank:Main

2024-06-30 * "Coupons 2024-S1"
  fund: "dotation"
  Assets:Bank:Main                20000.00 EUR
  Income:Investment:Coupons

2024-09-01 * "Banca Etica" "Versamento"
  fund: "logement"
  Assets:Bank:Main                40000.00 EUR
  Assets:Receivable:Pledges:Partners

2024-10-01 * "Le Cent Sept" "Prêt d'honneur"
  loan: "P-2024-001"
  fund: "logement"
  term-months: 24
  Assets:Loans:Honneur            24000.00 EUR
  Assets:Bank:Main

2024-12-31 * "Coupons 2024-S2"
  fund: "dotation"
  Assets:Bank:Main                50000.00 EUR
  Income:Investment:Coupons

2024-12-31 price ETF 1010.00 EUR

2025-01-01 * "Le Cent Sept" "Remboursement"
  loan: "P-2024-001"
  fund: "logement"
  Assets:Bank:Main                 3000.00 EUR
  Assets:Loans:Honneur

2025-01-15 custom "fund-transfer" "dotation" "zero-dechet" 30000.00 EUR "Tirage 2025"

2025-02-01 * "Atelier Vélo" "Subvention atelier"
  grant: "G-2025-001"
  fund: "zero-dechet"
  grantee-kind: "association"
  Expenses:Grants:Themes          12000.00 EUR
  Liabilities:GrantsPayable

2025-02-01 * "Fondation Solidaire" "Don 2025"
  fund: "general"
  Assets:Bank:Main                20000.00 EUR
  Income:Contributions:Partners

2025-02-15 * "Atelier Vélo" "Versement"
  grant: "G-2025-001"
  Liabilities:GrantsPayable       12000.00 EUR
  Assets:Bank:Main

2025-03-31 * "Gestion" "Frais de gestion T1"
  fund: "general"
  Expenses:Admin:Management        1200.00 EUR
  Assets:Bank:Main

2025-04-01 * "Le Cent Sept" "Remboursement"
  loan: "P-2024-001"
  fund: "logement"
  Assets:Bank:Main                 3000.00 EUR
  Assets:Loans:Honneur

2025-07-05 * "Karim Haddad" "Bourse d'installation"
  grant: "G-2025-002"
  fund: "logement"
  grantee-kind: "person"
  Expenses:Grants:Themes           8000.00 EUR
  Liabilities:GrantsPayable

2025-07-15 custom "fund-transfer" "dotation" "logement" 10000.00 EUR "Tirage complémentaire"

2025-07-20 * "Recyclerie Est" "Subvention atelier réemploi"
  grant: "G-2025-003"
  fund: "zero-dechet"
  grantee-kind: "association"
  Expenses:Grants:Themes          25000.00 EUR
  Liabilities:GrantsPayable

2025-08-01 * "Le Cent Sept" "Remboursement et intérêts"
  loan: "P-2024-001"
  fund: "logement"
  Assets:Bank:Main                 2150.00 EUR
  Assets:Loans:Honneur            -2000.00 EUR
  Income:LoanInterest:Honneur      -150.00 EUR

2025-08-10 * "Vrac Solidaire" "Versement 2/2"
  grant: "G-2024-001"
  Liabilities:GrantsPayable       15000.00 EUR
  Assets:Bank:Main

2025-08-20 * "Atelier Partagé" "Abandon de créance"
  loan: "P-2024-002"
  fund: "general"
  Expenses:LoanLosses:Honneur     10000.00 EUR
  Assets:Loans:Honneur

2025-08-31 * "Cabinet Conseil" "Accompagnement des porteurs"
  fund: "general"
  Expenses:Programs:Accompaniment  2500.00 EUR
  Assets:Bank:Main

2025-09-01 * "Karim Haddad" "Versement bourse"
  grant: "G-2025-002"
  Liabilities:GrantsPayable        5000.00 EUR
  Assets:Bank:Main

2025-09-10 * "Ressourcerie" "Prêt d'amorçage"
  loan: "P-2025-003"
  fund: "zero-dechet"
  term-months: 12
  grace-months: 3
  Assets:Loans:Honneur             5000.00 EUR
  Assets:Bank:Main

2025-09-15 * "Recyclerie Est" "Révocation partielle"
  grant: "G-2025-003"
  fund: "zero-dechet"
  Liabilities:GrantsPayable        5000.00 EUR
  Expenses:Grants:Themes

2025-09-20 * "Recyclerie Est" "Versement 1"
  grant: "G-2025-003"
  Liabilities:GrantsPayable       10000.00 EUR
  Assets:Bank:Main

2025-09-25 ! "Virement inconnu"
  Assets:Bank:Main                  123.45 EUR
  Assets:Suspense

2025-09-30 * "Coupons 2025-T3"
  fund: "dotation"
  Assets:Bank:Main                 5000.00 EUR
  Income:Investment:Coupons

2025-09-30 price ETF 1050.00 EUR
2025-09-30 custom "impact" "G-2024-001" "jobs" 3
2025-09-30 custom "impact" "P-2024-001" "jobs" 2

2025-11-02 * "Vrac Solidaire" "Après le trimestre"
  grant: "G-2025-009"
  fund: "zero-dechet"
  grantee-kind: "association"
  Expenses:Grants:Themes           1000.00 EUR
  Liabilities:GrantsPayable
"""

#: An accounting error (FL302: payment of a grant never awarded) for the exit-1 tests.
BROKEN_TAIL = """
2025-08-15 * "Inconnu" "Versement sans attribution"
  grant: "G-9999-999"
  Liabilities:GrantsPayable         100.00 EUR
  Assets:Bank:Main
"""


@pytest.fixture(scope="session")
def ledger_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ledger")
    (folder / "main.beancount").write_text(LEDGER, encoding="utf-8")
    (folder / "broken.beancount").write_text(LEDGER + BROKEN_TAIL, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def ledger_path(ledger_dir: Path) -> Path:
    return ledger_dir / "main.beancount"


@pytest.fixture(scope="session")
def broken_path(ledger_dir: Path) -> Path:
    return ledger_dir / "broken.beancount"


@pytest.fixture(scope="session")
def loaded(ledger_path: Path):
    from fundledger.ledger import load

    result = load(ledger_path)
    assert not result.errors, result.errors
    return result


def plain(text: str) -> str:
    """Text with every kind of space made a plain space (for locale-formatted figures)."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\u00a0\u202f\u2009]+", " ", text)
