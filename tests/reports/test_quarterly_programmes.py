"""The board report's pipeline section per programme, on the Turin books: stages, counts,
amounts and days to award as the engine counts them, in the ledger's language."""

from __future__ import annotations

import html
import re
from decimal import Decimal
from pathlib import Path

from beancount import loader

from fundledger import i18n
from fundledger.engine import analyse
from fundledger.engine.programmes import programmes_of
from fundledger.reports import quarterly
from fundledger.reports.base import ledger_info

TORINO = Path(__file__).resolve().parents[2] / "ledger" / "torino" / "main.beancount"


def test_pipeline_section_per_programme() -> None:
    entries, errors, options = loader.load_file(str(TORINO))
    assert errors == []
    quarter = quarterly.Quarter(2026, 3)
    whole = analyse(entries, options=options, trace=False)  # seen as of the quarter's end
    built = quarterly.build(whole, quarter, "it", with_charts=False)
    books = analyse(entries, quarter.end, trace=False)
    rows = programmes_of(books).pipeline()
    sections = {item["programme"].id: item for item in built["programmes"]}
    assert set(sections) == {"ism-2023", "ism-2025"}
    for ident, item in sections.items():
        mine = [r for r in rows if r.programme == ident]
        assert item["total"]["count"] == len(mine)
        assert item["total"]["awarded"] == sum((r.awarded for r in mine), Decimal(0))
        assert {s["stage"]: s["count"] for s in item["stages"]} == {
            stage: sum(1 for r in mine if r.stage == stage) for stage in {r.stage for r in mine}}
        days = sorted(r.days_to_award for r in mine if r.days_to_award is not None)
        assert item["days"]["min"] == days[0] and item["days"]["max"] == days[-1]
    # The 2025 call, as the books end: applications waiting for the next committee.
    assert "accompanied" in {s["stage"] for s in sections["ism-2025"]["stages"]}
    ledger = ledger_info(entries, options, [])
    page = html.unescape(quarterly.render(whole, ledger, quarter, "it"))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert i18n.t("programme.section", "it", label="InnoSocialMetro — bando 2023") in text
    assert i18n.t("stage.rejected", "it") in text
    total = sections["ism-2023"]["total"]["awarded"]
    assert i18n.format_money(total, "it").replace("\xa0€", "").replace(" €", "") in text
