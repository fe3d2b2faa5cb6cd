"""The quarterly allocation report for the board (SPEC 6.1).

Built from the command's one engine pass (the plugin's :class:`Books`), seen as of the
quarter's end (:meth:`Books.as_of`): fund figures of the quarter and the year to date are
differences of the figures the engine keeps at every quarter end, and :mod:`facts` picks
what happened in the period.  Tables are plain lists of dicts (amounts as ``Decimal``),
rendered by jinja2.

No pandas here: its import alone (about 0.4 s) is a third of a bare Beancount load of a
10k-transaction ledger, and SPEC 8 gives the whole report 1.50x that load.  A test checks
that the quarterly report imports neither pandas nor matplotlib.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fundledger import charts
from fundledger.engine import ZERO, Books, Event, FundFigures
from fundledger.engine.programmes import overview, programmes_of
from fundledger.reports import facts, planning
from fundledger.reports.base import Ledger, ReportError, render_html
from fundledger.reports.facts import PeriodFacts

QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
#: The first year a report may cover (as ``report dedicated-funds --year``).
FIRST_YEAR = 1900
FIGURES = ("received", "spent", "transfers_in", "transfers_out")
#: Quarter ends shown in the balance history chart.
HISTORY_QUARTERS = 8
#: The fund table's amount columns, in order (the ones with a total row).
FUND_AMOUNTS = ("opening", *FIGURES, "closing", "loans_outstanding", "pledges_outstanding",
                "available")

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = QUARTER.match(text.strip())
        if not match:
            raise ReportError(f'bad quarter "{text}" (expected YYYY-Qn, e.g. 2025-Q3)')
        year = int(match.group(1))
        if not FIRST_YEAR <= year <= 9999:
            # The report compares with the end of the previous year: year 1 has none.
            raise ReportError(f'quarter "{text}" out of range (years {FIRST_YEAR} to 9999)')
        return cls(year, int(match.group(2)))

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


def total(rows: Rows, column: str) -> Decimal:
    """Sum of ``column`` over ``rows`` (``ZERO`` for no rows)."""
    return sum((row[column] for row in rows), ZERO)


def fund_table(books: Books, quarter: Quarter) -> Rows:
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
    return rows


def _events_rows(events: list[Event], kinds: tuple[str, ...], books: Books,
                 since: datetime.date) -> Rows:
    """Grant events of ``kinds`` since ``since``, with the grant's fund and grantee,
    ordered by fund, grantee, date and id."""
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
    return sorted(rows, key=lambda r: (r["fund"], r["grantee"], r["date"], r["id"]))


def _by_fund(rows: Rows) -> dict[str, Rows]:
    """``rows`` by their ``fund``, funds in order of first appearance."""
    groups: dict[str, Rows] = {}
    for row in rows:
        groups.setdefault(row["fund"], []).append(row)
    return groups


def grouped(rows: Rows, books: Books) -> list[dict[str, Any]]:
    """Rows grouped by fund (in declaration order), with each fund's subtotal."""
    order = {name: i for i, name in enumerate(books.funds)}
    groups = []
    for fund, members in sorted(_by_fund(rows).items(),
                                key=lambda item: order.get(item[0], len(order))):
        label = books.funds[fund].label if fund in books.funds else fund
        groups.append({"fund": fund, "label": label, "rows": members,
                       "total": total(members, "amount")})
    return groups


#: The movements that lower what a grant or loan cost its fund after the fact, with the
#: board's label key: a revocation cancels what was still owed, a refund brings back what
#: was paid, a write-off turns outstanding principal into a loss.
ADJUSTMENTS = ("revocation", "refund", "write-off")


def adjustments(books: Books, period: PeriodFacts, since: datetime.date) -> Rows:
    """The quarter's revocations, refunds (grants) and write-offs (loans), with the grant
    or loan they touch, so a fund's awarded and used figures can be reconciled."""
    rows = []
    for event in (*period.grant_events, *period.loan_events):
        if event.kind not in ADJUSTMENTS or event.date < since:
            continue
        item = books.grants.get(event.id) if event.kind != "write-off" \
            else books.loans.get(event.id)
        if item is None:
            continue
        who = item.grantee if event.kind != "write-off" else item.borrower
        rows.append({"date": event.date, "kind": event.kind, "id": event.id,
                     "fund": item.fund or "", "grantee": who or "", "grantee_kind": None,
                     "private": item.is_withheld, "narration": item.narration or "",
                     "amount": event.amount})
    return sorted(rows, key=lambda r: (r["fund"], r["date"], r["id"]))


def pipeline(books: Books, quarter: Quarter, events: list[Event]) -> Rows:
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
    return rows


def loan_book(books: Books, quarter: Quarter, events: list[Event]) -> Rows:
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
    return rows


