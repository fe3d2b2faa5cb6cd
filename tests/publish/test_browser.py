"""The site in headless Chromium: pages render, styles load, no console errors.

Skipped when Chromium, chromedriver or selenium is missing, unless
FUNDLEDGER_REQUIRE_BROWSER=1 (CI), in which case it fails.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def _missing() -> str | None:
    for name, path in (("chromium", CHROMIUM), ("chromedriver", CHROMEDRIVER)):
        if not Path(path).exists():
            return f"{name} not found at {path}"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed"
    return None


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    missing = _missing()
    if missing:
        if os.environ.get("FUNDLEDGER_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser test required (FUNDLEDGER_REQUIRE_BROWSER=1) but {missing}")
        pytest.skip(f"browser test skipped: {missing}")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                     "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", "--window-size=1280,1000"):
        options.add_argument(argument)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('publish-chromium')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def _severe(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_home_and_grant_pages_render(chromium, demo_sites):
    from selenium.webdriver.common.by import By

    site = demo_sites["lyon"].site.resolve()
    chromium.get((site / "index.html").as_uri())
    assert chromium.title.endswith("Fondation pour l'innovation sociale — Métropole de Lyon")
    header = chromium.find_element(By.CSS_SELECTOR, "header.site")
    assert "31, 58, 95" in header.value_of_css_property("background-color")  # CSS loaded
    rows = chromium.find_elements(By.CSS_SELECTOR, "table.funds tbody tr")
    assert len(rows) == 6 and all(r.is_displayed() for r in rows)
    chart = chromium.find_element(By.CSS_SELECTOR, "svg.chart")
    assert chart.size["width"] > 500 and chart.size["height"] > 100
    assert len(chromium.get_screenshot_as_png()) > 20_000
    assert _severe(chromium) == []

    # Follow the first grant of the list, as a reader would.
    chromium.find_element(By.LINK_TEXT, "Toutes les subventions →").click()
    link = chromium.find_element(By.CSS_SELECTOR, "table.data tbody tr td a")
    name = link.text
    link.click()
    assert re.search(r"/fr/grants/[^/]+\.html$", chromium.current_url)
    assert chromium.find_element(By.TAG_NAME, "h1").text == name
    cards = chromium.find_elements(By.CSS_SELECTOR, "[data-grant]")
    assert {c.get_attribute("data-grant") for c in cards} >= {"awarded", "paid", "net"}
    assert all(c.text.endswith("€") for c in cards)
    assert _severe(chromium) == []
