"""Every chart of fundledger, as hand-written inline SVG: the reports' and the public site's.

Why hand-written: the charts are bars and lines, simple enough to write directly, and the
output is then deterministic (same books, byte-identical SVG: no ids, no metadata, no
hash salt), costs no import (matplotlib's import and drawing took most of a quarterly
report's time, against SPEC 8's 1.50x), and stays text: labels are SVG ``<text>`` in the
page's own font, numbers in the reader's locale.  WeasyPrint draws the same SVG into the
PDF, sharp at any zoom.

Rules every chart keeps:

* a ``<title>`` first (the chart's accessible name), and the figures it shows are also
  in a table of the same page, so the chart is never the only way to read them;
* no ``id`` attribute at all, so two charts never clash within a page;
* coordinates written with one decimal at most (:func:`_n`), so the text is stable.

The reports' charts (:func:`fund_composition`, :func:`balance_history`,
:func:`paid_remaining`) carry their colours as attributes (a report is one self-contained
file, read on screen and as a PDF); the public site's (:func:`hbars`, :func:`columns`) use
CSS classes from the site's stylesheet.  Text widths are estimated from DejaVu Sans's
advance widths (the reports' font), close enough for layout in any sans-serif.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Callable, Sequence
from decimal import Decimal

from markupsafe import Markup, escape

from fundledger import i18n

#: A calm, print-friendly palette (colour-blind safe, distinguishable in greyscale).
PALETTE = ["#1f4e79", "#6fa8dc", "#e69138", "#93c47d", "#8e7cc3", "#c27ba0", "#76a5af",
           "#b45f06"]
#: Dash patterns for lines beyond the palette's length (a ninth fund is dashed navy).
DASHES = ["", "6 3", "2 3"]

WIDTH = 720
FONT_SIZE = 11
LINE_HEIGHT = 13
INK = "#333333"
MUTED = "#555555"
GRID = "#dddddd"
AXIS = "#888888"
SVG_OPEN = ('<svg class="chart" viewBox="0 0 {w} {h}" role="img" '
            'xmlns="http://www.w3.org/2000/svg">')

# -- text metrics -------------------------------------------------------------------------------

#: DejaVu Sans advance widths of ASCII 32-126, in 1/2048 em.
_ASCII_WIDTHS = (
    651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651, 690,
    1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 690, 690, 1716, 1716, 1716,
    1087, 2048, 1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767,
    1532, 1612, 1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799, 690,
    799, 1716, 1024, 1024, 1255, 1300, 1126, 1300, 1260, 721, 1300, 1298, 569, 569, 1186,
    569, 1995, 1298, 1253, 1300, 1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075,
    1303, 690, 1303, 1716)
_OTHER_WIDTHS = {"\u202f": 409, "\u00a0": 651, "€": 1303, "’": 651, "‘": 651, "«": 1253,
                 "»": 1253, "…": 2048, "œ": 2095, "Œ": 2191, "æ": 2011, "–": 1024,
                 "—": 2048, "·": 651, "°": 1024, "ß": 1290}


def _char_width(char: str) -> int:
    code = ord(char)
    if 32 <= code < 127:
        return _ASCII_WIDTHS[code - 32]
    if char in _OTHER_WIDTHS:
        return _OTHER_WIDTHS[char]
    base = unicodedata.normalize("NFD", char)[0]  # é is as wide as e
    return _ASCII_WIDTHS[ord(base) - 32] if 32 <= ord(base) < 127 else 1303


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """Estimated width of ``text`` at ``size`` (DejaVu Sans metrics)."""
    return sum(_char_width(c) for c in text) * size / 2048


def _fit(text: str, width: float, size: float = FONT_SIZE) -> str:
    """``text``, cut with an ellipsis if it is wider than ``width``."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _wrap(text: str, width: float, lines: int = 2, size: float = FONT_SIZE) -> list[str]:
    """``text`` in at most ``lines`` lines of ``width``, on word boundaries (the last one cut)."""
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines - 1:
        line = words.pop(0)
        while words and text_width(f"{line} {words[0]}", size) <= width:
            line = f"{line} {words.pop(0)}"
        out.append(line)
    if words:
        out.append(_fit(" ".join(words), width, size))
    return [_fit(line, width, size) for line in out] or [""]


