"""The fundledger Fava pages, rendered by Fava's own Flask app (no browser): figures to the
cent, links that lead to the right entries, one engine pass per load."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from beancount.core import data
from fava.application import create_app
from fava.core.filters import AdvancedFilter

from fundledger.fava import PAGES, views
from tests.fava.conftest import write_small

D = Decimal

#: Hand-computed SPEC 3.2 figures of the small ledger (conftest.SMALL).
EXPECTED = {
    "dotation": dict(received="1020000.00", spent="0.00", transfers_in="0.00",
                     transfers_out="15000.00", balance="1005000.00",
                     loans_outstanding="0.00", pledges_outstanding="0.00",
                     available="1005000.00"),
    "general": dict(received="20000.00", spent="100000.00", transfers_in="0.00",
                    transfers_out="0.00", balance="-80000.00", loans_outstanding="2700.00",
                    pledges_outstanding="15000.00", available="-97700.00"),
    "zero-waste": dict(received="50000.00", spent="30000.00", transfers_in="15000.00",
                       transfers_out="0.00", balance="35000.00", loans_outstanding="0.00",
                       pledges_outstanding="0.00", available="35000.00"),
}


class Cells(HTMLParser):
    """Collects ``data-*`` attributes of table rows and cells, and every link."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "tr":
            self.rows.append({"attrs": attributes, "cells": []})
        elif tag == "td" and self.rows and "data-amount" in attributes:
            self.rows[-1]["cells"].append(attributes)
        elif tag == "a" and attributes.get("href"):
            self.links.append(str(attributes["href"]))


def parse(html: str) -> Cells:
    cells = Cells()
    cells.feed(html)
    return cells


def figures_by(html: str, key: str) -> dict[str, dict[str, str]]:
    """``{row's data-<key>: {data-figure: data-amount}}`` for the rows that have one."""
    found: dict[str, dict[str, str]] = {}
    for row in parse(html).rows:
        name = row["attrs"].get(f"data-{key}")
        if name is not None:
            found[name] = {c["data-figure"]: c["data-amount"] for c in row["cells"]
                           if "data-figure" in c}
    return found


@pytest.fixture
def app(small_ledger: Path) -> Any:
    return create_app([str(small_ledger)], load=True)


def get(app: Any, page: str, query: str = "") -> str:
    client = app.test_client()
    bfile = app.config["LEDGERS"].first_slug()
    answer = client.get(f"/{bfile}/extension/{PAGES[page]}/{query}")
    assert answer.status_code == 200, answer.data[:2000]
    return answer.get_data(as_text=True)


def test_fava_lists_the_six_pages(app: Any) -> None:
    ledger = app.config["LEDGERS"].ledgers[0]
    details = {d.name: d.report_title for d in ledger.extensions.extension_details}
    # Consolidated accounts only for a host's books: no title, so Fava lists no page.
    assert details.pop("FundledgerConsolidated") is None
    assert details == {"FundledgerFunds": "Funds", "FundledgerGrants": "Grants",
                       "FundledgerLoans": "Loans", "FundledgerContributors": "Contributors",
                       "FundledgerCompliance": "Compliance",
                       "FundledgerProgrammes": "Programmes",
                       "FundledgerBudget": "Budget and outlook"}
    assert not ledger.extensions.errors


def test_funds_page_shows_the_engine_figures_to_the_cent(app: Any) -> None:
    shown = figures_by(get(app, "funds"), "fund")
    totals = shown.pop("")
    assert shown == EXPECTED
    assert totals["balance"] == "960000.00"
    assert totals["available"] == "942300.00"


def test_each_fund_figure_links_to_the_entries_that_make_it(app: Any) -> None:
    """Fava's own filter, applied to the ledger, keeps exactly the postings behind a figure."""
    ledger = app.config["LEDGERS"].ledgers[0]
    built = views.build(ledger.all_entries)
    for row in built.funds:
        for name, amount, fava_filter in row.figures:
            prefix = dict(views.FIGURES)[name]
            kept = AdvancedFilter(fava_filter).apply(ledger.all_entries)
            if prefix is None:  # transfers: the fund's own fund-transfer directives
                side = 1 if name == "transfers_in" else 0
                assert all(isinstance(e, data.Custom) for e in kept)
                assert sum((e.values[2].value.number for e in kept
                            if e.values[side].value == row.name), D(0)) == amount
                assert all(e.values[side].value == row.name for e in kept)
                continue
            total = sum((p.units.number for e in kept if isinstance(e, data.Transaction)
                         for p in e.postings
                         if p.meta and p.meta.get("fund") == row.name
                         and re.match(prefix or "", p.account)), D(0))
            if name == "received":
                assert -total == amount, (row.name, name)
            elif name in ("spent", "loans_outstanding", "pledges_outstanding"):
                assert total == amount, (row.name, name)
            else:  # balance, available: every entry of the fund
                assert kept and all(any(p.meta and p.meta.get("fund") == row.name
                                        for p in e.postings) for e in kept)


