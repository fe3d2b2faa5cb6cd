"""The consolidated accounts of a host as a Fava page (``serve HOST``) and as a page of its
public site (``publish HOST``): the figures of ``consolidate --format json``, to the cent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fava.application import create_app

from tests.fava.test_extension import figures_by
from tests.sheltered.test_consolidate import HOST_FEES, fundledger, make_group

PAGE = "FundledgerConsolidated"
EXTENSION = '\n2025-01-01 custom "fava-extension" "fundledger.fava"\n'
#: Foundation b books 299.00 instead of 300.00 (FL801); the host gives a 500.00 to a
#: (a transfer between entities, eliminated on both sides).
GIVEN = """
2025-06-01 * "Fondation hôte" "Subvention de l'hôte"
  fund: "general"
  entity-transfer: "ful"
  Assets:Bank:Main   500.00 EUR
  Income:Contributions:Host
"""
HOST_SIDE = HOST_FEES.replace("300.00 EUR\n  Income:HostFees\n", "300.00 EUR\n  Income:HostFees\n"
                              , 1) + """
2025-06-01 * "Fondation a" "Subvention à la fondation abritée"
  fund: "general"
  entity-transfer: "a"
  grant: "H-1"
  Expenses:Grants:Sheltered   500.00 EUR
  Assets:Bank:Main
"""


def group(tmp_path: Path, language: str | None = None) -> Path:
    host_body = EXTENSION + HOST_SIDE
    if language:
        host_body += f'2025-01-01 custom "fundledger-option" "language" "{language}"\n'
    return make_group(tmp_path, {"a": "300.00", "b": "299.00"}, host_body,
                      extra={"a": EXTENSION + GIVEN, "b": EXTENSION})


def expected(host: Path) -> dict[str, Any]:
    """What ``consolidate --format json`` says, as the pages' rows."""
    result = fundledger("consolidate", host, "--format", "json")
    assert result.returncode == 1 and "FL801" in result.stderr  # b's fee is one euro short
    out = json.loads(result.stdout)
    figures = ("received", "spent", "transfers_in", "transfers_out", "balance",
               "loans_outstanding", "pledges_outstanding", "available")
    return {
        "funds": {f["fund"]: {k: f[k] for k in figures}
                  for e in out["entities"] for f in e["funds"]},
        "eliminations": {f'{e["what"]} {e["year"]} {e["fund"]} {e["counterpart"]}':
                         {k: e[k] for k in figures} for e in out["eliminations"]},
        "totals": {t["kind"]: {k: t[k] for k in figures} for t in out["totals"]},
        "errors": out["errors"],
    }


def shown(html: str) -> dict[str, Any]:
    return {"funds": figures_by(html, "fund"),
            "eliminations": figures_by(html, "elimination"),
            "totals": figures_by(html, "total")}


def page(app: Any, slug: str | None = None) -> tuple[int, str]:
    client = app.test_client()
    slug = slug or app.config["LEDGERS"].first_slug()
    answer = client.get(f"/{slug}/extension/{PAGE}/")
    return answer.status_code, answer.get_data(as_text=True)


@pytest.mark.parametrize("served", [True, False], ids=["foundations-served", "host-alone"])
def test_fava_page_shows_the_figures_of_consolidate(tmp_path: Path, served: bool) -> None:
    host = group(tmp_path)
    want = expected(host)
    files = [host] + ([tmp_path / "a" / "main.beancount", tmp_path / "b" / "main.beancount"]
                      if served else [])
    app = create_app([str(f) for f in files], load=True)
    status, html = page(app)
    assert status == 200, html[:2000]
    got = shown(html)
    assert got["funds"] == want["funds"]
    assert got["eliminations"] == want["eliminations"]
    assert got["totals"] == want["totals"]
    # The cents that matter: 500.00 given and 599.00 of fees cancel out of the totals.
    assert want["totals"]["total"]["received"] == "25100.00"
    assert got["funds"]["a/general"]["received"] == "2550.00"
    assert len(got["eliminations"]) == 6
    assert "Consolidated accounts" in html
    assert "FL801" in html  # the consolidation's errors are listed


def test_fava_page_only_for_a_host_and_in_its_language(tmp_path: Path) -> None:
    host = group(tmp_path, language="fr")
    foundation = tmp_path / "a" / "main.beancount"
    app = create_app([str(host), str(foundation)], load=True)
    titles = {ledger.beancount_file_path: {d.name: d.report_title
                                           for d in ledger.extensions.extension_details}
              for ledger in app.config["LEDGERS"].ledgers}
    assert titles[str(host)][PAGE] == "Comptes consolidés"
    assert titles[str(foundation)][PAGE] is None  # a foundation's own books: no such page
    status, html = page(app)
    assert status == 200
    assert "Frais de gestion" in html and "Transfert entre entités" in html
    assert "Totaux consolidés" in html
    status, _html = page(app, "fondation-a")
    assert status == 404


def test_fava_page_follows_a_served_foundation_changed_on_disk(tmp_path: Path) -> None:
    host = group(tmp_path)
    foundation = tmp_path / "b" / "main.beancount"
    app = create_app([str(host), str(tmp_path / "a" / "main.beancount"), str(foundation)],
                     load=True)
    _status, html = page(app)
    assert figures_by(html, "fund")["b/zero"]["received"] == "10000.00"
    text = foundation.read_text(encoding="utf-8").replace("10000.00 EUR", "10400.00 EUR")
    foundation.write_text(text, encoding="utf-8")
    ledger = next(ledger for ledger in app.config["LEDGERS"].ledgers
                  if ledger.beancount_file_path == str(foundation))
    ledger.watcher.notify(foundation)  # as the file watcher would, without waiting for it
    _status, html = page(app)
    assert figures_by(html, "fund")["b/zero"]["received"] == "10400.00"
    assert figures_by(html, "total")["total"]["received"] == "25500.00"


def test_public_site_of_a_host_has_the_consolidated_page(tmp_path: Path) -> None:
    host = group(tmp_path)
    want = expected(host)
    site = tmp_path / "site"
    result = fundledger("publish", host, "-o", site)
    assert result.returncode == 1, result.stderr  # FL801: written, with a notice
    html = (site / "consolidated.html").read_text(encoding="utf-8")
    got = shown(html)
    assert got["funds"] == want["funds"]
    assert got["eliminations"] == want["eliminations"]
    assert got["totals"] == want["totals"]
    assert '<a href="consolidated.html">Consolidated accounts</a>' in (
        site / "foundations.html").read_text(encoding="utf-8")
    assert '<a href="a/index.html">Fondation a</a>' in html
    assert "1 error(s)" in html
    assert "FL801" not in html and str(tmp_path) not in html  # no error lines, no files


def test_public_consolidated_page_refuses_a_withheld_name(tmp_path: Path) -> None:
    """A foundation labelled with the name of a donor withheld in the host's books: the
    consolidated page would show it; nothing is written."""
    private = """
2025-03-01 * "Jeanne Secretgift" "Don"
  private: TRUE
  fund: "general"
  Assets:Bank:Main   20.00 EUR
  Income:Contributions:Gifts
"""
    host = make_group(tmp_path, {"a": "300.00"}, HOST_FEES.split('2025-12-30 * "Fondation b"')[0]
                      + private)
    text = host.read_text(encoding="utf-8").replace('"Fondation a"\n',
                                                    '"Fondation Jeanne Secretgift"\n', 1)
    host.write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    result = fundledger("publish", host, "-o", site)
    assert result.returncode == 2, result.stderr
    assert "Jeanne Secretgift" in result.stderr and "consolidated.html" in result.stderr
    assert not site.exists()
