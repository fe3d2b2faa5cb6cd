"""`report annual HOST`: the sheltered foundations' restricted funds as *fonds dédiés des
fondations abritées*, each from its own books, to the cent of its own table."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.sheltered.test_consolidate import HOST_FEES, fundledger, make_group

#: Foundation a spends 4 000.00 of its restricted fund in 2025.
SPENT = """
2025-01-01 open Expenses:Grants:Zero EUR
2025-09-01 * "Recyclerie" "Subvention"
  fund: "zero"
  grant: "Z-1"
  grantee-kind: "association"
  Expenses:Grants:Zero   4000.00 EUR
  Assets:Bank:Main
"""


def dedicated_of(text: str, section: str, prefix: str = "") -> dict[str, dict[str, str]]:
    """``{fund: {column: amount}}`` of the annual CSV's ``section`` lines."""
    found: dict[str, dict[str, str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        if row["statement"] != section:
            continue
        fund, _dot, column = row["line"].partition(".")
        found.setdefault(fund.removeprefix(prefix), {})[column or "opening"] = row["current"]
    return found


def test_annual_host_shows_each_foundations_dedicated_funds(tmp_path: Path) -> None:
    host = make_group(tmp_path, {"a": "300.00", "b": "300.00"}, HOST_FEES,
                      extra={"a": SPENT})
    out = tmp_path / "annual.csv"
    result = fundledger("report", "annual", host, "--year", "2025", "-o", out)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    sheltered = dedicated_of(text, "sheltered")
    assert set(sheltered) == {"a/zero", "b/zero"}  # restricted funds only, named NAME/FUND
    assert sheltered["a/zero"]["reports"] == "6000.00"  # 10 000 received, 4 000 spent
    assert sheltered["a/zero"]["closing"] == "6000.00"
    assert sheltered["b/zero"]["closing"] == "10000.00"
    # Each line is the foundation's own annual accounts' line, to the cent.
    for name in ("a", "b"):
        own = tmp_path / f"{name}.csv"
        done = fundledger("report", "annual", tmp_path / name / "main.beancount",
                          "--year", "2025", "-o", own)
        assert done.returncode == 0, done.stderr
        mine = dedicated_of(own.read_text(encoding="utf-8"), "dedicated")
        assert {f"{name}/{fund}": row for fund, row in mine.items()} == {
            fund: row for fund, row in sheltered.items() if fund.startswith(f"{name}/")}
        assert dedicated_of(own.read_text(encoding="utf-8"), "sheltered") == {}
    # The host's own fonds dédiés table does not take them in.
    assert set(dedicated_of(text, "dedicated")) <= {"general"}


def test_annual_host_html_section_in_the_hosts_language(tmp_path: Path) -> None:
    body = HOST_FEES + '2025-01-01 custom "fundledger-option" "language" "fr"\n'
    host = make_group(tmp_path, {"a": "300.00", "b": "300.00"}, body)
    result = fundledger("report", "annual", host, "--year", "2025")
    assert result.returncode == 0, result.stderr
    html = result.stdout
    assert "Fonds dédiés des fondations abritées" in html
    assert 'data-fund="a/zero"' in html and 'data-fund="b/zero"' in html
    assert 'data-foundation="a"' in html
    total = html.split('<tr class="total">')[-1].split("</tr>")[0]
    assert total.replace("\u202f", " ").replace("\xa0", " ").count("20 000,00") == 3
    # reports, closing and dormant (nothing spent): the two 10 000,00 funds, totalled


def test_annual_of_books_sheltering_nothing_has_no_such_section(tmp_path: Path) -> None:
    host = make_group(tmp_path, {"a": "300.00"})
    plain = fundledger("report", "annual", tmp_path / "a" / "main.beancount", "--year", "2025")
    assert plain.returncode == 0, plain.stderr
    assert "sheltered foundations" not in plain.stdout.lower()
    assert host.is_file()


def test_annual_host_counts_a_foundations_errors_and_refuses_unreadable_books(
        tmp_path: Path) -> None:
    broken = '\n2025-05-01 * "Oops"\n  fund: "nowhere"\n  Assets:Bank:Main  1.00 EUR\n' \
             '  Income:Contributions:Gifts\n'
    host = make_group(tmp_path, {"a": "300.00"}, HOST_FEES.split('2025-12-30 * "Fondation b"')[0],
                      extra={"a": broken})
    result = fundledger("report", "annual", host, "--year", "2025", "-o", tmp_path / "x.csv")
    assert result.returncode == 1
    assert f"{tmp_path / 'a' / 'main.beancount'}:" in result.stderr
    assert (tmp_path / "x.csv").is_file()
    (tmp_path / "a" / "main.beancount").write_text("2025-01-01 open\n", encoding="utf-8")
    result = fundledger("report", "annual", host, "--year", "2025", "-o", tmp_path / "y.csv")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and '"a"' in result.stderr
    assert not (tmp_path / "y.csv").exists()
