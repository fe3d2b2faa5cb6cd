"""Charts as inline SVG (matplotlib), readable on screen and in print.

Why SVG: the HTML report stays one self-contained file, and WeasyPrint draws the same
vectors into the PDF, sharp at any zoom.  Text stays text (``svg.fonttype: none``), in the
report's font, with numbers in the reader's locale.
"""

from __future__ import annotations

import datetime
import io
import itertools
from collections.abc import Sequence
from decimal import Decimal

from markupsafe import Markup

from fundledger.reports import i18n

#: A calm, print-friendly palette (colour-blind safe, distinguishable in greyscale).
PALETTE = ["#1f4e79", "#6fa8dc", "#e69138", "#93c47d", "#8e7cc3", "#c27ba0", "#76a5af",
           "#b45f06"]
_counter = itertools.count()


def _figure(width: float, height: float):
    """A matplotlib figure drawn without pyplot (no GUI backend to import: half a second).

    Style settings are set once; the hash salt makes each chart's SVG ids unique in a page
    and the same from one run to the next.
    """
    import matplotlib
    from matplotlib.figure import Figure

    matplotlib.rcParams.update({
        "svg.fonttype": "none",
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": "#888888",
        "axes.titlesize": 10,
    })
    figure = Figure(figsize=(width, height))
    return figure, figure.subplots()


def _svg(figure) -> Markup:
    """The figure as an SVG element, with ids made unique within the page."""
    import matplotlib

    buffer = io.StringIO()
    matplotlib.rcParams["svg.hashsalt"] = f"fundledger-{next(_counter)}"
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    # Let CSS size the chart to the page width while keeping its aspect ratio.
    head, rest = text.split(">", 1)
    head = _drop_attr(_drop_attr(head, "width"), "height")
    return Markup(f'{head} class="chart">{rest}')


def _drop_attr(tag: str, name: str) -> str:
    start = tag.find(f' {name}="')
    if start < 0:
        return tag
    end = tag.index('"', start + len(name) + 3)
    return tag[:start] + tag[end + 1:]


def _thousands(lang: str):
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _pos: i18n.format_number(round(value / 1000), lang))


def fund_composition(labels: Sequence[str], series: dict[str, Sequence[Decimal]],
                     lang: str, legend_rows: int = 1) -> Markup:
    """Horizontal stacked bars: each fund's balance split into its parts (thousand €)."""
    fig, ax = _figure(7.2, 0.5 + 0.42 * max(1, len(labels)))
    left = [0.0] * len(labels)
    y = list(range(len(labels)))[::-1]
    for (name, values), colour in zip(series.items(), PALETTE, strict=False):
        widths = [max(0.0, float(v)) for v in values]
        ax.barh(y, widths, left=left, color=colour, label=name, height=0.6)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_yticks(y, labels)
    if not any(labels):
        ax.tick_params(axis="y", left=False)
        ax.spines["left"].set_visible(False)
    ax.xaxis.set_major_formatter(_thousands(lang))
    ax.set_xlabel(i18n.t("chart.thousands", lang))
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    columns = -(-len(series) // legend_rows)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=columns,
              frameon=False, fontsize=8)
    return _svg(fig)


def balance_history(series: dict[str, dict[datetime.date, Decimal]], lang: str) -> Markup:
    """Lines of each fund's balance at its last quarter ends (thousand €)."""
    fig, ax = _figure(7.2, 2.8)
    dates = sorted({d for points in series.values() for d in points})
    positions = {d: i for i, d in enumerate(dates)}
    for (name, points), colour in zip(series.items(), PALETTE, strict=False):
        xs = [positions[d] for d in sorted(points)]
        ys = [float(points[d]) for d in sorted(points)]
        ax.plot(xs, ys, marker="o", markersize=3, color=colour, label=name, linewidth=1.6)
    ax.set_xticks(range(len(dates)),
                  [i18n.format_date(d, lang, "MMM yy") for d in dates])
    ax.yaxis.set_major_formatter(_thousands(lang))
    ax.set_ylabel(i18n.t("chart.thousands", lang))
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    return _svg(fig)


def paid_remaining(labels: Sequence[str], paid: Sequence[Decimal],
                   remaining: Sequence[Decimal], lang: str) -> Markup:
    """Per fund, grants' paid and still-to-pay amounts as stacked bars."""
    return fund_composition(labels, {i18n.t("grant.paid", lang): paid,
                                     i18n.t("grant.remaining", lang): remaining}, lang)