# -- numbers ------------------------------------------------------------------------------------

def _n(value: float) -> str:
    """A coordinate with one decimal, no trailing noise (stable text across platforms)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _ticks(low: Decimal, high: Decimal) -> list[Decimal]:
    """Round tick values covering ``low``..``high`` (0 included): 4 to 7 steps of 1, 2,
    2.5 or 5 times a power of ten, the ones that waste the least room beyond the data."""
    low, high = min(low, Decimal(0)), max(high, Decimal(0))
    if high - low <= 0:
        high = Decimal(1000)
    span = high - low
    magnitude = Decimal(10) ** (span / 7).adjusted()
    best: tuple[Decimal, Decimal, Decimal] | None = None
    for power in (magnitude, magnitude * 10):
        for factor in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5)):
            step = factor * power
            first = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
            last = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
            if not 4 <= (last - first) / step <= 7:
                continue
            if best is None or last - first < best[1] - best[0]:
                best = (first, last, step)
    if best is None:  # not reachable for a positive span; kept as a safe fallback
        best = (low, high, span)
    first, last, step = best
    ticks = []
    value = first
    while value <= last:
        ticks.append(value)
        value += step
    return ticks


def _thousands(ticks: Sequence[Decimal], lang: str) -> list[str]:
    """Tick labels in thousands, with the decimals the step needs, in the locale."""
    step = (ticks[1] - ticks[0]) / 1000 if len(ticks) > 1 else Decimal(1)
    decimals = max(0, -step.normalize().as_tuple().exponent)
    return [i18n.format_number(tick / 1000, lang, decimals) for tick in ticks]


# -- pieces -------------------------------------------------------------------------------------

def _open(height: float, title: str) -> list[str]:
    return [SVG_OPEN.format(w=WIDTH, h=_n(height)), f"<title>{escape(title)}</title>",
            f'<g font-size="{FONT_SIZE}" fill="{INK}">']


def _close(out: list[str]) -> Markup:
    out.append("</g></svg>")
    return Markup("".join(out))


def _text(x: float, y: float, text: str, anchor: str = "start", fill: str | None = None,
          size: float | None = None) -> str:
    attrs = f' x="{_n(x)}" y="{_n(y)}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if fill:
        attrs += f' fill="{fill}"'
    if size:
        attrs += f' font-size="{_n(size)}"'
    return f"<text{attrs}>{escape(text)}</text>"


def _legend_layout(items: Sequence[str], left: float, right: float, per_row: int,
                   centred: bool) -> list[list[tuple[float, str]]]:
    """Legend items flowed into rows: ``[(x of the swatch, text)]`` per row."""
    swatch, gap = 16, 18
    room = right - left
    rows: list[list[tuple[float, str]]] = []
    widths: list[list[float]] = []
    for text in items:
        text = _fit(text, room - swatch)
        width = swatch + text_width(text)
        if (not rows or len(rows[-1]) >= per_row
                or sum(widths[-1]) + gap * len(widths[-1]) + width > room):
            rows.append([])
            widths.append([])
        rows[-1].append((0.0, text))
        widths[-1].append(width)
    placed = []
    for row, row_widths in zip(rows, widths, strict=True):
        total = sum(row_widths) + gap * (len(row_widths) - 1)
        x = left + (room - total) / 2 if centred else left
        line = []
        for (_x, text), width in zip(row, row_widths, strict=True):
            line.append((x, text))
            x += width + gap
        placed.append(line)
    return placed


def _legend(out: list[str], placed: list[list[tuple[float, str]]], top: float,
            colours: Sequence[str], lines: bool = False) -> None:
    index = 0
    for row_number, row in enumerate(placed):
        y = top + row_number * (LINE_HEIGHT + 4)
        for x, text in row:
            colour = colours[index % len(colours)]
            if lines:
                dash = _dash(index)
                out.append(f'<line x1="{_n(x)}" y1="{_n(y - 4)}" x2="{_n(x + 12)}" '
                           f'y2="{_n(y - 4)}" stroke="{colour}" stroke-width="2"{dash}/>'
                           f'<circle cx="{_n(x + 6)}" cy="{_n(y - 4)}" r="2.5" '
                           f'fill="{colour}"/>')
            else:
                out.append(f'<rect x="{_n(x)}" y="{_n(y - 10)}" width="11" height="11" '
                           f'fill="{colour}"/>')
            out.append(_text(x + 16, y, text))
            index += 1


def _dash(index: int) -> str:
    pattern = DASHES[(index // len(PALETTE)) % len(DASHES)]
    return f' stroke-dasharray="{pattern}"' if pattern else ""


# -- the reports' charts ------------------------------------------------------------------------

def fund_composition(labels: Sequence[str], series: dict[str, Sequence[Decimal]],
                     lang: str, legend_rows: int = 1, title: str | None = None) -> Markup:
    """Horizontal stacked bars: each row's total split into ``series`` (thousand €).

    ``labels`` name the rows (funds); with no label at all (``[""]``) the bars take the
    whole width.  Negative parts count as nothing.  The legend is on top, in at most
    ``legend_rows`` rows when they fit; the axis is in thousands of euros in ``lang``.
    """
    names = list(series)
    colours = PALETTE
    count = len(labels)
    label_w = 0.0
    wrapped: list[list[str]] = [[] for _label in labels]
    if any(labels):
        widest = max(text_width(label) for label in labels)
        label_w = min(widest, 250.0) + 10
        wrapped = [_wrap(label, label_w - 10) if label else [] for label in labels]
    left, right = (label_w if label_w else 10.0), WIDTH - 24.0
    per_row = -(-len(names) // max(1, legend_rows))
    placed = _legend_layout(names, left, right, per_row, centred=True)
    legend_h = len(placed) * (LINE_HEIGHT + 4) + 6
    row_h = 34.0 if not label_w or any(len(lines) > 1 for lines in wrapped) else 28.0
    top = legend_h + 4
    plot_h = row_h * max(1, count)
    height = top + plot_h + 44

    totals = [sum((max(Decimal(0), Decimal(values[i])) for values in series.values()),
                  Decimal(0)) for i in range(count)]
    ticks = _ticks(Decimal(0), max(totals, default=Decimal(0)))
    high = ticks[-1]
    scale = (right - left) / float(high)
    tick_labels = _thousands(ticks, lang)

    title = title if title is not None else i18n.t("chart.funds", lang)
    out = _open(height, title)
    _legend(out, placed, 13, colours)
    bottom = top + plot_h
    for tick, text in zip(ticks, tick_labels, strict=True):
        x = left + float(tick) * scale
        out.append(f'<line x1="{_n(x)}" y1="{_n(top)}" x2="{_n(x)}" y2="{_n(bottom)}" '
                   f'stroke="{GRID}" stroke-width="0.8"/>')
        out.append(_text(x, bottom + 15, text, "middle", MUTED))
    out.append(_text((left + right) / 2, bottom + 34, i18n.t("chart.thousands", lang),
                     "middle", MUTED))
    bar_h = row_h * 0.6
    for index, (label, lines) in enumerate(zip(labels, wrapped, strict=True)):
        y = top + index * row_h
        first = y + row_h / 2 + 4 - (len(lines) - 1) * LINE_HEIGHT / 2
        for number, line in enumerate(lines):
            out.append(_text(left - 8, first + number * LINE_HEIGHT, line, "end"))
        x = left
        for (name, values), colour in zip(series.items(), _cycle(colours, len(names)),
                                          strict=True):
            value = max(Decimal(0), Decimal(values[index]))
            if value <= 0:
                continue
            width = float(value) * scale
            out.append(f'<rect x="{_n(x)}" y="{_n(y + (row_h - bar_h) / 2)}" '
                       f'width="{_n(width)}" height="{_n(bar_h)}" fill="{colour}">'
                       f"<title>{escape(_caption(label, name))}"
                       f"{escape(i18n.t('colon', lang))} "
                       f"{escape(i18n.format_money(value, lang))}</title></rect>")
            x += width
    out.append(f'<line x1="{_n(left)}" y1="{_n(top)}" x2="{_n(left)}" y2="{_n(bottom)}" '
               f'stroke="{AXIS}" stroke-width="1"/>')
    out.append(f'<line x1="{_n(left)}" y1="{_n(bottom)}" x2="{_n(right)}" y2="{_n(bottom)}" '
               f'stroke="{AXIS}" stroke-width="1"/>')
    return _close(out)


def _caption(label: str, name: str) -> str:
    return f"{label} — {name}" if label else name


def _cycle(colours: Sequence[str], count: int) -> list[str]:
    return [colours[i % len(colours)] for i in range(count)]


def balance_history(series: dict[str, dict[datetime.date, Decimal]], lang: str,
                    title: str | None = None) -> Markup:
    """Lines of each fund's balance at its last quarter ends (thousand €).

    One x position per date any fund has, labelled as a short month and year in ``lang``
    (``déc. 24``); a fund's line runs over its own dates only.  The legend is under the
    chart, flowed over as many rows as the names need.
    """
    dates = sorted({d for points in series.values() for d in points})
    names = list(series)
    values = [v for points in series.values() for v in points.values()]
    ticks = _ticks(min(values, default=Decimal(0)), max(values, default=Decimal(0)))
    tick_labels = _thousands(ticks, lang)
    unit = i18n.t("chart.thousands", lang)
    left = max(text_width(text) for text in tick_labels) + 16
    right = WIDTH - 16.0
    top, plot_h = 26.0, 190.0
    bottom = top + plot_h
    placed = _legend_layout(names, left, right, 1 << 30, centred=False)
    height = bottom + 34 + len(placed) * (LINE_HEIGHT + 4) + 4
    low, high = ticks[0], ticks[-1]

    def y_of(value: Decimal) -> float:
        return bottom - float((value - low) / (high - low)) * plot_h

    step = (right - left) / max(1, len(dates))
    x_of = {d: left + step * (i + 0.5) for i, d in enumerate(dates)}

    out = _open(height, title if title is not None else i18n.t("chart.history", lang))
    out.append(_text(left - 8, 12, unit, "start", MUTED))
    for tick, text in zip(ticks, tick_labels, strict=True):
        y = y_of(tick)
        colour = AXIS if tick == 0 else GRID
        out.append(f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(right)}" y2="{_n(y)}" '
                   f'stroke="{colour}" stroke-width="{"1" if tick == 0 else "0.8"}"/>')
        out.append(_text(left - 6, y + 4, text, "end", MUTED))
    for day in dates:
        out.append(_text(x_of[day], bottom + 16, i18n.format_date(day, lang, "MMM yy"),
                         "middle", MUTED))
    for index, (name, points) in enumerate(series.items()):
        colour = PALETTE[index % len(PALETTE)]
        coords = [(x_of[d], y_of(points[d])) for d in sorted(points)]
        path = " ".join(f"{_n(x)},{_n(y)}" for x, y in coords)
        out.append(f'<g stroke="{colour}" fill="{colour}"><title>{escape(name)}</title>')
        if len(coords) > 1:
            out.append(f'<polyline points="{path}" fill="none" stroke-width="1.8" '
                       f'stroke-linejoin="round"{_dash(index)}/>')
        for (x, y), day in zip(coords, sorted(points), strict=True):
            out.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="2.6"><title>{escape(name)} '
                       f"{escape(i18n.format_date(day, lang, 'medium'))}"
                       f"{escape(i18n.t('colon', lang))} "
                       f"{escape(i18n.format_money(points[day], lang))}</title></circle>")
        out.append("</g>")
    _legend(out, placed, bottom + 40, PALETTE, lines=True)
    return _close(out)


def paid_remaining(labels: Sequence[str], paid: Sequence[Decimal],
                   remaining: Sequence[Decimal], lang: str) -> Markup:
    """Per fund, grants' paid and still-to-pay amounts as stacked bars."""
    return fund_composition(labels, {i18n.t("grant.paid", lang): paid,
                                     i18n.t("grant.remaining", lang): remaining}, lang,
                            title=i18n.t("chart.pipeline", lang))


