"""`fundledger export scdl|360giving|trasparenza`: valid against the official schemas, the
figures of the books, and nothing withheld in them."""

from __future__ import annotations

import csv
import io
import json
import os
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from frictionless import Resource, Schema
from hypothesis import given
from hypothesis import strategies as st
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from stdnum.fr import siret

from fundledger.ledger import load
from fundledger.opendata import tableschema, threesixty
from fundledger.opendata.common import json_text
from tests.opendata.conftest import DEMO, ROOT, export, read_json

SHIPPED = ROOT / "src" / "fundledger" / "opendata" / "schemas"


# -- helpers: the reference validators ---------------------------------------------------------

def frictionless_errors(csv_path: Path, schema_path: Path) -> list[list[Any]]:
    """Errors frictionless finds in ``csv_path`` against the Table Schema at ``schema_path``."""
    schema = Schema.from_descriptor(read_json(schema_path))
    cwd = os.getcwd()
    os.chdir(csv_path.parent)  # frictionless only opens relative ("safe") paths
    try:
        report = Resource(path=csv_path.name, schema=schema).validate()
    finally:
        os.chdir(cwd)
    return report.flatten(["rowNumber", "fieldName", "type", "note"])


def scdl_custom_errors(rows: list[dict[str, str]]) -> list[str]:
    """The SCDL schema's ``custom_checks`` (Validata's, not run by frictionless)."""
    problems = []
    for number, row in enumerate(rows, start=2):
        for column in ("idAttribuant", "idBeneficiaire"):
            if row[column] and not siret.is_valid(row[column]):
                problems.append(f"row {number}: {column} {row[column]} is not a SIRET")
        if not row["idBeneficiaire"] and not row["rnaBeneficiaire"]:
            problems.append(f"row {number}: neither idBeneficiaire nor rnaBeneficiaire")
    return problems


def validator_360(schemas: Path) -> jsonschema.Draft202012Validator:
    """jsonschema on the fixtures (not on the copies fundledger ships)."""
    grant = read_json(schemas / "360giving" / "360-giving-schema.json")
    package = read_json(schemas / "360giving" / "360-giving-package-schema.json")
    registry = Registry().with_resources(
        (s["$id"], DRAFT202012.create_resource(s)) for s in (grant, package))
    checker = jsonschema.FormatChecker(formats=())
    checker.checks("date-time")(threesixty._date_time)
    checker.checks("uri")(threesixty._uri)
    return jsonschema.Draft202012Validator(package, registry=registry, format_checker=checker)


def unflatten_360(text: str) -> dict[str, Any]:
    """Rebuild JSON grants from the 360Giving CSV's titled columns."""
    grants = []
    for row in csv.DictReader(io.StringIO(text)):
        grant: dict[str, Any] = {}
        for title, path in threesixty.CSV_COLUMNS:
            value: Any = row[title]
            if value == "":
                continue
            if title.startswith("Amount"):
                value = float(value)
            node: Any = grant
            for step, following in zip(path, [*path[1:], None], strict=True):
                if following is None:
                    node[step] = value
                elif isinstance(following, int):
                    node = node.setdefault(step, [{}])[0]
                elif isinstance(step, str):
                    node = node.setdefault(step, {})
        grants.append(grant)
    return {"grants": grants}


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def years_of_awards(book: str) -> list[int]:
    books = load(DEMO[book]).analysis(trace=False)
    return sorted({g.awarded_on.year for g in books.grants.values() if g.awarded_on})


def withheld_names(book: str) -> set[str]:
    books = load(DEMO[book]).analysis(trace=False)
    return {g.grantee for g in books.grants.values() if g.is_withheld and g.grantee}


def fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


# -- every export of both demo books validates -------------------------------------------------

@pytest.mark.parametrize("year", years_of_awards("lyon"))
def test_lyon_scdl_of_every_year_validates(year: int, tmp_path: Path, schemas: Path) -> None:
    out = tmp_path / f"scdl-{year}.csv"
    status, output = export("scdl", DEMO["lyon"], "--year", str(year), "-o", out)
    assert status == 0, output
    assert frictionless_errors(out, schemas / "scdl-subventions" / "schema.json") == []
    rows = rows_of(out)
    assert rows and scdl_custom_errors(rows) == []
    header = out.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == [f["name"] for f in read_json(schemas / "scdl-subventions" /
                                                    "schema.json")["fields"]]
    text = fold(out.read_text(encoding="utf-8"))
    assert not [n for n in withheld_names("lyon") if fold(n) in text]


