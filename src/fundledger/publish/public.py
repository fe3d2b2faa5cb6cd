"""What the public may see: the engine's figures with private data withheld (SPEC 3.5, 6.4).

Everything here is plain data built from :func:`fundledger.engine.analyse` and nothing
else is handed to the templates, so a template cannot leak what this module did not
let through.  The rules, decided once:

* A grant or a loan is withheld when the engine says so (``Grant.is_withheld``,
  ``Loan.is_withheld``: ``private: TRUE`` or ``grantee-kind: "person"``).  A withheld
  grant or loan has no page, no id, no name, no narration: its
  amounts only count in a "private beneficiaries" aggregate (per fund, site-wide and in
  each contributor's page) and its impact only in indicator totals.
* A contributor is withheld when any of its contributions (or pledges) is on a
  ``private: TRUE`` transaction (``Books.private_contributors``): its money shows as
  "private donors", it has no page.
* A public grant shows only whitelisted metadata (:data:`PUBLIC_META`): project, town,
  committee date, CUP code.  Narrations, scores, minutes, bank details, documents and
  any other key stay in the books.
* No account name is ever shown (the public sees funds, not accounts); costs a
  contributor paid for are named by their family (:func:`fundledger.i18n.cost_label`).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from beancount.core import data

from fundledger.engine import ZERO, Books, FundFigures, Grant, Loan, markers
from fundledger.engine.closing import closing_of

#: Grant metadata shown on a public grant page: key in the ledger → label key.
#: A whitelist, so a new key a treasurer adds (notes, scores, bank details) stays private.
PUBLIC_META: dict[str, str] = {
    "project": "grant.project", "projet": "grant.project", "progetto": "grant.project",
    "city": "grant.city", "commune": "grant.city", "comune": "grant.city",
    "committee": "grant.committee", "comite": "grant.committee",
    "commissione": "grant.committee", "verbale": "grant.committee",
    "cup": "grant.cup",
}
#: Order of the whitelisted details on a grant page.
DETAIL_ORDER = ("grant.project", "grant.city", "grant.committee", "grant.cup")



# -- slugs ------------------------------------------------------------------------------------

def slugify(text: str) -> str:
    """A file-name-safe, lowercase ASCII form of ``text`` (stable across runs)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "x"


def unique_slugs(names: Iterable[str]) -> dict[str, str]:
    """A distinct slug per name, given in sorted order so the same books give the same slugs."""
    taken: set[str] = set()
    slugs: dict[str, str] = {}
    for name in sorted(set(names)):
        base = slug = slugify(name)
        n = 2
        while slug in taken:
            slug = f"{base}-{n}"
            n += 1
        taken.add(slug)
        slugs[name] = slug
    return slugs


# -- privacy decisions --------------------------------------------------------------------------

# -- public data ----------------------------------------------------------------------------------

@dataclass
class ImpactRow:
    """An indicator's measured total over some projects, with the money behind them."""

    indicator: str
    label: str
    unit: str
    value: Decimal
    projects: int
    committed: Decimal

    @property
    def per_unit(self) -> Decimal | None:
        return self.committed / self.value if self.value else None


@dataclass
class PublicGrant:
    id: str
    slug: str
    fund: str
    grantee: str
    grantee_kind: str | None
    awarded_on: datetime.date | None
    #: (label key, value): whitelisted metadata; a date value is shown in the reader's locale.
    details: list[tuple[str, str | datetime.date]]
    awarded: Decimal
    paid: Decimal
    returned: Decimal
    net: Decimal
    remaining: Decimal
    impacts: list[ImpactRow]


@dataclass
class PublicLoan:
    id: str
    fund: str
    borrower: str
    disbursed_on: datetime.date | None
    term_months: int
    lent: Decimal
    repaid: Decimal
    written_off: Decimal
    outstanding: Decimal


@dataclass
class GrantAggregate:
    """Withheld grants, summed: "private beneficiaries"."""

    count: int = 0
    awarded: Decimal = ZERO
    paid: Decimal = ZERO
    returned: Decimal = ZERO
    net: Decimal = ZERO
    remaining: Decimal = ZERO

    def add(self, grant: Grant) -> None:
        self.count += 1
        self.awarded += grant.awarded
        self.paid += grant.paid
        self.returned += grant.revoked + grant.refunded
        self.net += grant.net
        self.remaining += grant.remaining


