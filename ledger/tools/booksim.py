"""A small, deterministic bookkeeping simulator that writes Beancount text.

The demo books are generated rather than typed so that every figure is consistent:
the simulator tracks each bank account and each fund's *available* money (SPEC 3.2) as
it writes entries in date order, so that no grant spends money its fund does not have,
no bank account goes overdrawn, and the quarterly ``balance`` assertions it writes hold.
Everything random comes from one seeded :class:`random.Random`, so a run always writes
the same books.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")
ZERO = Decimal("0")
#: The books stop at the last full quarter before "today" (2026-11-22).
END = dt.date(2026, 9, 30)
QUARTER_ENDS = {(3, 31), (6, 30), (9, 30), (12, 31)}
HOLIDAYS = {(1, 1), (5, 1), (8, 15), (11, 1), (12, 25), (12, 26)}


def beneficiary_id(name: str, kind: str, country: str) -> dict[str, str]:
    """``beneficiary-id:`` metadata for a grantee that is not a person (SPEC 13): a SIRET
    for a French company, an RNA number for a French association, a partita IVA (or an
    association's 11-digit codice fiscale) in Italy.  Fictitious but with valid check
    digits, derived from the name by a hash so that the random stream is untouched."""
    from hashlib import sha256

    if kind == "person":
        return {}
    digits = "".join(str(b % 10) for b in sha256(name.encode()).digest())
    if country == "fr" and kind == "association":
        return {"beneficiary-id": f"W69{digits[:7]}"}  # 69: Rhône
    if country == "fr":
        siren = digits[:8] + _luhn_digit(digits[:8])
        body = f"{siren}0001"
        return {"beneficiary-id": body + _luhn_digit(body)}
    body = ("9" if kind == "association" else "1") + digits[:6] + "001"  # 001: Torino
    return {"beneficiary-id": body + _luhn_digit(body)}


def _luhn_digit(digits: str) -> str:
    """The check digit that makes ``digits`` + it pass the Luhn test (SIREN, SIRET and
    partita IVA all use it); here so the generator needs nothing outside the standard
    library."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def eur(value: Any) -> Decimal:
    """A euro amount rounded to the cent."""
    return Decimal(value).quantize(CENT, ROUND_HALF_UP)


def is_quarter_end(day: dt.date) -> bool:
    return (day.month, day.day) in QUARTER_ENDS


def business_day(day: dt.date) -> dt.date:
    """The first working day on or after ``day``, never a quarter's last day.

    Banks move no money on a quarter's last day in these books, so that a ``balance``
    assertion dated on that day (checked at the start of the day) states the quarter's
    closing balance.
    """
    while day.weekday() >= 5 or is_quarter_end(day) or (day.month, day.day) in HOLIDAYS:
        day += dt.timedelta(days=1)
    return day


def quarter_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    days = []
    for year in range(start.year, end.year + 1):
        for month, day in sorted(QUARTER_ENDS):
            close = dt.date(year, month, day)
            if start <= close <= end:
                days.append(close)
    return days


def meta_value(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"') + '"'
    if isinstance(value, Decimal):
        return f"{value}"
    return str(value)


def fmt(amount: Decimal) -> str:
    return f"{amount:.2f}"


Posting = tuple[str, Decimal, dict[str, Any]]


class Sim:
    """Runs scheduled events in date order and writes each entry into its year's file."""

    def __init__(self, banks: list[str], floor: Decimal = Decimal(5000),
                 topup: Decimal = Decimal(10000), reconciled: tuple[str, ...] = ()) -> None:
        self.queue: list[tuple[dt.date, int, int, Callable[..., None], Any]] = []
        self.seq = 0
        self.entries: dict[int, list[str]] = defaultdict(list)
        self.bank = {name: ZERO for name in banks}
        #: Other accounts the treasurer reconciles every quarter (portfolio, loans book).
        self.reconciled = {name: ZERO for name in reconciled}
        self.floor = floor
        self.topup = topup
        self.available: dict[str, Decimal] = defaultdict(lambda: ZERO)
        self.payable: dict[str, Decimal] = defaultdict(lambda: ZERO)
        self.today = dt.date.min
        #: How to move money between bank accounts when one runs low (set by the book).
        self.internal_transfer: Callable[[dt.date, str, str, Decimal], None] | None = None

    # -- scheduling -----------------------------------------------------------------------

    def at(self, day: dt.date, action: Callable[..., None], *args: Any, prio: int = 5,
           **kwargs: Any) -> None:
        """Run ``action(day, *args, **kwargs)`` on ``day`` (lower ``prio`` first that day)."""
        self.seq += 1
        heapq.heappush(self.queue, (day, prio, self.seq, action, (args, kwargs)))

    def run(self) -> None:
        while self.queue:
            day, _prio, _seq, action, (args, kwargs) = heapq.heappop(self.queue)
            if day > END:
                continue
            assert day >= self.today, (day, self.today, action)
            self.today = day
            action(day, *args, **kwargs)

    def assert_banks_quarterly(self, start: dt.date) -> None:
        for close in quarter_ends(start, END):
            self.at(close, self._assert_banks, prio=0)

    def _assert_banks(self, day: dt.date) -> None:
        for account, balance in [*self.bank.items(), *self.reconciled.items()]:
            self.entries[day.year].append(f"{day} balance {account:<40}{fmt(balance):>14} EUR\n")

    # -- writing --------------------------------------------------------------------------

    def raw(self, day: dt.date, text: str) -> None:
        self.entries[day.year].append(text if text.endswith("\n") else text + "\n")

    def txn(self, day: dt.date, payee: str | None, narration: str, meta: dict[str, Any],
            postings: list[Posting], flag: str = "*") -> None:
        """Write a transaction and move the bank balances it touches."""
        total = sum((amount for _a, amount, _m in postings), ZERO)
        assert total == 0, (day, narration, total)
        head = f"{day} {flag} "
        if payee is not None:
            head += meta_value(payee) + " "
        lines = [head + meta_value(narration)]
        lines += [f"  {key}: {meta_value(value)}" for key, value in meta.items()]
        for account, amount, pmeta in postings:
            lines.append(f"  {account:<46}{fmt(amount):>14} EUR")
            lines += [f"    {key}: {meta_value(value)}" for key, value in pmeta.items()]
            if account in self.reconciled:
                assert not is_quarter_end(day), (day, narration)
                self.reconciled[account] += amount
            if account in self.bank:
                assert not is_quarter_end(day), (day, narration)
                self.bank[account] += amount
                assert self.bank[account] >= 0, (day, account, narration, self.bank[account])
        self.entries[day.year].append("\n".join(lines) + "\n")

    def ensure_cash(self, day: dt.date, account: str, amount: Decimal) -> None:
        """Top ``account`` up from the other bank account before a payment it cannot make."""
        if self.bank[account] - amount >= self.floor:
            return
        other = max((a for a in self.bank if a != account), key=lambda a: self.bank[a])
        need = amount + self.floor - self.bank[account]
        move = (need / 10000).to_integral_value(rounding="ROUND_CEILING") * 10000 + self.topup
        move = min(Decimal(move), self.bank[other] - self.floor)
        assert move >= need, (day, account, amount, self.bank)
        assert self.internal_transfer is not None
        self.internal_transfer(day, other, account, eur(move))

    def use(self, fund: str, amount: Decimal, what: str) -> None:
        """Take ``amount`` from a fund's available money; the generator plans so it never
        goes below zero (the plugin would report FL201)."""
        self.available[fund] -= amount
        assert self.available[fund] >= 0, (self.today, fund, what, self.available[fund])

    def give(self, fund: str, amount: Decimal) -> None:
        self.available[fund] += amount

    def write(self, directory: Any, header: Callable[[int], str]) -> list[int]:
        years = sorted(self.entries)
        for year in years:
            text = header(year) + "\n".join(self.entries[year])
            (directory / f"{year}.beancount").write_text(text, encoding="utf-8")
        return years


class GrantPlan:
    """One grant's whole life, decided when it is awarded."""

    def __init__(self, gid: str, fund: str, account: str, payee: str, kind: str,
                 amount: Decimal, bank: str, meta: dict[str, Any],
                 tranches: list[tuple[int, Decimal]], impacts: dict[str, Decimal],
                 fate: str | None = None, fate_days: int = 0,
                 fate_amount: Decimal = ZERO) -> None:
        self.gid, self.fund, self.account, self.payee, self.kind = gid, fund, account, payee, kind
        self.amount, self.bank, self.meta = amount, bank, meta
        self.tranches, self.impacts = tranches, impacts
        self.fate, self.fate_days, self.fate_amount = fate, fate_days, fate_amount
        self.paid = ZERO
        self.closed = False


class GrantLife:
    """Award, tranche payments, revocation, clawback and refund of grants (SPEC 3.3).

    ``words`` gives the narrations in the book's language; ``receivable`` is the account
    that holds what a revoked grantee must pay back.
    """

    def __init__(self, sim: Sim, words: dict[str, str], receivable: str,
                 payable: str = "Liabilities:GrantsPayable") -> None:
        self.sim, self.words, self.receivable, self.payable = sim, words, receivable, payable
        self.plans: dict[str, GrantPlan] = {}

    def award(self, day: dt.date, plan: GrantPlan, narration: str) -> None:
        sim = self.sim
        sim.use(plan.fund, plan.amount, plan.gid)
        self.plans[plan.gid] = plan
        meta = {"grant": plan.gid, "fund": plan.fund, "grantee-kind": plan.kind, **plan.meta}
        sim.txn(day, plan.payee, narration, meta,
                [(plan.account, plan.amount, {}), (self.payable, -plan.amount, {})])
        when = day
        for index, (days, amount) in enumerate(plan.tranches, start=1):
            when = business_day(when + dt.timedelta(days=days))
            sim.at(when, self._pay, plan, index, amount)
        if plan.fate == "renounce":
            sim.at(business_day(day + dt.timedelta(days=plan.fate_days)), self._revoke, plan)

    @staticmethod
    def _follow_up(plan: GrantPlan, fund: bool = False) -> dict[str, Any]:
        """Metadata of a payment, revocation or refund: the grant id (and fund), and
        ``private: TRUE`` when the grant is withheld, so that no public output that lists
        transactions shows a private person's name (SPEC 3.5)."""
        meta: dict[str, Any] = {"grant": plan.gid}
        if fund:
            meta["fund"] = plan.fund
        if plan.kind == "person" or plan.meta.get("private"):
            meta["private"] = True
        return meta

    def _label(self, plan: GrantPlan, index: int) -> str:
        count = len(plan.tranches)
        if count == 1:
            return self.words["single"]
        if index == count:
            return self.words["last"].format(i=index, n=count)
        return self.words["tranche"].format(i=index, n=count)

    def _pay(self, day: dt.date, plan: GrantPlan, index: int, amount: Decimal) -> None:
        if plan.closed:
            return
        sim = self.sim
        sim.ensure_cash(day, plan.bank, amount)
        sim.txn(day, plan.payee, self._label(plan, index), self._follow_up(plan),
                [(self.payable, amount, {}), (plan.bank, -amount, {})])
        plan.paid += amount
        later = day + dt.timedelta(days=plan.fate_days)
        if index == 1 and plan.fate in ("revoke", "clawback") and len(plan.tranches) > 1:
            sim.at(business_day(later), self._revoke, plan)
        if index == len(plan.tranches):
            plan.closed = True
            report = business_day(day + dt.timedelta(days=45))
            if plan.impacts:
                sim.at(report, self._impact, plan.gid, plan.impacts, prio=9)
            if plan.fate == "refund":
                sim.at(business_day(later), self._refund, plan)

    def _impact(self, day: dt.date, gid: str, impacts: dict[str, Decimal]) -> None:
        """The grantee's final report gives the measured impact of the grant."""
        self.sim.raw(day, "".join(f'{day} custom "impact" "{gid}" "{indicator}" {value}\n'
                                  for indicator, value in impacts.items()))

    def _revoke(self, day: dt.date, plan: GrantPlan) -> None:
        """Cancel what is still unpaid; with a clawback, claim back what was paid too."""
        if plan.closed:
            return
        plan.closed = True
        sim = self.sim
        unpaid = plan.amount - plan.paid
        back = plan.paid if plan.fate == "clawback" else ZERO
        postings: list[Posting] = [(plan.account, -(unpaid + back), {})]
        if unpaid:
            postings.append((self.payable, unpaid, {}))
        if back:
            postings.append((self.receivable, back, {}))
        words = self.words["clawback" if back else "revoke"]
        sim.txn(day, plan.payee, words, self._follow_up(plan, fund=True), postings)
        sim.give(plan.fund, unpaid + back)
        if back:
            # The grantee pays back in two instalments; the second may still be due.
            first = eur(back / 2)
            sim.at(business_day(day + dt.timedelta(days=75)), self._recover, plan, first)
            sim.at(business_day(day + dt.timedelta(days=75 + plan.fate_days)),
                   self._recover, plan, back - first)

    def _recover(self, day: dt.date, plan: GrantPlan, amount: Decimal) -> None:
        self.sim.txn(day, plan.payee, self.words["recover"], self._follow_up(plan),
                     [(plan.bank, amount, {}), (self.receivable, -amount, {})])

    def _refund(self, day: dt.date, plan: GrantPlan) -> None:
        self.sim.txn(day, plan.payee, self.words["refund"], self._follow_up(plan, fund=True),
                     [(plan.bank, plan.fate_amount, {}), (plan.account, -plan.fate_amount, {})])
        self.sim.give(plan.fund, plan.fate_amount)


class Book:
    """The flows every book has: contributions, pledges, costs, internal transfers.

    A subclass sets ``sim``, ``BANK`` (the operating account) and ``TRANSFER`` (the
    narration of a transfer between its bank accounts); endowment funds named in
    ``ENDOWMENTS`` are not tracked as available money (their income is drawn by transfer).
    """

    sim: Sim
    BANK = ""
    TRANSFER = ""
    ENDOWMENTS: tuple[str, ...] = ("dotation",)

    def internal_transfer(self, day: dt.date, source: str, target: str, amount: Decimal) -> None:
        self.sim.txn(day, None, self.TRANSFER, {},
                     [(target, amount, {}), (source, -amount, {})])

    def contribution(self, day: dt.date, payee: str, account: str, bank: str,
                     split: dict[str, Decimal], narration: str, **meta: object) -> None:
        sim = self.sim
        total = sum(split.values(), ZERO)
        postings = [(bank, total, {})]
        if len(split) == 1:
            (fund,) = split
            meta = {"fund": fund, **meta}
            postings.append((account, -total, {}))
        else:
            postings += [(account, -amount, {"fund": fund}) for fund, amount in split.items()]
        sim.txn(day, payee, narration, dict(meta), postings)
        for fund, amount in split.items():
            if fund not in self.ENDOWMENTS:
                sim.give(fund, amount)

    def pledge(self, day: dt.date, payee: str, account: str, receivable: str,
               split: dict[str, Decimal], narration: str, **meta: object) -> None:
        postings = [(receivable, amount, {"fund": fund}) for fund, amount in split.items()]
        postings += [(account, -amount, {"fund": fund}) for fund, amount in split.items()]
        self.sim.txn(day, payee, narration, dict(meta), postings)

    def pledge_paid(self, day: dt.date, payee: str, receivable: str, bank: str,
                    split: dict[str, Decimal], narration: str) -> None:
        postings = [(bank, sum(split.values(), ZERO), {})]
        postings += [(receivable, -amount, {"fund": fund}) for fund, amount in split.items()]
        self.sim.txn(day, payee, narration, {}, postings)
        for fund, amount in split.items():
            self.sim.give(fund, amount)

    def expense(self, day: dt.date, payee: str, account: str, fund: str, amount: Decimal,
                narration: str, bank: str | None = None, **meta: object) -> None:
        bank = bank or self.BANK
        self.sim.use(fund, amount, narration)
        self.sim.ensure_cash(day, bank, amount)
        self.sim.txn(day, payee, narration, {"fund": fund, **meta},
                     [(account, amount, {}), (bank, -amount, {})])

