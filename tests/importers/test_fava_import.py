"""Fava's import page with a folder holding files that an importer identifies but cannot
extract: each is reported for itself, the page and every other file still work."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from fava.application import create_app

from .conftest import CONFIG, DATA, MINI, SAMPLES


@pytest.fixture
def fava(tmp_path: Path) -> tuple[Any, str, Path]:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLES / "caisse-epargne-2026-10-01.camt053.xml", inbox / "good.xml")
    shutil.copy(SAMPLES / "banque-territoires-2026-10-16.csv", inbox / "good.csv")
    # Totals that do not add up.
    cfonb = (SAMPLES / "banque-territoires-2026-10-01.cfonb120").read_bytes()
    (inbox / "totals.cfonb120").write_bytes(cfonb.replace(b"0000000012500{", b"0000000012600{"))
    # A new bank account the books do not know yet (the most common case).
    camt = (SAMPLES / "caisse-epargne-2026-10-01.camt053.xml").read_text(encoding="utf-8")
    (inbox / "new-account.xml").write_text(
        camt.replace("FR7613825002000800123456737", "FR7630006000011234567890189"),
        encoding="utf-8")
    # A CSV with an odd cell.
    csv = (SAMPLES / "banque-territoires-2026-10-16.csv").read_text(encoding="cp1252")
    lines = csv.splitlines()
    lines[-1] = lines[-1].replace(",", ",x", 1)
    (inbox / "odd.csv").write_text("\n".join(lines) + "\n", encoding="cp1252")
    ledger = tmp_path / "main.beancount"
    text = MINI.read_text(encoding="utf-8")
    ledger.write_text(text + f'\n2019-01-01 custom "fava-option" "import-config" "{CONFIG}"\n'
                      f'2019-01-01 custom "fava-option" "import-dirs" "{inbox}"\n',
                      encoding="utf-8")
    app = create_app([str(ledger)], load=True)
    return app, app.config["LEDGERS"].first_slug(), inbox


def extract(client: Any, slug: str, path: Path, importer: str) -> Any:
    query = urlencode({"filename": str(path), "importer": importer})
    return client.get(f"/{slug}/api/extract?{query}")


def test_import_page_lists_every_file_and_reports_bad_ones_alone(fava) -> None:
    app, slug, inbox = fava
    client = app.test_client()
    assert client.get(f"/{slug}/import/").status_code == 200
    answer = client.get(f"/{slug}/api/imports")
    assert answer.status_code == 200, answer.data[:3000]
    listed = {Path(f["name"]).name: f["importers"] for f in json.loads(answer.data)["data"]}
    assert set(listed) == {"good.xml", "good.csv", "totals.cfonb120", "new-account.xml",
                           "odd.csv"}
    names = {name: [i["importer_name"] for i in importers]
             for name, importers in listed.items()}
    assert names["good.xml"] == ["fundledger.camt053"]
    assert names["totals.cfonb120"] == ["fundledger.cfonb120"]
    assert names["new-account.xml"] == ["fundledger.camt053"]
    accounts = {name: [i["account"] for i in importers] for name, importers in listed.items()}
    assert accounts["good.xml"] == ["Assets:Bank:CaisseEpargne"]
    assert accounts["new-account.xml"] == [""]

    bad = {"totals.cfonb120": ("fundledger.cfonb120", "movements do not add up"),
           "new-account.xml": ("fundledger.camt053", "no ledger account for FR763000"),
           "odd.csv": ("fundledger.csv.fr", "bad amount")}
    for name, (importer, reason) in bad.items():
        answer = extract(client, slug, inbox / name, importer)
        assert answer.status_code != 200
        message = json.loads(answer.data)["error"]
        assert reason in message and name in message
        # Every other file still extracts, after each failure.
        good = extract(client, slug, inbox / "good.xml", "fundledger.camt053")
        assert good.status_code == 200, good.data[:2000]
        entries = json.loads(good.data)["data"]
        assert sum(1 for e in entries if e["t"] == "Transaction") == 7
    good = extract(client, slug, inbox / "good.csv", "fundledger.csv.fr")
    assert good.status_code == 200
    assert client.get(f"/{slug}/api/imports").status_code == 200
    assert client.get(f"/{slug}/import/").status_code == 200


def test_beangulp_extract_reports_the_bad_file_and_extracts_the_others(fava,
                                                                       tmp_path) -> None:
    import subprocess
    import sys

    _app, _slug, inbox = fava
    run = subprocess.run([sys.executable, str(CONFIG), "extract", str(inbox), "-e",
                          str(DATA / "lyon-mini.beancount")], capture_output=True, text=True,
                         timeout=300)
    assert "movements do not add up" in run.stderr
    assert "good.xml ... OK" in run.stderr
    assert 'bank-ref: "CE261002000017"' in run.stdout


def test_problem_says_why_a_file_cannot_be_extracted(fava) -> None:
    from fundledger.importers import CamtImporter, CfonbImporter

    _app, _slug, inbox = fava
    camt = CamtImporter(ledger=MINI)
    assert camt.problem(str(inbox / "good.xml")) is None
    assert "no ledger account for FR763000" in str(camt.problem(str(inbox / "new-account.xml")))
    cfonb = CfonbImporter(ledger=MINI)
    assert "movements do not add up" in str(cfonb.problem(str(inbox / "totals.cfonb120")))