def test_funds_page_links_open_fava_journal_filtered_on_the_fund(app: Any) -> None:
    from urllib.parse import parse_qs, urlsplit

    filters = {parse_qs(urlsplit(link).query)["filter"][0]
               for link in parse(get(app, "funds")).links if "/journal/" in link}
    assert 'any(fund:"^zero\\-waste$")' in filters
    assert 'any(fund:"^general$" account:"^Assets:Loans:")' in filters
    assert views.transfer_filter("zero-waste", "in") in filters


def test_fund_chart_has_a_line_per_fund_and_ends_on_the_balances(app: Any) -> None:
    ledger = app.config["LEDGERS"].ledgers[0]
    chart = views.build(ledger.all_entries).chart
    series = chart[0]["data"]
    assert series[0]["date"] == "2019-03-31"
    assert series[-1]["date"] == "2021-02-01"
    assert series[-1]["balance"] == {"dotation": D("1005000.00"), "general": D("-80000.00"),
                                     "zero-waste": D("35000.00")}
    html = get(app, "funds")
    assert '<svelte-component type="charts">' in html


def test_spending_rule_headroom(app: Any) -> None:
    # 2021, the ledger's last year: 20 % of the average of 2020's four quarter ends
    # (1 005 000.00 each, after the January draw); nothing transferred out in 2021 yet.
    assert figures_by(get(app, "funds"), "rule") == {
        "dotation": dict(limit="201000.00", transferred="0.00", headroom="201000.00")}


def test_grants_page(app: Any) -> None:
    html = get(app, "grants")
    shown = figures_by(html, "grant")
    assert shown["G-2020-001"] == dict(awarded="30000.00", paid="15000.00", revoked="0.00",
                                       refunded="0.00", net="30000.00", remaining="15000.00")
    assert shown["G-2020-002"] == dict(awarded="5000.00", paid="0.00", revoked="5000.00",
                                       refunded="0.00", net="0.00", remaining="0.00")
    revoked, everything = html.split("All grants (2)")
    assert 'data-grant="G-2020-001"' not in revoked and 'data-grant="G-2020-002"' in revoked
    assert 'data-grant="G-2020-001"' in everything and 'data-grant="G-2020-002"' in everything
    assert "3 jobs — Jobs created" in everything
    assert "committee: 2020-02-20" in everything  # the rest of the grant's metadata
    assert "Bulk Shop" in everything


