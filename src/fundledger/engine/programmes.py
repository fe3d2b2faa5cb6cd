"""Programmes: calls for projects, the application pipeline and its rules (FL601-FL607).

A programme (a call for projects) fixes the path an enterprise must follow before it gets
money: an application with its eligible cost, hours of accompaniment, an approved
committee decision, then the award (the grant or loan whose id is the application's id),
paid in tranches against approved progress reports.  This family reads those directives
during the engine's one pass and checks every award against them.

Why awards are checked at the end of their day: a rule speaks of a decision, hours or a
report "dated on or before" the award, and Beancount orders the entries of one day across
files by line number, so a decision kept in another file could come after the award it
allows.  Each day's awards, payments and revocations are therefore queued and checked,
in their order, once the pass has seen every entry of that day.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from beancount.core import data

from fundledger.engine.accounts import Classifier, Kind
from fundledger.engine.directives import OPERATING_CURRENCY, Malformed, _values
from fundledger.engine.family import Move, RuleFamily
from fundledger.engine.model import CENT, ZERO, is_number

#: The stages of an application, in the order of the path (the last that applies wins).
STAGES = ("applied", "accompanied", "approved", "rejected", "awarded", "paid", "revoked")
OUTCOMES = ("approved", "rejected")
#: Metadata of an interest subsidy (a grant that pays the interest points of a bank loan).
SUBSIDY_KEYS = ("bank-loan", "subsidised-points", "term-months")
_NUMBER_SETTINGS = ("max-share", "min-eligible", "max-eligible", "min-accompaniment",
                    "advance-share", "de-minimis")


@dataclass
class Programme:
    """``custom "programme" ID LABEL`` and its limits (``None``: no such limit)."""

    id: str
    label: str
    declared: datetime.date
    max_share: Decimal | None = None
    min_eligible: Decimal | None = None
    max_eligible: Decimal | None = None
    min_accompaniment: Decimal | None = None
    committee: bool = False
    advance_share: Decimal | None = None
    de_minimis: Decimal | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Decision:
    date: datetime.date
    outcome: str
    amount: Decimal | None
    reference: str


@dataclass
class Application:
    """One enterprise's application to a programme, and everything recorded about it."""

    id: str
    programme: str
    beneficiary: str
    beneficiary_id: str
    eligible_cost: Decimal
    applied_on: datetime.date
    meta: dict[str, Any] = field(default_factory=dict)
    #: (date, hours, provider) of each accompaniment session.
    accompaniments: list[tuple[datetime.date, Decimal, str]] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    #: (date, label) of each approved progress report.
    reports: list[tuple[datetime.date, str]] = field(default_factory=list)
    #: Awarded so far: grants (gross), of which interest subsidies, and loans.
    granted: Decimal = ZERO
    subsidies: Decimal = ZERO
    lent: Decimal = ZERO
    first_award: datetime.date | None = None
    revoked_on: datetime.date | None = None

    @property
    def hours(self) -> Decimal:
        return sum((hours for _d, hours, _p in self.accompaniments), ZERO)

    def hours_at(self, day: datetime.date) -> Decimal:
        return sum((hours for d, hours, _p in self.accompaniments if d <= day), ZERO)

    def decision_at(self, day: datetime.date | None = None) -> Decision | None:
        """The decision in force at ``day``: the latest dated on or before it."""
        latest = None
        for decision in self.decisions:
            if (day is None or decision.date <= day) and (
                    latest is None or decision.date >= latest.date):
                latest = decision
        return latest

    def reported_by(self, day: datetime.date) -> bool:
        return any(d <= day for d, _label in self.reports)

    @property
    def approved(self) -> Decimal:
        decision = self.decision_at()
        if decision is None or decision.outcome != "approved" or decision.amount is None:
            return ZERO
        return decision.amount

    @property
    def awarded(self) -> Decimal:
        return self.granted + self.lent


