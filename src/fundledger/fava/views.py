"""What the fundledger Fava pages show, assembled from the fund engine's :class:`Books`.

Nothing here computes a fund figure: every amount is read from the engine (figures,
grants, loans, transfers, traces).  This module only arranges them into rows, adds the
Fava filters that lead from a figure to its entries, and stays free of Flask so that it
can be tested without a server.  :class:`Views` is built once per ledger load.
"""

from __future__ import annotations

import datetime
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from beancount.core import data

from fundledger.collector import give_memory_back
from fundledger.engine import (
    SUSPENSE,
    ZERO,
    Books,
    FundError,
    FundFigures,
    Grant,
    Impact,
    Loan,
    SpendingHeadroom,
    Trace,
    Untraceable,
    analyse,
    code_of,
    round_to_cent,
)
from fundledger.engine.accounts import Roots
from fundledger.engine.budget import BudgetRow, Forecast, planning_of, quarters_left
from fundledger.engine.closing import PeriodStatus, closing_of


def figures_of(roots: Roots) -> tuple[tuple[str, str | None], ...]:
    """The figures of SPEC 3.2 in the order of ``fundledger funds``, with the account
    prefix of the postings behind each one under the ledger's root names (``""``: every
    posting of the fund; ``None``: not a posting but ``fund-transfer`` directives)."""
    return (
        ("received", f"^{re.escape(roots.income)}:"),
        ("spent", f"^{re.escape(roots.expenses)}:"),
        ("transfers_in", None),
        ("transfers_out", None),
        ("balance", ""),
        ("loans_outstanding", f"^{re.escape(roots.assets)}:Loans:"),
        ("pledges_outstanding", f"^{re.escape(roots.assets)}:Receivable:Pledges:"),
        ("available", ""),
    )


#: The figures under Beancount's default root names (their order and names, for headings).
FIGURES = figures_of(Roots())

#: Quarter ends of the Budget page's forecast.
FORECAST_QUARTERS = 8

#: Loan tables kept for dates other than the default (``?at=``).
_DATES_KEPT = 8

#: Fava's journal filter that shows the ``fund-transfer`` directives.
TRANSFERS_FILTER = 'type:"^fund-transfer$"'


def plain(amount: Decimal) -> str:
    """An amount as ``fundledger funds --format json`` writes it: two decimals, no ``-0``.

    The pages put it in each amount cell's ``data-amount``, whatever Fava's number format.
    """
    return str(round_to_cent(amount))


#: Metadata the pages already show in their own columns (or Beancount's bookkeeping).
_SHOWN_META = {"filename", "lineno", "grant", "loan", "fund", "grantee-kind", "term-months",
               "grace-months", "rate", "private", "contributor"}


def extra_meta(meta: dict[str, Any]) -> list[tuple[str, str]]:
    """The rest of a grant's or loan's metadata (committee date, town, project...).

    Auditors follow a grant back to the decision that made it; whatever the foundation
    records on the transaction is shown, in the file's order.
    """
    return [(key, str(value)) for key, value in meta.items()
            if key not in _SHOWN_META and not key.startswith("__")]


def _exact(value: str) -> str:
    """A quoted Fava filter regex that matches ``value`` and nothing longer.

    Fava's filter strings cannot contain ``"``; one in a name is matched by ``.``.
    """
    return '"^' + re.escape(value).replace('"', ".") + '$"'


def _transfer_value(value: str) -> str:
    """A regex for one string value of a ``fund-transfer`` as Fava's filter sees it.

    Fava matches ``values:"..."`` against the text of the directive's values (Beancount's
    ``ValueType(value='dotation', ...)``); a filter string cannot hold ``"``, so one in a
    name is matched by ``.``.
    """
    return ("ValueType\\(value=" + re.escape(repr(value)).replace('"', ".")
            + ", dtype=[^)]*\\)")


def transfer_filter(fund: str, direction: str) -> str:
    """Fava's filter of the ``fund-transfer`` directives out of (``"out"``) or into
    (``"in"``) ``fund``: a fund's transfer figure leads to that fund's transfers only."""
    any_value = "ValueType\\(value='[^']*', dtype=[^)]*\\)"
    pattern = (f"^\\[{_transfer_value(fund)}, " if direction == "out"
               else f"^\\[{any_value}, {_transfer_value(fund)}, ")
    return f'{TRANSFERS_FILTER} values:"{pattern}"'