@dataclass
class LoanAggregate:
    count: int = 0
    lent: Decimal = ZERO
    repaid: Decimal = ZERO
    written_off: Decimal = ZERO
    outstanding: Decimal = ZERO

    def add(self, loan: Loan) -> None:
        self.count += 1
        self.lent += loan.lent
        self.repaid += loan.repaid
        self.written_off += loan.written_off
        self.outstanding += loan.outstanding


@dataclass
class Resource:
    """A contributor's money given to a fund (``name`` None for private donors)."""

    name: str | None
    slug: str | None
    amount: Decimal


@dataclass
class PublicTransfer:
    """A ``fund-transfer`` touching a fund; its narration is dropped if marked private."""

    date: datetime.date
    source: str
    target: str
    amount: Decimal
    narration: str | None


@dataclass
class PublicFund:
    name: str
    slug: str
    label: str
    kind: str
    figures: FundFigures
    resources: list[Resource]
    other_income: Decimal
    grants: list[PublicGrant]
    private_grants: GrantAggregate
    loans: list[PublicLoan]
    private_loans: LoanAggregate
    impacts: list[ImpactRow]
    history: list[tuple[datetime.date, Decimal]]
    transfers: list[PublicTransfer] = field(default_factory=list)


@dataclass
class UsedRow:
    """What a contributor's money paid for: a public grant or loan, or an aggregate."""

    fund: str
    amount: Decimal
    name: str | None = None
    slug: str | None = None
    total: Decimal | None = None
    #: The grant or loan's id and award / disbursement date: two grants to one grantee
    #: must not read as one listed twice.
    id: str = ""
    date: datetime.date | None = None


@dataclass
class PublicContributor:
    name: str
    slug: str
    totals: dict[str, Decimal]
    by_fund: list[dict[str, Any]]
    grants: list[UsedRow]
    private_grants: Decimal
    loans: list[UsedRow]
    private_loans: Decimal
    costs: list[tuple[str, str, Decimal]]


@dataclass
class PublicBooks:
    """The whole public site's data."""

    title: str
    as_of: datetime.date | None
    error_count: int
    funds: list[PublicFund]
    grants: list[PublicGrant]
    private_grants: GrantAggregate
    loans: list[PublicLoan]
    private_loans: LoanAggregate
    contributors: list[PublicContributor]
    impacts: list[ImpactRow]
    #: Headline figures: sums of the engine's (amounts), counts, and whether any endowment.
    totals: dict[str, Any] = field(default_factory=dict)
    fund_labels: dict[str, str] = field(default_factory=dict)
    fund_slugs: dict[str, str] = field(default_factory=dict)
    #: Calls for projects (:mod:`fundledger.publish.programmes`), set by the site builder.
    programmes: list[Any] = field(default_factory=list)
    #: End of the latest period closed (``period-close``): figures up to it are final.
    closed_through: datetime.date | None = None


PARTS = ("given", "pledged", "earned", "used", "unspent")


#: What the books' owner is, for the words the site uses of it.
ORGANISATIONS = ("foundation", "programme")


def organisation(entries: list[data.Directive], has_endowment: bool) -> str:
    """``custom "fundledger-option" "organisation" "foundation"|"programme"``; without it,
    a foundation when the books have an endowment fund (Lyon), else a programme (Turin's
    InnoSocialMetro, a public "misura")."""
    from fundledger.reports.base import ledger_options

    chosen = ledger_options(entries).get("organisation")
    if chosen in ORGANISATIONS:
        return str(chosen)
    return "foundation" if has_endowment else "programme"


