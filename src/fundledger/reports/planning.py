"""The board report's "Budget" and "Outlook" sections.

The figures are the engine's (:mod:`fundledger.engine.budget`, from the report's one pass
up to the quarter's end); this module only arranges them into rows for the template and
draws the outlook chart.  The outlook covers the four quarters after the report's quarter:
what a board decides on today, and when it would fall short.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from fundledger import charts, i18n
from fundledger.engine import ZERO, Books
from fundledger.engine.budget import planning_of

#: Quarters of the board report's outlook.
OUTLOOK_QUARTERS = 4


def section(books: Books, year: int, end: datetime.date, lang: str,
            with_charts: bool = True) -> dict[str, Any]:
    """Budget against actual of ``year`` and the outlook after ``end`` (the books' date)."""
    plan = planning_of(books)
    labels = {name: fund.label for name, fund in books.funds.items()}
    budget = []
    for row in plan.budget(year):
        budget.append({
            "fund": row.fund, "label": labels.get(row.fund, row.fund), "subtree": row.subtree,
            "budget": row.budget, "actual": row.actual, "rest": row.rest,
            "used": row.actual / row.budget if row.budget else None,
        })
    whole = [row for row in budget if row["subtree"] is None]
    forecast = plan.forecast(end, OUTLOOK_QUARTERS)
    quarters = [{"end": q.end, "name": i18n.format_date(q.end, lang, "QQQ yyyy"),
                 "flagged": q.flagged} for q in forecast.quarters]
    funds = []
    for index, (name, fund) in enumerate(books.funds.items()):
        cells = [q.funds[index] for q in forecast.quarters]
        funds.append({"fund": name, "label": fund.label,
                      "spendable": not fund.non_consumable_endowment,
                      "available": books.figures[name].available,
                      "cells": [(c.uncommitted, c.flagged) for c in cells]})
    cash = [(q.cash.cash, q.cash.flagged) for q in forecast.quarters]
    alerts = []
    for quarter, info in zip(forecast.quarters, quarters, strict=True):
        short = [labels.get(f.fund, f.fund) for f in quarter.funds if f.flagged]
        if quarter.cash.flagged:
            short.append(i18n.t("outlook.cash", lang))
        if short:
            alerts.append({"quarter": info["name"], "what": ", ".join(short)})
    result: dict[str, Any] = {
        "year": year,
        "budget": budget,
        "budget_total": {k: sum((r[k] for r in whole), ZERO)
                         for k in ("budget", "actual", "rest")},
        "start": end,
        "quarters": quarters,
        "funds": funds,
        "bank": forecast.quarters[0].cash.bank if forecast.quarters else ZERO,
        "cash": cash,
        "payments": [q.cash.payments for q in forecast.quarters],
        "alerts": alerts,
        "unscheduled": [{**u.as_dict(), "label": labels.get(u.fund, u.fund),
                         "private": books.grants[u.grant].is_withheld}
                        for u in forecast.unscheduled],
        "not_counted": [{**n.as_dict(), "date": n.date, "label": labels.get(n.fund, n.fund)}
                        for n in forecast.not_counted],
        "chart": None,
    }
    if with_charts and quarters and funds:
        series: dict[str, list[Decimal]] = {i18n.t("outlook.cash", lang): [c for c, _f in cash]}
        for row in funds:
            if row["spendable"]:
                series[row["label"]] = [c for c, _f in row["cells"]]
        result["chart"] = charts.outlook([q["name"] for q in quarters], series, lang,
                                         i18n.t("outlook.chart", lang))
    return result
