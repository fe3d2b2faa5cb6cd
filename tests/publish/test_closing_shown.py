"""Reports, Fava pages and the public site say whether their period is closed (the Lyon
demo books close 2019 to 2025; 2026 is open)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest

from fundledger.ledger import load
from fundledger.reports import base, dedicated, quarterly
from tests.publish.conftest import DEMO, Built

LYON = DEMO["lyon"]


@pytest.fixture(scope="module")
def lyon() -> Any:
    return load(LYON)


def header_line(html: str) -> str:
    found = re.search(r'<div class="closing (closed|open)">([^<]*)</div>', html)
    assert found, "no closing line in the report's header"
    return f"{found.group(1)}: {found.group(2)}"


def test_quarterly_report_header(lyon: Any) -> None:
    info = base.ledger_info(lyon.entries, lyon.options, [])
    books = lyon.analysis(trace=False)
    closed = quarterly.render(books, info, quarterly.Quarter.parse("2025-Q4"), "fr")
    assert header_line(closed) == ("closed: Période close le 24 mars 2026\u202f: Comptes 2025 "
                                   "approuvés par le conseil d&#39;administration du 2026-03-24")
    still_open = quarterly.render(books, info, quarterly.Quarter.parse("2026-Q1"), "en")
    assert header_line(still_open) == "open: Period not closed: figures may still change"


def test_dedicated_funds_report_header(lyon: Any) -> None:
    info = base.ledger_info(lyon.entries, lyon.options, [])
    html = dedicated.render(dedicated.build(lyon.analysis(trace=False), 2023), info, 2023, "it")
    assert header_line(html).startswith("closed: Periodo chiuso il 21 maggio 2024: Comptes 2023 "
                                        "approuvés à nouveau")


def test_fava_funds_page_says_whether_its_date_is_closed() -> None:
    from fava.application import create_app

    from fundledger.fava import PAGES

    app = create_app([str(LYON)], load=True)
    client = app.test_client()
    slug = app.config["LEDGERS"].first_slug()

    def closing(query: str) -> str:
        answer = client.get(f"/{slug}/extension/{PAGES['funds']}/{query}")
        assert answer.status_code == 200
        found = re.search(r'<p class="closing">([^<]*)</p>', answer.get_data(as_text=True))
        assert found
        return found.group(1)

    assert closing("?at=2024-06-30") == ("Période close le 2025-03-25\u202f: Comptes 2024 "
                                         "approuvés par le conseil d&#39;administration du "
                                         "2025-03-25")
    assert closing("") == "Période non close\u202f: les chiffres peuvent encore changer"


def test_public_site_footer(demo_sites: dict[str, Built]) -> None:
    lyon = demo_sites["lyon"]
    for page, text in (("index.html", "Comptes clos jusqu&#39;au 31 décembre 2025"),
                       ("en/grants.html", "Books closed through 31 December 2025"),
                       ("it/index.html", "Conti chiusi fino al 31 dicembre 2025")):
        assert text in (lyon.site / page).read_text(encoding="utf-8"), page
    torino = demo_sites["torino"]
    assert "Nessun periodo chiuso" in (torino.site / "index.html").read_text(encoding="utf-8")


def test_status_is_the_whole_ledgers_in_views_at_a_date(lyon: Any) -> None:
    # A report's view of the books at its period's end comes before the close is dated:
    # the status is still the whole ledger's.
    from fundledger.engine.closing import closing_of

    info = base.ledger_info(lyon.entries, lyon.options, [])
    assert info.closing.closed_through() is not None
    assert info.closing.year(2019).closed
    view = lyon.analysis(trace=False).as_of(datetime.date(2019, 12, 31))
    assert closing_of(view).closed_through() == datetime.date(2025, 12, 31)
