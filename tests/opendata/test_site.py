"""`publish` adds the open datasets and a schema.org MonetaryGrant on each public grant page."""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from pyld import jsonld

from fundledger.ledger import load
from tests.opendata.conftest import DEMO, export, read_json
from tests.opendata.test_exports import (
    SHIPPED,
    frictionless_errors,
    scdl_custom_errors,
    unflatten_360,
    validator_360,
)

SCHEMA_ORG = "https://schema.org/"
SCRIPT = re.compile(r'<script type="application/ld\+json">\n(.*?)\n</script>', re.S)


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Both demo sites, published once."""
    from click.testing import CliRunner

    from fundledger.cli import cli

    built = {}
    for book, ledger in DEMO.items():
        site = tmp_path_factory.mktemp(f"opendata-{book}") / "site"
        result = CliRunner().invoke(cli, ["publish", str(ledger), "-o", str(site)])
        assert result.exit_code == 0, result.output
        built[book] = site
    return built


def offline_loader(url: str, options: dict | None = None) -> dict:
    """pyld's document loader, without the network: schema.org's context maps every term
    into the schema.org vocabulary (its ``@vocab``), which is all these blocks use."""
    assert url.rstrip("/") == SCHEMA_ORG.rstrip("/"), url
    return {"contextUrl": None, "documentUrl": url,
            "document": {"@context": {"@vocab": SCHEMA_ORG}}}


def expand(block: str) -> dict:
    expanded = jsonld.expand(json.loads(block), {"documentLoader": offline_loader})
    assert len(expanded) == 1
    return expanded[0]


def value(node: dict, prop: str):
    return node[SCHEMA_ORG + prop][0]


@pytest.mark.parametrize("book", ["lyon", "torino"])
def test_every_public_grant_page_has_a_monetary_grant(book: str, sites: dict[str, Path]) -> None:
    loaded = load(DEMO[book])
    books = loaded.analysis(trace=False)
    title = str(loaded.options["title"])
    public = {g.id: g for g in books.grants.values() if not g.is_withheld}
    pages = sorted((sites[book] / "en" / "grants").glob("*.html"))
    assert len(pages) == len(public)
    for page in pages:
        blocks = SCRIPT.findall(page.read_text(encoding="utf-8"))
        assert len(blocks) == 1, page
        node = expand(blocks[0])
        assert node["@type"] == [SCHEMA_ORG + "MonetaryGrant"]
        grant = public[value(node, "identifier")["@value"]]
        amount = value(node, "amount")
        assert amount["@type"] == [SCHEMA_ORG + "MonetaryAmount"]
        assert value(amount, "currency")["@value"] == "EUR"
        assert Decimal(str(value(amount, "value")["@value"])) == grant.awarded
        recipient = value(node, "fundedItem")
        assert value(recipient, "name")["@value"] == grant.grantee
        if "beneficiary-id" in grant.meta:
            assert value(recipient, "identifier")["@value"] == grant.meta["beneficiary-id"]
        funder = value(node, "funder")
        assert funder["@type"] == [SCHEMA_ORG + "Organization"]
        assert value(funder, "name")["@value"] == title
    withheld = [g for g in books.grants.values() if g.is_withheld]
    assert withheld  # the demo books have some, and they have no page, hence no block


def test_the_lyon_funder_is_identified_by_its_siret(sites: dict[str, Path]) -> None:
    page = next((sites["lyon"] / "fr" / "grants").glob("*.html"))
    node = expand(SCRIPT.findall(page.read_text(encoding="utf-8"))[0])
    assert value(value(node, "funder"), "identifier")["@value"] == "52846219500017"


def test_a_name_cannot_close_the_script(small, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from fundledger.cli import cli

    ledger = small(association="Asso </script><b>x</b> & co")
    site = tmp_path / "site"
    result = CliRunner().invoke(cli, ["publish", str(ledger), "-o", str(site)])
    assert result.exit_code == 0, result.output
    page = (site / "fr" / "grants" / "g-1.html").read_text(encoding="utf-8")
    block = SCRIPT.findall(page)[0]
    assert "</script><b>" not in block and "\\u003c/script\\u003e" in block
    assert value(value(expand(block), "fundedItem"), "name")["@value"] == \
        "Asso </script><b>x</b> & co"


def test_lyon_site_offers_360giving_and_scdl_valid_and_equal_to_the_exports(
        sites: dict[str, Path], tmp_path: Path, schemas: Path) -> None:
    folder = sites["lyon"] / "opendata"
    names = sorted(p.name for p in folder.iterdir())
    years = range(2019, 2027)
    assert names == sorted(
        ["360giving.json", "360giving.csv", "360giving.withheld.json"]
        + [f"scdl-subventions-{y}.csv" for y in years]
        + [f"scdl-subventions-{y}.withheld.json" for y in years])
    assert list(validator_360(schemas).iter_errors(read_json(folder / "360giving.json"))) == []
    assert list(validator_360(schemas).iter_errors(
        unflatten_360((folder / "360giving.csv").read_text(encoding="utf-8")))) == []
    for year in years:
        published = folder / f"scdl-subventions-{year}.csv"
        assert frictionless_errors(published, schemas / "scdl-subventions" / "schema.json") == []
        out = tmp_path / f"{year}.csv"
        assert export("scdl", DEMO["lyon"], "--year", str(year), "-o", out)[0] == 0
        assert out.read_bytes() == published.read_bytes()
        assert (tmp_path / f"{year}.withheld.json").read_bytes() == \
            (folder / f"scdl-subventions-{year}.withheld.json").read_bytes()
        with published.open(encoding="utf-8") as handle:
            assert scdl_custom_errors(list(csv.DictReader(handle))) == []


def test_torino_site_offers_360giving_and_the_italian_lists(sites: dict[str, Path]) -> None:
    folder = sites["torino"] / "opendata"
    names = {p.name for p in folder.iterdir()}
    assert {"360giving.json", "360giving.csv"} <= names
    lists = sorted(n for n in names if n.startswith("trasparenza-") and n.endswith(".csv"))
    assert lists == [f"trasparenza-{y}.csv" for y in range(2023, 2027)]
    assert not any(n.startswith("scdl") for n in names)
    for name in lists:
        assert frictionless_errors(folder / name, SHIPPED / "trasparenza-art26-27.json") == []


@pytest.mark.parametrize("lang", ["fr", "it", "en"])
def test_the_open_data_page_lists_every_dataset_with_its_withheld_count(
        lang: str, sites: dict[str, Path]) -> None:
    site = sites["torino"]
    page = (site / lang / "opendata.html").read_text(encoding="utf-8")
    linked = set(re.findall(r'href="\.\./(opendata/[^"]+)"', page))
    files = {f"opendata/{p.name}" for p in (site / "opendata").iterdir()}
    assert linked == files
    summary = read_json(site / "opendata" / "trasparenza-2024.withheld.json")
    assert summary["withheld"]["count"] > 0
    assert "CC BY 4.0" in page
