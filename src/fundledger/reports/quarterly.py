"""The quarterly allocation report for the board (SPEC 6.1).

One engine pass up to the quarter's end, with snapshots at the end of the previous year
and the day before the quarter: fund figures of the quarter and the year to date are
differences of those snapshots.  One walk over the entries (:mod:`facts`) lists what
happened in the period.  Tables are assembled with pandas and rendered by jinja2.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd
from beancount.core import data

from fundledger.engine import ZERO, Books, Event, FundFigures, analyse
from fundledger.reports import charts, facts
from fundledger.reports.base import Ledger, ReportError, render_html
from fundledger.reports.facts import PeriodFacts

QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
FIGURES = ("received", "spent", "transfers_in", "transfers_out")
#: Quarter ends shown in the balance history chart.
HISTORY_QUARTERS = 8


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = QUARTER.match(text.strip())
        if not match:
            raise ReportError(f'bad quarter "{text}" (expected YYYY-Qn, e.g. 2025-Q3)')
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> datetime.date:
        month = 3 * self.number
        return datetime.date(self.year, month, 31 if month in (3, 12) else 30)

    @property
    def year_start(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"


def _zero(name: str, kind: str) -> FundFigures:
    return FundFigures(name, kind)


def _movement(books: Books, before: datetime.date) -> dict[str, dict[str, Decimal]]:
    """Each fund's received/spent/transfers since ``before`` (exclusive) up to the end."""
    then = books.figures_at(before)
    moves = {}
    for name, now in books.figures.items():
        old = then.get(name) or _zero(name, now.kind)
        moves[name] = {k: getattr(now, k) - getattr(old, k) for k in FIGURES}
        moves[name]["opening"] = old.balance
    return moves


def fund_table(books: Books, quarter: Quarter) -> pd.DataFrame:
    """SPEC 3.2 figures per fund: the quarter's movements and the closing position."""
    moves = _movement(books, quarter.start - datetime.timedelta(days=1))
    rows = []
    for name, fund in books.funds.items():
        now = books.figures[name]
        rows.append({
            "fund": name, "label": fund.label, "kind": fund.kind,
            "opening": moves[name]["opening"],
            **{k: moves[name][k] for k in FIGURES},
            "closing": now.balance, "loans_outstanding": now.loans_outstanding,
            "pledges_outstanding": now.pledges_outstanding, "available": now.available,
        })
    return pd.DataFrame(rows, columns=[
        "fund", "label", "kind", "opening", *FIGURES, "closing", "loans_outstanding",
        "pledges_outstanding", "available"])


def _events_frame(events: list[Event], kinds: tuple[str, ...], books: Books,
                  since: datetime.date) -> pd.DataFrame:
    """Grant events of ``kinds`` since ``since``, with the grant's fund and grantee."""
    rows = []
    for event in events:
        if event.kind not in kinds or event.date < since:
            continue
        grant = books.grants.get(event.id)
        if grant is None:  # a payment of a grant never awarded (FL302): listed in errors
            continue
        rows.append({"date": event.date, "id": event.id, "fund": grant.fund or "",
                     "grantee": grant.grantee or "", "grantee_kind": grant.grantee_kind,
                     "private": grant.is_withheld, "narration": grant.narration,
                     "amount": event.amount})
    frame = pd.DataFrame(rows, columns=["date", "id", "fund", "grantee", "grantee_kind",
                                        "private", "narration", "amount"])
    return frame.sort_values(["fund", "grantee", "date", "id"], kind="stable")


def grouped(frame: pd.DataFrame, books: Books) -> list[dict[str, Any]]:
    """Rows grouped by fund (in declaration order), with each fund's subtotal."""
    order = {name: i for i, name in enumerate(books.funds)}
    groups = []
    for fund, rows in sorted(frame.groupby("fund", sort=False),
                             key=lambda item: order.get(item[0], len(order))):
        label = books.funds[fund].label if fund in books.funds else fund
        groups.append({"fund": fund, "label": label, "rows": rows.to_dict("records"),
                       "total": rows["amount"].sum()})
    return groups


