"""Tableau de variation des fonds dédiés (SPEC 6.2, French ANC regulation 2018-06).

For each restricted fund over one calendar year: opening balance, new resources, amounts
used, transfers in and out, closing balance.  Every figure is a difference of the fund
figures the engine keeps at quarter ends (31 December of the previous year and of the
year), so the table reconciles by construction: opening + resources - used + transfers in
- transfers out = closing.
"""

from __future__ import annotations

import datetime
import io

import pandas as pd

from fundledger.engine import ZERO, Books, FundFigures
from fundledger.reports.base import Ledger, render_html

COLUMNS = ["fund", "label", "opening", "resources", "used", "transfers_in", "transfers_out",
           "closing"]
AMOUNTS = COLUMNS[2:]


def build(all_books: Books, year: int) -> pd.DataFrame:
    """One row per restricted fund declared by the end of ``year``."""
    opening_day = datetime.date(year - 1, 12, 31)
    closing_day = datetime.date(year, 12, 31)
    books = all_books.as_of(closing_day)
    before = books.figures_at(opening_day)
    rows = []
    for name, fund in books.funds.items():
        if fund.kind != "restricted":
            continue
        now = books.figures[name]
        old = before.get(name) or FundFigures(name, fund.kind)
        rows.append({
            "fund": name, "label": fund.label, "opening": old.balance,
            "resources": now.received - old.received, "used": now.spent - old.spent,
            "transfers_in": now.transfers_in - old.transfers_in,
            "transfers_out": now.transfers_out - old.transfers_out,
            "closing": now.balance,
        })
    return pd.DataFrame(rows, columns=COLUMNS)


def totals(table: pd.DataFrame) -> dict[str, object]:
    return {c: table[c].sum() if len(table) else ZERO for c in AMOUNTS}


def to_csv(table: pd.DataFrame) -> str:
    """Machine-readable CSV: fund id, label, amounts as plain decimals, then a total row."""
    out = table.copy()
    total = {"fund": "TOTAL", "label": "", **totals(table)}
    out = pd.concat([out, pd.DataFrame([total], columns=COLUMNS)], ignore_index=True)
    for column in AMOUNTS:
        out[column] = [f"{value:.2f}" for value in out[column]]
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def render(table: pd.DataFrame, ledger: Ledger, year: int, lang: str) -> str:
    return render_html("dedicated.html.j2", lang, ledger, year=year,
                       rows=table.to_dict("records"), total=totals(table))
