"""The site in headless Chromium: pages render, styles load, no console errors.

Skipped when Chromium, chromedriver or selenium is missing, unless
FUNDLEDGER_REQUIRE_BROWSER=1 (CI), in which case it fails.
"""

from __future__ import annotations

import re

from tests.conftest import severe_console_messages


def test_home_and_grant_pages_render(browser, demo_sites):
    from selenium.webdriver.common.by import By

    site = demo_sites["lyon"].site.resolve()
    severe_console_messages(browser)  # forget what earlier tests' pages logged
    browser.get((site / "index.html").as_uri())
    assert browser.title.endswith("Fondation pour l'innovation sociale — Métropole de Lyon")
    header = browser.find_element(By.CSS_SELECTOR, "header.site")
    assert "31, 58, 95" in header.value_of_css_property("background-color")  # CSS loaded
    rows = browser.find_elements(By.CSS_SELECTOR, "table.funds tbody tr")
    assert len(rows) == 6 and all(r.is_displayed() for r in rows)
    chart = browser.find_element(By.CSS_SELECTOR, "svg.chart")
    assert chart.size["width"] > 500 and chart.size["height"] > 100
    assert len(browser.get_screenshot_as_png()) > 20_000
    assert severe_console_messages(browser) == []

    # Follow the first grant of the list, as a reader would.
    browser.find_element(By.LINK_TEXT, "Toutes les subventions →").click()
    link = browser.find_element(By.CSS_SELECTOR, "table.data tbody tr td a")
    name = link.text
    link.click()
    assert re.search(r"/fr/grants/[^/]+\.html$", browser.current_url)
    assert browser.find_element(By.TAG_NAME, "h1").text == name
    cards = browser.find_elements(By.CSS_SELECTOR, "[data-grant]")
    assert {c.get_attribute("data-grant") for c in cards} >= {"awarded", "paid", "net"}
    assert all(c.text.endswith("€") for c in cards)
    assert severe_console_messages(browser) == []