def fund_filter(fund: str, account_prefix: str | None = "", figure: str = "") -> str:
    """The Fava filter of the entries behind one figure of ``fund``.

    Works because the plugin copies the resolved fund onto every posting (SPEC 3.2);
    the transfer figures (``account_prefix`` None) read the ``fund-transfer`` directives.
    """
    if account_prefix is None:
        return transfer_filter(fund, "in" if figure == "transfers_in" else "out")
    account = f' account:"{account_prefix}"' if account_prefix else ""
    return f"any(fund:{_exact(fund)}{account})"


def id_filter(key: str, ident: str) -> str:
    """Entries carrying ``key: ident`` on the transaction or on one of its postings."""
    return f"{key}:{_exact(ident)}, any({key}:{_exact(ident)})"


@dataclass
class FundRow:
    """One fund on the Funds page: its label and its SPEC 3.2 figures with their filters."""

    name: str
    kind: str
    label: str
    consumable: bool
    figures: list[tuple[str, Decimal, str]]  # (figure, amount, Fava filter)
    spending: dict[str, Any] | None = None


@dataclass(slots=True)
class GrantRow:
    """One grant on the Grants page (tens of thousands are kept per load: no per-row
    ``__dict__``, and the journal filter is made when the row is shown)."""

    grant: Grant
    impacts: list[tuple[Impact, str, str]]  # (impact, indicator label, unit)

    @property
    def filter(self) -> str:
        return id_filter("grant", self.grant.id)

    @property
    def revoked(self) -> bool:
        """A grant counts as revoked once anything of its award was taken back."""
        return self.grant.revoked > 0


class LoanRow:
    """One loan on the Loans page at a date.

    What is due, the arrears and the schedule are computed when the page shows the row,
    then kept: the page shows a few hundred loans at a time of the tens of thousands a
    revolving fund makes, and a server keeps the rows until the next load (no per-row
    ``__dict__`` either).
    """

    __slots__ = ("_arrears", "_expected", "_schedule", "at", "impacts", "loan")

    def __init__(self, loan: Loan, at: datetime.date,
                 impacts: list[tuple[Impact, str, str]]) -> None:
        self.loan, self.at, self.impacts = loan, at, impacts
        self._expected: Decimal | None = None
        self._arrears: Decimal | None = None
        self._schedule: list[tuple[int, datetime.date, Decimal]] | None = None

    @property
    def filter(self) -> str:
        return id_filter("loan", self.loan.id)

    @property
    def expected(self) -> Decimal:
        if self._expected is None:
            self._expected = self.loan.expected_repaid(self.at)
        return self._expected

    @property
    def arrears(self) -> Decimal:
        if self._arrears is None:
            self._arrears = self.loan.arrears(self.at)
        return self._arrears

    @property
    def schedule(self) -> list[tuple[int, datetime.date, Decimal]]:
        """(instalment, due date, cumulative principal due)."""
        if self._schedule is None:
            self._schedule = self.loan.schedule()
        return self._schedule


@dataclass
class ErrorRow:
    code: str
    message: str
    filename: str
    lineno: int | None
    entry: Any


