"""Property-based tests (SPEC 9): random valid ledgers keep the engine's invariants.

A small simulator draws operations that are valid by construction (never spending money a
fund does not have, never paying a grant beyond its award...), writes them as a ledger,
and checks that the plugin finds nothing and that the invariants hold:

* the sum of all funds' balances equals income minus expenses;
* for every contributor, given + earned = used + unspent + pledged.

A second property feeds arbitrary, often invalid, operations: the engine must never raise.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from beancount import loader
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fundledger.engine import analyse
from tests.engine.helpers import HEADER

FUNDS = ["general", "zero", "food"]
DONORS = ["Métropole de Lyon", "Caisse d'Épargne", "Banque des Territoires", "Grap"]
# Money must come in before it can go out: gifts and pledge payments are drawn more often.
OPERATIONS = ["give"] * 4 + ["pledge", "pay_pledge", "pay_pledge", "income", "award", "award",
              "pay", "pay", "revoke", "refund", "lend", "lend", "repay", "repay", "write_off",
              "transfer", "transfer", "expense"]


def cents(value: int) -> str:
    return f"{Decimal(value) / 100:.2f}"


@dataclass
class Simulation:
    """Tracks what each fund has, so that drawn operations stay valid."""

    available: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FUNDS, 0))
    pledges: dict[tuple[str, str], int] = field(default_factory=dict)
    grants: dict[str, list] = field(default_factory=dict)  # id -> [fund, payable, paid]
    loans: dict[str, list] = field(default_factory=dict)  # id -> [fund, outstanding]
    text: list[str] = field(default_factory=list)
    day: datetime.date = datetime.date(2019, 2, 1)

    def entry(self, payee: str, narration: str, meta: dict[str, str], postings: list[str]) -> None:
        lines = [f'{self.day} * "{payee}" "{narration}"']
        lines += [f'  {key}: "{value}"' for key, value in meta.items()]
        lines += [f"  {p}" for p in postings]
        self.text.append("\n".join(lines) + "\n")

    def step(self, op: str, fund: str, donor: str, amount: int, pick: int) -> None:
        self.day += datetime.timedelta(days=3)
        avail = self.available[fund]
        m = {"fund": fund}
        if op == "give":
            self.available[fund] += amount
            self.entry(donor, "Don", m, [f"Assets:Bank:Main {cents(amount)} EUR",
                                         "Income:Contributions:Partners"])
        elif op == "pledge":
            self.pledges[(fund, donor)] = self.pledges.get((fund, donor), 0) + amount
            self.entry(donor, "Promesse", m,
                       [f"Assets:Receivable:Pledges:Partners {cents(amount)} EUR",
                        "Income:Contributions:Partners"])
        elif op == "pay_pledge" and self.pledges.get((fund, donor)):
            paid = min(amount, self.pledges[(fund, donor)])
            self.pledges[(fund, donor)] -= paid
            self.available[fund] += paid
            self.entry(donor, "Versement", m, [f"Assets:Bank:Main {cents(paid)} EUR",
                                               "Assets:Receivable:Pledges:Partners"])
        elif op == "income":
            self.available[fund] += amount
            self.entry("Banque", "Intérêts", m, [f"Assets:Bank:Main {cents(amount)} EUR",
                                                 "Income:Investment:Coupons"])
        elif op == "award" and avail > 0:
            value, ident = min(amount, avail), f"G-{len(self.grants) + 1}"
            self.available[fund] -= value
            self.grants[ident] = [fund, value, 0]
            self.entry("Asso", "Subvention", {**m, "grant": ident},
                       [f"Expenses:Grants:Themes {cents(value)} EUR", "Liabilities:GrantsPayable"])
        elif op in ("pay", "revoke") and self._open_grants():
            ident = self._open_grants()[pick % len(self._open_grants())]
            gfund, payable, _paid = self.grants[ident]
            value = min(amount, payable)
            self.grants[ident][1] -= value
            if op == "pay":
                self.grants[ident][2] += value
                self.entry("Asso", "Versement", {"grant": ident},
                           [f"Liabilities:GrantsPayable {cents(value)} EUR", "Assets:Bank:Main"])
            else:
                self.available[gfund] += value
                self.entry("Asso", "Révocation", {"grant": ident, "fund": gfund},
                           [f"Liabilities:GrantsPayable {cents(value)} EUR",
                            "Expenses:Grants:Themes"])
        elif op == "refund" and any(g[2] for g in self.grants.values()):
            ident = [i for i, g in self.grants.items() if g[2]][pick % len(
                [g for g in self.grants.values() if g[2]])]
            gfund, _payable, paid = self.grants[ident]
            value = min(amount, paid)
            self.grants[ident][2] -= value
            self.available[gfund] += value
            self.entry("Asso", "Remboursement", {"grant": ident, "fund": gfund},
                       [f"Assets:Bank:Main {cents(value)} EUR", "Expenses:Grants:Themes"])
        elif op == "lend" and avail > 0:
            value, ident = min(amount, avail), f"P-{len(self.loans) + 1}"
            self.available[fund] -= value
            self.loans[ident] = [fund, value]
            self.entry("Coop", "Prêt", {**m, "loan": ident},
                       [f"Assets:Loans:Honour {cents(value)} EUR", "Assets:Bank:Main"])
        elif op in ("repay", "write_off") and self._open_loans():
            ident = self._open_loans()[pick % len(self._open_loans())]
            lfund, outstanding = self.loans[ident]
            value = min(amount, outstanding)
            self.loans[ident][1] -= value
            if op == "repay":
                self.available[lfund] += value
                self.entry("Coop", "Remboursement", {"loan": ident, "fund": lfund},
                           [f"Assets:Bank:Main {cents(value)} EUR", "Assets:Loans:Honour"])
            else:
                self.entry("Coop", "Perte", {"loan": ident, "fund": lfund},
                           [f"Expenses:LoanLosses:Honour {cents(value)} EUR",
                            "Assets:Loans:Honour"])
        elif op == "transfer" and avail > 0:
            target = FUNDS[(FUNDS.index(fund) + 1 + pick % 2) % 3]
            value = min(amount, avail)
            self.available[fund] -= value
            self.available[target] += value
            self.text.append(f'{self.day} custom "fund-transfer" "{fund}" "{target}" '
                             f"{cents(value)} EUR\n")
        elif op == "expense" and avail > 0:
            value = min(amount, avail)
            self.available[fund] -= value
            self.entry("Ronalpia", "Accompagnement", m,
                       [f"Expenses:Programs:Accompaniment {cents(value)} EUR", "Assets:Bank:Main"])

    def _open_grants(self) -> list[str]:
        return [i for i, g in self.grants.items() if g[1] > 0]

    def _open_loans(self) -> list[str]:
        return [i for i, loan in self.loans.items() if loan[1] > 0]


steps = st.lists(
    st.tuples(st.sampled_from(OPERATIONS), st.sampled_from(FUNDS), st.sampled_from(DONORS),
              st.integers(min_value=1, max_value=5_000_000), st.integers(min_value=0)),
    min_size=15, max_size=60,
)


def simulate(drawn) -> str:
    sim = Simulation()
    for op, fund, donor, amount, pick in drawn:
        sim.step(op, fund, donor, amount, pick)
    return HEADER + "\n" + "\n".join(sim.text)


def check_invariants(text: str) -> None:
    entries, errors, _options = loader.load_string(text)
    assert [e.message for e in errors] == []
    books = analyse(entries)
    income = expenses = Decimal(0)
    for entry in entries:
        for posting in getattr(entry, "postings", ()):
            if posting.account.startswith("Income:"):
                income -= posting.units.number
            elif posting.account.startswith("Expenses:"):
                expenses += posting.units.number
    assert sum((f.balance for f in books.figures.values()), Decimal(0)) == income - expenses
    for name in books.contributors():
        t = books.trace(name)
        assert t.total("given") + t.total("earned") == (
            t.total("used") + t.total("unspent") + t.total("pledged")), name
        assert all(s.amount >= 0 for s in t.unspent + t.pledged + t.given)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_random_valid_ledgers_keep_invariants(drawn) -> None:
    check_invariants(simulate(drawn))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(steps.filter(bool), min_size=6, max_size=8))
def test_several_hundred_entries_keep_invariants(chunks) -> None:
    check_invariants(simulate([step for chunk in chunks for step in chunk]))


arbitrary = st.lists(st.tuples(
    st.sampled_from(["Income:Contributions:Partners", "Income:Investment:Coupons",
                     "Expenses:Grants:Themes", "Expenses:LoanLosses:Honour",
                     "Assets:Loans:Honour", "Assets:Receivable:Pledges:Partners",
                     "Liabilities:GrantsPayable", "Expenses:Admin:Management"]),
    st.sampled_from(FUNDS + ["dotation", "undeclared", None]),
    st.sampled_from(["G-1", "G-2", "P-1", None]),
    st.integers(min_value=-10_000_00, max_value=10_000_00),
), max_size=40)


def arbitrary_ledger(rows) -> str:
    """A ledger of the drawn ``arbitrary`` rows, one transaction each, and a transfer."""
    text = [HEADER]
    for number, (account, fund, ident, amount) in enumerate(rows):
        meta = f'  fund: "{fund}"\n' if fund else ""
        if ident:
            meta += f'  {"grant" if ident.startswith("G") else "loan"}: "{ident}"\n'
        text.append(f'2019-03-{1 + number % 28:02d} * "X" "Y"\n{meta}'
                    f"  {account} {cents(amount)} EUR\n  Assets:Bank:Main\n")
    text.append('2019-04-01 custom "fund-transfer" "zero" "food" 5.00 EUR\n')
    return "\n".join(text)


@settings(max_examples=80, deadline=None)
@given(arbitrary)
def test_engine_never_raises_on_arbitrary_postings(rows) -> None:
    entries, errors, _options = loader.load_string(arbitrary_ledger(rows))
    assert not [e for e in errors if not str(e.message).startswith("FL")], errors
    books = analyse(entries)
    for name in books.contributors():
        t = books.trace(name)
        assert t.total("given") + t.total("earned") == (
            t.total("used") + t.total("unspent") + t.total("pledged"))