def pipeline(books: Books, quarter: Quarter, events: list[Event]) -> pd.DataFrame:
    """Open grants, and grants with any movement this year: committed, paid, remaining."""
    active = {e.id for e in events if e.date >= quarter.year_start}
    rows = []
    for grant in books.grants.values():
        if grant.payable == 0 and grant.id not in active:
            continue
        rows.append({"id": grant.id, "fund": grant.fund or "", "grantee": grant.grantee or "",
                     "private": grant.is_withheld, "awarded_on": grant.awarded_on,
                     "committed": grant.awarded - grant.revoked, "paid": grant.paid,
                     "remaining": grant.payable})
    return pd.DataFrame(rows, columns=["id", "fund", "grantee", "private", "awarded_on",
                                       "committed", "paid", "remaining"])


def loan_book(books: Books, quarter: Quarter, events: list[Event]) -> pd.DataFrame:
    """Outstanding loans, and loans with any movement this year."""
    active = {e.id for e in events if e.date >= quarter.year_start}
    rows = []
    for loan in books.loans.values():
        if loan.outstanding == 0 and loan.id not in active:
            continue
        rows.append({"id": loan.id, "fund": loan.fund or "", "borrower": loan.borrower or "",
                     "private": loan.is_withheld,
                     "disbursed_on": loan.disbursed_on, "term": loan.term_months,
                     "lent": loan.lent, "repaid": loan.repaid, "written_off": loan.written_off,
                     "outstanding": loan.outstanding, "arrears": loan.arrears(quarter.end)})
    return pd.DataFrame(rows, columns=["id", "fund", "borrower", "private", "disbursed_on",
                                       "term", "lent", "repaid", "written_off", "outstanding",
                                       "arrears"])


def endowment(books: Books, quarter: Quarter, period: PeriodFacts) -> dict[str, Any]:
    """Holdings at cost and market, endowment funds, draws and spending-rule headroom."""
    funds = []
    for name, fund in books.funds.items():
        if fund.kind != "endowment":
            continue
        figures = books.figures[name]
        rule = books.spending_rules.get(name)
        limit = books.spending_limit(name, quarter.year) if rule else None
        ruled = (books.transferred_out(name, quarter.year, since=rule.date)
                 if rule else ZERO)
        funds.append({
            "fund": name, "label": fund.label, "balance": figures.balance,
            "corpus": figures.contributions,
            "draws_quarter": sum((t.amount for t in books.transfers if t.source == name
                                  and t.date >= quarter.start), ZERO),
            "draws_year": books.transferred_out(name, quarter.year),
            "rule": rule, "limit": limit,
            "headroom": None if limit is None else limit - ruled,
        })
    transfers = [t for t in books.transfers if t.date >= quarter.start]
    return {"holdings_start": period.holdings_start, "holdings_end": period.holdings_end,
            "funds": funds, "transfers": transfers}


def impact(books: Books) -> list[dict[str, Any]]:
    """Per fund and indicator: measured total, money committed to those projects, € per unit."""
    money: dict[str, tuple[str, Decimal]] = {}
    for grant in books.grants.values():
        money[grant.id] = (grant.fund or "", grant.net)
    for loan in books.loans.values():
        money[loan.id] = (loan.fund or "", loan.lent)
    table: dict[tuple[str, str], dict[str, Any]] = {}
    for item in books.impacts:
        fund, _amount = money.get(item.subject, ("", ZERO))
        row = table.setdefault((fund, item.indicator), {"value": ZERO, "subjects": set()})
        row["value"] += item.value
        row["subjects"].add(item.subject)
    order = {name: i for i, name in enumerate(books.funds)}
    rows = []
    for (fund, name), row in sorted(table.items(),
                                    key=lambda kv: (order.get(kv[0][0], 99), kv[0][1])):
        indicator = books.indicators.get(name)
        committed = sum((money[s][1] for s in row["subjects"] if s in money), ZERO)
        rows.append({
            "fund": fund, "fund_label": books.funds[fund].label if fund in books.funds else fund,
            "indicator": indicator.label if indicator else name,
            "unit": indicator.unit if indicator else "", "value": row["value"],
            "projects": len(row["subjects"]), "committed": committed,
            "per_unit": committed / row["value"] if row["value"] else None,
        })
    return rows


