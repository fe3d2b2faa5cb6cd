"""The fund engine: one pass over loaded entries, in Beancount's order.

It computes the fund figures of SPEC 3.2 at any date, grants and loans, impact, the
contributor tracing of SPEC 6.3, and every breach of SPEC 4.  It is pure: entries in,
:class:`Books` out.  The plugin, the CLI, the reports and the Fava extension all use it,
so no fund figure is computed anywhere else.
"""

from __future__ import annotations

import array
import datetime
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from beancount.core import convert, data, prices
from beancount.core.inventory import Inventory

from fundledger.engine import directives, markers, tracing
from fundledger.engine.accounts import NEEDS_FUND, Classifier, Kind, Roots
from fundledger.engine.codes import FundError, fund_error, where
from fundledger.engine.directives import OPERATING_CURRENCY
from fundledger.engine.families import FAMILIES
from fundledger.engine.family import Move, RuleFamily, contributor_of
from fundledger.engine.model import (
    TRACE_LIMIT_CENTS,
    ZERO,
    Event,
    Fund,
    FundFigures,
    Grant,
    Holdings,
    Impact,
    Indicator,
    Loan,
    SpendingHeadroom,
    SpendingRule,
    Trace,
    TraceOverflow,
    Transfer,
    Untraceable,
    is_number,
    quarter_end,
    to_cents,
)

INCOME, CONTRIBUTION, INTEREST = Kind.INCOME, Kind.CONTRIBUTION, Kind.INTEREST
EXPENSE, GRANT_EXPENSE, LOAN_LOSS = Kind.EXPENSE, Kind.GRANT_EXPENSE, Kind.LOAN_LOSS
LOAN, PLEDGE, PAYABLE, OTHER = Kind.LOAN, Kind.PLEDGE, Kind.PAYABLE, Kind.OTHER
ENDOWMENT, SUSPENSE = Kind.ENDOWMENT, Kind.SUSPENSE


def classify(account: str) -> Kind:
    """The kind of ``account`` under Beancount's default root names."""
    return _DEFAULT_CLASSIFIER(account)


_DEFAULT_CLASSIFIER = Classifier()


def next_quarter_end(day: datetime.date) -> datetime.date:
    return quarter_end(datetime.date(day.year + (day.month > 9), (day.month + 2) % 12 + 1, 1))


def _loose(name: str) -> str:
    """``name`` without case or accents (NFKD, combining marks dropped), for look-ups."""
    name = name.replace("\u2019", "'")  # the typographic apostrophe of word processors
    return "".join(c for c in unicodedata.normalize("NFKD", name.casefold())
                   if not unicodedata.combining(c))


