"""The board report's Budget and Outlook sections: the engine's figures, in three languages."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader

from fundledger import i18n
from fundledger.engine import analyse
from fundledger.reports import quarterly
from fundledger.reports.base import Ledger
from tests.engine.helpers import HEADER
from tests.planning.ledgers import FORECAST

D = Decimal


def build(lang: str = "en") -> dict:
    entries, errors, _options = loader.load_string(HEADER + FORECAST)
    assert errors == []
    return quarterly.build(analyse(entries, trace=False), quarterly.Quarter(2026, 2), lang)


def test_budget_section_is_the_engine_budget_at_the_quarter_end() -> None:
    p = build()["planning"]
    assert p["year"] == 2026
    assert [(r["fund"], r["budget"], r["actual"], r["rest"]) for r in p["budget"]] == [
        ("general", D("100.00"), D("0"), D("100.00")),
        ("zero", D("30000.00"), D("20000.00"), D("10000.00")),
        ("food", D("10000.00"), D("9000.00"), D("1000.00")),
    ]
    assert p["budget_total"] == {"budget": D("40100.00"), "actual": D("29000.00"),
                                 "rest": D("11100.00")}


def test_outlook_is_the_next_four_quarters_from_the_quarter_end() -> None:
    p = build()["planning"]
    assert [q["end"] for q in p["quarters"]] == [
        datetime.date(2026, 9, 30), datetime.date(2026, 12, 31), datetime.date(2027, 3, 31),
        datetime.date(2027, 6, 30)]
    general = next(row for row in p["funds"] if row["fund"] == "general")
    assert general["cells"] == [(D("-50.00"), True), (D("-50.00"), True),
                                (D("3900.00"), False), (D("3900.00"), False)]
    # bank 57250 on 2026-06-30 (nothing moved since 2026-05-15); the zero fund's pledge
    # (7000), loan instalments and Macif's 10000 come in; G-1's 8000 and 4000 go out.
    assert p["bank"] == D("57250.00")
    assert [c for c, _f in p["cash"]] == [D("56850.00"), D("66450.00"), D("72800.00"),
                                          D("75800.00")]
    assert [a["quarter"] for a in p["alerts"]] == ["Q3 2026", "Q4 2026"]


@pytest.mark.parametrize("lang", ["fr", "it", "en"])
def test_sections_render_in_the_report_language(lang: str, tmp_path: Path) -> None:
    entries, _errors, options = loader.load_string(HEADER + FORECAST)
    html = quarterly.render(analyse(entries, options=options, trace=False),
                            Ledger("Test", lang, []), quarterly.Quarter(2026, 2), lang)
    for key, values in (("section.budget", {"year": 2026}), ("section.outlook", {}),
                        ("outlook.unscheduled", {}), ("outlook.not_counted", {})):
        assert i18n.t(key, lang, **values) in html
    titles = re.findall(r"<title>([^<]*)</title>", html)
    assert i18n.t("outlook.chart", lang) in titles
    # The fund below zero in two quarters: two red columns, each marked "!".
    assert len(re.findall(r'<rect[^>]*fill="#c00000"', html)) == 2
    assert len(re.findall(r'<text[^>]*fill="#c00000">!</text>', html)) == 2