@pytest.mark.parametrize("year", years_of_awards("torino"))
def test_torino_trasparenza_of_every_year_validates(year: int, tmp_path: Path) -> None:
    out = tmp_path / f"trasparenza-{year}.csv"
    status, output = export("trasparenza", DEMO["torino"], "--year", str(year), "-o", out)
    assert status == 0, output
    assert frictionless_errors(out, SHIPPED / "trasparenza-art26-27.json") == []
    text = fold(out.read_text(encoding="utf-8"))
    assert not [n for n in withheld_names("torino") if fold(n) in text]


@pytest.mark.parametrize("book", ["lyon", "torino"])
@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_360giving_of_both_books_validates(book: str, suffix: str, tmp_path: Path,
                                           schemas: Path) -> None:
    out = tmp_path / f"grants{suffix}"
    status, output = export("360giving", DEMO[book], "-o", out)
    assert status == 0, output
    text = out.read_text(encoding="utf-8")
    document = json.loads(text) if suffix == ".json" else unflatten_360(text)
    errors = [e.message for e in validator_360(schemas).iter_errors(document)]
    assert errors == []
    assert not [n for n in withheld_names(book) if fold(n) in fold(text)]
    ids = [g["id"] for g in document["grants"]]
    assert len(ids) == len(set(ids))


def test_each_book_gets_only_the_formats_its_identity_allows(tmp_path: Path) -> None:
    """SCDL needs a French body's SIRET, the Italian list its procedure data: the other
    book is told what to add, and nothing is written."""
    status, output = export("scdl", DEMO["torino"], "--year", "2024", "-o", tmp_path / "s.csv")
    assert status == 2 and 'add `custom "fundledger-option" "siret"' in output
    status, output = export("trasparenza", DEMO["lyon"], "--year", "2024",
                            "-o", tmp_path / "t.csv")
    assert status == 2 and 'field norma_titolo: is required and empty' in output
    assert 'fundledger-option" "norma"' in output
    assert list(tmp_path.iterdir()) == []


def test_the_shipped_schemas_are_the_official_files(schemas: Path) -> None:
    pairs = {"scdl-subventions-2.1.1.json": "scdl-subventions/schema.json",
             "360-giving-schema-1.4.3.json": "360giving/360-giving-schema.json",
             "360-giving-package-schema-1.4.3.json": "360giving/360-giving-package-schema.json"}
    for shipped, official in pairs.items():
        assert (SHIPPED / shipped).read_bytes() == (schemas / official).read_bytes()


def test_the_reference_validators_do_catch_a_bad_file(tmp_path: Path, schemas: Path) -> None:
    """The checks above can fail: a tampered export is refused by frictionless and by the
    SCDL custom checks, and a tampered 360Giving grant by jsonschema."""
    out = tmp_path / "scdl.csv"
    assert export("scdl", DEMO["lyon"], "--year", "2022", "-o", out)[0] == 0
    rows = rows_of(out)
    rows[0]["montant"] = "beaucoup"
    rows[1]["idBeneficiaire"], rows[1]["rnaBeneficiaire"] = "", ""
    bad = tmp_path / "bad.csv"
    with bad.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    errors = frictionless_errors(bad, schemas / "scdl-subventions" / "schema.json")
    assert [(e[0], e[1]) for e in errors] == [(2, "montant")]
    assert scdl_custom_errors(rows) == ["row 3: neither idBeneficiaire nor rnaBeneficiaire"]
    out = tmp_path / "g.json"
    assert export("360giving", DEMO["lyon"], "-o", out)[0] == 0
    document = read_json(out)
    del document["grants"][0]["fundingOrganization"]
    assert list(validator_360(schemas).iter_errors(document))


# -- the figures are the books' ----------------------------------------------------------------