def build(books: Books, entries: list[data.Directive], title: str,
          error_count: int) -> PublicBooks:
    """The public view of ``books`` (figures from the engine, private data withheld)."""
    hidden_donors = books.private_contributors
    fund_slugs = unique_slugs(books.funds)
    public_grants = {g.id: g for g in books.grants.values() if not g.is_withheld}
    grant_slugs = unique_slugs(public_grants)
    contributors = [c for c in books.contributors() if c not in hidden_donors]
    contributor_slugs = unique_slugs(contributors)
    traces = {name: books.trace(name) for name in books.contributors()}
    impact_money = _impact_money(books)

    grants = sorted((_public_grant(books, g, grant_slugs[g.id], impact_money)
                     for g in public_grants.values()),
                    key=lambda g: (g.awarded_on or datetime.date.min, g.id))
    loans = sorted((_public_loan(loan) for loan in books.loans.values()
                    if not loan.is_withheld),
                   key=lambda item: (item.disbursed_on or datetime.date.min, item.id))
    private_grants = GrantAggregate()
    for grant in books.grants.values():
        if grant.is_withheld:
            private_grants.add(grant)
    private_loans = LoanAggregate()
    for loan in books.loans.values():
        if loan.is_withheld:
            private_loans.add(loan)

    funds = [
        _public_fund(books, name, fund_slugs[name], grants, loans, traces, hidden_donors,
                     contributor_slugs, impact_money)
        for name in books.funds
    ]
    people = [_public_contributor(books, name, contributor_slugs, traces[name], grant_slugs)
              for name in sorted(contributors, key=str.casefold)]
    figures = list(books.figures.values())
    totals = {
        "received": sum((f.received for f in figures), ZERO),
        "granted": sum((g.net for g in books.grants.values()), ZERO),
        "grants": len(books.grants),
        "lent": sum((loan.lent for loan in books.loans.values()), ZERO),
        "loans": len(books.loans),
        "loans_outstanding": sum((f.loans_outstanding for f in figures), ZERO),
        "available": sum((f.available for f in figures), ZERO),
        "endowment": sum((f.balance for f in figures if f.kind == "endowment"), ZERO),
        "has_endowment": any(f.kind == "endowment" for f in figures),
    }
    totals["organisation"] = organisation(entries, totals["has_endowment"])
    return PublicBooks(
        title=title, as_of=books.last_date, error_count=error_count, funds=funds,
        grants=grants, private_grants=private_grants, loans=loans,
        private_loans=private_loans, contributors=people,
        impacts=_impact_rows(books, list(books.grants) + list(books.loans), impact_money),
        totals=totals, fund_labels={n: f.label for n, f in books.funds.items()},
        fund_slugs=fund_slugs, closed_through=closing_of(books).closed_through(),
    )


def _impact_money(books: Books) -> dict[str, tuple[str, Decimal]]:
    """Fund and money committed per grant (net) or loan (lent), as the board report counts."""
    money = {g.id: (g.fund or "", g.net) for g in books.grants.values()}
    money.update({loan.id: (loan.fund or "", loan.lent) for loan in books.loans.values()})
    return money


def _impact_rows(books: Books, subjects: Iterable[str],
                 money: dict[str, tuple[str, Decimal]]) -> list[ImpactRow]:
    """Indicator totals over ``subjects`` (withheld ones count, unnamed)."""
    wanted = set(subjects)
    table: dict[str, tuple[Decimal, set[str]]] = {}
    for item in books.impacts:
        if item.subject not in wanted:
            continue
        value, seen = table.get(item.indicator, (ZERO, set()))
        table[item.indicator] = (value + item.value, seen | {item.subject})
    order = {name: i for i, name in enumerate(books.indicators)}
    rows = []
    for name in sorted(table, key=lambda n: (order.get(n, len(order)), n)):
        value, seen = table[name]
        indicator = books.indicators.get(name)
        committed = sum((money[s][1] for s in seen if s in money), ZERO)
        rows.append(ImpactRow(name, indicator.label if indicator else name,
                              indicator.unit if indicator else "", value, len(seen), committed))
    return rows


def _public_grant(books: Books, grant: Grant, slug: str,
                  money: dict[str, tuple[str, Decimal]]) -> PublicGrant:
    found: dict[str, str | datetime.date] = {}
    for key, label in PUBLIC_META.items():
        value = grant.meta.get(key)
        if value is not None and label not in found and not isinstance(value, bool):
            found[label] = _as_date(value)
    details = [(label, found[label]) for label in DETAIL_ORDER if label in found]
    return PublicGrant(
        id=grant.id, slug=slug, fund=grant.fund or "", grantee=grant.grantee or grant.id,
        grantee_kind=grant.grantee_kind, awarded_on=grant.awarded_on, details=details,
        awarded=grant.awarded, paid=grant.paid, returned=grant.revoked + grant.refunded,
        net=grant.net, remaining=grant.remaining,
        impacts=_impact_rows(books, [grant.id], money),
    )


def _as_date(value: Any) -> str | datetime.date:
    """A date kept as a date (shown in the reader's locale), anything else as text."""
    if isinstance(value, datetime.date):
        return value
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass
    return text