@dataclass
class Views:
    """Everything the pages need, computed in one engine pass per ledger load."""

    books: Books
    #: The funds after the last entry; :meth:`funds_at` gives them at a quarter end.
    funds: list[FundRow]
    chart: list[dict[str, Any]]
    grants: list[GrantRow]
    errors: list[ErrorRow]
    #: Default date of the loans' schedule and arrears: the ledger's last entry, so that
    #: books that stop at a quarter end do not show every later instalment in arrears.
    loans_at: datetime.date
    impacts: dict[str, list[tuple[Impact, str, str]]] = field(default_factory=dict)
    #: Day of the first entry: start of the time filter of the journal links at a date.
    first_date: datetime.date | None = None
    #: Quarter ends at which the engine kept the funds' figures, latest first.
    snapshot_dates: list[datetime.date] = field(default_factory=list)
    _funds_at: dict[datetime.date, list[FundRow]] = field(default_factory=dict)
    #: Money waiting on suspense accounts (SPEC 7), per currency, and the pending entries.
    suspense: dict[str, Decimal] = field(default_factory=dict)
    pending: int = 0
    _traces: dict[str, Trace] = field(default_factory=dict)
    #: The entries, traced only when a contributor is first asked for (SPEC 6.3 tracing
    #: costs more than every other figure together, and most pages do not need it).
    entries: list[data.Directive] = field(default_factory=list)
    _traced: Books | None = None
    _loans: dict[datetime.date, list[LoanRow]] = field(default_factory=dict)
    _forecast: Forecast | None = None
    #: Fava serves requests from several threads.
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @staticmethod
    def totals(rows: list[FundRow]) -> list[Decimal]:
        """Column totals of a Funds table (sums of engine figures, one per column)."""
        return [sum((row.figures[i][1] for row in rows), ZERO) for i in range(len(FIGURES))]

    def funds_at(self, at: datetime.date | None) -> list[FundRow] | None:
        """The funds after the last entry (``None``) or at one of :attr:`snapshot_dates`.

        ``None`` for any other date: the engine kept figures at quarter ends only.
        """
        if at is None:
            return self.funds
        if at not in self.snapshot_dates:
            return None
        with self._lock:
            if at not in self._funds_at:
                self._funds_at[at] = _fund_rows(self.books, self.books.figures_at(at), at)
            return self._funds_at[at]

    @property
    def date_choices(self) -> list[datetime.date]:
        """The dates the Funds page offers: the last four quarter ends and every year end."""
        recent = set(self.snapshot_dates[:4])
        return [d for d in self.snapshot_dates if d in recent or (d.month, d.day) == (12, 31)]

    def time_filter(self, at: datetime.date | None) -> str:
        """Fava's time filter of the entries behind figures at ``at`` ("" for all of them)."""
        if at is None or self.first_date is None:
            return ""
        return f"{self.first_date.isoformat()} - {at.isoformat()}"

    @property
    def contributors(self) -> list[str]:
        return self.books.contributors()

    def closed(self, at: datetime.date | None = None) -> PeriodStatus | None:
        """Whether the day shown (default: the last entry's) lies in a closed period."""
        day = at or self.books.last_date
        return None if day is None else closing_of(self.books).status(day, day)

    def loans(self, at: datetime.date | None = None) -> list[LoanRow]:
        """The loans with what is due and in arrears at ``at`` (default :attr:`loans_at`)."""
        at = at or self.loans_at
        with self._lock:
            if at not in self._loans:
                if len(self._loans) >= _DATES_KEPT:  # any ?at= may be asked: keep a few
                    self._loans.pop(next(iter(self._loans)))
                self._loans[at] = [
                    LoanRow(loan, at, self.impacts.get(loan.id, []))
                    for loan in sorted(self.books.loans.values(), key=_loan_key)]
            return self._loans[at]

    def budget(self, year: int) -> list[BudgetRow]:
        """Budget against actual of ``year`` (the engine's, from this load's pass)."""
        return planning_of(self.books).budget(year)

    def budget_filter(self, row: BudgetRow) -> str:
        """Fava's filter of the postings behind a budget line's actual (its fund's
        expenses, in its subtree); the page adds the year as Fava's time filter."""
        subtree = row.subtree or self.books.roots.expenses
        return fund_filter(row.fund, f"^{re.escape(subtree)}(:|$)")

    def forecast(self) -> Forecast:
        """The forecast from the ledger's last entry (:attr:`loans_at`), kept per load."""
        with self._lock:
            if self._forecast is None:
                self._forecast = planning_of(self.books).forecast(
                    self.loans_at, quarters_left(self.loans_at, FORECAST_QUARTERS))
            return self._forecast

    def trace(self, contributor: str) -> Trace | None:
        """The engine's trace of a contributor (kept: the page may be asked again)."""
        name = self.books.find_contributor(contributor)
        if name is None:
            return None
        with self._lock:
            if self._traced is None:  # the plugin did not trace (Fava not started by us)
                self._traced = (self.books if self.books.tracer is not None
                                or self.books.untraceable
                                else analyse(self.entries, options=_options(self.books.roots)))
            if name not in self._traces:
                try:
                    self._traces[name] = self._traced.trace(name)
                except Untraceable:  # absurd amounts: the page shows no trace
                    self._traces[name] = None
            return self._traces[name]