def test_scdl_rows_are_the_years_public_awards_to_the_cent(tmp_path: Path) -> None:
    books = load(DEMO["lyon"]).analysis(trace=False)
    awarded = [g for g in books.grants.values() if g.awarded_on and g.awarded_on.year == 2022]
    public = [g for g in awarded if not g.is_withheld]
    hidden = [g for g in awarded if g.is_withheld]
    out = tmp_path / "scdl.csv"
    status, output = export("scdl", DEMO["lyon"], "--year", "2022", "-o", out)
    assert status == 0
    rows = rows_of(out)
    assert sorted(r["nomBeneficiaire"] for r in rows) == sorted(g.grantee for g in public)
    assert sum(Decimal(r["montant"]) for r in rows) == sum(g.awarded for g in public)
    grap = next(r for r in rows if r["referenceDecision"].startswith("G-2022-003"))
    assert grap == {
        "nomAttribuant": "Fondation pour l'innovation sociale — Métropole de Lyon",
        "idAttribuant": "52846219500017", "dateConvention": "2022-07-01",
        "referenceDecision": "G-2022-003 (2022-06-21)",
        "nomBeneficiaire": "Grap — Groupement régional alimentaire de proximité",
        "idBeneficiaire": "48448142900013", "rnaBeneficiaire": "",
        "objet": "groupement d'achat de quartier", "montant": "47000.00",
        "nature": "aide en numéraire", "conditionsVersement": "échelonné",
        "datesPeriodeVersement": "2022-07-20/2023-07-03", "idRAE": "",
        "notificationUE": "non", "pourcentageSubvention": "1",
        "dispositifAide": "Favoriser l'accessibilité des circuits courts alimentaires"}
    side = read_json(tmp_path / "scdl.withheld.json")
    assert side["withheld"] == {
        "count": len(hidden), "amount": f"{sum(g.awarded for g in hidden):.2f}",
        "anonymised": 0, "anonymised_amount": "0.00",
        "left_out": len(hidden), "left_out_amount": f"{sum(g.awarded for g in hidden):.2f}"}
    assert hidden and f"withheld: {len(hidden)} grant(s)" in output


def test_trasparenza_keeps_withheld_rows_without_names(tmp_path: Path) -> None:
    books = load(DEMO["torino"]).analysis(trace=False)
    awarded = sorted((g for g in books.grants.values()
                      if g.awarded_on and g.awarded_on.year == 2024),
                     key=lambda g: (g.awarded_on, g.id))
    out = tmp_path / "t.csv"
    assert export("trasparenza", DEMO["torino"], "--year", "2024", "-o", out)[0] == 0
    rows = rows_of(out)
    assert [r["identificativo"] for r in rows] == [
        "" if g.is_withheld else g.id for g in awarded]
    assert [Decimal(r["importo_concesso"]) for r in rows] == [g.awarded for g in awarded]
    for row, grant in zip(rows, awarded, strict=True):
        if grant.is_withheld:
            assert (row["beneficiario"], row["codice_fiscale_partita_iva"], row["cup"],
                    row["progetto"], row["dati_oscurati"]) == ("", "", "", "", "sì")
        else:
            assert row["beneficiario"] == grant.grantee
            assert row["cup"] == grant.meta.get("cup", "")
            assert row["codice_fiscale_partita_iva"] == grant.meta["beneficiary-id"]
    hidden = [g for g in awarded if g.is_withheld]
    side = read_json(tmp_path / "t.withheld.json")["withheld"]
    assert (side["count"], side["anonymised"], side["left_out"]) == (len(hidden), len(hidden), 0)
    assert side["amount"] == f"{sum(g.awarded for g in hidden):.2f}"


# -- small ledgers: privacy, identifiers, refusals ---------------------------------------------