@dataclass
class PipelineRow:
    """One application in the pipeline: its stage and amounts (``fundledger pipeline``)."""

    application: str
    programme: str
    beneficiary: str
    beneficiary_id: str
    stage: str
    hours: Decimal
    eligible_cost: Decimal
    approved: Decimal
    awarded: Decimal
    paid: Decimal
    revoked: Decimal
    applied_on: datetime.date
    awarded_on: datetime.date | None
    withheld: bool

    @property
    def days_to_award(self) -> int | None:
        return None if self.awarded_on is None else (self.awarded_on - self.applied_on).days

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of ``fundledger pipeline``, in its key order (amounts as Decimals)."""
        return {
            "application": self.application, "programme": self.programme,
            "beneficiary": self.beneficiary, "stage": self.stage, "hours": self.hours,
            "eligible_cost": self.eligible_cost, "approved": self.approved,
            "awarded": self.awarded, "paid": self.paid, "revoked": self.revoked,
        }


def subsidy_amount(principal: Decimal, points: Decimal, months: int) -> Decimal:
    """The interest ``points`` cost over a loan of ``principal`` repaid in ``months`` equal
    monthly principal instalments, each month's interest on the principal then outstanding,
    summed unrounded (exact fractions) and rounded to the cent (half up) at the end.

    Month k (1-based) owes interest on ``principal * (months - k + 1) / months``, so the
    sum is ``principal * points / 1200 * (months + 1) / 2``; it is summed here as written
    so that the rule reads as the schedule does.
    """
    if months <= 0:
        return ZERO
    p, rate = Fraction(principal), Fraction(points) / 1200
    total = sum((p * (months - k + 1) / months * rate for k in range(1, months + 1)),
                Fraction(0))
    return _round_fraction(total)


def _round_fraction(value: Fraction) -> Decimal:
    """``value`` rounded half up to the cent, exactly (no intermediate decimal rounding)."""
    cents = value * 100
    whole, rest = divmod(cents.numerator, cents.denominator)
    if 2 * rest >= cents.denominator:
        whole += 1
    return (Decimal(whole) / 100).quantize(CENT)


class Programmes(RuleFamily):
    """The programme directives and rules FL601 to FL607, riding the engine's pass."""

    directives = ("programme", "application", "accompaniment", "decision", "report-approved")

    def __init__(self, books: Any) -> None:
        super().__init__(books)
        self.programmes: dict[str, Programme] = {}
        self.applications: dict[str, Application] = {}
        self.is_bank = Classifier(books.roots).is_bank
        #: Aid to each beneficiary-id: (date, amount), awards positive, returns negative.
        self.aid: dict[str, list[tuple[datetime.date, Decimal]]] = {}
        self.pending: list[tuple[Any, ...]] = []
        self.pending_day: datetime.date | None = None
        self.warned_advance: set[str] = set()
        #: Applications refused for naming an unknown programme (FL607 said so once):
        #: their hours, decisions and reports are not reported again.
        self.unregistered: set[str] = set()

    # -- the pass ---------------------------------------------------------------------------

    def entry(self, entry: data.Directive) -> None:
        if self.pending and entry.date > self.pending_day:  # type: ignore[operator]
            self._flush()

    def finish(self, last: datetime.date | None) -> None:
        self._flush()

    def custom(self, entry: data.Custom) -> None:
        try:
            {"programme": self._programme, "application": self._application,
             "accompaniment": self._accompaniment, "decision": self._decision,
             "report-approved": self._report}[entry.type](entry)
        except Malformed as exc:
            self.error("FL103", entry, directive=entry.type, reason=exc)

    def transaction(self, txn: data.Transaction, moves: list[Move]) -> None:
        applications = self.applications
        if not applications:
            return
        awarded: dict[str, Decimal] = {}
        returned: dict[str, Decimal] = {}
        lent: dict[str, Decimal] = {}
        paying: list[str] = []
        for move in moves:
            kind = move.kind
            if kind == Kind.GRANT_EXPENSE and move.grant in applications:
                into = awarded if move.number > 0 else returned
                into[move.grant] = into.get(move.grant, ZERO) + abs(move.number)
            elif kind == Kind.PAYABLE and move.number > 0 and move.grant in applications:
                paying.append(move.grant)
            elif kind == Kind.LOAN and move.number > 0 and move.loan in applications:
                lent[move.loan] = lent.get(move.loan, ZERO) + move.number
        if not (awarded or returned or lent or paying):
            return
        against_bank = any(self.is_bank(p.account) for p in txn.postings)
        queue = self._queue(txn.date)
        for ident, amount in awarded.items():
            queue(("award", txn, ident, amount, ZERO))
        for ident, amount in lent.items():
            queue(("award", txn, ident, ZERO, amount))
        for ident, amount in returned.items():
            queue(("return", txn, ident, amount, not against_bank))
        for ident in dict.fromkeys(paying):
            grant = self.books.grants.get(ident)
            if grant is not None:
                queue(("payment", txn, ident, grant.paid, grant.awarded))

    def _queue(self, day: datetime.date) -> Any:
        self.pending_day = day
        return self.pending.append

    # -- directives -------------------------------------------------------------------------

    def _programme(self, entry: data.Custom) -> None:
        ident, label = _values(entry, "ss")
        if ident in self.programmes:
            self.error("FL607", entry, what=f'programme "{ident}" declared twice (first on '
                                            f"{self.programmes[ident].declared})")
            return
        meta = {k: v for k, v in entry.meta.items() if k not in ("filename", "lineno")}
        settings: dict[str, Any] = {}
        for key in _NUMBER_SETTINGS:
            value = meta.get(key)
            if value is None:
                continue
            if not is_number(value) or value < 0:
                raise Malformed(f"{key}: must be a non-negative number")
            settings[key.replace("-", "_")] = Decimal(value)
        committee = meta.get("committee", False)
        if not isinstance(committee, bool):
            raise Malformed("committee: must be TRUE or FALSE")
        self.programmes[ident] = Programme(ident, label, entry.date, committee=committee,
                                           meta=meta, **settings)

    def _application(self, entry: data.Custom) -> None:
        ident, programme, beneficiary = _values(entry, "sss")
        cost = entry.meta.get("eligible-cost")
        if not is_number(cost):
            raise Malformed("eligible-cost: must be a number (EUR)")
        beneficiary_id = entry.meta.get("beneficiary-id", beneficiary)
        if not isinstance(beneficiary_id, str) or not beneficiary_id.strip():
            raise Malformed("beneficiary-id: must be a non-empty string")
        if ident in self.applications:
            first = self.applications[ident]
            self.error("FL607", entry, what=f'application "{ident}" declared twice (first on '
                                            f"{first.applied_on})")
            return
        prog = self.programmes.get(programme)
        if prog is None:
            self.unregistered.add(ident)
            self.error("FL607", entry, what=f'application "{ident}" names programme '
                                            f'"{programme}", not declared on {entry.date}')
            return
        meta = {k: v for k, v in entry.meta.items() if k not in ("filename", "lineno")}
        app = Application(ident, programme, beneficiary, beneficiary_id.strip(), Decimal(cost),
                          entry.date, meta)
        self.applications[ident] = app
        low, high = prog.min_eligible, prog.max_eligible
        if (low is not None and app.eligible_cost < low) or (
                high is not None and app.eligible_cost > high):
            bounds = f"{low if low is not None else 0} to {high if high is not None else '∞'}"
            self.error("FL603", entry, what=f'application "{ident}": eligible cost '
                                            f"{app.eligible_cost} EUR outside programme "
                                            f'"{programme}"\'s bounds ({bounds} EUR)')

    def _known(self, entry: data.Custom, ident: str) -> Application | None:
        app = self.applications.get(ident)
        if app is None and ident not in self.unregistered:
            self.error("FL607", entry, what=f'{entry.type} names application "{ident}", not '
                                            f"declared on {entry.date}")
        return app

    def _accompaniment(self, entry: data.Custom) -> None:
        ident, hours, *rest = _values(entry, "sn", "s")
        if hours <= 0:
            raise Malformed("hours must be a positive number")
        app = self._known(entry, ident)
        if app is not None:
            app.accompaniments.append((entry.date, hours, rest[0] if rest else ""))

    def _decision(self, entry: data.Custom) -> None:
        values = [v.value for v in entry.values]
        amount: Decimal | None = None
        if len(values) >= 3 and not isinstance(values[2], str):
            ident, outcome, money, *rest = _values(entry, "ssa", "s")
            if money.currency != OPERATING_CURRENCY:
                raise Malformed(f"amount must be in {OPERATING_CURRENCY}, not {money.currency}")
            amount = money.number
        else:
            ident, outcome, *rest = _values(entry, "ss", "s")
        if outcome not in OUTCOMES:
            raise Malformed(f'outcome must be "approved" or "rejected", not "{outcome}"')
        if outcome == "approved" and amount is None:
            raise Malformed("an approved decision states its amount (e.g. 12796.50 EUR)")
        app = self._known(entry, ident)
        if app is not None:
            app.decisions.append(Decision(entry.date, outcome, amount, rest[0] if rest else ""))

    def _report(self, entry: data.Custom) -> None:
        ident, *rest = _values(entry, "s", "s")
        app = self._known(entry, ident)
        if app is not None:
            app.reports.append((entry.date, rest[0] if rest else ""))

    # -- the rules, at the end of each day --------------------------------------------------

    def _flush(self) -> None:
        pending, self.pending = self.pending, []
        for record in pending:
            what, txn, ident = record[:3]
            app = self.applications[ident]
            prog = self.programmes[app.programme]
            if what == "award":
                self._award(txn, app, prog, record[3], record[4])
            elif what == "return":
                self.aid.setdefault(app.beneficiary_id, []).append((txn.date, -record[3]))
                if record[4] and app.revoked_on is None:
                    app.revoked_on = txn.date
            else:
                self._payment(txn, app, prog, ident, record[3], record[4])

    def _award(self, txn: data.Transaction, app: Application, prog: Programme,
               granted: Decimal, lent: Decimal) -> None:
        day = txn.date
        subsidy = self._subsidy(txn, app) if granted else None
        app.granted += granted
        app.lent += lent
        if subsidy is not None:
            app.subsidies += granted
        if app.first_award is None:
            app.first_award = day
        which = f'grant "{app.id}"' if granted else f'loan "{app.id}"'
        decision = app.decision_at(day)
        approved = decision is not None and decision.outcome == "approved"
        if prog.committee and not approved:
            state = ("no decision" if decision is None
                     else f"the decision of {decision.date} is {decision.outcome}")
            self.error("FL601", txn, application=app.id, award=which, day=day,
                       programme=prog.id, state=state)
        if prog.min_accompaniment is not None:
            hours = app.hours_at(day)
            if hours < prog.min_accompaniment:
                self.error("FL602", txn, application=app.id, award=which, hours=hours,
                           minimum=prog.min_accompaniment, programme=prog.id)
        if subsidy is not None and subsidy != granted:
            self.error("FL603", txn, what=f'interest subsidy "{app.id}" of {granted} EUR, but '
                                          f"the points it pays cost {subsidy} EUR")
        if granted and subsidy is None and prog.max_share is not None:
            limit = prog.max_share / 100 * app.eligible_cost
            plain = app.granted - app.subsidies
            if plain > limit:
                self.error("FL603", txn, what=f'grant "{app.id}": {plain} EUR granted, above '
                                              f"{prog.max_share}% of its eligible cost of "
                                              f"{app.eligible_cost} EUR ({limit:.2f} EUR)")
        if approved and decision is not None and decision.amount is not None \
                and app.awarded > decision.amount:
            self.error("FL604", txn, application=app.id, awarded=app.awarded,
                       approved=decision.amount, day=decision.date)
        if granted:
            aid = self.aid.setdefault(app.beneficiary_id, [])
            aid.append((day, granted))
            if prog.de_minimis is not None:
                first = datetime.date(day.year - 2, 1, 1)
                total = sum((amount for d, amount in aid if first <= d <= day), ZERO)
                if total > prog.de_minimis:
                    self.error("FL606", txn, beneficiary=app.beneficiary,
                               beneficiary_id=app.beneficiary_id, total=total,
                               first=first.year, year=day.year, cap=prog.de_minimis,
                               programme=prog.id)

    def _subsidy(self, txn: data.Transaction, app: Application) -> Decimal | None:
        """The computed amount of an interest subsidy award (``None``: a plain grant)."""
        meta = txn.meta
        present = [key for key in SUBSIDY_KEYS if key in meta]
        if not present:
            return None
        bad = [key for key in SUBSIDY_KEYS if not is_number(meta.get(key))
               or meta[key] < 0 or (key == "term-months" and meta[key] != int(meta[key]))]
        if bad:
            self.error("FL105", txn, what=f'interest subsidy "{app.id}": '
                                          f"{', '.join(bad)} must be "
                                          f"{'numbers' if len(bad) > 1 else 'a number'} "
                                          "(term-months whole)")
            return None
        return subsidy_amount(Decimal(meta["bank-loan"]), Decimal(meta["subsidised-points"]),
                              int(meta["term-months"]))

    def _payment(self, txn: data.Transaction, app: Application, prog: Programme,
                 ident: str, paid: Decimal, awarded: Decimal) -> None:
        if prog.advance_share is None or ident in self.warned_advance:
            return
        limit = prog.advance_share / 100 * awarded
        if paid > limit and not app.reported_by(txn.date):
            self.warned_advance.add(ident)
            self.error("FL605", txn, grant=ident, paid=paid, share=prog.advance_share,
                       limit=limit)

    # -- questions the outputs ask ----------------------------------------------------------

    def pipeline(self, programme: str | None = None,
                 at: datetime.date | None = None) -> list[PipelineRow]:
        """Every application (of ``programme``, if given) with its stage and amounts, after
        every entry dated on or before ``at`` (default: all of them), from the same pass."""
        books = self.books if at is None else self.books.as_of(at)
        rows = []
        for app in self.applications.values():
            if programme is not None and app.programme != programme:
                continue
            if at is not None and app.applied_on > at:
                continue
            day = at or datetime.date.max
            grant, loan = books.grants.get(app.id), books.loans.get(app.id)
            paid = (grant.paid if grant else ZERO) + (loan.lent if loan else ZERO)
            revoked = (grant.revoked + grant.refunded) if grant else ZERO
            awarded = (grant.awarded if grant else ZERO) + (loan.lent if loan else ZERO)
            decision = app.decision_at(at)
            approved = (decision.amount if decision is not None and decision.outcome ==
                        "approved" and decision.amount is not None else ZERO)
            stage = "applied"
            if any(d <= day for d, _h, _p in app.accompaniments):
                stage = "accompanied"
            if decision is not None:
                stage = decision.outcome
            if grant is not None or loan is not None:
                stage = "paid" if (grant is None or grant.payable == 0) else "awarded"
            if app.revoked_on is not None and app.revoked_on <= day:
                stage = "revoked"
            withheld = bool(grant.is_withheld) if grant else bool(loan and loan.is_withheld)
            withheld = withheld or app.meta.get("private") is True
            first_award = app.first_award if app.first_award and app.first_award <= day else None
            rows.append(PipelineRow(
                app.id, app.programme, app.beneficiary, app.beneficiary_id, stage,
                app.hours_at(day), app.eligible_cost, approved, awarded, paid, revoked,
                app.applied_on, first_award, withheld))
        return rows