def _options(roots: Roots) -> dict[str, str]:
    """Beancount's ``name_*`` options that give ``roots`` (for a pass of the same books)."""
    return {f"name_{field}": getattr(roots, field) for field in Roots._fields}


def build(entries: list[data.Directive], books: Books | None = None) -> Views:
    """Arrange what every page shows from the books of ``entries``.

    ``books`` are the plugin's, from the pass that loaded the ledger; without them (the
    plugin did not keep its books) the engine runs here, once.  The engine keeps the
    funds' figures at every quarter end, so that an auditor can see them at a year end
    without another pass.
    """
    if books is None:
        books = analyse(entries, trace=False)  # Beancount's default root names
    if books.tracer is not None:
        # The server keeps these books until the next load: keep the traces' sums, not
        # every lot (most of tracing's memory; the plugin's pass of a server already did).
        books.tracer.freeze()
    give_memory_back()  # and what the load let go (Beancount's own passes) is handed back
    first = entries[0].date if entries else None
    ends = sorted(d for d in books.snapshots if books.last_date and d <= books.last_date)
    impacts = _impacts_by_subject(books)
    return Views(
        books=books,
        funds=_fund_rows(books, books.figures, books.last_date),
        chart=_chart(books),
        grants=[GrantRow(g, impacts.get(g.id, []))
                for g in sorted(books.grants.values(), key=_grant_key)],
        errors=[_error_row(e) for e in books.errors],
        loans_at=books.last_date or datetime.date.today(),
        impacts=impacts,
        first_date=first,
        snapshot_dates=sorted(ends, reverse=True),
        entries=entries,
        suspense=books.suspense_balance(),
        pending=books.pending,
    )


SUSPENSE_FILTER = f'any(account:"{SUSPENSE.pattern}")'
PENDING_FILTER = 'flag:"^!$"'


def _fund_rows(books: Books, all_figures: dict[str, FundFigures],
               at: datetime.date | None) -> list[FundRow]:
    rows = []
    for name, figures in all_figures.items():
        fund = books.funds[name]
        values = figures.as_dict()
        rows.append(FundRow(
            name=name, kind=fund.kind, label=fund.label, consumable=fund.consumable,
            figures=[(key, values[key], fund_filter(name, prefix, key))
                     for key, prefix in figures_of(books.roots)],
            spending=_spending(books, name, at),
        ))
    return rows


def _spending(books: Books, fund: str, at: datetime.date | None) -> SpendingHeadroom | None:
    """An endowment's spending rule in the year of ``at``: limit, used by ``at``, headroom."""
    return None if at is None else books.spending_headroom(fund, at)


def _chart(books: Books) -> list[dict[str, Any]]:
    """Fava ``charts`` data: each fund's balance at every quarter end, then at the last date.

    One line per fund (Fava draws one line per key of ``balance``).
    """
    points: dict[datetime.date, dict[str, Decimal]] = defaultdict(dict)
    for fund, by_date in books.quarter_balances.items():
        for day, balance in by_date.items():
            points[day][fund] = balance
    if books.last_date is not None and books.last_date not in points:
        points[books.last_date] = {f: fig.balance for f, fig in books.figures.items()}
    series = [{"date": day.isoformat(), "balance": balances}
              for day, balances in sorted(points.items())]
    return [{"type": "balances", "label": "Fund balances", "data": series}]


def _impacts_by_subject(books: Books) -> dict[str, list[tuple[Impact, str, str]]]:
    found: dict[str, list[tuple[Impact, str, str]]] = defaultdict(list)
    for impact in books.impacts:
        indicator = books.indicators.get(impact.indicator)
        label = indicator.label if indicator else impact.indicator
        unit = indicator.unit if indicator else ""
        found[impact.subject].append((impact, label, unit))
    return found


def _error_row(error: FundError) -> ErrorRow:
    source = error.source or {}
    message = str(error.message)
    code = code_of(error) or ""
    return ErrorRow(code=code, message=message, filename=str(source.get("filename", "")),
                    lineno=source.get("lineno"), entry=error.entry)


def _grant_key(grant: Grant) -> tuple[datetime.date, str]:
    return (grant.awarded_on or datetime.date.min, grant.id)


def _loan_key(loan: Loan) -> tuple[datetime.date, str]:
    return (loan.disbursed_on or datetime.date.min, loan.id)