class Books:
    """Everything the engine knows after its pass, up to ``at`` (inclusive)."""

    def __init__(self, at: datetime.date | None, roots: Roots | None = None) -> None:
        self.at = at
        #: The ledger's root account names (Beancount's ``name_*`` options).
        self.roots = roots or Roots()
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
        #: Contributors named on a withheld contribution or pledge (``private: TRUE``,
        #: ``contributor-kind: "person"``, or a marker not understood: SPEC 3.5).
        self.private_contributors: set[str] = set()
        #: Everyone whose money came in: contributions and income naming a contributor.
        self.contributor_names: set[str] = set()
        self.entries: list[data.Directive] = []
        self.first_date: datetime.date | None = None
        self.last_date: datetime.date | None = None
        #: Set by ``analyse(trace=True)``.
        self.tracer: tracing.Tracer | None = None
        #: Why tracing stopped, when it had to (FILE:LINE: reason); see TraceOverflow.
        self.untraceable = ""
        #: The rule families that rode the pass, by class (see :mod:`engine.families`).
        self.families: dict[type[RuleFamily], RuleFamily] = {}
        #: Balance of suspense accounts (SPEC 7) by currency, after the last entry and at
        #: each snapshot date; the accounts seen; ``!`` (pending) transactions.
        self.suspense: dict[str, Decimal] = {}
        self.suspense_at: dict[datetime.date, dict[str, Decimal]] = {}
        self.suspense_accounts: set[str] = set()
        self.pending = 0
        #: The endowment's securities after the last entry and at each snapshot date.
        self.holdings = Inventory()
        self.holdings_at: dict[datetime.date, Inventory] = {}
        self.prices: list[data.Price] = []
        self._price_map: prices.PriceMap | None = None
        #: Date up to which the tracer was fed (None: every entry); see ``trace_until``.
        self.traced_through: datetime.date | None = None

    # -- questions the reports ask ----------------------------------------------------------

    def figures_at(self, day: datetime.date) -> dict[str, FundFigures]:
        """Fund figures after every entry dated on or before ``day``.

        Known at every quarter end, at the dates the pass was asked for (``snapshots``),
        and on or after the last entry; any other date is a :class:`KeyError`.
        """
        return self._at(self.snapshots, day, self.figures)

    def _at(self, kept: dict[datetime.date, Any], day: datetime.date | None, now: Any) -> Any:
        """What ``kept`` holds at ``day``: ``now`` on or after the last entry, nothing
        before the first one, else a kept date (a :class:`KeyError` for any other)."""
        if day is None or self.last_date is None or day >= self.last_date:
            return now
        if day in kept:
            return kept[day]
        if self.first_date is None or day < self.first_date:
            return type(now)()
        raise KeyError(f"nothing kept at {day} (the pass was not asked for that date)")

    def suspense_balance(self, day: datetime.date | None = None) -> dict[str, Decimal]:
        """Money waiting on suspense accounts, by currency (non-zero only), at ``day``."""
        return {c: n for c, n in self._at(self.suspense_at, day, self.suspense).items() if n}

    def endowment_value(self, day: datetime.date | None = None,
                        currency: str = OPERATING_CURRENCY) -> Holdings:
        """The endowment's securities at ``day``, at cost and at market value.

        Not a fund figure: the endowment *fund*'s balance (what the endowment restriction
        holds, SPEC 3.2) is ``figures[fund].balance``; this is what its money is invested
        in, valued at the latest price on or before ``day``.
        """
        inventory = self._at(self.holdings_at, day, self.holdings)
        when = day or self.last_date or datetime.date.today()
        if self._price_map is None:
            self._price_map = prices.build_price_map(self.prices)
        holdings = Holdings()
        for position in inventory:
            cost = convert.get_cost(position)
            value = convert.get_value(position, self._price_map, when)
            if cost.currency == currency:
                holdings.book += cost.number
            if value.currency == currency:
                holdings.market += value.number
            elif cost.currency == currency:  # no price known: market falls back to cost
                holdings.market += cost.number
        return holdings

    def spending_headroom(self, fund: str, day: datetime.date) -> SpendingHeadroom | None:
        """The spending rule of ``fund`` in ``day``'s year, as of ``day`` (None: no rule)."""
        rule = self.spending_rules.get(fund)
        if rule is None or rule.date > day:
            return None
        year = day.year
        transferred = drawn = ZERO
        for transfer in self.transfers:
            if transfer.source == fund and transfer.date.year == year and transfer.date <= day:
                drawn += transfer.amount
                if transfer.date >= rule.date:
                    transferred += transfer.amount
        return SpendingHeadroom(fund, year, rule.rate, rule.quarters,
                                self.spending_limit(fund, year), transferred, drawn)

    def as_of(self, day: datetime.date) -> Books:
        """These books as they stood after every entry dated on or before ``day``.

        No second pass: fund figures come from the snapshots, grants and loans from their
        history, the rest is filtered by date.  The errors stay those of the whole ledger,
        and a tracer only if it was fed up to ``day`` (``analyse(trace_until=day)``).
        """
        if self.last_date is None or day >= self.last_date:
            return self
        view = Books(day, self.roots)
        view.funds = {n: f for n, f in self.funds.items() if f.declared <= day}
        view.figures = self.figures_at(day)
        view.snapshots = {d: f for d, f in self.snapshots.items() if d <= day}
        view.quarter_balances = defaultdict(dict, {
            fund: {d: b for d, b in ends.items() if d <= day}
            for fund, ends in self.quarter_balances.items()})
        view.grants = {i: g for i, g in ((i, g.as_of(day)) for i, g in self.grants.items())
                       if g is not None}
        view.loans = {i: loan for i, loan in ((i, x.as_of(day)) for i, x in self.loans.items())
                      if loan is not None}
        view.transfers = [t for t in self.transfers if t.date <= day]
        view.spending_rules = {f: r for f, r in self.spending_rules.items() if r.date <= day}
        view.indicators = self.indicators
        view.impacts = [i for i in self.impacts if i.date <= day]
        view.errors = self.errors
        view.private_contributors = self.private_contributors
        view.contributor_names = self.contributor_names
        view.entries = self.entries
        view.first_date = self.first_date
        view.last_date = day
        if self.traced_through == day:
            view.tracer, view.untraceable = self.tracer, self.untraceable
        view.families = self.families
        view.suspense = self.suspense_balance(day)
        view.suspense_at = {d: s for d, s in self.suspense_at.items() if d <= day}
        view.suspense_accounts = self.suspense_accounts
        view.pending = self.pending
        view.holdings = self._at(self.holdings_at, day, self.holdings)
        view.holdings_at = {d: h for d, h in self.holdings_at.items() if d <= day}
        view.prices = self.prices
        view._price_map = self._price_map
        view.traced_through = self.traced_through
        return view

    def contributors(self) -> list[str]:
        """Every contributor, sorted (known with or without tracing)."""
        return sorted(self.contributor_names, key=str.casefold)

    def find_contributor(self, name: str) -> str | None:
        """The contributor called ``name``: exact, else the one equal but for case and
        accents (a treasurer types "Caisse d'Epargne" for "Caisse d'Épargne"); ``None``
        when no name, or more than one, matches."""
        names = self.contributors()
        if name in names:
            return name
        folded = [n for n in names if _loose(n) == _loose(name)]
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


