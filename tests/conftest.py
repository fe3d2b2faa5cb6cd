"""Fixtures shared by every part of the suite: a real headless Chromium for browser tests.

Browser tests are skipped when Chromium, chromedriver or selenium is missing, unless
``FUNDLEDGER_REQUIRE_BROWSER=1`` (set by ``.ci/run``), in which case they fail.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = (os.environ.get("FUNDLEDGER_CHROMIUM") or shutil.which("chromium")
            or shutil.which("chromium-browser") or "/usr/bin/chromium")
CHROMEDRIVER = (os.environ.get("FUNDLEDGER_CHROMEDRIVER") or shutil.which("chromedriver")
                or "/usr/bin/chromedriver")
#: Without the networking flags Chromium tries to reach Google's hosts at every start.
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                  "--window-size=1500,1100")


def _browser_missing() -> str | None:
    for name, path in (("chromium", CHROMIUM), ("chromedriver", CHROMEDRIVER)):
        if not Path(path).exists():
            return f"{name} not found at {path} (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """A headless Chromium driven by selenium, whose console log the tests read."""
    missing = _browser_missing()
    if missing:
        if os.environ.get("FUNDLEDGER_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests required (FUNDLEDGER_REQUIRE_BROWSER=1) but {missing}")
        pytest.skip(f"browser tests skipped: {missing}")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in CHROMIUM_FLAGS:
        options.add_argument(argument)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def severe_console_messages(driver) -> list[str]:
    """The browser console's errors since the last call (reading the log empties it)."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