def test_small_ledger_exports(small, tmp_path: Path, schemas: Path) -> None:
    ledger = small()
    out = tmp_path / "s.csv"
    status, output = export("scdl", ledger, "--year", "2024", "-o", out)
    assert status == 0, output
    rows = rows_of(out)
    assert [(r["nomBeneficiaire"], r["montant"], r["idBeneficiaire"], r["rnaBeneficiaire"],
             r["conditionsVersement"], r["datesPeriodeVersement"], r["pourcentageSubvention"])
            for r in rows] == [
        ("Recyclerie Ouverte", "30000.00", "", "W691234567", "échelonné",
         "2024-02-20/2024-06-20", "1"),
        ("Vrac et Cie SAS", "12000.00", "48448142900013", "", "unique", "2024-03-01", "0.5")]
    assert "withheld: 2 grant(s), 13000.00 EUR (0 without name or id, 2 left out)" in output
    text = out.read_text(encoding="utf-8")
    assert "Yves" not in text and "Discrète" not in text and "73282932" not in text

    out = tmp_path / "g.json"
    assert export("360giving", ledger, "-o", out)[0] == 0
    grants = read_json(out)["grants"]
    assert [(g["id"], g["amountAwarded"]) for g in grants] == [
        ("360G-FR-RCS-528462195-G-0", 1000), ("360G-FR-RCS-528462195-G-1", 30000),
        ("360G-FR-RCS-528462195-G-2", 12000), ("360G-FR-RCS-528462195-PRIVATE-1", 5000)]
    assert grants[3]["recipientIndividual"] == {"id": "360G-FR-RCS-528462195-IND-1",
                                                "name": "Individual recipient"}
    assert grants[1]["recipientOrganization"][0]["id"] == "FR-RNA-W691234567"
    assert grants[1]["amountDisbursed"] == 30000
    side = read_json(tmp_path / "g.withheld.json")["withheld"]
    assert side == {"count": 2, "amount": "13000.00", "anonymised": 1,
                    "anonymised_amount": "5000.00", "left_out": 1, "left_out_amount": "8000.00"}
    assert "G-3" not in out.read_text() and "G-4" not in out.read_text()


def test_formula_cells_are_neutralised_and_amounts_stay_numbers(small, tmp_path: Path) -> None:
    ledger = small(association="=HYPERLINK(A1)", project="@SUM(A1)")
    out = tmp_path / "s.csv"
    assert export("scdl", ledger, "--year", "2024", "-o", out)[0] == 0
    row = rows_of(out)[0]
    assert row["nomBeneficiaire"] == "'=HYPERLINK(A1)"
    assert row["objet"] == "'@SUM(A1)"
    assert row["montant"] == "30000.00"


def test_an_iban_in_free_text_is_masked(small, tmp_path: Path) -> None:
    ledger = small(project="compte FR76 3000 1007 9412 3456 7890 185")
    out = tmp_path / "s.csv"
    assert export("scdl", ledger, "--year", "2024", "-o", out)[0] == 0
    assert rows_of(out)[0]["objet"] == "compte " + "*" * 23 + "0185"


@pytest.mark.parametrize(("values", "wanted"), [
    ({"company_id": "48448142900014"},
     'grant "G-2": beneficiary-id "48448142900014" is not a valid SIRET'),
    ({"siret": "52846219500018"}, 'fundledger-option "siret" "52846219500018" is not a valid'),
    ({"percent": "150"}, 'grant "G-2": SCDL field pourcentageSubvention: 1.5 is above the '
                         "maximum 1"),
    ({"company_id": "484481429"},
     'grant "G-2": SCDL field idBeneficiaire: the beneficiary needs a SIRET or an RNA'),
])
def test_a_field_the_schema_refuses_writes_nothing(small, tmp_path: Path,
                                                   values: dict[str, str], wanted: str) -> None:
    ledger = small(**values)
    out = tmp_path / "s.csv"
    status, output = export("scdl", ledger, "--year", "2024", "-o", out)
    assert status == 2
    assert wanted in output and len(output.strip().splitlines()) == 1
    assert str(ledger) in output
    assert not out.exists() and not (tmp_path / "s.withheld.json").exists()


def test_360giving_names_the_grant_and_field_it_refuses(small, tmp_path: Path) -> None:
    ledger = small(extra='2023-01-01 custom "fundledger-option" "country" "XX"\n')
    status, output = export("360giving", ledger, "-o", tmp_path / "g.json")
    assert status == 2
    assert output.strip().endswith(
        'main.beancount:20: grant "G-1": 360Giving field beneficiaryLocation/0/countryCode: '
        "'XX' is not an allowed value")
    assert not (tmp_path / "g.json").exists()