#: Columns below zero (a fund promising more than it has, payments beyond the cash).
SHORT = "#c00000"


def outlook(quarters: Sequence[str], series: dict[str, Sequence[Decimal]], lang: str,
            title: str) -> Markup:
    """Grouped columns around a zero line: per quarter, one column per series (thousand €).

    Why this shape: the board asks one question of the quarters ahead, "does anything go
    below zero, and when?".  Columns below the zero line are filled red (their series'
    colour kept as the outline) and marked "!", so the answer needs no reading of figures.
    """
    names = list(series)
    values = [Decimal(v) for points in series.values() for v in points]
    ticks = _ticks(min(values, default=Decimal(0)), max(values, default=Decimal(0)))
    tick_labels = _thousands(ticks, lang)
    left = max(text_width(text) for text in tick_labels) + 16
    right = WIDTH - 16.0
    placed = _legend_layout(names, left, right, 1 << 30, centred=False)
    top = len(placed) * (LINE_HEIGHT + 4) + 22
    plot_h = 180.0
    bottom = top + plot_h
    height = bottom + 26
    low, high = ticks[0], ticks[-1]

    def y_of(value: Decimal) -> float:
        return bottom - float((value - low) / (high - low)) * plot_h

    out = _open(height, title)
    _legend(out, placed, 13, PALETTE)
    out.append(_text(left - 8, top - 8, i18n.t("chart.thousands", lang), "start", MUTED))
    for tick, text in zip(ticks, tick_labels, strict=True):
        y = y_of(tick)
        out.append(f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(right)}" y2="{_n(y)}" '
                   f'stroke="{AXIS if tick == 0 else GRID}" '
                   f'stroke-width="{"1.2" if tick == 0 else "0.8"}"/>')
        out.append(_text(left - 6, y + 4, text, "end", MUTED))
    group = (right - left) / max(1, len(quarters))
    bar = group * 0.8 / max(1, len(names))
    zero = y_of(Decimal(0))
    for q_index, quarter in enumerate(quarters):
        x0 = left + q_index * group + group * 0.1
        out.append(_text(left + (q_index + 0.5) * group, bottom + 18, quarter, "middle",
                         MUTED))
        for s_index, (name, points) in enumerate(series.items()):
            value = Decimal(points[q_index])
            colour = PALETTE[s_index % len(PALETTE)]
            x, y = x0 + s_index * bar, y_of(value)
            short = value < 0
            fill = SHORT if short else colour
            out.append(f'<rect x="{_n(x + 1)}" y="{_n(min(y, zero))}" width="{_n(bar - 2)}" '
                       f'height="{_n(max(abs(y - zero), 3.0 if short else 0.8))}" '
                       f'fill="{fill}"'
                       + (f' stroke="{colour}" stroke-width="1.5"' if short else "")
                       + f"><title>{escape(quarter)} — {escape(name)}"
                       f"{escape(i18n.t('colon', lang))} "
                       f"{escape(i18n.format_money(value, lang))}</title></rect>")
            if short:
                out.append(_text(x + bar / 2, zero - 4, "!", "middle", SHORT))
    return _close(out)