def endowment(books: Books, quarter: Quarter, period: PeriodFacts) -> dict[str, Any]:
    """Holdings at cost and market, endowment funds, draws and spending-rule headroom."""
    funds = []
    for name, fund in books.funds.items():
        if fund.kind != "endowment":
            continue
        figures = books.figures[name]
        rule = books.spending_headroom(name, quarter.end)
        funds.append({
            "fund": name, "label": fund.label, "balance": figures.balance,
            "corpus": figures.contributions,
            "draws_quarter": sum((t.amount for t in books.transfers if t.source == name
                                  and t.date >= quarter.start), ZERO),
            "draws_year": books.transferred_out(name, quarter.year),
            "rule": rule, "limit": rule.limit if rule else None,
            "headroom": rule.headroom if rule else None,
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
             funds: Rows) -> dict[str, Any]:
    """Key figures for the quarter and the year to date."""
    year_before = books.figures_at(quarter.year_start - datetime.timedelta(days=1))
    received_ytd = sum((f.received - (year_before[n].received if n in year_before else ZERO)
                        for n, f in books.figures.items()), ZERO)
    events_g, events_l = period.grant_events, period.loan_events
    return {
        "received": (total(funds, "received"), received_ytd),
        "granted": (facts.total(events_g, "award", quarter.start),
                    facts.total(events_g, "award")),
        "lent": (facts.total(events_l, "disbursement", quarter.start),
                 facts.total(events_l, "disbursement")),
        "repaid": (facts.total(events_l, "repayment", quarter.start),
                   facts.total(events_l, "repayment")),
        "available": (sum((f.available for f in books.figures.values()), ZERO),
                      sum((f.available for f in year_before.values()), ZERO)),
        # The endowment's value is its funds' balance (what the restriction holds, as the
        # public site shows it); the securities' market value is in the endowment section.
        "endowment": (_endowment_balance(books.figures, books),
                      _endowment_balance(year_before, books)),
        "has_endowment": any(f.kind == "endowment" for f in books.funds.values()),
    }


def _endowment_balance(figures: dict[str, FundFigures], books: Books) -> Decimal:
    return sum((f.balance for n, f in figures.items()
                if n in books.funds and books.funds[n].kind == "endowment"), ZERO)


def _column(rows: Rows, name: str) -> list[Any]:
    return [row[name] for row in rows]


def _charts(books: Books, table: Rows, grants: Rows, lang: str) -> dict[str, Any]:
    from fundledger.i18n import t

    result: dict[str, Any] = {}
    # The endowment (Lyon's 1 M€) would set the scale and leave the funds the board
    # decides on as slivers: the chart shows the other funds, the endowment has its
    # figures in the table above and its own section.
    charted = [row for row in table if row["kind"] != "endowment"] or table
    if charted:
        result["funds"] = charts.fund_composition(
            _column(charted, "label"),
            {t("figures.available", lang): _column(charted, "available"),
             t("figures.loans_outstanding", lang): _column(charted, "loans_outstanding"),
             t("figures.pledges_outstanding", lang): _column(charted, "pledges_outstanding")},
            lang)
        result["funds_without_endowment"] = len(charted) < len(table)
        history = {}
        shown = {row["fund"] for row in charted}
        for name, fund in books.funds.items():
            if name not in shown:
                continue
            points = books.quarter_balances.get(name, {})
            recent = dict(sorted(points.items())[-HISTORY_QUARTERS:])
            if recent:
                history[fund.label] = recent
        if history:
            result["history"] = charts.balance_history(history, lang)
    if grants:
        sums = _by_fund(grants)
        labels = [books.funds[f].label if f in books.funds else f for f in sums]
        result["pipeline"] = charts.paid_remaining(
            labels, [total(rows, "paid") for rows in sums.values()],
            [total(rows, "remaining") for rows in sums.values()], lang)
    return result


def build(all_books: Books, quarter: Quarter, lang: str,
          with_charts: bool = True) -> dict[str, Any]:
    """Every figure of the report, as plain data for the template (and for tests)."""
    books = all_books.as_of(quarter.end)
    period = facts.collect(books, quarter.year_start, quarter.end)
    table = fund_table(books, quarter)
    awarded = _events_rows(period.grant_events, ("award",), books, quarter.start)
    paid = _events_rows(period.grant_events, ("payment",), books, quarter.start)
    grants = pipeline(books, quarter, period.grant_events)
    loans = loan_book(books, quarter, period.loan_events)
    corrections = adjustments(books, period, quarter.start)
    return {
        "quarter": quarter,
        # The books end before the quarter does: the report would silently show the last
        # known position as the quarter's, so it says so (and the command on stderr).
        "books_end": all_books.last_date,
        "after_books": all_books.last_date is not None and all_books.last_date < quarter.start,
        "books": books,
        "headline": headline(books, quarter, period, table),
        "funds": table,
        "funds_total": {c: total(table, c) for c in FUND_AMOUNTS} if table else {},
        "awarded": grouped(awarded, books),
        "awarded_total": total(awarded, "amount"),
        "paid": grouped(paid, books),
        "paid_total": total(paid, "amount"),
        "adjustments": grouped(corrections, books),
        "adjustments_total": total(corrections, "amount"),
        "pipeline": grants,
        "pipeline_total": {c: total(grants, c) for c in ("committed", "paid", "remaining")},
        "loans": loans,
        "loans_total": {c: total(loans, c)
                        for c in ("lent", "repaid", "written_off", "outstanding", "arrears")},
        "endowment": endowment(books, quarter, period),
        "impact": impact(books),
        "suspense": period.suspense,
        "suspense_accounts": ", ".join(sorted(period.suspense_accounts)),
        "charts": _charts(books, table, grants, lang) if with_charts else {},
        "has_private": any(row["private"]
                           for row in (*awarded, *paid, *corrections, *grants)),
        # Each programme's applications by stage at the quarter's end (see programmes.py).
        "programmes": overview(programmes_of(books), quarter.end),
        "planning": planning.section(books, quarter.year, quarter.end, lang, with_charts),
    }


def render(books: Books, ledger: Ledger, quarter: Quarter, lang: str) -> str:
    context = build(books, quarter, lang)
    labels = {name: fund.label for name, fund in context["books"].funds.items()}
    return render_html("quarterly.html.j2", lang, ledger, fund_labels=labels, **context)
