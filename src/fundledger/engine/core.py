"""The fund engine: one pass over loaded entries, in Beancount's order.

It computes the fund figures of SPEC 3.2 at any date, grants and loans, impact, the
contributor tracing of SPEC 6.3, and every breach of SPEC 4.  It is pure: entries in,
:class:`Books` out.  The plugin, the CLI, the reports and the Fava extension all use it,
so no fund figure is computed anywhere else.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from beancount.core import convert, data

from fundledger.engine import directives, tracing
from fundledger.engine.directives import OPERATING_CURRENCY
from fundledger.engine.model import (
    GRANTEE_KINDS,
    TRACE_LIMIT_CENTS,
    ZERO,
    Event,
    Fund,
    FundError,
    FundFigures,
    Grant,
    Impact,
    Indicator,
    Loan,
    SpendingRule,
    Trace,
    TraceOverflow,
    Transfer,
    Untraceable,
    to_cents,
)

# Account classes, decided once per account name.
INCOME, CONTRIBUTION, INTEREST, EXPENSE, GRANT_EXPENSE, LOAN_LOSS = range(6)
LOAN, PLEDGE, PAYABLE, OTHER = range(6, 10)
NEEDS_FUND = {INCOME, CONTRIBUTION, INTEREST, EXPENSE, GRANT_EXPENSE, LOAN_LOSS, LOAN, PLEDGE}

_PREFIXES = (
    ("Income:Contributions:", CONTRIBUTION),
    ("Income:LoanInterest:", INTEREST),
    ("Income:", INCOME),
    ("Expenses:Grants:", GRANT_EXPENSE),
    ("Expenses:LoanLosses:", LOAN_LOSS),
    ("Expenses:", EXPENSE),
    ("Assets:Loans:", LOAN),
    ("Assets:Receivable:Pledges:", PLEDGE),
    ("Liabilities:GrantsPayable", PAYABLE),
)


def classify(account: str) -> int:
    for prefix, kind in _PREFIXES:
        if account.startswith(prefix) or account == prefix.rstrip(":"):
            return kind
    return OTHER


def quarter_end(day: datetime.date) -> datetime.date:
    month = (day.month - 1) // 3 * 3 + 3
    return datetime.date(day.year, month, 31 if month in (3, 12) else 30)


def next_quarter_end(day: datetime.date) -> datetime.date:
    return quarter_end(datetime.date(day.year + (day.month > 9), (day.month + 2) % 12 + 1, 1))


class Books:
    """Everything the engine knows after its pass, up to ``at`` (inclusive)."""

    def __init__(self, at: datetime.date | None) -> None:
        self.at = at
        self.funds: dict[str, Fund] = {}
        self.figures: dict[str, FundFigures] = {}
        self.snapshots: dict[datetime.date, dict[str, FundFigures]] = {}
        #: Balance of each fund at each quarter end since its declaration.
        self.quarter_balances: dict[str, dict[datetime.date, Decimal]] = defaultdict(dict)
        self.grants: dict[str, Grant] = {}
        self.loans: dict[str, Loan] = {}
        self.transfers: list[Transfer] = []
        self.spending_rules: dict[str, SpendingRule] = {}
        self.indicators: dict[str, Indicator] = {}
        self.impacts: list[Impact] = []
        self.errors: list[FundError] = []
        #: Contributors named on a ``private: TRUE`` contribution or pledge (SPEC 3.5).
        self.private_contributors: set[str] = set()
        #: Everyone whose money came in: contributions and income naming a contributor.
        self.contributor_names: set[str] = set()
        self.entries: list[data.Directive] = []
        self.last_date: datetime.date | None = None
        #: Set by ``analyse(trace=True)``.
        self.tracer: tracing.Tracer | None = None
        #: Why tracing stopped, when it had to (FILE:LINE: reason); see TraceOverflow.
        self.untraceable = ""

    # -- questions the reports ask ----------------------------------------------------------

    def figures_at(self, day: datetime.date) -> dict[str, FundFigures]:
        """Fund figures after every entry dated on or before ``day`` (a snapshot date)."""
        return self.snapshots[day]

    def contributors(self) -> list[str]:
        """Every contributor, sorted (known with or without tracing)."""
        return sorted(self.contributor_names, key=str.casefold)

    def find_contributor(self, name: str) -> str | None:
        """The contributor called ``name``: exact, else the one equal but for case."""
        names = self.contributors()
        if name in names:
            return name
        folded = [n for n in names if n.casefold() == name.casefold()]
        return folded[0] if len(folded) == 1 else None

    def trace(self, contributor: str) -> Trace:
        if self.untraceable:
            raise Untraceable(self.untraceable)
        if self.tracer is None:
            raise RuntimeError("these books were analysed with trace=False: no contributor trace")
        return self.tracer.trace(contributor)

    def impacts_of(self, subject: str) -> list[Impact]:
        return [impact for impact in self.impacts if impact.subject == subject]

    def spending_limit(self, fund: str, year: int) -> Decimal | None:
        """The most the spending rule lets ``fund`` transfer out over ``year``.

        ``None`` when no rule applies, or when the fund has no quarter end before the year
        (then each transfer is limited by the balance just before it, SPEC 3.2).
        """
        rule = self.spending_rules.get(fund)
        if rule is None:
            return None
        year_start = datetime.date(year, 1, 1)
        ends = sorted(d for d in self.quarter_balances[fund] if d < year_start)[-rule.quarters:]
        if not ends:
            return None
        average = sum((self.quarter_balances[fund][d] for d in ends), ZERO) / len(ends)
        return rule.rate / 100 * average

    def transferred_out(self, fund: str, year: int, since: datetime.date | None = None) -> Decimal:
        return sum(
            (t.amount for t in self.transfers
             if t.source == fund and t.date.year == year and (since is None or t.date >= since)),
            ZERO,
        )


class _Pass:
    """The single pass over entries that fills :class:`Books`."""

    def __init__(self, books: Books, trace: bool, annotate: bool,
                 snapshots: Sequence[datetime.date]) -> None:
        self.books = books
        self.trace = trace
        self.annotate = annotate
        self.pending_snapshots = sorted(set(snapshots))
        self.account_class: dict[str, int] = {}
        self.below_zero: set[str] = set()
        self.rule_breached: set[tuple[str, int]] = set()
        self.ruled_out: dict[tuple[str, int], Decimal] = {}
        self.grant_overpaid: set[str] = set()
        self.loan_overpaid: set[str] = set()
        self.next_close: datetime.date | None = None
        self.declared_quarter: dict[str, datetime.date] = {}

    # -- driving ----------------------------------------------------------------------------

    def run(self, entries: Iterable[data.Directive]) -> None:
        books, at = self.books, self.books.at
        for entry in entries:
            if at is not None and entry.date > at:
                break
            self._advance_to(entry.date)
            books.last_date = entry.date
            if isinstance(entry, data.Transaction):
                entry = self._transaction(entry)
            elif isinstance(entry, data.Custom) and entry.type in directives.SPEC_DIRECTIVES:
                self._custom(entry)
            if self.annotate:
                books.entries.append(entry)
        end = at or books.last_date
        if end is not None:
            self._close_quarters_through(end)
        for day in self.pending_snapshots:
            books.snapshots[day] = self._copy_figures()

    def _advance_to(self, day: datetime.date) -> None:
        """Record quarter-end balances and snapshots for every date before ``day``."""
        if self.next_close is not None and day > self.next_close:
            self._close_quarters_through(day - datetime.timedelta(days=1))
        while self.pending_snapshots and self.pending_snapshots[0] < day:
            self.books.snapshots[self.pending_snapshots.pop(0)] = self._copy_figures()

    def _close_quarters_through(self, last_day: datetime.date) -> None:
        books = self.books
        while self.next_close is not None and self.next_close <= last_day:
            close = self.next_close
            for name, figures in books.figures.items():
                if self.declared_quarter[name] <= close:
                    books.quarter_balances[name][close] = figures.balance
            self.next_close = next_quarter_end(close)

    def _copy_figures(self) -> dict[str, FundFigures]:
        return {name: figures.copy() for name, figures in self.books.figures.items()}

    def error(self, entry: Any, message: str) -> None:
        self.books.errors.append(FundError(entry.meta, message, entry))

    def _stop_tracing(self, entry: Any) -> None:
        """Amounts beyond exact tracing: give up tracing, saying where (figures go on)."""
        where = f"{entry.meta.get('filename', '?')}:{entry.meta.get('lineno', 0)}"
        self.books.untraceable = (
            f"{where}: contributor tracing stops here: the amounts moved reach "
            f"{TRACE_LIMIT_CENTS // 100:,} EUR, beyond what it counts to the cent")
        self.books.tracer = None
        self.trace = False

    # -- custom directives ------------------------------------------------------------------

    def _custom(self, entry: data.Custom) -> None:
        reader = {
            "fund": directives.read_fund,
            "fund-transfer": directives.read_transfer,
            "spending-rule": directives.read_spending_rule,
            "indicator": directives.read_indicator,
            "impact": directives.read_impact,
        }[entry.type]
        try:
            value = reader(entry)
        except directives.Malformed as exc:
            self.error(entry, f'FL103 malformed "{entry.type}" directive: {exc}')
            return
        if isinstance(value, Fund):
            self._declare(entry, value)
        elif isinstance(value, Transfer):
            self._transfer(entry, value)
        elif isinstance(value, SpendingRule):
            if value.fund not in self.books.funds:
                self.error(entry, f'FL501 spending rule for fund "{value.fund}", '
                                  f"not declared on {entry.date}")
            else:
                self.books.spending_rules[value.fund] = value
        elif isinstance(value, Indicator):
            self.books.indicators[value.name] = value
        else:
            self.books.impacts.append(value)

    def _declare(self, entry: data.Custom, fund: Fund) -> None:
        books = self.books
        if fund.name in books.funds:
            first = books.funds[fund.name]
            self.error(entry, f'FL102 fund "{fund.name}" declared twice '
                              f"(first declared on {first.declared})")
            return
        books.funds[fund.name] = fund
        books.figures[fund.name] = FundFigures(fund.name, fund.kind)
        self.declared_quarter[fund.name] = quarter_end(fund.declared)
        if self.next_close is None:
            self.next_close = quarter_end(fund.declared)

    def _transfer(self, entry: data.Custom, transfer: Transfer) -> None:
        books = self.books
        for name in (transfer.source, transfer.target):
            if name not in books.funds:
                self.error(entry, f'FL501 fund-transfer names fund "{name}", '
                                  f"not declared on {entry.date}")
                return
        if transfer.amount <= 0:
            self.error(entry, f'FL501 fund-transfer from "{transfer.source}" to '
                              f'"{transfer.target}" of a non-positive amount {transfer.amount}')
            return
        if transfer.source == transfer.target:
            self.error(entry, f'FL501 fund-transfer from fund "{transfer.source}" to itself')
            return
        source = books.figures[transfer.source]
        self._check_spending_rule(entry, transfer, source)
        books.transfers.append(transfer)
        source.transfers_out += transfer.amount
        books.figures[transfer.target].transfers_in += transfer.amount
        fund = books.funds[transfer.source]
        corpus_breached = fund.non_consumable_endowment and source.balance < source.contributions
        if corpus_breached:
            self.error(entry, f'FL202 transfer of {transfer.amount} EUR takes endowment fund '
                              f'"{fund.name}" to {source.balance} EUR, below its corpus of '
                              f"{source.contributions} EUR")
        self._check_available(entry, transfer.source, silent=corpus_breached)
        if self.trace:
            try:
                books.tracer.transfer(transfer.source, transfer.target,
                                      to_cents(transfer.amount), entry.date)
            except TraceOverflow:
                self._stop_tracing(entry)

    def _check_spending_rule(self, entry: data.Custom, transfer: Transfer,
                             source: FundFigures) -> None:
        books = self.books
        rule = books.spending_rules.get(transfer.source)
        year = entry.date.year
        if rule is None or entry.date < rule.date or (transfer.source, year) in self.rule_breached:
            return
        # Only transfers dated on or after the rule count towards it (SPEC 3.2).
        key = (transfer.source, year)
        total = self.ruled_out.get(key, ZERO) + transfer.amount
        self.ruled_out[key] = total
        limit = books.spending_limit(transfer.source, year)
        basis = "the average of its last quarter-end balances"
        if limit is None:
            limit = rule.rate / 100 * source.balance
            basis = "its balance before the transfer"
        if total > limit:
            self.rule_breached.add(key)
            self.error(entry, f'FL203 transfers out of fund "{transfer.source}" in {year} reach '
                              f"{total} EUR, above its spending rule of {rule.rate}% of {basis} "
                              f"({limit:.2f} EUR)")

    def _check_available(self, entry: Any, fund: str, silent: bool = False) -> None:
        """FL201 once, when a fund's available goes from zero or more to below zero."""
        now = self.books.figures[fund].available
        if now >= 0:
            self.below_zero.discard(fund)
        elif fund not in self.below_zero:
            self.below_zero.add(fund)
            if not silent:
                self.error(entry, f'FL201 fund "{fund}" would have {now} EUR available '
                                  "(spending, lending or transferring money it does not have)")

    # -- transactions -----------------------------------------------------------------------

    def _transaction(self, txn: data.Transaction) -> data.Transaction:
        books = self.books
        txn_meta = txn.meta
        txn_fund = txn_meta.get("fund")
        txn_grant = txn_meta.get("grant")
        txn_loan = txn_meta.get("loan")
        moves: list[tuple[int, str, Decimal, data.Posting, str | None, str | None]] = []
        missing_fund: list[str] = []
        unknown_funds: list[str] = []
        missing_ids: list[str] = []
        foreign: list[str] = []
        new_postings: list[data.Posting] | None = None

        account_class = self.account_class
        for index, posting in enumerate(txn.postings):
            kind = account_class.get(posting.account)
            if kind is None:
                kind = account_class[posting.account] = classify(posting.account)
            if kind == OTHER:
                continue
            meta = posting.meta or {}
            grant = meta.get("grant", txn_grant)
            loan = meta.get("loan", txn_loan)
            if kind in (GRANT_EXPENSE, PAYABLE) and grant is None:
                missing_ids.append(f"{posting.account} without grant:")
            elif kind in (LOAN, LOAN_LOSS) and loan is None:
                missing_ids.append(f"{posting.account} without loan:")
            fund = None
            if kind in NEEDS_FUND:
                fund = meta.get("fund", txn_fund)
                if fund is None:
                    missing_fund.append(posting.account)
                    continue
                if not isinstance(fund, str) or fund not in books.funds:
                    unknown_funds.append(str(fund))
                    continue
                if self.annotate and meta.get("fund") != fund:
                    if posting.meta is not None:  # the parser gives every posting its own dict
                        posting.meta["fund"] = fund
                    else:
                        if new_postings is None:
                            new_postings = list(txn.postings)
                        new_postings[index] = posting._replace(meta={"fund": fund})
            units = posting.units
            number = units.number
            if units.currency != OPERATING_CURRENCY:
                weight = convert.get_weight(posting)
                if weight.currency != OPERATING_CURRENCY:
                    foreign.append(f"{units} on {posting.account}")
                    continue
                number = weight.number
            moves.append((kind, fund or "", number, posting, _as_id(grant), _as_id(loan)))

        for kind, _fund, _number, posting, _grant, _loan in moves:
            if kind <= INTEREST or kind == PLEDGE:  # money a contributor may have given
                self._note_contributor(txn, posting, kind)
        if missing_fund:
            self.error(txn, f"FL101 posting to {', '.join(missing_fund)} has no fund "
                            "(add fund: to the posting or the transaction)")
        if unknown_funds:
            names = ", ".join(f'"{n}"' for n in dict.fromkeys(unknown_funds))
            self.error(txn, f"FL102 fund {names} not declared on or before {txn.date}")
        if missing_ids:
            self.error(txn, f"FL104 {'; '.join(dict.fromkeys(missing_ids))}")
        if foreign:
            self.error(txn, f"FL105 {', '.join(foreign)}: fund figures are kept in "
                            f"{OPERATING_CURRENCY}; give the posting a price or cost in "
                            f"{OPERATING_CURRENCY}")

        if moves:
            self._apply(txn, moves)
        if new_postings is not None:
            return txn._replace(postings=new_postings)
        return txn

    def _apply(self, txn: data.Transaction,
               moves: list[tuple[int, str, Decimal, data.Posting, str | None, str | None]]) -> None:
        books = self.books
        figures = books.figures
        touched: dict[str, None] = {}
        endowment_charged: set[str] = set()
        grant_moves: dict[str, list[tuple[int, str, Decimal]]] | None = None
        loan_moves: dict[str, list[tuple[int, str, Decimal]]] | None = None

        for kind, fund, number, _posting, grant, loan in moves:
            if fund:
                touched[fund] = None
                fig = figures[fund]
                if kind <= INTEREST:  # INCOME, CONTRIBUTION, INTEREST
                    fig.received -= number
                    if kind == CONTRIBUTION:
                        fig.contributions -= number
                elif kind <= LOAN_LOSS:  # EXPENSE, GRANT_EXPENSE, LOAN_LOSS
                    fig.spent += number
                elif kind == LOAN:
                    fig.loans_outstanding += number
                else:
                    fig.pledges_outstanding += number
                if (number > 0 and EXPENSE <= kind <= LOAN
                        and books.funds[fund].non_consumable_endowment):
                    endowment_charged.add(fund)
            if grant is not None and kind in (GRANT_EXPENSE, PAYABLE):
                if grant_moves is None:
                    grant_moves = defaultdict(list)
                grant_moves[grant].append((kind, fund, number))
            if loan is not None and kind in (LOAN, LOAN_LOSS, INTEREST):
                if loan_moves is None:
                    loan_moves = defaultdict(list)
                loan_moves[loan].append((kind, fund, number))

        for fund in sorted(endowment_charged):
            self.error(txn, f'FL202 expense or loan charged to endowment fund "{fund}", '
                            "which is not consumable")
        if grant_moves:
            for grant, gmoves in grant_moves.items():
                self._grant(txn, grant, gmoves)
        if loan_moves:
            for loan, lmoves in loan_moves.items():
                self._loan(txn, loan, lmoves)
        for fund in touched:
            self._check_available(txn, fund, silent=fund in endowment_charged)
        if self.trace:
            try:
                self._trace(txn, moves)
            except TraceOverflow:
                self._stop_tracing(txn)

    def _grant(self, txn: data.Transaction, ident: str,
               moves: list[tuple[int, str, Decimal]]) -> None:
        books = self.books
        grant = books.grants.get(ident)
        awarded = returned = payable_debits = payable_change = ZERO
        for kind, _fund, number in moves:
            if kind == GRANT_EXPENSE:
                if number > 0:
                    awarded += number
                else:
                    returned -= number
            else:
                payable_change += number
                if number > 0:
                    payable_debits += number
        if grant is None:
            if awarded <= 0:
                self.error(txn, f'FL302 grant "{ident}" was never awarded')
                return
            grant = books.grants[ident] = Grant(ident, awarded_on=txn.date)
            grant.grantee = txn.payee
            grant.narration = txn.narration
            grant.grantee_kind = txn.meta.get("grantee-kind")
            if grant.grantee_kind is not None and grant.grantee_kind not in GRANTEE_KINDS:
                self.error(txn, f'FL105 grant "{ident}" has grantee-kind '
                                f'"{grant.grantee_kind}", not one of {", ".join(GRANTEE_KINDS)}')
            grant.private = txn.meta.get("private") is True
            grant.meta = {k: v for k, v in txn.meta.items() if k not in ("filename", "lineno")}
        revoked = min(returned, payable_debits)
        for kind, amount in (("award", awarded), ("revocation", revoked),
                             ("refund", returned - revoked), ("payment", payable_debits - revoked)):
            if amount:
                grant.events.append(Event(txn.date, kind, ident, amount))
        grant.awarded += awarded
        grant.revoked += revoked
        grant.refunded += returned - revoked
        grant.paid += payable_debits - revoked
        grant.payable -= payable_change
        if grant.payable < 0 and ident not in self.grant_overpaid:
            self.grant_overpaid.add(ident)
            self.error(txn, f'FL301 grant "{ident}" paid or revoked beyond its award: '
                            f"{-grant.payable} EUR more than was awarded")
        self._same_fund(txn, "grant", grant, [f for k, f, _n in moves if k == GRANT_EXPENSE])

    def _loan(self, txn: data.Transaction, ident: str,
              moves: list[tuple[int, str, Decimal]]) -> None:
        books = self.books
        loan = books.loans.get(ident)
        lent = sum((n for k, _f, n in moves if k == LOAN and n > 0), ZERO)
        if loan is None:
            if lent <= 0:
                if any(k != INTEREST for k, _f, _n in moves):
                    self.error(txn, f'FL402 loan "{ident}" was never disbursed')
                return
            meta = txn.meta
            loan = books.loans[ident] = Loan(ident, disbursed_on=txn.date)
            loan.borrower = txn.payee
            loan.borrower_kind = meta.get("grantee-kind")
            loan.narration = txn.narration
            loan.private = meta.get("private") is True
            bad_terms = [key for key in ("term-months", "grace-months", "rate")
                         if key in meta and not _is_number(meta[key])]
            if bad_terms:
                self.error(txn, f'FL105 loan "{ident}": {", ".join(bad_terms)} must be a number')
            loan.term_months = _as_int(meta.get("term-months"), 0)
            loan.grace_months = _as_int(meta.get("grace-months"), 0)
            loan.rate = Decimal(meta["rate"]) if _is_number(meta.get("rate")) else ZERO
            loan.meta = {k: v for k, v in meta.items() if k not in ("filename", "lineno")}
        credits = -sum((n for k, _f, n in moves if k == LOAN and n < 0), ZERO)
        losses = sum((n for k, _f, n in moves if k == LOAN_LOSS), ZERO)
        written_off = min(credits, max(losses, ZERO))
        for kind, amount in (("disbursement", lent), ("write-off", written_off),
                             ("repayment", credits - written_off)):
            if amount:
                loan.events.append(Event(txn.date, kind, ident, amount))
        loan.lent += lent
        loan.written_off += written_off
        loan.repaid += credits - written_off
        loan.interest -= sum((n for k, _f, n in moves if k == INTEREST), ZERO)
        if loan.outstanding < 0 and ident not in self.loan_overpaid:
            self.loan_overpaid.add(ident)
            self.error(txn, f'FL401 loan "{ident}" repaid or written off beyond its principal: '
                            f"{-loan.outstanding} EUR more than was lent")
        self._same_fund(txn, "loan", loan,
                        [f for k, f, _n in moves if k in (LOAN, LOAN_LOSS)])

    def _same_fund(self, txn: data.Transaction, what: str, item: Grant | Loan,
                   funds: list[str]) -> None:
        named = [f for f in dict.fromkeys(funds) if f]
        if item.fund is None and named:
            item.fund = named[0]
        strangers = [f for f in named if f != item.fund]
        if strangers:
            self.error(txn, f'FL303 {what} "{item.id}" charged to fund "{strangers[0]}", '
                            f'but it belongs to fund "{item.fund}"')

    def _trace(self, txn: data.Transaction,
               moves: list[tuple[int, str, Decimal, data.Posting, str | None, str | None]]) -> None:
        """Tell the tracer what this transaction did, in SPEC 6.3's terms (in cents)."""
        tracer = self.books.tracer
        date = txn.date
        pledged: dict[tuple[str, str], int] = defaultdict(int)
        losses: dict[str, int] = defaultdict(int)
        flows = [(kind, fund, to_cents(number), posting, grant, loan)
                 for kind, fund, number, posting, grant, loan in moves if fund]
        for kind, fund, cents, posting, _grant, loan in flows:
            if kind == PLEDGE and cents > 0:
                pledged[(fund, self._contributor(txn, posting))] += cents
            elif kind == LOAN_LOSS and loan is not None and cents > 0:
                losses[loan] += cents
        # Money in first, so a transaction that brings and spends money spends its own.
        for kind, fund, cents, posting, _grant, _loan in flows:
            if self._given(kind, txn, posting):
                if cents < 0:
                    contributor = self._contributor(txn, posting)
                    unpaid = min(pledged[(fund, contributor)], -cents)
                    pledged[(fund, contributor)] -= unpaid
                    tracer.contribute(fund, contributor, date, -cents, unpaid)
            elif kind in (INCOME, INTEREST) and cents < 0:
                tracer.earn(fund, -cents, date)
            elif kind == PLEDGE and cents < 0:
                tracer.pay_pledge(fund, self._contributor(txn, posting), -cents, date)
        for kind, fund, cents, posting, grant, loan in flows:
            if self._given(kind, txn, posting):
                if cents > 0:
                    tracer.withdraw(fund, self._contributor(txn, posting), cents, posting.account)
            elif kind in (INCOME, INTEREST) and cents > 0:
                tracer.consume(fund, cents, "expense", posting.account)
            elif kind == LOAN and loan is not None:
                if cents > 0:
                    tracer.consume(fund, cents, "loan", loan)
                else:
                    written = min(-cents, losses[loan])
                    losses[loan] -= written
                    if written:
                        tracer.write_off(loan, written)
                    if -cents > written:
                        tracer.give_back("loan", loan, fund, -cents - written, date)
            elif kind in (GRANT_EXPENSE, EXPENSE) and cents > 0:
                if kind == GRANT_EXPENSE and grant is not None:
                    tracer.consume(fund, cents, "grant", grant)
                else:
                    tracer.consume(fund, cents, "expense", posting.account)
            elif kind in (GRANT_EXPENSE, EXPENSE) and cents < 0:
                if grant is not None and ("grant", grant) in tracer.paid_by:
                    tracer.give_back("grant", grant, fund, -cents, date)
                elif loan is not None and ("loan", loan) in tracer.paid_by:
                    tracer.give_back("loan", loan, fund, -cents, date)
                else:
                    tracer.earn(fund, -cents, date)

    def _note_contributor(self, txn: data.Transaction, posting: data.Posting, kind: int) -> None:
        """Remember who gave (contributions, income naming a contributor) and who is private."""
        given = self._given(kind, txn, posting)
        if not (given or kind == PLEDGE):
            return
        name = self._contributor(txn, posting)
        if given:
            self.books.contributor_names.add(name)
        if txn.meta.get("private") is True:
            self.books.private_contributors.add(name)

    @staticmethod
    def _given(kind: int, txn: data.Transaction, posting: data.Posting) -> bool:
        """Whether a posting is a contributor's money: a contribution, or income naming one."""
        if kind == CONTRIBUTION:
            return True
        return kind in (INCOME, INTEREST) and bool(
            (posting.meta or {}).get("contributor") or txn.meta.get("contributor"))

    @staticmethod
    def _contributor(txn: data.Transaction, posting: data.Posting) -> str:
        name = (posting.meta or {}).get("contributor") or txn.meta.get("contributor")
        return str(name or txn.payee or txn.narration or "unknown contributor")


def _as_id(value: Any) -> str | None:
    return None if value is None else str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def _as_int(value: Any, default: int) -> int:
    return int(value) if _is_number(value) else default


def analyse(
    entries: Iterable[data.Directive],
    at: datetime.date | None = None,
    *,
    snapshots: Sequence[datetime.date] = (),
    trace: bool = True,
    annotate: bool = False,
) -> Books:
    """Run the fund engine over loaded entries (in Beancount's order).

    Args:
      entries: loaded entries, sorted as Beancount sorts them.
      at: count only entries dated on or before this date (default: all).
      snapshots: dates at which to keep a copy of every fund's figures.
      trace: also trace contributors (SPEC 6.3); the plugin does without.
      annotate: copy each resolved fund onto its postings, into ``books.entries``.
    """
    books = Books(at)
    if trace:
        books.tracer = tracing.Tracer()
    _Pass(books, trace, annotate, snapshots).run(entries)
    return books
