"""Hand-written inline SVG bar charts: deterministic, no script, readable without CSS.

Why not matplotlib here: its SVG carries ids and metadata that vary between runs unless
tamed, and a public site must be byte-identical from the same books.  Bars are simple
enough to write directly; every chart has a ``<title>`` and the figures it shows are
also in a table on the same page, so the chart is never the only way to read them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from decimal import Decimal

from markupsafe import Markup, escape

WIDTH = 720


def _n(value: float) -> str:
    """A coordinate with one decimal, no trailing noise (stable text across platforms)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def hbars(rows: Sequence[tuple[str, Sequence[tuple[Decimal, str]], str]], title: str,
          legend: Sequence[tuple[str, str]] = ()) -> Markup:
    """Horizontal stacked bars: one row per (label, [(value, css class)...], value text)."""
    label_w, value_w, row_h, top = 230, 130, 30, 8 + (22 if legend else 0)
    bar_w = WIDTH - label_w - value_w
    largest = max((sum((max(v, Decimal(0)) for v, _c in parts), Decimal(0))
                   for _l, parts, _t in rows), default=Decimal(0))
    height = top + row_h * len(rows) + 6
    out = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
           f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    x = label_w
    for text, cls in legend:
        out.append(f'<rect class="{cls}" x="{x}" y="4" width="12" height="12"/>'
                   f'<text x="{x + 17}" y="14.5" class="legend">{escape(text)}</text>')
        x += 30 + 7 * len(text)
    for index, (label, parts, value_text) in enumerate(rows):
        y = top + index * row_h
        short = label if len(label) <= 34 else label[:33] + "…"
        out.append(f'<text x="{label_w - 8}" y="{y + 18}" class="label" '
                   f'text-anchor="end">{escape(short)}</text>')
        x0 = float(label_w)
        for value, cls in parts:
            if value <= 0 or largest <= 0:
                continue
            w = float(value / largest) * bar_w
            out.append(f'<rect class="{cls}" x="{_n(x0)}" y="{y + 5}" width="{_n(w)}" '
                       f'height="{row_h - 10}"/>')
            x0 += w
        out.append(f'<text x="{_n(x0 + 6)}" y="{y + 18}" class="value">'
                   f'{escape(value_text)}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def columns(points: Sequence[tuple[datetime.date, Decimal]], title: str,
            fmt: Callable[[Decimal], str], year_label: Callable[[int], str] = str) -> Markup:
    """One column per quarter end, the years marked under the axis, min and max labelled."""
    height, left, bottom, top = 220, 90, 28, 12
    plot_w, plot_h = WIDTH - left - 10, height - top - bottom
    values = [v for _d, v in points]
    high = max([Decimal(0), *values])
    low = min([Decimal(0), *values])
    span = (high - low) or Decimal(1)
    out = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
           f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']

    def y_of(value: Decimal) -> float:
        return top + float((high - value) / span) * plot_h

    zero = y_of(Decimal(0))
    out.append(f'<line class="axis" x1="{left}" y1="{_n(zero)}" x2="{WIDTH - 10}" '
               f'y2="{_n(zero)}"/>')
    for value in sorted({high, low} - {Decimal(0)}) or [high]:
        out.append(f'<text x="{left - 6}" y="{_n(y_of(value) + 4)}" class="tick" '
                   f'text-anchor="end">{escape(fmt(value))}</text>')
    step = plot_w / max(len(points), 1)
    starts: list[tuple[float, int]] = []
    for index, (day, value) in enumerate(points):
        x = left + index * step
        y = min(y_of(value), zero)
        h = abs(y_of(value) - zero)
        cls = "bar" if value >= 0 else "bar neg"
        out.append(f'<rect class="{cls}" x="{_n(x + step * 0.15)}" y="{_n(y)}" '
                   f'width="{_n(step * 0.7)}" height="{_n(h)}"><title>{day.isoformat()} '
                   f'{escape(fmt(value))}</title></rect>')
        if not starts or starts[-1][1] != day.year:
            starts.append((x, day.year))
    # A year is labelled under its first bar, unless the next year's label would overlap it.
    for (x, year), after in zip(starts, [*starts[1:], (float("inf"), 0)], strict=True):
        if after[0] - x >= 36:
            out.append(f'<text x="{_n(x + 2)}" y="{height - 8}" class="tick">'
                       f'{escape(year_label(year))}</text>')
    out.append("</svg>")
    return Markup("".join(out))