def headline(books: Books, quarter: Quarter, period: PeriodFacts,
             funds: pd.DataFrame) -> dict[str, Any]:
    """Key figures for the quarter and the year to date."""
    year_before = books.figures_at(quarter.year_start - datetime.timedelta(days=1))
    received_ytd = sum((f.received - (year_before[n].received if n in year_before else ZERO)
                        for n, f in books.figures.items()), ZERO)
    events_g, events_l = period.grant_events, period.loan_events
    return {
        "received": (funds["received"].sum() if len(funds) else ZERO, received_ytd),
        "granted": (facts.total(events_g, "award", quarter.start),
                    facts.total(events_g, "award")),
        "lent": (facts.total(events_l, "disbursement", quarter.start),
                 facts.total(events_l, "disbursement")),
        "repaid": (facts.total(events_l, "repayment", quarter.start),
                   facts.total(events_l, "repayment")),
        "available": (sum((f.available for f in books.figures.values()), ZERO),
                      sum((f.available for f in year_before.values()), ZERO)),
        "endowment": (period.holdings_end.market, period.holdings_start.market),
    }


def _charts(books: Books, table: pd.DataFrame, grants: pd.DataFrame,
            lang: str) -> dict[str, Any]:
    from fundledger.reports.i18n import t

    result: dict[str, Any] = {}
    if len(table):
        result["funds"] = charts.fund_composition(
            list(table["label"]),
            {t("figures.available", lang): list(table["available"]),
             t("figures.loans_outstanding", lang): list(table["loans_outstanding"]),
             t("figures.pledges_outstanding", lang): list(table["pledges_outstanding"])},
            lang)
        history = {}
        for name, fund in books.funds.items():
            points = books.quarter_balances.get(name, {})
            recent = dict(sorted(points.items())[-HISTORY_QUARTERS:])
            if recent:
                history[fund.label] = recent
        if history:
            result["history"] = charts.balance_history(history, lang)
    if len(grants):
        sums = grants.groupby("fund", sort=False)[["paid", "remaining"]].sum()
        labels = [books.funds[f].label if f in books.funds else f for f in sums.index]
        result["pipeline"] = charts.paid_remaining(labels, list(sums["paid"]),
                                                   list(sums["remaining"]), lang)
    return result


def build(entries: list[data.Directive], quarter: Quarter, lang: str,
          with_charts: bool = True) -> dict[str, Any]:
    """Every figure of the report, as plain data for the template (and for tests)."""
    before_quarter = quarter.start - datetime.timedelta(days=1)
    before_year = quarter.year_start - datetime.timedelta(days=1)
    books = analyse(entries, quarter.end, snapshots=[before_year, before_quarter], trace=False)
    period = facts.collect(entries, books, quarter.year_start, quarter.end)
    table = fund_table(books, quarter)
    awarded = _events_frame(period.grant_events, ("award",), books, quarter.start)
    paid = _events_frame(period.grant_events, ("payment",), books, quarter.start)
    grants = pipeline(books, quarter, period.grant_events)
    loans = loan_book(books, quarter, period.loan_events)
    return {
        "quarter": quarter,
        "books": books,
        "headline": headline(books, quarter, period, table),
        "funds": table.to_dict("records"),
        "funds_total": {c: table[c].sum() for c in table.columns[3:]} if len(table) else {},
        "awarded": grouped(awarded, books),
        "awarded_total": awarded["amount"].sum() if len(awarded) else ZERO,
        "paid": grouped(paid, books),
        "paid_total": paid["amount"].sum() if len(paid) else ZERO,
        "pipeline": grants.to_dict("records"),
        "pipeline_total": {c: grants[c].sum() if len(grants) else ZERO
                           for c in ("committed", "paid", "remaining")},
        "loans": loans.to_dict("records"),
        "loans_total": {c: loans[c].sum() if len(loans) else ZERO
                        for c in ("lent", "repaid", "written_off", "outstanding", "arrears")},
        "endowment": endowment(books, quarter, period),
        "impact": impact(books),
        "suspense": period.suspense,
        "suspense_accounts": ", ".join(sorted(period.suspense_accounts)),
        "charts": _charts(books, table, grants, lang) if with_charts else {},
        "has_private": bool(awarded["private"].any() or paid["private"].any()
                            or (len(grants) and grants["private"].any())),
    }


def render(entries: list[data.Directive], ledger: Ledger, quarter: Quarter, lang: str) -> str:
    context = build(entries, quarter, lang)
    labels = {name: fund.label for name, fund in context["books"].funds.items()}
    return render_html("quarterly.html.j2", lang, ledger, fund_labels=labels, **context)
