"""Fixtures for the open-data exports: the official schemas, the demo books, a small ledger.

The official schema files are not copied into the tests: they are read where the project
keeps them, ``shared/fixtures/opendata/`` beside the repository (CI clones ``shared/``
there; a helper's worktree sits one level deeper).  A missing folder fails the tests
rather than skipping them, so an export is never reported valid without being checked.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fundledger.cli import cli

ROOT = Path(__file__).resolve().parents[2]
DEMO = {"lyon": ROOT / "ledger" / "lyon" / "main.beancount",
        "torino": ROOT / "ledger" / "torino" / "main.beancount"}


def _schemas() -> Path:
    for base in (ROOT.parent, ROOT.parent.parent):
        folder = base / "shared" / "fixtures" / "opendata"
        if folder.is_dir():
            return folder
    raise RuntimeError(f"the official open-data schemas are not in {ROOT.parent}/shared/"
                       "fixtures/opendata (clone shared/ beside the repository)")


@pytest.fixture(scope="session")
def schemas() -> Path:
    try:
        return _schemas()
    except RuntimeError as exc:
        pytest.fail(str(exc))


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def export(*args: str) -> tuple[int, str]:
    """Run ``fundledger export ...``: (exit status, stdout and stderr)."""
    result = CliRunner().invoke(cli, ["export", *map(str, args)])
    return result.exit_code, result.output


#: A small French ledger: one public association, one public company, one person, one
#: company that asked for privacy; the foundation's SIRET.  Awards of 2024:
#: 30000 + 12000 public, 5000 (person) + 8000 (private) withheld = 55000; and one of
#: 1000 in 2023.
SMALL = """\
option "title" "Fondation Test Données"
option "operating_currency" "EUR"
plugin "fundledger.plugins.funds"

2023-01-01 custom "fundledger-option" "language" "fr"
2023-01-01 custom "fundledger-option" "siret" "{siret}"
2023-01-01 open Assets:Bank:Caisse EUR
  iban: "FR7630001007941234567890185"
2023-01-01 open Liabilities:GrantsPayable EUR
2023-01-01 open Income:Contributions:Partners EUR
2023-01-01 open Expenses:Grants:Themes EUR

2023-01-01 custom "fund" "zero-dechet" "restricted" "Zéro déchet"

2023-01-10 * "Mutuelle Publique" "Contribution"
  fund: "zero-dechet"
  Assets:Bank:Caisse        100000.00 EUR
  Income:Contributions:Partners

2024-02-01 * "{association}" "Subvention atelier"
  grant: "G-1"
  fund: "zero-dechet"
  grantee-kind: "association"
  beneficiary-id: "W691234567"
  projet: "{project}"
  commune: "Villeurbanne"
  comite: "2024-01-25"
  Expenses:Grants:Themes     30000.00 EUR
  Liabilities:GrantsPayable

2024-02-20 * "{association}" "Versement 1/2"
  grant: "G-1"
  Liabilities:GrantsPayable  20000.00 EUR
  Assets:Bank:Caisse

2024-06-20 * "{association}" "Versement 2/2"
  grant: "G-1"
  Liabilities:GrantsPayable  10000.00 EUR
  Assets:Bank:Caisse

2024-03-01 * "Vrac et Cie SAS" "Subvention vrac"
  grant: "G-2"
  fund: "zero-dechet"
  grantee-kind: "company"
  beneficiary-id: "{company_id}"
  pourcentage: {percent}
  Expenses:Grants:Themes     12000.00 EUR
  Liabilities:GrantsPayable

2024-03-05 * "Yves Dubois" "Bourse de Yves Dubois"
  grant: "G-3"
  fund: "zero-dechet"
  grantee-kind: "person"
  Expenses:Grants:Themes      5000.00 EUR
  Liabilities:GrantsPayable

2024-03-06 * "Discrète SARL" "Subvention Discrète"
  grant: "G-4"
  fund: "zero-dechet"
  grantee-kind: "company"
  beneficiary-id: "73282932000074"
  private: TRUE
  Expenses:Grants:Themes      8000.00 EUR
  Liabilities:GrantsPayable

2023-05-01 * "Ancienne Asso" "Subvention 2023"
  grant: "G-0"
  fund: "zero-dechet"
  grantee-kind: "association"
  beneficiary-id: "W690000001"
  Expenses:Grants:Themes      1000.00 EUR
  Liabilities:GrantsPayable
"""

DEFAULTS = {"siret": "52846219500017", "association": "Recyclerie Ouverte",
            "project": "atelier vélo", "company_id": "48448142900013", "percent": "50"}


@pytest.fixture
def small(tmp_path: Path):
    """Write the small ledger (with some values replaced) and return its path."""

    def write(extra: str = "", **values: str) -> Path:
        path = tmp_path / "books" / "main.beancount"
        path.parent.mkdir(exist_ok=True)
        text = SMALL.format(**{**DEFAULTS, **values}) + extra
        path.write_text(text, encoding="utf-8")
        return path

    return write