def test_long_lists_come_a_page_at_a_time(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from fundledger.fava import extension

    monkeypatch.setattr(extension, "PAGE_SIZE", 1)
    first = get(app, "grants").split("All grants (2)")[1]
    assert 'data-grant="G-2020-001"' in first and 'data-grant="G-2020-002"' not in first
    assert "<strong>1</strong>" in first and "FundledgerGrants/?page=2" in first
    second = get(app, "grants", "?page=2").split("All grants (2)")[1]
    assert 'data-grant="G-2020-002"' in second and 'data-grant="G-2020-001"' not in second
    assert 'data-grant="G-2020-001"' in get(app, "grants", "?page=nonsense")


def test_what_a_contributor_paid_for_comes_a_page_at_a_time(
        app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A founder's money paid for thousands of grants and loans: the page lists them a
    page at a time (the totals count them all)."""
    from fundledger.fava import extension

    monkeypatch.setattr(extension, "PAGE_SIZE", 1)
    first = get(app, "contributors", "?contributor=Territory Bank")
    assert 'data-id="L-2020-001"' in first and 'data-id="Expenses:Admin:Management"' not in first
    assert "contributor=Territory+Bank&amp;page=2" in first
    second = get(app, "contributors", "?contributor=Territory Bank&page=2")
    assert 'data-id="L-2020-001"' not in second and 'data-id="Expenses:Admin:Management"' in second
    used = [row["cells"][0]["data-amount"] for row in parse(second).rows
            if row["attrs"].get("data-part") == "used" and not row["attrs"].get("data-fund")]
    assert used == ["5000.00"]


def test_loans_page_schedule_and_arrears(app: Any) -> None:
    # The ledger ends 2021-02-01: 12-month loan, 2 months' grace → 10 instalments of 300.00
    # from 2020-09-01; 6 are due by 2021-02-01, one was paid.
    shown = figures_by(get(app, "loans"), "loan")
    assert shown["L-2020-001"] == dict(lent="3000.00", repaid="300.00", written_off="0.00",
                                       outstanding="2700.00", due="1800.00",
                                       arrears="1500.00", interest="0.00")
    later = figures_by(get(app, "loans", "?at=2021-07-01"), "loan")
    assert later["L-2020-001"]["due"] == "3000.00"
    assert later["L-2020-001"]["arrears"] == "2700.00"
    html = get(app, "loans")
    assert "10 × 300.00" in html and "2020-09-01 → 2021-06-01" in html
    assert "loan=L-2020-001#schedule-of" in html
    detail = get(app, "loans", "?loan=L-2020-001")
    schedule = re.findall(r'<td>(\d+)</td><td>([\d-]+)</td><td class="num" data-amount="([\d.]+)"',
                          detail)
    assert schedule[0] == ("1", "2020-09-01", "300.00")
    assert schedule[-1] == ("10", "2021-06-01", "3000.00")
    assert len(schedule) == 10 and detail.count("after 2021-02-01") == 4
    assert "No loan “L-404”" in get(app, "loans", "?loan=L-404")


def test_contributors_page_traces_the_chosen_contributor(app: Any) -> None:
    html = get(app, "contributors")
    for name in ("Metropole", "Savings Bank", "Territory Bank"):
        assert name in html
    html = get(app, "contributors", "?contributor=savings bank")
    totals = {row["attrs"]["data-part"]: row["cells"][0]["data-amount"]
              for row in parse(html).rows
              if row["attrs"].get("data-part") and not row["attrs"].get("data-fund")}
    assert totals == dict(given="50000.00", earned="0.00", used="30000.00",
                          unspent="20000.00", pledged="0.00")
    assert 'data-id="G-2020-001"' in html
    assert "<small>Bulk Shop</small>" in html  # the grantee beside the grant it paid for
    assert "Unknown contributor" in get(app, "contributors", "?contributor=Nobody")
    hostile = get(app, "contributors", "?contributor=%3Cscript%3Ealert(1)%3C/script%3E")
    assert "<script>alert(1)" not in hostile and "&lt;script&gt;alert(1)" in hostile


def test_compliance_lists_each_breach_with_a_link_to_its_entry(app: Any,
                                                                small_ledger: Path) -> None:
    html = get(app, "compliance")
    assert html.count('data-code="FL201"') == 1
    hashes = re.findall(r'href="#context-([0-9a-f]+)"', html)
    assert len(hashes) == 1
    bfile = app.config["LEDGERS"].first_slug()
    context = app.test_client().get(f"/{bfile}/api/context?entry_hash={hashes[0]}")
    assert context.status_code == 200
    assert "Management fees, far too high" in context.get_data(as_text=True)
    line = next(n for n, text in enumerate(small_ledger.read_text().splitlines(), 1)
                if "Management fees" in text)
    assert f"main.beancount:{line}<" in html
    assert "line=" + str(line) in html
    # The importer's suspense line of 2021-01-11 (−120.00 on Assets:Suspense), flagged "!".
    assert 'data-amount="-120.00"' in html
    assert "1 pending transaction</a>" in html
    ledger = app.config["LEDGERS"].ledgers[0]
    for fava_filter in (views.SUSPENSE_FILTER, views.PENDING_FILTER):
        kept = AdvancedFilter(fava_filter).apply(ledger.all_entries)
        assert [e.narration for e in kept] == ["Unidentified transfer"]


def test_a_clean_ledger_has_no_breach(tmp_path: Path) -> None:
    path = write_small(tmp_path)
    text = path.read_text().replace("Expenses:Admin:Management  100000.00 EUR",
                                    "Expenses:Admin:Management  1000.00 EUR")
    path.write_text(text)
    html = get(create_app([str(path)], load=True), "compliance")
    assert "No breach of the fund rules." in html and "data-code" not in html
    assert "money waiting on a suspense account" in html  # the bookkeeping warning stays


def test_figures_are_computed_once_per_load(small_ledger: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = views.build
    monkeypatch.setattr(views, "build",
                        lambda entries, books=None: calls.append(1) or real(entries, books))
    app = create_app([str(small_ledger)], load=True)
    assert len(calls) == 1  # at load, by after_load_file, for all five pages
    for page in PAGES:
        get(app, page)
    assert len(calls) == 1
    ledger = app.config["LEDGERS"].ledgers[0]
    small_ledger.write_text(small_ledger.read_text().replace("1000000.00", "2000000.00"))
    ledger.load_file()
    assert len(calls) == 2
    assert figures_by(get(app, "funds"), "fund")["dotation"]["received"] == "2020000.00"


def test_schedule_dates_are_the_engine_s() -> None:
    from fundledger.engine import Loan

    loan = Loan(id="L", disbursed_on=datetime.date(2021, 1, 31), term_months=4,
                grace_months=1, lent=D("900.00"))
    assert loan.schedule() == [
        (1, datetime.date(2021, 3, 31), D("300.00")),
        (2, datetime.date(2021, 4, 30), D("600.00")),
        (3, datetime.date(2021, 5, 31), D("900.00")),
    ]
    bullet = Loan(id="B", disbursed_on=datetime.date(2021, 1, 15), term_months=6,
                  grace_months=6, lent=D("500.00"))
    assert bullet.schedule() == [(1, datetime.date(2021, 7, 15), D("500.00"))]


def test_an_engine_failure_shows_on_the_pages_and_leaves_fava_working(
        small_ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(entries: list, books: object = None) -> None:
        raise ValueError("cannot trace")

    monkeypatch.setattr(views, "build", broken)
    app = create_app([str(small_ledger)], load=True)  # Fava still loads the ledger
    client = app.test_client()
    bfile = app.config["LEDGERS"].first_slug()
    assert client.get(f"/{bfile}/income_statement/").status_code == 200
    answer = client.get(f"/{bfile}/extension/FundledgerFunds/")
    assert answer.status_code == 500
    assert "the fund engine failed on this ledger (ValueError: cannot trace)" in \
        answer.get_data(as_text=True)


def test_filters_parse_in_fava_and_match_exactly() -> None:
    from fava.core.filters import AdvancedFilter

    for name in ("zero-dechet", "a.b", 'odd "quoted" fund', "plus+one"):
        AdvancedFilter(views.fund_filter(name, "^Income:"))  # parses
        AdvancedFilter(views.id_filter("grant", name))
    assert views.fund_filter("a.b") == 'any(fund:"^a\\.b$")'
    assert views.plain(D("-0.001")) == "0.00" and views.plain(D("1234.5")) == "1234.50"


def test_funds_at_a_quarter_end(app: Any) -> None:
    html = get(app, "funds", "?at=2020-06-30")
    shown = figures_by(html, "fund")
    assert shown["zero-waste"] == dict(
        received="50000.00", spent="35000.00", transfers_in="15000.00", transfers_out="0.00",
        balance="30000.00", loans_outstanding="0.00", pledges_outstanding="0.00",
        available="30000.00")  # the revocation of 2020-07-15 is not there yet
    assert shown["general"]["available"] == "2000.00"  # 20 000 − 3 000 lent − 15 000 pledged
    assert shown[""]["balance"] == "1055000.00"
    # 2020's limit: 20 % of 2019's quarter ends (1 000 000, then 1 020 000 three times).
    assert figures_by(html, "rule")["dotation"] == dict(
        limit="203000.00", transferred="15000.00", headroom="188000.00")
    assert "time=2019-01-01+-+2020-06-30" in html  # journal links stop at that date
    assert '<strong class="funds-at">2020-06-30</strong>' in html


def test_funds_at_another_date_says_so(app: Any) -> None:
    html = get(app, "funds", "?at=2020-05-05")
    assert "No figures kept at 2020-05-05" in html
    assert figures_by(html, "fund")["general"]["balance"] == "-80000.00"  # the last entry
    assert '<strong class="funds-at">2021-02-01</strong>' in html


def test_fund_links_ignore_a_time_filter_chosen_elsewhere(app: Any) -> None:
    """Whole-ledger figures link to whole-ledger entries even if Fava shows 2020 only."""
    from urllib.parse import parse_qs, urlsplit

    links = [parse_qs(urlsplit(link).query, keep_blank_values=True)
             for link in parse(get(app, "funds", "?time=2020")).links if "/journal/" in link]
    assert links and all(query["time"] == [""] for query in links)


def test_dated_links_keep_the_entries_behind_dated_figures(app: Any) -> None:
    from fava.core.filters import TimeFilter

    ledger = app.config["LEDGERS"].ledgers[0]
    built = views.build(ledger.all_entries)
    at = datetime.date(2020, 6, 30)
    window = TimeFilter(ledger.options, ledger.fava_options, built.time_filter(at))
    entries = window.apply(ledger.all_entries)
    rows = built.funds_at(at)
    assert rows is not None
    for row in rows:
        for name, amount, fava_filter in row.figures:
            if name not in ("received", "spent", "loans_outstanding"):
                continue
            prefix = dict(views.FIGURES)[name] or ""
            total = sum((p.units.number for e in AdvancedFilter(fava_filter).apply(entries)
                         if isinstance(e, data.Transaction) for p in e.postings
                         if p.meta and p.meta.get("fund") == row.name
                         and re.match(prefix, p.account)), D(0))
            assert (-total if name == "received" else total) == amount, (row.name, name)


def test_incognito_hides_every_amount(small_ledger: Path) -> None:
    app = create_app([str(small_ledger)], load=True, incognito=True)
    for page in ("funds", "grants", "loans", "compliance"):
        html = get(app, page).split("<svelte-component")[0]  # charts: Fava's frontend hides
        assert not re.search(r'data-amount="-?\d', html), page
        assert "1005000.00" not in html and "30000.00" not in html
    assert "XXXXXXX.XX" in get(app, "funds")


def test_an_empty_ledger_renders_every_page(tmp_path: Path) -> None:
    path = tmp_path / "empty.beancount"
    path.write_text('option "title" "Empty"\nplugin "fundledger.plugins.funds"\n'
                    '2024-01-01 custom "fava-extension" "fundledger.fava"\n')
    app = create_app([str(path)], load=True)
    for page in PAGES:
        get(app, page)
    assert "No contributions in this ledger." in get(app, "contributors")
    assert "No loans." in get(app, "loans")


def test_a_transfer_figure_filters_its_funds_transfers() -> None:
    """A fund's transfers in / out lead to that fund's fund-transfer directives only (they
    listed every transfer of the ledger)."""
    from fava.core.filters import AdvancedFilter

    from fundledger.engine import analyse
    from fundledger.ledger import load
    from tests.fava.conftest import LYON

    entries = load(LYON).entries
    books = analyse(entries)
    checked = 0
    for fund in books.funds:
        for direction in ("in", "out"):
            found = AdvancedFilter(views.transfer_filter(fund, direction)).apply(entries)
            expected = [t for t in books.transfers
                        if (t.target if direction == "in" else t.source) == fund]
            assert [(e.date, e.values[2].value.number) for e in found] == \
                [(t.date, t.amount) for t in expected], (fund, direction)
            checked += len(expected)
    assert checked == 2 * len(books.transfers)


def test_an_impact_of_one_agrees_with_its_unit(tmp_path: Path) -> None:
    """"1 jobs" on the Grants page was the review's "1 emplois"."""
    ledger = write_small(tmp_path)
    ledger.write_text(ledger.read_text(encoding="utf-8")
                      + '\n2021-01-31 custom "impact" "G-2020-002" "jobs" 1\n', encoding="utf-8")
    html = get(create_app([str(ledger)], load=True), "grants")
    assert "1 job — Jobs created" in html and "1 jobs" not in html
    assert "3 jobs — Jobs created" in html


def test_a_reload_lets_go_of_the_previous_load(small_ledger: Path) -> None:
    """A server reloads the books all day: once a reload is done, nothing the pages kept
    (figures, traces, rendered pages, the language) still holds the previous entries."""
    import gc
    import inspect
    import weakref

    from fundledger.fava.extension import views_for

    app = create_app([str(small_ledger)], load=True)
    ledger = app.config["LEDGERS"].ledgers[0]
    for page in PAGES:
        get(app, page)
    get(app, "contributors", "?contributor=Savings Bank")
    holder = ledger.extensions.get_extension(PAGES["funds"])
    books = weakref.ref(views_for(ledger, holder).books)
    assert books().tracer is not None and books().tracer._frozen is not None
    old = ledger.all_entries
    small_ledger.write_text(small_ledger.read_text().replace("1000000.00", "2000000.00"))
    ledger.load_file()
    gc.collect()
    assert books() is None
    assert [r for r in gc.get_referrers(old) if not inspect.isframe(r)] == []
    assert figures_by(get(app, "funds"), "fund")["dotation"]["received"] == "2020000.00"
