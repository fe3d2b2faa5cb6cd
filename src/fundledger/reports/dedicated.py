"""Tableau de variation des fonds dédiés (French ANC regulation 2018-06, in its annex's layout).

Rows by origin of the resources (subventions d'exploitation, contributions financières
d'autres organismes, ressources liées à la générosité du public), each with its restricted
funds as detail lines and a subtotal, then a total.  Every figure comes from the engine's
year records (:mod:`fundledger.engine.yearend`, first in, first out); this module only
groups and lays them out, so per fund opening + reports − utilisations + transferts =
closing = the fund's balance at the year's end, to the cent.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from fundledger.csvout import csv_cell
from fundledger.engine import ZERO, Books
from fundledger.engine.chart import ORIGINS
from fundledger.engine.yearend import DedicatedRow, dedicated_rows
from fundledger.i18n import t
from fundledger.reports.base import Ledger, render_html

#: The table's amount columns, in the regulation's order.
AMOUNTS = ["opening", "opening_refunds", "reports", "utilisations", "utilisation_refunds",
           "transfers", "closing", "dormant"]
COLUMNS = ["origin", "fund", "label", *AMOUNTS]


def build(books: Books, year: int) -> list[dict[str, Any]]:
    """The table: one group per origin that has funds, each ``{"origin", "rows",
    "total"}``, in the regulation's order."""
    rows = dedicated_rows(books, year)
    groups = []
    for origin in ORIGINS:
        mine = [r for r in rows if r.origin == origin]
        if mine:
            groups.append({"origin": origin, "rows": mine, "total": _sum(mine)})
    return groups


def totals(groups: list[dict[str, Any]]) -> dict[str, Decimal]:
    return _sum([row for group in groups for row in group["rows"]])


def _sum(rows: list[DedicatedRow]) -> dict[str, Decimal]:
    return {c: sum((getattr(r, c) for r in rows), ZERO) for c in AMOUNTS}


def to_csv(groups: list[dict[str, Any]], lang: str) -> str:
    """One line per fund (origin code, fund id, label, amounts as plain decimals), a
    subtotal line per origin and a TOTAL line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)

    def amounts(values: dict[str, Decimal]) -> list[str]:
        return [f"{values[c]:.2f}" for c in AMOUNTS]

    for group in groups:
        for row in group["rows"]:
            values = asdict(row)
            writer.writerow([row.origin, row.fund, csv_cell(row.label), *amounts(values)])
        writer.writerow([group["origin"], "SUBTOTAL", t(f"origin.{group['origin']}", lang),
                         *amounts(group["total"])])
    writer.writerow(["", "TOTAL", "", *amounts(totals(groups))])
    return buffer.getvalue()


def render(groups: list[dict[str, Any]], ledger: Ledger, year: int, lang: str) -> str:
    return render_html("dedicated.html.j2", lang, ledger, year=year, groups=groups,
                       total=totals(groups))
