"""The Fava pages as the review used them (issue 22), in a real headless Chromium: no
horizontal scroll at 1,400 px, read-only hides what cannot work, Funds comes first, a
ledger with errors says so on Funds, the journal behind a figure shows its amounts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fundledger.engine import analyse
from fundledger.ledger import load
from tests.fava.conftest import LYON, Server, start_server, stop_server, write_small
from tests.fava.test_browser import WAIT, js_errors, open_page


@pytest.fixture(scope="module")
def lyon() -> Iterator[Server]:
    server = start_server(LYON, "--read-only")
    yield server
    stop_server(server.process)


@pytest.fixture
def narrow(browser: Any) -> Iterator[Any]:
    """The browser at 1,400 px wide (a laptop), put back as it was after the test."""
    before = browser.get_window_size()
    browser.set_window_size(1400, 1000)
    yield browser
    browser.set_window_size(before["width"], before["height"])


def overflow(browser: Any) -> list[tuple[str, int, int]]:
    """Every element of the page (and the page) wider than its box: (what, wide, shown)."""
    return browser.execute_script("""
        const out = [];
        const root = document.documentElement;
        if (root.scrollWidth > root.clientWidth)
          out.push(['page', root.scrollWidth, root.clientWidth]);
        for (const e of document.querySelectorAll('.fundledger, .fundledger .scroll, article')) {
          if (e.scrollWidth > e.clientWidth + 1)
            out.push([e.tagName + '.' + e.className, e.scrollWidth, e.clientWidth]);
        }
        return out;""")


@pytest.mark.parametrize("path, ready", [
    ("extension/FundledgerFunds/", "table.fund-figures"),
    ("extension/FundledgerLoans/", "table.loans"),
    ("extension/FundledgerLoans/?loan=P-2021-002", "table.schedule"),
])
def test_no_horizontal_scroll_at_1400_px(narrow: Any, lyon: Server, path: str,
                                         ready: str) -> None:
    open_page(narrow, lyon.url(path), ready)
    assert narrow.execute_script("return window.innerWidth") <= 1400
    assert overflow(narrow) == []
    assert js_errors(narrow) == []


def _displayed(browser: Any, selector: str) -> list[Any]:
    return [e for e in browser.find_elements("css selector", selector) if e.is_displayed()]


def test_read_only_hides_the_save_and_new_entry_buttons(browser: Any, lyon: Server) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    open_page(browser, lyon.url("editor/"), ".cm-content")
    WebDriverWait(browser, WAIT).until(
        lambda b: b.find_elements("css selector", "style#fundledger-read-only"))
    assert browser.find_elements("css selector", "form.fixed-fullsize-container "
                                                  "button[type=submit]")  # Fava's, there
    assert _displayed(browser, "form.fixed-fullsize-container button[type=submit]") == []
    assert _displayed(browser, 'a[href="#add-transaction"]') == []
    open_page(browser, lyon.url("extension/FundledgerFunds/"), "table.fund-figures")
    assert _displayed(browser, 'a[href="#add-transaction"]') == []


def test_a_writable_fava_keeps_its_buttons(browser: Any, tmp_path: Path, serve: Any) -> None:
    server = serve(write_small(tmp_path))
    open_page(browser, server.url("editor/"), ".cm-content")
    assert _displayed(browser, "form.fixed-fullsize-container button[type=submit]")
    assert _displayed(browser, 'a[href="#add-transaction"]')
    assert browser.find_elements("css selector", "style#fundledger-read-only") == []


def test_funds_is_the_first_fundledger_page(browser: Any, lyon: Server) -> None:
    open_page(browser, lyon.url("extension/FundledgerFunds/"), "table.fund-figures")
    pages = [a.get_attribute("href") for a in browser.find_elements(
        "css selector", "aside a[href*='/extension/']")]
    assert pages and "/extension/FundledgerFunds/" in pages[0]
    assert [p.split("/extension/")[1].strip("/") for p in pages] == [
        "FundledgerFunds", "FundledgerGrants", "FundledgerLoans", "FundledgerBudget",
        "FundledgerContributors", "FundledgerProgrammes", "FundledgerCompliance"]


def test_a_ledger_with_errors_has_a_banner_on_funds(browser: Any, tmp_path: Path,
                                                    serve: Any) -> None:
    server = serve(write_small(tmp_path), "--read-only")  # one FL201 breach
    open_page(browser, server.url("extension/FundledgerFunds/"), "table.fund-figures")
    banner = _displayed(browser, ".fundledger-errors")
    assert len(banner) == 1 and "1 error" in banner[0].text


def test_the_clean_demo_has_no_banner(browser: Any, lyon: Server) -> None:
    open_page(browser, lyon.url("extension/FundledgerFunds/"), "table.fund-figures")
    assert _displayed(browser, ".fundledger-errors") == []


def test_the_journal_behind_a_figure_shows_its_amounts(browser: Any, lyon: Server) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(lyon.url("extension/FundledgerFunds/"))
    browser.execute_script("localStorage.removeItem('fava-journal-show')")  # Fava's default
    open_page(browser, lyon.url("extension/FundledgerFunds/"), "table.fund-figures")
    cell = browser.find_element("css selector",
                                'tr[data-fund="general"] td[data-figure="spent"] a')
    amount = cell.text
    cell.click()  # through Fava's router, as a reader does
    WebDriverWait(browser, WAIT).until(
        lambda b: b.find_elements("css selector", "ol.journal li"))
    assert browser.find_elements("css selector", "ol.journal.show-postings")
    postings = _displayed(browser, "ol.journal .postings")
    assert postings, "the journal shows the postings, with their amounts"
    assert amount  # the figure followed; its postings' amounts are now on screen
    assert js_errors(browser) == []


def test_a_funds_transfer_link_lists_only_its_transfers(browser: Any, lyon: Server) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    books = analyse(load(LYON).entries)
    expected = sum(1 for t in books.transfers if t.target == "general")
    open_page(browser, lyon.url("extension/FundledgerFunds/"), "table.fund-figures")
    browser.find_element("css selector",
                         'tr[data-fund="general"] td[data-figure="transfers_in"] a').click()
    WebDriverWait(browser, WAIT).until(
        lambda b: b.find_elements("css selector", "ol.journal li.custom"))
    shown = browser.find_elements("css selector", "ol.journal li.custom")
    assert len(shown) == expected == 7
