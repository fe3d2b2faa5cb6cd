"""The fundledger pages in a real headless Chromium, on the Lyon demo books.

Each page loads without a JavaScript error and shows the engine's figures (the Funds
page exactly what `fundledger funds --format json` prints); in read-only mode Fava's
editor cannot save.  A screenshot of each page is kept (FUNDLEDGER_SCREENSHOTS=DIR to
choose where) for a human to look at.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fundledger.engine import analyse
from fundledger.i18n import t
from fundledger.ledger import load
from fundledger.reports.base import default_language
from tests.conftest import severe_console_messages
from tests.fava.conftest import FUNDLEDGER, LYON, Server, start_server, stop_server, write_small

WAIT = 60  # seconds: the longest any page may take to appear on a loaded 2-core machine


@pytest.fixture(scope="module")
def lyon() -> Iterator[Server]:
    if not LYON.exists():
        pytest.skip(f"{LYON} not written yet")
    server = start_server(LYON, "--read-only")
    yield server
    stop_server(server.process)


@pytest.fixture(scope="module")
def books() -> Any:
    return analyse(load(LYON).entries)


@pytest.fixture(scope="module")
def lang() -> str:
    """The demo's language (``fr``): the pages' labels are in it."""
    return default_language(load(LYON).entries)


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("FUNDLEDGER_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_page(browser: Any, url: str, ready: str) -> None:
    """Load ``url`` and wait (bounded) until the CSS selector ``ready`` is on the page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get_log("browser")  # forget what earlier pages logged
    browser.get(url)
    WebDriverWait(browser, WAIT).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, ready)
        or "fund engine failed" in b.find_element(By.TAG_NAME, "body").text)
    assert "fund engine failed" not in browser.find_element(By.TAG_NAME, "body").text
    WebDriverWait(browser, WAIT).until(
        lambda b: b.execute_script("return document.readyState") == "complete")


js_errors = severe_console_messages


def digits(text: str) -> str:
    """The sign and digits of a formatted amount, whatever the locale's separators."""
    return ("-" if "-" in text or "−" in text else "") + re.sub(r"\D", "", text)


def shown_figures(browser: Any, row_key: str) -> dict[str, dict[str, str]]:
    """``{row: {figure: amount}}`` read from the page, checking each visible amount."""
    rows = browser.execute_script(f"""
        return [...document.querySelectorAll('tr[data-{row_key}]')].map(tr => [
            tr.getAttribute('data-{row_key}'),
            [...tr.querySelectorAll('td[data-figure]')].map(td => [
                td.getAttribute('data-figure'), td.getAttribute('data-amount'),
                td.innerText])]);""")
    found: dict[str, dict[str, str]] = {}
    for name, cells in rows:
        for figure, amount, text in cells:
            assert digits(text) == digits(amount), (name, figure, text, amount)
        found[name] = {figure: amount for figure, amount, _text in cells}
    return found


def test_funds_page_shows_fundledger_funds(browser: Any, lyon: Server, lang: str,
                                           shots: Path) -> None:
    from selenium.webdriver.common.by import By

    open_page(browser, lyon.url("extension/FundledgerFunds/"),
              "svelte-component[type=charts] svg")
    browser.save_screenshot(str(shots / "funds.png"))
    assert js_errors(browser) == []
    # In the ledger's language: the figures' headings and the other pages' sidebar titles.
    headings = browser.find_element(By.CSS_SELECTOR, "table.fund-figures thead").text
    assert t("figures.received", lang) in headings and "Received" not in headings
    sidebar = browser.find_element(By.TAG_NAME, "body").text
    assert t("fava.compliance", lang) in sidebar and t("fava.loans", lang) in sidebar
    expected = json.loads(subprocess.run(
        [str(FUNDLEDGER), "funds", str(LYON), "--format", "json"],
        capture_output=True, text=True, timeout=300).stdout)
    shown = shown_figures(browser, "fund")
    shown.pop("")  # the totals row
    assert shown == {row.pop("fund"): {k: v for k, v in row.items() if k != "kind"}
                     for row in expected}
    assert browser.find_elements("css selector", "svelte-component.error") == []


