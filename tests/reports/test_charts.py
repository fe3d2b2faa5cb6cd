"""The charts (hand-written SVG, shared by the reports and the public site)."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from fundledger import charts, i18n
from fundledger.cli import cli

D = Decimal
SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    """The chart as XML (it must be well-formed to be inline SVG in HTML and PDF)."""
    return ET.fromstring(str(svg))


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def title(root: ET.Element) -> str:
    first = root[0]
    assert first.tag == f"{SVG}title"  # the accessible name comes first
    return first.text or ""


def composition(lang: str = "fr") -> str:
    return charts.fund_composition(
        ["Dotation", "Fonds libres", "Répondre aux besoins immobiliers des acteurs de l'ESS"],
        {"Disponible": [D("1004150.00"), D("100917.80"), D("42012.34")],
         "Prêts en cours": [D(0), D(0), D("67159.09")],
         "Promesses à recevoir": [D(0), D("-5"), D("110000.00")]},
        lang)


def test_fund_composition_has_its_title_legend_labels_and_axis_in_the_locale() -> None:
    root = parse(composition("fr"))
    assert title(root) == i18n.t("chart.funds", "fr")
    words = texts(root)
    for legend in ("Disponible", "Prêts en cours", "Promesses à recevoir"):
        assert legend in words
    assert "Dotation" in words and "Fonds libres" in words
    # A long label is wrapped on two lines, never dropped.
    assert " ".join(w for w in words if w.startswith(("Répondre", "acteurs"))).startswith(
        "Répondre aux besoins")
    assert "1\u202f000" in words and "1\u202f200" in words  # thousands, French grouping
    assert i18n.t("chart.thousands", "fr") in words
    # Three funds: 3 + 1 + 3 non-zero parts, each with its figure as a tooltip.
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(bars) == 5
    assert "1\u202f004\u202f150,00\u00a0€" in bars[0].find(f"{SVG}title").text
    assert {r.get("fill") for r in bars} == set(charts.PALETTE[:3])


def test_axis_numbers_follow_the_language() -> None:
    assert "1,200" in texts(parse(composition("en")))
    assert "1.200" in texts(parse(composition("it")))


def test_bars_are_proportional() -> None:
    root = parse(charts.fund_composition(["a", "b"], {"x": [D(100), D(50)]}, "en"))
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")
              if r.find(f"{SVG}title") is not None]
    assert widths[0] == 2 * widths[1]


def test_balance_history_draws_a_line_per_fund_with_short_dates() -> None:
    ends = [datetime.date(2024, 12, 31), datetime.date(2025, 3, 31), datetime.date(2025, 6, 30)]
    series = {"Dotation": dict(zip(ends, [D(1000000), D(990000), D(1010000)], strict=True)),
              "Jeune fonds": {ends[2]: D(-2500)}}
    root = parse(charts.balance_history(series, "fr"))
    assert title(root) == i18n.t("chart.history", "fr")
    words = texts(root)
    assert {"déc. 24", "mars 25", "juin 25"} <= set(words)
    assert "Dotation" in words and "Jeune fonds" in words
    assert len(list(root.iter(f"{SVG}polyline"))) == 1  # a single point is a dot, no line
    assert len(list(root.iter(f"{SVG}circle"))) == 4 + 2  # points, and legend markers
    assert any(w.startswith(("-", "\u2212")) for w in words)  # the axis goes below zero


def test_more_funds_than_colours_are_all_drawn() -> None:
    day = datetime.date(2025, 3, 31)
    series = {f"Fonds {i}": {day: D(i * 1000), day.replace(month=6, day=30): D(i)}
              for i in range(10)}
    root = parse(charts.balance_history(series, "en"))
    lines = list(root.iter(f"{SVG}polyline"))
    assert len(lines) == 10
    assert lines[8].get("stroke-dasharray")  # past the palette: same colours, dashed


def test_paid_remaining_is_titled_and_translated() -> None:
    root = parse(charts.paid_remaining(["Logement"], [D(10)], [D(5)], "it"))
    assert title(root) == i18n.t("chart.pipeline", "it")
    assert {"Erogato", "Da erogare", "Logement"} <= set(texts(root))


def test_charts_are_deterministic_and_carry_no_ids() -> None:
    first, second = composition(), composition()
    assert first == second
    day = datetime.date(2025, 3, 31)
    history = charts.balance_history({"a": {day: D(1)}}, "en")
    for svg in (first, history, charts.hbars([("a", [(D(1), "bar")], "1")], "t"),
                charts.columns([(day, D(1))], "t", str)):
        assert " id=" not in svg
        parse(svg)


def test_report_and_site_share_the_chart_module(ledger_path: Path) -> None:
    import fundledger.publish.site as site

    assert site.charts is charts
    result = CliRunner().invoke(cli, ["report", "quarterly", str(ledger_path), "--quarter",
                                      "2025-Q3", "--lang", "en"])
    assert result.exit_code == 0
    svgs = re.findall(r"<svg.*?</svg>", result.stdout, flags=re.S)
    titles = [title(parse(svg)) for svg in svgs]
    assert titles == [i18n.t(k, "en") for k in ("chart.funds", "chart.history",
                                                 "chart.pipeline", "outlook.chart")]
    assert " id=" not in "".join(svgs)