def _public_loan(loan: Loan) -> PublicLoan:
    return PublicLoan(loan.id, loan.fund or "", loan.borrower or loan.id, loan.disbursed_on,
                      loan.term_months, loan.lent, loan.repaid, loan.written_off,
                      loan.outstanding)


def _public_fund(books: Books, name: str, slug: str, grants: list[PublicGrant],
                 loans: list[PublicLoan], traces: dict[str, Any], hidden: set[str],
                 contributor_slugs: dict[str, str],
                 money: dict[str, tuple[str, Decimal]]) -> PublicFund:
    fund = books.funds[name]
    figures = books.figures[name]
    resources: list[Resource] = []
    private_amount = ZERO
    given_total = ZERO
    for contributor in sorted(traces, key=str.casefold):
        amount = sum((s.amount for s in traces[contributor].given if s.fund == name), ZERO)
        if not amount:
            continue
        given_total += amount
        if contributor in hidden:
            private_amount += amount
        else:
            resources.append(Resource(contributor, contributor_slugs[contributor], amount))
    resources.sort(key=lambda r: (-r.amount, (r.name or "").casefold()))
    if private_amount:
        resources.append(Resource(None, None, private_amount))
    private_grants = GrantAggregate()
    for grant in books.grants.values():
        if grant.fund == name and grant.is_withheld:
            private_grants.add(grant)
    private_loans = LoanAggregate()
    for loan in books.loans.values():
        if loan.fund == name and loan.is_withheld:
            private_loans.add(loan)
    subjects = [g.id for g in books.grants.values() if g.fund == name]
    subjects += [loan.id for loan in books.loans.values() if loan.fund == name]
    return PublicFund(
        name=name, slug=slug, label=fund.label, kind=fund.kind, figures=figures,
        resources=resources, other_income=figures.received - given_total,
        grants=[g for g in grants if g.fund == name], private_grants=private_grants,
        loans=[loan for loan in loans if loan.fund == name], private_loans=private_loans,
        impacts=_impact_rows(books, subjects, money),
        history=sorted(books.quarter_balances.get(name, {}).items()),
        transfers=[PublicTransfer(t.date, t.source, t.target, t.amount,
                                  None if markers.withholds(t) else t.narration)
                   for t in books.transfers if name in (t.source, t.target)],
    )


def _public_contributor(books: Books, name: str, slugs: dict[str, str], trace: Any,
                        grant_slugs: dict[str, str]) -> PublicContributor:
    by_fund: dict[str, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(PARTS, ZERO))
    for part in PARTS:
        for share in getattr(trace, part):
            by_fund[share.fund][part] += share.amount
    order = {fund: i for i, fund in enumerate(books.funds)}
    funds = [{"fund": fund, **values}
             for fund, values in sorted(by_fund.items(),
                                        key=lambda kv: (order.get(kv[0], len(order)), kv[0]))]
    grants: dict[str, UsedRow] = {}
    loans: dict[str, UsedRow] = {}
    costs: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    private_grants = private_loans = ZERO
    for share in trace.used:
        if share.kind == "grant":
            grant = books.grants.get(share.id)
            if grant is None or grant.is_withheld:
                private_grants += share.amount
                continue
            row = grants.setdefault(share.id, UsedRow(share.fund, ZERO, grant.grantee,
                                                      grant_slugs[share.id], grant.net,
                                                      share.id, grant.awarded_on))
            row.amount += share.amount
        elif share.kind == "loan":
            loan = books.loans.get(share.id)
            if loan is None or loan.is_withheld:
                private_loans += share.amount
                continue
            row = loans.setdefault(share.id, UsedRow(share.fund, ZERO, loan.borrower,
                                                     None, loan.lent, share.id,
                                                     loan.disbursed_on))
            row.amount += share.amount
        else:
            family = ":".join(share.id.split(":")[:2])
            costs[(share.fund, family)] += share.amount
    return PublicContributor(
        name=name, slug=slugs[name],
        totals={part: trace.total(part) for part in PARTS},
        by_fund=funds,
        grants=sorted(grants.values(), key=lambda r: (-r.amount, r.name or "", r.id)),
        private_grants=private_grants,
        loans=sorted(loans.values(), key=lambda r: (-r.amount, r.name or "", r.id)),
        private_loans=private_loans,
        costs=[(fund, family, amount) for (fund, family), amount
               in sorted(costs.items(), key=lambda kv: (order.get(kv[0][0], 0), kv[0][1]))],
    )
