"""Every sample statement against its expected extraction (beangulp's testing convention).

``foo.xml`` is compared with ``foo.xml.beancount`` (account, date, name, then the entries)
through beangulp's own ``compare_expected``.  Set ``FUNDLEDGER_REGENERATE=1`` to rewrite
the expected files, then read the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from beangulp import testing

from fundledger.importers import (
    FRENCH,
    ITALIAN,
    CamtImporter,
    CfonbImporter,
    CsvImporter,
    OfxImporter,
    default_importers,
    load_rules,
)
from fundledger.importers.csvfile import BANKS

from .conftest import DATA, MINI, ROOT, SAMPLES

RULES = load_rules(ROOT / "importers" / "rules.toml")
EXPECTED_SAMPLES = DATA / "samples"


def lyon(cls, *args, **options):
    return cls(*args, RULES, ledger=MINI, **options)


CASES = {
    SAMPLES / "caisse-epargne-2026-10-01.camt053.xml": lambda: lyon(CamtImporter),
    SAMPLES / "banque-territoires-2026-10-01.cfonb120": lambda: lyon(CfonbImporter),
    SAMPLES / "caisse-epargne-2026-10-16.ofx": lambda: lyon(OfxImporter),
    SAMPLES / "banque-territoires-2026-10-16.csv": lambda: lyon(CsvImporter, FRENCH),
    DATA / "camt053-v02-batch.xml": lambda: lyon(CamtImporter),
    DATA / "camt053-v05-othr.xml": lambda: lyon(CamtImporter),
    DATA / "cfonb-pennylane-example.txt": lambda: CfonbImporter(ledger=MINI),
    DATA / "cfonb-stripped.txt": lambda: lyon(CfonbImporter),
    DATA / "cfonb-oneline.txt": lambda: lyon(CfonbImporter),
    DATA / "ofx-v2-iban.ofx": lambda: lyon(OfxImporter),
    DATA / "italiano.csv": lambda: CsvImporter(ITALIAN, account="Assets:Bank:Intesa"),
    DATA / "francais-montant.csv": lambda: lyon(CsvImporter, FRENCH,
                                                account="Assets:Bank:CaisseEpargne"),
}
#: One export per shipped bank layout, read by the bank's own layout.
BANK_FILES = sorted((DATA / "banks").glob("*.csv"))
for _path in BANK_FILES:
    CASES[_path] = (lambda stem: lambda: CsvImporter(
        BANKS[stem], RULES, account=f"Assets:Bank:{stem.title().replace('-', '')}"))(_path.stem)


def expected_path(document: Path) -> Path:
    folder = EXPECTED_SAMPLES if document.parent == SAMPLES else document.parent
    return folder / f"{document.name}.beancount"


@pytest.mark.parametrize("document", list(CASES), ids=lambda p: p.name)
def test_extraction_matches_expected_file(document: Path) -> None:
    importer = CASES[document]()
    assert importer.identify(str(document))
    account, date, name, entries = testing.run_importer(importer, str(document))
    expected = expected_path(document)
    if os.environ.get("FUNDLEDGER_REGENERATE"):
        expected.parent.mkdir(exist_ok=True)
        testing.write_expected_file(str(expected), account, date, name, entries, force=True)
    diff = testing.compare_expected(str(expected), account, date, name, entries)
    assert not diff, "".join(diff)


@pytest.mark.parametrize("document", list(CASES), ids=lambda p: p.name)
def test_exactly_one_builtin_importer_claims_each_file(document: Path) -> None:
    claims = [imp.name for imp in default_importers() if imp.identify(str(document))]
    assert len(claims) == 1, claims


def test_cfonb_variants_read_like_the_original() -> None:
    """Lost trailing blanks or lost line breaks change nothing but line numbers."""
    def figures(path: Path) -> list[tuple]:
        importer = lyon(CfonbImporter)
        return [(s.opening, s.closing, [(ln.date, ln.amount, ln.payee, ln.text, ln.ref)
                                        for ln in s.lines])
                for s in importer.statements(str(path))]

    original = figures(SAMPLES / "banque-territoires-2026-10-01.cfonb120")
    stripped = figures(DATA / "cfonb-stripped.txt")
    assert [(o[2]) for o in original] == [s[2] for s in stripped]
    assert [(o[0].amount, o[1].amount) for o in original] == [
        (s[0].amount, s[1].amount) for s in stripped]
    oneline = figures(DATA / "cfonb-oneline.txt")
    assert [o[2] for o in original] == [s[2] for s in oneline]