def test_scdl_without_the_siret_says_what_to_add(small, tmp_path: Path) -> None:
    ledger = small()
    ledger.write_text(ledger.read_text().replace('custom "fundledger-option" "siret"',
                                                 'custom "fundledger-option" "x"'))
    status, output = export("scdl", ledger, "--year", "2024", "-o", tmp_path / "s.csv")
    assert (status, output.strip()) == (2, (
        f"fundledger: {ledger}: the SCDL requires the granting body's SIRET: add "
        '`custom "fundledger-option" "siret" "..."` to the books'))


def test_a_wrong_privacy_marker_writes_nothing(small, tmp_path: Path) -> None:
    ledger = small()
    ledger.write_text(ledger.read_text().replace('grantee-kind: "person"',
                                                 'grantee-kind: "Person"'))
    for command in (["scdl", "--year", "2024"], ["360giving"], ["trasparenza", "--year", "2024"]):
        out = tmp_path / "x.csv"
        status, output = export(command[0], ledger, *command[1:], "-o", out)
        assert status == 2, output
        assert "FL105" in output and "main.beancount:" in output
        assert not out.exists()


def test_a_withheld_name_used_in_public_text_is_refused(small, tmp_path: Path) -> None:
    ledger = small(project="avec YVES  DUBOIS")
    out = tmp_path / "s.csv"
    status, output = export("scdl", ledger, "--year", "2024", "-o", out)
    assert status == 2
    # One line naming the output and the entry that withholds the name (privacy module).
    assert output.startswith(f"fundledger: refusing to write {out}: ")
    assert "'Yves Dubois'" in output and f"{ledger}:50" in output
    assert output.count("\n") == 1
    assert not out.exists()


@pytest.mark.parametrize("name", ["s.txt", "s.json"])
def test_a_wrong_suffix_is_bad_usage(small, tmp_path: Path, name: str) -> None:
    status, output = export("scdl", small(), "--year", "2024", "-o", tmp_path / name)
    assert status == 2 and "must end in .csv" in output


def test_an_output_through_a_symbolic_link_is_refused(small, tmp_path: Path) -> None:
    ledger = small()
    link = tmp_path / "s.csv"
    link.symlink_to(ledger)
    before = ledger.read_bytes()
    status, output = export("scdl", ledger, "--year", "2024", "-o", link)
    assert status == 2 and "symbolic link" in output
    assert ledger.read_bytes() == before


def test_the_runtime_check_agrees_with_frictionless_on_the_trasparenza_schema() -> None:
    """The light run-time checker refuses what frictionless refuses, field by field."""
    schema = tableschema.load_schema("trasparenza-art26-27.json")
    spec = {f["name"]: f for f in schema["fields"]}
    assert tableschema.field_problem(spec["anno"], "2024") is None
    assert tableschema.field_problem(spec["anno"], "20.5") is not None
    assert tableschema.field_problem(spec["data_concessione"], "2024-02-30") is not None
    assert tableschema.field_problem(spec["dati_oscurati"], "si") is not None
    assert tableschema.field_problem(spec["cup"], "J40E2300071668") is not None
    assert tableschema.field_problem(spec["norma_titolo"], "") == "is required and empty"


def test_the_shared_grant_check_agrees_with_jsonschema_on_every_change(small,
                                                                        tmp_path: Path) -> None:
    """The run-time 360Giving check (each distinct value checked once) accepts and refuses
    exactly what jsonschema's whole-grant validation does."""
    import copy

    out = tmp_path / "g.json"
    assert export("360giving", DEMO["torino"], "-o", out)[0] == 0
    grants = read_json(out)["grants"]
    _package, whole = threesixty.validators()
    changes = [
        lambda g: g.update(currency="XXX"), lambda g: g.pop("title"),
        lambda g: g.update(awardDate="2020-13-01"), lambda g: g.update(amountAwarded="10"),
        lambda g: g["fundingOrganization"][0].pop("id"),
        lambda g: g.update(recipientIndividual={"id": "a", "name": "b"}),
        lambda g: g.update(beneficiaryLocation=[{"name": "x", "countryCode": "ZZ"}]),
        lambda g: g.update(fundingOrganization=[]), lambda g: g.update(awardDate=20200101),
        lambda g: g.update(extra="allowed"), lambda g: None,
        lambda g: g.update(amountAwarded=True), lambda g: g.update(amountDisbursed=1.5),
        lambda g: g.update(id=7), lambda g: g.update(title=None),
    ]
    verdicts = []
    shared = threesixty._GrantCheck(whole)
    assert shared.split
    for grant in grants:
        for change in changes:
            changed = copy.deepcopy(grant)
            change(changed)
            verdicts.append(whole.is_valid(changed))
            assert shared.valid(changed) == verdicts[-1], changed
    assert True in verdicts and False in verdicts