def test_funds_page_at_a_year_end(browser: Any, lyon: Server, books: Any,
                                  shots: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    year_end = max(d for d in books.quarter_balances["dotation"] if d.month == 12)
    open_page(browser, lyon.url("extension/FundledgerFunds/"), "p.dates a")
    browser.find_element(By.LINK_TEXT, year_end.isoformat()).click()  # through Fava's router
    WebDriverWait(browser, WAIT).until(ec.text_to_be_present_in_element(
        (By.CSS_SELECTOR, ".funds-at"), year_end.isoformat()))
    browser.save_screenshot(str(shots / "funds-year-end.png"))
    assert js_errors(browser) == []
    expected = json.loads(subprocess.run(
        [str(FUNDLEDGER), "funds", str(LYON), "--at", year_end.isoformat(), "--format", "json"],
        capture_output=True, text=True, timeout=300).stdout)
    shown = shown_figures(browser, "fund")
    shown.pop("")
    assert shown == {row.pop("fund"): {k: v for k, v in row.items() if k != "kind"}
                     for row in expected}


def test_grants_page(browser: Any, lyon: Server, books: Any, shots: Path) -> None:
    open_page(browser, lyon.url("extension/FundledgerGrants/"), "table.grants")
    browser.save_screenshot(str(shots / "grants.png"))
    assert js_errors(browser) == []
    shown = shown_figures(browser, "grant")
    assert set(shown) == set(books.grants)  # fewer than a page (500) in the demo
    for grant in books.grants.values():
        assert shown[grant.id] == {
            "awarded": f"{grant.awarded:.2f}", "paid": f"{grant.paid:.2f}",
            "revoked": f"{grant.revoked:.2f}", "refunded": f"{grant.refunded:.2f}",
            "net": f"{grant.net:.2f}", "remaining": f"{grant.remaining:.2f}"}
    revoked = browser.execute_script(
        "return [...document.querySelectorAll('table.revoked tr[data-grant]')]"
        ".map(tr => tr.getAttribute('data-grant'))")
    assert sorted(revoked) == sorted(g.id for g in books.grants.values() if g.revoked > 0)


def test_loans_page(browser: Any, lyon: Server, books: Any, lang: str, shots: Path) -> None:
    open_page(browser, lyon.url("extension/FundledgerLoans/"), "#fundledger-loans")
    browser.save_screenshot(str(shots / "loans.png"))
    assert js_errors(browser) == []
    shown = shown_figures(browser, "loan")
    assert set(shown) == set(books.loans)
    at = books.last_date
    for loan in books.loans.values():
        assert shown[loan.id]["outstanding"] == f"{loan.outstanding:.2f}"
        assert shown[loan.id]["arrears"] == f"{loan.arrears(at):.2f}"
        assert shown[loan.id]["due"] == f"{loan.expected_repaid(at):.2f}"
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    first = min(books.loans.values(), key=lambda loan: (loan.disbursed_on, loan.id))
    browser.find_element(By.LINK_TEXT, t("fava.schedule.link", lang)).click()  # the first
    WebDriverWait(browser, WAIT).until(ec.text_to_be_present_in_element(
        (By.CSS_SELECTOR, "#schedule-of"), first.id))
    browser.save_screenshot(str(shots / "loan-schedule.png"))
    assert js_errors(browser) == []
    rows = browser.find_elements(By.CSS_SELECTOR, "table[data-loan-schedule] tbody tr")
    assert len(rows) == first.term_months - first.grace_months
    last = rows[-1].find_element(By.CSS_SELECTOR, "td[data-amount]")
    assert last.get_attribute("data-amount") == f"{first.lent:.2f}"


def test_contributors_page_traces_a_contributor(browser: Any, lyon: Server, books: Any,
                                               shots: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    open_page(browser, lyon.url("extension/FundledgerContributors/"), "ul.choices a")
    name = books.contributors()[0]
    browser.find_element(By.LINK_TEXT, name).click()  # Fava's router loads the trace
    WebDriverWait(browser, WAIT).until(ec.text_to_be_present_in_element(
        (By.CSS_SELECTOR, "#trace-of"), name))
    browser.save_screenshot(str(shots / "contributors.png"))
    assert js_errors(browser) == []
    expected = json.loads(subprocess.run(
        [str(FUNDLEDGER), "trace", str(LYON), "--contributor", name, "--format", "json"],
        capture_output=True, text=True, timeout=300).stdout)
    totals = browser.execute_script(
        "return Object.fromEntries([...document.querySelectorAll("
        "'table.trace-summary tr[data-part]')].map(tr => [tr.getAttribute('data-part'),"
        " tr.querySelector('td').getAttribute('data-amount')]))")
    for part in ("given", "earned", "used", "unspent", "pledged"):
        assert totals[part] == f"{sum(float(s['amount']) for s in expected[part]):.2f}", part


def test_compliance_page_on_the_clean_demo(browser: Any, lyon: Server, lang: str,
                                           shots: Path) -> None:
    open_page(browser, lyon.url("extension/FundledgerCompliance/"), "#fundledger-compliance")
    browser.save_screenshot(str(shots / "compliance.png"))
    assert js_errors(browser) == []
    assert t("fava.compliance.none", lang) in browser.find_element(
        "css selector", "#fundledger-compliance").text


def test_compliance_link_opens_the_entry(browser: Any, tmp_path: Path, serve: Any,
                                        shots: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    server = serve(write_small(tmp_path), "--read-only")
    open_page(browser, server.url("extension/FundledgerCompliance/"), "a.context-link")
    assert "FL201" in browser.find_element(By.CSS_SELECTOR, "tr[data-code]").text
    browser.find_element(By.CSS_SELECTOR, "a.context-link").click()
    WebDriverWait(browser, WAIT).until(ec.text_to_be_present_in_element(
        (By.CSS_SELECTOR, "body"), "Management fees, far too high"))
    WebDriverWait(browser, WAIT).until(ec.presence_of_element_located(
        (By.CSS_SELECTOR, ".overlay, [role=dialog], dialog")))
    browser.save_screenshot(str(shots / "compliance-context.png"))
    assert js_errors(browser) == []


def test_read_only_editor_cannot_save(browser: Any, lyon: Server, shots: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    open_page(browser, lyon.url("editor/"), ".cm-content")
    editor = browser.find_element(By.CSS_SELECTOR, ".cm-content")
    editor.click()
    editor.send_keys(Keys.CONTROL, Keys.END)
    editor.send_keys("\n; an auditor's edit\n")
    # The save button is hidden in read-only mode (tests/fava/test_review_browser.py);
    # its submit, forced, is still refused by the server.
    save = next(b for b in browser.find_elements(By.CSS_SELECTOR, "button[type=submit]")
                if b.get_attribute("textContent").strip() in ("Save", "Sauvegarder", "Salva"))
    assert not save.is_displayed()
    browser.execute_script("arguments[0].click()", save)
    WebDriverWait(browser, WAIT).until(lambda b: "401" in b.find_element(
        By.TAG_NAME, "body").text)
    browser.save_screenshot(str(shots / "read-only-editor.png"))
    logged = js_errors(browser)
    assert any("401" in message for message in logged)  # the refused save, nothing else
    assert all("401" in message for message in logged), logged
    assert all("an auditor's edit" not in path.read_text(encoding="utf-8")
               for path in LYON.parent.glob("*.beancount"))