def programmes_of(books: Any) -> Programmes:
    """The programmes family of analysed books."""
    return books.families[Programmes]


#: The amounts summed per stage and per programme.
AMOUNTS = ("eligible_cost", "approved", "awarded", "paid", "revoked")


def overview(family: Programmes, at: datetime.date | None = None) -> list[dict[str, Any]]:
    """Per programme: its applications by stage (count, hours, amounts), the totals, and
    the days from application to first award (median, shortest, longest).  The board
    report, the Fava page and the public site all show these same sums."""
    result = []
    for programme in family.programmes.values():
        if at is not None and programme.declared > at:
            continue
        rows = family.pipeline(programme.id, at)
        stages = []
        for stage in STAGES:
            members = [row for row in rows if row.stage == stage]
            if members:
                stages.append({"stage": stage, **_sums(members)})
        days = sorted(row.days_to_award for row in rows if row.days_to_award is not None)
        result.append({
            "programme": programme, "rows": rows, "stages": stages, "total": _sums(rows),
            "days": None if not days else {
                "median": _median(days), "min": days[0], "max": days[-1]},
        })
    return result


def _sums(rows: list[PipelineRow]) -> dict[str, Any]:
    sums: dict[str, Any] = {"count": len(rows),
                            "hours": sum((row.hours for row in rows), ZERO)}
    for name in AMOUNTS:
        sums[name] = sum((getattr(row, name) for row in rows), ZERO)
    return sums


def _median(values: list[int]) -> Decimal:
    middle = len(values) // 2
    if len(values) % 2:
        return Decimal(values[middle])
    return Decimal(values[middle - 1] + values[middle]) / 2