def test_identical_grants_are_refused_and_a_shared_id_alone_is_not(tmp_path: Path) -> None:
    """The package's ``uniqueItems``: two identical grants are refused (also when the
    check cannot take the short way of distinct ids); two grants sharing an id only are
    not identical."""
    from fundledger.opendata import OpenDataError

    out = tmp_path / "g.json"
    assert export("360giving", DEMO["torino"], "-o", out)[0] == 0
    document = read_json(out)
    first = document["grants"][0]
    with pytest.raises(OpenDataError, match="two grants are identical"):
        threesixty.check(None, {**document, "grants": [first, dict(first)]}, [])
    threesixty.check(None, {**document, "grants": [first, {**first, "title": "Autre"}]}, [])
    assert not _package_errors({**document, "grants": [first, {**first, "title": "Autre"}]})
    assert _package_errors({**document, "grants": [first, dict(first)]})


def _package_errors(document: dict[str, Any]) -> list[Any]:
    package, _grant = threesixty.validators()
    return list(package.iter_errors(document))


@pytest.mark.parametrize("cache", ["off", "warm"])
@pytest.mark.parametrize("command", [["scdl", "--year", "2024"], ["360giving"]],
                         ids=" ".join)
def test_one_engine_pass_per_export(command: list[str], cache: str, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The export reads the plugin's books (or makes one pass on a cache hit)."""
    import shutil

    from fundledger.engine import core

    ledger = tmp_path / "lyon" / "main.beancount"
    shutil.copytree(DEMO["lyon"].parent, ledger.parent)
    if cache == "off":
        monkeypatch.setenv("BEANCOUNT_DISABLE_LOAD_CACHE", "1")
    else:
        from beancount import loader

        monkeypatch.delenv("BEANCOUNT_DISABLE_LOAD_CACHE", raising=False)
        monkeypatch.setattr(loader, "PICKLE_CACHE_THRESHOLD", 0)
        assert export("360giving", ledger, "-o", tmp_path / "warm.json")[0] == 0
    passes: list[int] = []
    real = core._Pass.run

    def run(self: core._Pass, entries: object) -> None:
        passes.append(1)
        real(self, entries)

    monkeypatch.setattr(core._Pass, "run", run)
    suffix = ".json" if command[0] == "360giving" else ".csv"
    status, output = export(command[0], ledger, *command[1:], "-o", tmp_path / f"x{suffix}")
    assert status == 0, output
    assert len(passes) == 1


def test_books_with_errors_still_export_and_exit_1(small, tmp_path: Path) -> None:
    """An accounting error (here a grant beyond its fund's money, FL201) is announced; the
    file is written, as every output is for books being corrected."""
    ledger = small(extra='''
2024-09-01 * "Grand Projet" "Subvention trop grande"
  grant: "G-9"
  fund: "zero-dechet"
  grantee-kind: "association"
  beneficiary-id: "W690000002"
  Expenses:Grants:Themes     90000.00 EUR
  Liabilities:GrantsPayable
''')
    out = tmp_path / "s.csv"
    status, output = export("scdl", ledger, "--year", "2024", "-o", out)
    assert status == 1
    assert "the ledger has 1 error(s)" in output
    assert [r["nomBeneficiaire"] for r in rows_of(out)][-1] == "Grand Projet"


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    | st.dictionaries(st.integers(), inner, max_size=2),
    max_leaves=20)


@given(_JSON)
def test_json_text_is_what_json_dumps_writes(value: Any) -> None:
    """The exports' JSON writer gives json.dumps's very text (indent 2, not ASCII-only),
    NaN, infinities and keys that are not text included (left to json.dumps)."""
    assert json_text(value) == json.dumps(value, ensure_ascii=False, indent=2)