class _Reading:
    """What reading one transaction's postings found (see :meth:`_Pass._transaction`)."""

    __slots__ = ("txn", "moves", "missing_fund", "unknown_funds", "missing_ids", "foreign")

    def __init__(self, txn: data.Transaction) -> None:
        self.txn = txn
        self.moves: list[Move] = []
        self.missing_fund: list[str] = []
        self.unknown_funds: list[str] = []
        self.missing_ids: list[str] = []
        self.foreign: list[str] = []


class _Pass:
    """The single pass over entries that fills :class:`Books`."""

    def __init__(self, books: Books, trace: bool, annotate: bool,
                 snapshots: Sequence[datetime.date],
                 trace_until: datetime.date | None = None, collect: bool = False) -> None:
        self.books = books
        self.trace = trace
        self.trace_until = trace_until if trace else None
        self.annotate = annotate
        #: Append each entry read to ``books.entries`` (a new list, annotated after the
        #: pass); otherwise ``books.entries`` is the list given.
        self.collect = collect
        #: The place of the entry being read in the entries given.
        self.position = 0
        self.pending_snapshots = sorted(set(snapshots))
        self.classify = Classifier(books.roots)
        self.families = [family(books) for family in FAMILIES]
        # Only the hooks a family defines are called (a call per entry adds up).
        self.entry_hooks = [f.entry for f in self.families if _defines(f, "entry")]
        self.transaction_hooks = [f.transaction for f in self.families
                                  if _defines(f, "transaction")]
        books.families = {type(family): family for family in self.families}
        #: ``custom`` directive type → the family that reads it.
        self.family_directives = {kind: family for family in self.families
                                  for kind in family.directives}
        self.below_zero: set[str] = set()
        self.rule_breached: set[tuple[str, int]] = set()
        self.ruled_out: dict[tuple[str, int], Decimal] = {}
        self.grant_overpaid: set[str] = set()
        self.loan_overpaid: set[str] = set()
        #: Grants and loans whose award or disbursement named no usable fund (FL101,
        #: FL102): their later payments are not "never awarded" (FL302, FL402) again.
        self.broken_ids: set[str] = set()
        self.next_close: datetime.date | None = None
        self.declared_quarter: dict[str, datetime.date] = {}
        #: The postings to annotate once the pass is over, one item per posting: its
        #: transaction's place in ``books.entries``, its own place in the transaction and
        #: its fund's code (``fund_codes``).  Columns, not tuples: a few bytes a posting.
        self.annotated_at = array.array("i")
        self.annotated_posting = array.array("i")
        self.annotated_fund = array.array("i")
        self.fund_codes: dict[str, int] = {}

    # -- driving ----------------------------------------------------------------------------

    def run(self, entries: Iterable[data.Directive]) -> None:
        books, at = self.books, self.books.at
        families, family_directives = self.families, self.family_directives
        entry_hooks = self.entry_hooks
        trace_until = self.trace_until
        for position, entry in enumerate(entries):
            if at is not None and entry.date > at:
                break
            self.position = position
            if trace_until is not None and entry.date > trace_until:
                self._stop_tracing_at(trace_until)
                trace_until = None
            self._advance_to(entry.date)
            if books.last_date is None:
                books.first_date = entry.date
            books.last_date = entry.date
            for hook in entry_hooks:
                hook(entry)
            if isinstance(entry, data.Transaction):
                self._transaction(entry)
            elif isinstance(entry, data.Price):
                books.prices.append(entry)
            elif isinstance(entry, data.Custom):
                if entry.type in directives.SPEC_DIRECTIVES:
                    self._custom(entry)
                elif entry.type in family_directives:
                    family_directives[entry.type].custom(entry)
            if self.collect:
                books.entries.append(entry)
        end = at or books.last_date
        if end is not None:
            self._close_quarters_through(end)
        for day in self.pending_snapshots:
            self._snapshot(day)
        if self.trace and books.tracer is not None:
            books.traced_through = trace_until or at
        for family in families:
            family.finish(books.last_date)

    def write_annotations(self) -> None:
        """Copy each posting's resolved fund onto it (``annotate``), now that the pass is
        over: on a new posting of a new transaction, which replaces the loaded one in
        ``books.entries`` (a loaded entry is never changed in place, Beancount's plugin
        convention), and in the errors that point at it (so Fava's links from an error
        open the entry Fava has).  Nothing else in the books keeps a transaction (a
        receipt's gift keeps its metadata), so the loaded one is freed as soon as its
        copy takes its place in a list that is the loader's own (``in_place``).

        Done after the pass, not during it, so that the copies and the tracer's lots
        (freed by then in a server: ``analyse(freeze_trace=True)``) are never in memory
        together: at 100k transactions each is some 30-50 MB.
        """
        books = self.books
        entries = books.entries
        at, which, codes = self.annotated_at, self.annotated_posting, self.annotated_fund
        names = list(self.fund_codes)
        erring = {id(e.entry) for e in books.errors if e.entry is not None}
        replaced: dict[int, data.Transaction] = {}
        i, count = 0, len(at)
        while i < count:
            place = at[i]
            txn = entries[place]
            postings = list(txn.postings)
            while i < count and at[i] == place:
                posting = postings[which[i]]
                postings[which[i]] = data.Posting(
                    posting.account, posting.units, posting.cost, posting.price,
                    posting.flag, {**(posting.meta or {}), "fund": names[codes[i]]})
                i += 1
            entries[place] = data.Transaction(txn.meta, txn.date, txn.flag, txn.payee,
                                              txn.narration, txn.tags, txn.links, postings)
            if id(txn) in erring:
                replaced[id(txn)] = entries[place]
        for n, error in enumerate(books.errors):
            if id(error.entry) in replaced:
                books.errors[n] = error._replace(entry=replaced[id(error.entry)])
        self.annotated_at = self.annotated_posting = self.annotated_fund = array.array("i")

    def _advance_to(self, day: datetime.date) -> None:
        """Record quarter-end balances and snapshots for every date before ``day``."""
        if self.next_close is not None and day > self.next_close:
            self._close_quarters_through(day - datetime.timedelta(days=1))
        while self.pending_snapshots and self.pending_snapshots[0] < day:
            self._snapshot(self.pending_snapshots.pop(0))

    def _snapshot(self, day: datetime.date) -> None:
        """Keep what the books hold after every entry dated on or before ``day``."""
        books = self.books
        books.snapshots[day] = self._copy_figures()
        books.suspense_at[day] = dict(books.suspense)
        books.holdings_at[day] = Inventory(books.holdings)  # positions are immutable

    def _stop_tracing_at(self, day: datetime.date) -> None:
        """The tracer has what it was asked for: its state at ``day`` (``trace_until``)."""
        self.trace = False
        self.books.traced_through = day

    def _close_quarters_through(self, last_day: datetime.date) -> None:
        books = self.books
        while self.next_close is not None and self.next_close <= last_day:
            close = self.next_close
            for name, figures in books.figures.items():
                if self.declared_quarter[name] <= close:
                    books.quarter_balances[name][close] = figures.balance
            if close not in books.snapshots:
                self._snapshot(close)
            # The last quarter end Python's dates know has no next one (--at 9999-12-31).
            self.next_close = next_quarter_end(close) if close < datetime.date.max else None

    def _copy_figures(self) -> dict[str, FundFigures]:
        return {name: figures.copy() for name, figures in self.books.figures.items()}

    def error(self, code: str, entry: Any, **fields: Any) -> None:
        self.books.errors.append(fund_error(code, entry, **fields))

    def _stop_tracing(self, entry: Any) -> None:
        """Amounts beyond exact tracing: give up tracing, saying where (figures go on)."""
        self.books.untraceable = (
            f"{where(entry)}: contributor tracing stops here: the amounts moved reach "
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
            self.error("FL103", entry, directive=entry.type, reason=exc)
            return
        if isinstance(value, Fund):
            self._declare(entry, value)
        elif isinstance(value, Transfer):
            self._transfer(entry, value)
        elif isinstance(value, SpendingRule):
            if value.fund not in self.books.funds:
                self.error("FL501", entry, what=f'spending rule for fund "{value.fund}", '
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
            self.error("FL102", entry, what=f'fund "{fund.name}" declared twice '
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
                self.error("FL501", entry, what=f'fund-transfer names fund "{name}", '
                                              f"not declared on {entry.date}")
                return
        if transfer.amount <= 0:
            self.error("FL501", entry, what=f'fund-transfer from "{transfer.source}" to '
                                          f'"{transfer.target}" of a non-positive amount '
                                          f"{transfer.amount}")
            return
        if transfer.source == transfer.target:
            self.error("FL501", entry,
                       what=f'fund-transfer from fund "{transfer.source}" to itself')
            return
        source = books.figures[transfer.source]
        self._check_spending_rule(entry, transfer, source)
        books.transfers.append(transfer)
        source.transfers_out += transfer.amount
        books.figures[transfer.target].transfers_in += transfer.amount
        fund = books.funds[transfer.source]
        corpus_breached = fund.non_consumable_endowment and source.balance < source.contributions
        if corpus_breached:
            self.error("FL202", entry, what=f"transfer of {transfer.amount} EUR takes endowment "
                                          f'fund "{fund.name}" to {source.balance} EUR, below '
                                          f"its corpus of {source.contributions} EUR")
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
            self.error("FL203", entry, fund=transfer.source, year=year, total=total,
                       rate=rule.rate, basis=basis, limit=limit)

    def _check_available(self, entry: Any, fund: str, silent: bool = False) -> None:
        """FL201 once, when a fund's available goes from zero or more to below zero."""
        now = self.books.figures[fund].available
        if now >= 0:
            self.below_zero.discard(fund)
        elif fund not in self.below_zero:
            self.below_zero.add(fund)
            if not silent:
                self.error("FL201", entry, fund=fund, available=now)

    # -- transactions -----------------------------------------------------------------------

    def _transaction(self, txn: data.Transaction) -> None:
        """Read the postings, report what is malformed, apply the rest, let families see it.

        When annotating, :meth:`_read_postings` notes the postings whose resolved fund is
        to be written on them, for :meth:`write_annotations` once the pass is over.
        """
        reading = _Reading(txn)
        if txn.flag == "!":
            self.books.pending += 1
        self._read_postings(reading)
        for move in reading.moves:
            if move.kind <= INTEREST or move.kind == PLEDGE:  # money a contributor may give
                self._note_contributor(txn, move.posting, move.kind)
        self._report_unreadable(reading)
        if reading.moves:
            self._apply(txn, reading.moves, broken=bool(reading.missing_fund
                                                         or reading.unknown_funds))
        for hook in self.transaction_hooks:
            hook(txn, reading.moves)

    def _note_annotation(self, index: int, fund: str) -> None:
        """Note that posting ``index`` of the transaction being read (at ``position`` in
        ``books.entries`` too) gets ``fund`` written on it by :meth:`write_annotations`."""
        self.annotated_at.append(self.position)
        self.annotated_posting.append(index)
        self.annotated_fund.append(self.fund_codes.setdefault(fund, len(self.fund_codes)))

    def _read_postings(self, reading: _Reading) -> None:
        """Classify each posting and resolve its fund, grant and loan into a :class:`Move`
        (one loop, the engine's hottest: locals instead of attribute look-ups)."""
        txn = reading.txn
        txn_meta = txn.meta
        txn_fund, txn_grant, txn_loan = (txn_meta.get("fund"), txn_meta.get("grant"),
                                         txn_meta.get("loan"))
        classify, funds, annotate = self.classify, self.books.funds, self.annotate
        moves = reading.moves
        for index, posting in enumerate(txn.postings):
            kind = classify(posting.account)
            if kind >= OTHER:
                if kind != OTHER:
                    self._keep_aside(kind, posting)
                continue
            meta = posting.meta or {}
            grant = meta.get("grant", txn_grant)
            loan = meta.get("loan", txn_loan)
            if kind in (GRANT_EXPENSE, PAYABLE) and grant is None:
                reading.missing_ids.append(f"{posting.account} without grant:")
            elif kind in (LOAN, LOAN_LOSS) and loan is None:
                reading.missing_ids.append(f"{posting.account} without loan:")
            fund = None
            if kind in NEEDS_FUND:
                fund = meta.get("fund", txn_fund)
                if fund is None:
                    reading.missing_fund.append(posting.account)
                    continue
                if not isinstance(fund, str) or fund not in funds:
                    reading.unknown_funds.append(str(fund))
                    continue
                if annotate and meta.get("fund") != fund:
                    # A fund given on the transaction is copied onto the posting (for BQL's
                    # meta('fund') and Fava's filters) once the pass is over (see
                    # write_annotations, which says when the entries replaced are freed).
                    self._note_annotation(index, fund)
            units = posting.units
            number = units.number
            if units.currency != OPERATING_CURRENCY:
                weight = convert.get_weight(posting)
                if weight.currency != OPERATING_CURRENCY:
                    reading.foreign.append(f"{units} on {posting.account}")
                    continue
                number = weight.number
            moves.append(Move(kind, fund or "", number, posting,
                              None if grant is None else str(grant),
                              None if loan is None else str(loan)))

    def _keep_aside(self, kind: Kind, posting: data.Posting) -> None:
        """Balances that are not fund figures but that outputs show: the endowment's
        securities (valued by :meth:`Books.endowment_value`) and suspense accounts."""
        books = self.books
        if kind == ENDOWMENT:
            books.holdings.add_position(posting)
        elif posting.units is not None:
            currency = posting.units.currency
            books.suspense[currency] = books.suspense.get(currency, ZERO) + posting.units.number
            books.suspense_accounts.add(posting.account)

    def _report_unreadable(self, reading: _Reading) -> None:
        """One error per kind of problem found while reading a transaction's postings."""
        txn = reading.txn
        if reading.missing_fund:
            self.error("FL101", txn, accounts=", ".join(reading.missing_fund))
        if reading.unknown_funds:
            names = ", ".join(f'"{n}"' for n in dict.fromkeys(reading.unknown_funds))
            self.error("FL102", txn, what=f"fund {names} not declared on or before {txn.date}")
        if reading.missing_ids:
            self.error("FL104", txn, missing="; ".join(dict.fromkeys(reading.missing_ids)))
        if reading.foreign:
            self.error("FL105", txn, what=f"{', '.join(reading.foreign)}: fund figures are kept "
                                          f"in {OPERATING_CURRENCY}; give the posting a price "
                                          f"or cost in {OPERATING_CURRENCY}")

    def _apply(self, txn: data.Transaction, moves: list[Move], broken: bool = False) -> None:
        """Apply a transaction's moves to the funds, grants and loans, checking each rule.

        ``broken``: a posting of the transaction has no usable fund (FL101, FL102 already
        said so); a grant or loan it names is then not reported as never awarded or
        disbursed, which would only repeat the same mistake under another code.
        """
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
            self.error("FL202", txn, what=f'expense or loan charged to endowment fund "{fund}", '
                                        "which is not consumable")
        if grant_moves:
            for grant, gmoves in grant_moves.items():
                self._grant(txn, grant, gmoves, broken)
        if loan_moves:
            for loan, lmoves in loan_moves.items():
                self._loan(txn, loan, lmoves, broken)
        for fund in touched:
            self._check_available(txn, fund, silent=fund in endowment_charged)
        if self.trace:
            try:
                self._trace(txn, moves)
            except TraceOverflow:
                self._stop_tracing(txn)

    def _grant(self, txn: data.Transaction, ident: str,
               moves: list[tuple[int, str, Decimal]], broken: bool = False) -> None:
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
                if broken:
                    self.broken_ids.add(ident)
                elif ident not in self.broken_ids:
                    self.error("FL302", txn, grant=ident)
                return
            grant = books.grants[ident] = Grant(ident, awarded_on=txn.date)
            grant.grantee = txn.payee
            grant.narration = txn.narration
            grant.grantee_kind = txn.meta.get("grantee-kind")
            grant.private = markers.withholds(txn)  # malformed markers: FL105 in Markers
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
        grant.record(txn.date)
        if grant.payable < 0 and ident not in self.grant_overpaid:
            self.grant_overpaid.add(ident)
            self.error("FL301", txn, grant=ident, excess=-grant.payable)
        self._same_fund(txn, "grant", grant, [f for k, f, _n in moves if k == GRANT_EXPENSE])

    def _loan(self, txn: data.Transaction, ident: str,
              moves: list[tuple[int, str, Decimal]], broken: bool = False) -> None:
        books = self.books
        loan = books.loans.get(ident)
        lent = credits = losses = interest = ZERO
        for kind, _fund, number in moves:  # one loop: on the engine's hot path
            if kind == LOAN:
                if number > 0:
                    lent += number
                elif number < 0:
                    credits -= number
            elif kind == LOAN_LOSS:
                losses += number
            elif kind == INTEREST:
                interest += number
        if loan is None:
            if lent <= 0:
                if broken:
                    self.broken_ids.add(ident)
                elif ident not in self.broken_ids and any(k != INTEREST for k, _f, _n in moves):
                    self.error("FL402", txn, loan=ident)
                return
            meta = txn.meta
            loan = books.loans[ident] = Loan(ident, disbursed_on=txn.date)
            loan.borrower = txn.payee
            loan.borrower_kind = meta.get("grantee-kind")
            loan.narration = txn.narration
            loan.private = markers.withholds(txn)
            bad_terms = [key for key in ("term-months", "grace-months", "rate")
                         if key in meta and not is_number(meta[key])]
            if bad_terms:
                self.error("FL105", txn,
                           what=f'loan "{ident}": {", ".join(bad_terms)} must be a number')
            loan.term_months = _as_int(meta.get("term-months"), 0)
            loan.grace_months = _as_int(meta.get("grace-months"), 0)
            loan.rate = Decimal(meta["rate"]) if is_number(meta.get("rate")) else ZERO
            loan.meta = {k: v for k, v in meta.items() if k not in ("filename", "lineno")}
        written_off = min(credits, max(losses, ZERO))
        for kind, amount in (("disbursement", lent), ("write-off", written_off),
                             ("repayment", credits - written_off)):
            if amount:
                loan.events.append(Event(txn.date, kind, ident, amount))
        loan.lent += lent
        loan.written_off += written_off
        loan.repaid += credits - written_off
        loan.interest -= interest
        loan.record(txn.date)
        if loan.outstanding < 0 and ident not in self.loan_overpaid:
            self.loan_overpaid.add(ident)
            self.error("FL401", txn, loan=ident, excess=-loan.outstanding)
        self._same_fund(txn, "loan", loan,
                        [f for k, f, _n in moves if k in (LOAN, LOAN_LOSS)])

    def _same_fund(self, txn: data.Transaction, what: str, item: Grant | Loan,
                   funds: list[str]) -> None:
        named = [f for f in dict.fromkeys(funds) if f]
        if item.fund is None and named:
            item.fund = named[0]
        strangers = [f for f in named if f != item.fund]
        if strangers:
            self.error("FL303", txn, what=what, id=item.id, fund=strangers[0], owner=item.fund)

    def _trace(self, txn: data.Transaction, moves: list[Move]) -> None:
        """Tell the tracer what this transaction did, in SPEC 6.3's terms (in cents).

        Money in first, so a transaction that brings and spends money spends its own; the
        pledges and loan losses of the transaction are counted before either.  One look at
        each move sorts it (the engine's hottest loop after reading postings).
        """
        tracer = self.books.tracer
        date = txn.date
        contributor_of = self._contributor
        money_in: list[tuple[int, str, int, data.Posting, bool]] = []
        money_out: list[tuple[int, str, int, data.Posting, str | None, str | None, bool]] = []
        pledged: dict[tuple[str, str], int] | None = None
        losses: dict[str, int] | None = None
        for kind, fund, number, posting, grant, loan in moves:
            if not fund or kind == PAYABLE:  # nothing to trace
                continue
            cents = to_cents(number)
            if kind == PLEDGE:
                if cents > 0:
                    if pledged is None:
                        pledged = defaultdict(int)
                    pledged[(fund, contributor_of(txn, posting))] += cents
                elif cents < 0:
                    money_in.append((kind, fund, cents, posting, False))
            elif kind == LOAN_LOSS:
                if loan is not None and cents > 0:
                    if losses is None:
                        losses = defaultdict(int)
                    losses[loan] += cents
            elif kind <= INTEREST:
                given = kind == CONTRIBUTION or self._given(kind, txn, posting)
                if cents < 0:
                    money_in.append((kind, fund, cents, posting, given))
                elif cents > 0:
                    money_out.append((kind, fund, cents, posting, grant, loan, given))
            elif cents:
                money_out.append((kind, fund, cents, posting, grant, loan, False))
        for kind, fund, cents, posting, given in money_in:
            if given:
                contributor = contributor_of(txn, posting)
                unpaid = 0
                if pledged is not None:
                    owed = pledged[(fund, contributor)]
                    unpaid = min(owed, -cents)
                    pledged[(fund, contributor)] = owed - unpaid
                tracer.contribute(fund, contributor, date, -cents, unpaid)
            elif kind == PLEDGE:
                tracer.pay_pledge(fund, contributor_of(txn, posting), -cents, date)
            else:
                tracer.earn(fund, -cents, date)
        for kind, fund, cents, posting, grant, loan, given in money_out:
            if given:
                tracer.withdraw(fund, contributor_of(txn, posting), cents, posting.account)
            elif kind <= INTEREST:
                tracer.consume(fund, cents, "expense", posting.account)
            elif kind == LOAN:
                if loan is None:
                    continue
                if cents > 0:
                    tracer.consume(fund, cents, "loan", loan)
                    continue
                written = 0
                if losses is not None:
                    written = min(-cents, losses[loan])
                    losses[loan] -= written
                if written:
                    tracer.write_off(loan, written)
                if -cents > written:
                    tracer.give_back("loan", loan, fund, -cents - written, date)
            elif cents > 0:  # EXPENSE, GRANT_EXPENSE
                if kind == GRANT_EXPENSE and grant is not None:
                    tracer.consume(fund, cents, "grant", grant)
                else:
                    tracer.consume(fund, cents, "expense", posting.account)
            elif grant is not None and ("grant", grant) in tracer.paid_by:
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
        if markers.withholds(txn):  # private: TRUE, contributor-kind "person"...
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
        return contributor_of(txn, posting)


def _defines(family: RuleFamily, hook: str) -> bool:
    """Whether a rule family has its own ``hook`` (method or instance attribute)."""
    return hook in vars(family) or getattr(type(family), hook) is not getattr(RuleFamily, hook)


def _as_id(value: Any) -> str | None:
    return None if value is None else str(value)


def _as_int(value: Any, default: int) -> int:
    return int(value) if is_number(value) else default


def analyse(
    entries: Iterable[data.Directive],
    at: datetime.date | None = None,
    *,
    options: dict[str, Any] | None = None,
    snapshots: Sequence[datetime.date] = (),
    trace: bool = True,
    trace_until: datetime.date | None = None,
    annotate: bool = False,
    in_place: bool = False,
    freeze_trace: bool = False,
) -> Books:
    """Run the fund engine over loaded entries (in Beancount's order).

    Args:
      entries: loaded entries, sorted as Beancount sorts them.
      at: count only entries dated on or before this date (default: all).
      options: the ledger's options (its root account names); Beancount's defaults if None.
      snapshots: dates, besides every quarter end, at which to keep what the books hold
        (fund figures, suspense, the endowment's securities): see :meth:`Books.as_of`.
      trace: also trace contributors (SPEC 6.3); the plugin does without.
      trace_until: feed the tracer only the entries dated on or before this date, so that
        the books' traces are those at that date while every other figure goes on.
      annotate: copy each resolved fund onto its postings, into ``books.entries`` (a new
        list, unless ``in_place``).
      in_place: with ``annotate``, put the copies into the list given, in the place of the
        entries they copy, and keep that list as ``books.entries``.  For the plugin:
        Beancount's loader keeps the list it hands to a plugin until every plugin has run
        (and sorts it, and its ``documents`` plugin extends it, in place), so copies in a
        new list would keep each loaded transaction alive beside its copy until then.
      freeze_trace: once every entry is in, keep only what answers traces and let the
        tracer's lots go (:meth:`~fundledger.engine.tracing.Tracer.freeze`), before the
        annotated copies are made: for a process that keeps the books (Fava).
    """
    books = Books(at, Roots.of(options))
    if trace:
        books.tracer = tracing.Tracer()
    collect = annotate and not in_place
    if not collect:  # the books' entries are the very ones given (see Loaded.books)
        entries = books.entries = entries if isinstance(entries, list) else list(entries)
    engine_pass = _Pass(books, trace, annotate, snapshots, trace_until, collect)
    engine_pass.run(entries)
    if freeze_trace and books.tracer is not None:
        books.tracer.freeze()
    if annotate:
        engine_pass.write_annotations()
    return books