# -- the public site's charts -------------------------------------------------------------------

def hbars(rows: Sequence[tuple[str, Sequence[tuple[Decimal, str]], str]], title: str,
          legend: Sequence[tuple[str, str]] = ()) -> Markup:
    """Horizontal stacked bars: one row per (label, [(value, css class)...], value text)."""
    label_w, value_w, top = 230, 130, 8 + (22 if legend else 0)
    # Names wrap on word boundaries (two lines at most), never cut mid-word: the site's
    # fund names are long ("Répondre aux besoins immobiliers des acteurs de l'ESS").
    wrapped = [_wrap(label, label_w - 14, lines=3, size=12) for label, _p, _t in rows]
    row_h = max(30, 14 * max((len(lines) for lines in wrapped), default=1) + 10)
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
    for index, (_label, parts, value_text) in enumerate(rows):
        y = top + index * row_h
        lines = wrapped[index]
        first = y + row_h / 2 + 4 - (len(lines) - 1) * 7
        for number, line in enumerate(lines):
            out.append(f'<text x="{label_w - 8}" y="{_n(first + number * 14)}" '
                       f'class="label" text-anchor="end">{escape(line)}</text>')
        x0 = float(label_w)
        for value, cls in parts:
            if value <= 0 or largest <= 0:
                continue
            w = float(value / largest) * bar_w
            out.append(f'<rect class="{cls}" x="{_n(x0)}" y="{_n(y + (row_h - 20) / 2)}" '
                       f'width="{_n(w)}" height="20"/>')
            x0 += w
        out.append(f'<text x="{_n(x0 + 6)}" y="{_n(y + row_h / 2 + 4)}" class="value">'
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
