"""Deterministic generator of synthetic foundation ledgers for the benchmark (SPEC 8).

One simulated foundation, written twice from the same list of entries:

* ``fund.beancount`` follows SPEC 3: funds declared with ``custom "fund"``, ``fund:``
  metadata, grants awarded then paid in tranches (``grant:``), loans disbursed then repaid
  monthly (``loan:``, ``term-months``), pledges and their payments, ``fund-transfer``
  directives under a ``spending-rule``, impact records, and ``balance`` assertions that
  hold; it passes ``fundledger check`` with no error.
* ``fund.journal`` has the same transactions and postings for hledger and ledger-cli,
  with the fund as a posting tag (``; fund:zero-dechet``) so that
  ``hledger balance --pivot fund`` works, and the same balance assertions.

Why a simulation rather than random lines: a clean ledger is what a foundation keeps, and
the plugin must do all of its work on it (no early exit on errors).  The generator keeps
each fund's *available* money, the endowment's corpus and its spending rule, so it never
spends, lends or transfers what a fund does not have.

Everything is driven by one ``random.Random(seed)`` and plain lists and dicts, so the same
size and seed give byte-identical files.  ``n`` counts transactions (``*`` entries) exactly;
directives (opens, funds, transfers, impacts, balance assertions) come on top.

Usage: ``python bench/generate.py 10k [--seed 8] [-o bench/ledgers/10k]``.
"""

from __future__ import annotations

import argparse
import datetime
import heapq
import random
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

START = datetime.date(2016, 1, 1)
#: Simulated span: the ledger covers about ten years whatever its size (denser when larger).
YEARS = 10
#: Average transactions produced per primary event (follow-ups included), measured on the
#: generator itself; used only to spread the primaries over the span.
EXPANSION = 2.0

PLUGIN_LINE = 'plugin "fundledger.plugins.funds"'

# Funds: name -> (kind, label, bank, grant expense account or None, lends).
FUNDS: dict[str, tuple[str, str, str, str | None, bool]] = {
    "dotation": ("endowment", "Dotation de la Métropole", "Assets:Endowment:Portfolio",
                 None, False),
    "general": ("unrestricted", "Fonds libres", "Assets:Bank:CaisseEpargne",
                "Expenses:Grants:General", False),
    "circuits-courts": ("restricted", "Accès aux circuits courts alimentaires",
                        "Assets:Bank:CaisseEpargne", "Expenses:Grants:CircuitsCourts", False),
    "logement-insertion": ("restricted", "Logement et insertion professionnelle",
                           "Assets:Bank:CaisseEpargne", "Expenses:Grants:Logement", False),
    "zero-dechet": ("restricted", "Tendre vers le zéro déchet",
                    "Assets:Bank:CaisseEpargne", "Expenses:Grants:ZeroDechet", False),
    "immobilier-ess": ("restricted", "Immobilier des acteurs de l'ESS",
                       "Assets:Bank:BanqueTerritoires", "Expenses:Grants:ImmobilierESS", True),
    "pret-honneur": ("restricted", "Prêts d'honneur (fonds renouvelable)",
                     "Assets:Bank:BanqueTerritoires", None, True),
    "inclusione": ("restricted", "Occupazione e inclusione (InnoSocialMetro)",
                   "Assets:Bank:BanqueTerritoires", "Expenses:Grants:Inclusione", False),
}
SPENDERS = [f for f in FUNDS if f != "dotation"]
GRANTORS = [f for f in FUNDS if FUNDS[f][3]]
LENDERS = [f for f in FUNDS if FUNDS[f][4]]

ACCOUNTS = [
    "Assets:Bank:CaisseEpargne", "Assets:Bank:BanqueTerritoires", "Assets:Endowment:Portfolio",
    "Assets:Loans:Honneur", "Assets:Receivable:Pledges:Partners", "Liabilities:GrantsPayable",
    "Income:Contributions:Metropole", "Income:Contributions:Partners",
    "Income:Contributions:Donors", "Income:Investment:Coupons", "Income:LoanInterest:Honneur",
    "Expenses:Programs:Accompagnement", "Expenses:Programs:Evaluation",
    "Expenses:Admin:Management", "Expenses:LoanLosses:Honneur",
] + sorted({spec[3] for spec in FUNDS.values() if spec[3]})
ASSERTED = ["Assets:Bank:CaisseEpargne", "Assets:Bank:BanqueTerritoires",
            "Assets:Endowment:Portfolio", "Assets:Loans:Honneur", "Liabilities:GrantsPayable"]

PARTNERS = ["Banque des Territoires", "Caisse d'Épargne Rhône Alpes", "Métropole de Lyon",
            "Fondation Crédit Coopératif", "Fondation Macif", "AG2R La Mondiale",
            "Compagnia di San Paolo", "Fondazione CRT", "Città metropolitana di Torino",
            "Fondation RTE", "Groupe SEB", "Fondation Orange", "Région Auvergne-Rhône-Alpes",
            "Finpiemonte", "Fondation Carrefour", "Fondation Léa Nature"]
DONOR_STEMS = ["Martin", "Bernard", "Rossi", "Ferrari", "Dubois", "Russo", "Lefebvre", "Bruno",
               "Moreau", "Gallo", "Laurent", "Conti", "Garnier", "Romano", "Roux", "Greco"]
GRANTEE_STEMS = ["Vrac", "Recyclerie", "Potager", "Habitat", "Tiers-Lieu", "Épicerie",
                 "Ressourcerie", "Cantiere", "Orto", "Laboratorio", "Coopérative", "Atelier"]
SUPPLIERS = ["Cabinet Conseil Rhône", "Studio Valutazione", "France Active", "Ronalpia",
             "Make Sense", "Avise", "Impact Évaluation", "Socialfare"]
GRANTEE_KINDS = ["association"] * 6 + ["company"] * 3 + ["public", "person"]
INDICATORS = [("jobs", "Emplois créés", "jobs"), ("waste-t", "Déchets évités", "t"),
              ("households", "Ménages accompagnés", "households")]

# Ranges of amounts in euros (log-uniform).  Sized so that, as in a foundation that
# redistributes what it receives, the funds spend most of their income over the years
# (about 85-95%): money that is never spent would pile up lots that no real ledger keeps.
GRANT, LOAN, PROGRAMME, ADMIN = (4_000, 120_000), (8_000, 150_000), (200, 16_000), (100, 6_000)
#: A revolving loan fund lives on its repayments: it receives fewer contributions.
CONTRIBUTION_WEIGHTS = [1 if f != "pret-honneur" else 0.1 for f in SPENDERS]

# Primary events and their weights (follow-ups are scheduled by the primaries).
EVENTS = [("contribution", 22), ("pledge", 4), ("coupon", 4), ("grant", 14), ("loan", 1.5),
          ("programme", 26), ("admin", 8), ("transfer", 3)]


@dataclass
class Txn:
    """One transaction, kept abstract so it can be written as Beancount and as a journal."""

    date: datetime.date
    payee: str
    narration: str
    meta: list[tuple[str, object]]
    #: (account, cents, fund or None): the fund of a posting that needs one.
    postings: list[tuple[str, int, str | None]]
    kind: str
    #: The fund is written on the transaction (all fund postings share it) or per posting.
    txn_fund: str | None = None


@dataclass
class Directive:
    """A directive with no journal equivalent (custom) or a balance assertion."""

    date: datetime.date
    text: str
    account: str | None = None
    cents: int = 0


@dataclass
class Loan:
    ident: str
    fund: str
    borrower: str
    outstanding: int
    rate_centipercent: int


@dataclass
class Grant:
    ident: str
    fund: str
    grantee: str
    payable: int


@dataclass
class State:
    """What the simulation must know to keep the books clean."""

    available: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FUNDS, 0))
    balance: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FUNDS, 0))
    corpus: int = 0
    accounts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ACCOUNTS, 0))
    quarter_ends: list[tuple[datetime.date, int]] = field(default_factory=list)
    drawn: dict[int, int] = field(default_factory=dict)
    pledges: dict[tuple[str, str], int] = field(default_factory=dict)


def needs_fund(account: str) -> bool:
    """Postings to these accounts carry a fund (SPEC 3.2)."""
    return account.startswith(("Income:", "Expenses:", "Assets:Loans:",
                               "Assets:Receivable:Pledges:"))


def money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def parse_size(text: str) -> int:
    """``10k`` -> 10000, ``1.5k`` -> 1500, ``300000`` -> 300000."""
    text = text.strip().lower()
    if text.endswith("k"):
        return int(float(text[:-1]) * 1000)
    return int(text)


class Simulation:
    """Day-by-day simulation of a foundation; ``entries`` ends with exactly ``n`` transactions."""

    def __init__(self, n: int, seed: int) -> None:
        self.n = n
        self.rng = random.Random(seed)
        self.state = State()
        self.entries: list[Txn | Directive] = []
        self.count = 0
        self.queue: list[tuple[datetime.date, int, str, tuple]] = []
        self.seq = 0
        self.serial: Counter[str] = Counter()
        self.grants: dict[str, Grant] = {}
        self.loans: dict[str, Loan] = {}
        days = YEARS * 365
        self.per_day = max(n / EXPANSION / days, 0.05)
        # Balance assertions: about one date per 600 transactions (monthly at 10k).
        self.assert_every = max(1, round(days * 600 / max(n, 1) / 10))
        self.weights = [w for _e, w in EVENTS]
        self.events = [e for e, _w in EVENTS]
        self.grantees = [f"{stem} {i}" for i in range(1, 60) for stem in GRANTEE_STEMS]
        self.donors = [f"{stem} {chr(65 + i)}." for i in range(20) for stem in DONOR_STEMS]

    # -- driving ----------------------------------------------------------------------------

    def run(self) -> list[Txn | Directive]:
        self._declare()
        day = START
        while self.count < self.n:
            if (day - START).days % self.assert_every == 0 and day > START:
                self._assert_balances(day)
            self._close_quarters(day)
            self._due(day)
            if day.month in (1, 4, 7, 10) and day.day == 15:
                self._draw(day)
            primaries = int(self.per_day)
            if self.rng.random() < self.per_day - primaries:
                primaries += 1
            for _ in range(primaries):
                if self.count >= self.n:
                    break
                event = self.rng.choices(self.events, self.weights)[0]
                getattr(self, f"_{event}")(day)
            day += datetime.timedelta(days=1)
        return self.entries

    def schedule(self, day: datetime.date, action: str, *args: object) -> None:
        self.seq += 1
        heapq.heappush(self.queue, (day, self.seq, action, args))

    def _due(self, day: datetime.date) -> None:
        while self.queue and self.queue[0][0] <= day and self.count < self.n:
            _day, _seq, action, args = heapq.heappop(self.queue)
            getattr(self, f"_{action}")(day, *args)

    def emit(self, txn: Txn) -> None:
        """Record a transaction and its effect on accounts and funds' figures."""
        if self.count >= self.n:
            return
        assert sum(c for _a, c, _f in txn.postings) == 0, txn
        assert all((f is not None) == needs_fund(a) for a, _c, f in txn.postings), txn
        assert txn.txn_fund is None or all(f in (None, txn.txn_fund) for _a, _c, f in
                                           txn.postings), txn
        self.entries.append(txn)
        self.count += 1
        state = self.state
        for account, cents, fund in txn.postings:
            state.accounts[account] += cents
            if fund is None:
                continue
            if account.startswith("Income:"):
                state.balance[fund] -= cents
                state.available[fund] -= cents
                if account.startswith("Income:Contributions:") and fund == "dotation":
                    state.corpus -= cents
            elif account.startswith("Expenses:"):
                state.balance[fund] -= cents
                state.available[fund] -= cents
            elif account.startswith(("Assets:Loans:", "Assets:Receivable:Pledges:")):
                state.available[fund] -= cents

    def ident(self, prefix: str, day: datetime.date) -> str:
        self.serial[prefix, day.year] += 1
        return f"{prefix}-{day.year}-{self.serial[prefix, day.year]:05d}"

    def amount(self, low: int, high: int) -> int:
        """Cents, log-uniform between ``low`` and ``high`` euros, rounded like real amounts."""
        euros = low * (high / low) ** self.rng.random()
        step = 100 if euros >= 5000 else 10 if euros >= 500 else 1
        return max(step, int(euros / step) * step) * 100 + (
            0 if euros >= 500 else self.rng.randrange(100))

    def cap(self, fund: str, cents: int) -> int:
        """``cents``, or less when the fund has not that much available (0: not at all)."""
        room = self.state.available[fund] * 8 // 10
        cents = min(cents, room)
        return cents if cents >= 5000 else 0

    # -- set-up ------------------------------------------------------------------------------

    def _declare(self) -> None:
        day = START
        for name, (kind, label, _bank, _grants, _lends) in FUNDS.items():
            text = f'{day} custom "fund" "{name}" "{kind}" "{label}"'
            if kind == "endowment":
                text += "\n  consumable: FALSE"
            self.entries.append(Directive(day, text))
        self.entries.append(Directive(day, f'{day} custom "spending-rule" "dotation" 4 12'))
        for name, label, unit in INDICATORS:
            self.entries.append(Directive(day, f'{day} custom "indicator" "{name}" "{label}" '
                                               f'"{unit}"'))
        founders = [("Métropole de Lyon", 100_000_000), ("Banque des Territoires", 20_000_000),
                    ("Caisse d'Épargne Rhône Alpes", 10_000_000)]
        for founder, cents in founders:
            account = ("Income:Contributions:Metropole" if founder.startswith("Métropole")
                       else "Income:Contributions:Partners")
            self.emit(Txn(day, founder, "Dotation initiale", [],
                          [("Assets:Endowment:Portfolio", cents, None),
                           (account, -cents, "dotation")], "contribution", "dotation"))
        for fund in SPENDERS:
            self._contribution(day, fund, 8_000_000)

    def _assert_balances(self, day: datetime.date) -> None:
        for account in ASSERTED:
            self.entries.append(Directive(day, "", account, self.state.accounts[account]))

    def _close_quarters(self, day: datetime.date) -> None:
        """Keep the endowment's balance at each quarter end (for its spending rule)."""
        yesterday = day - datetime.timedelta(days=1)
        if yesterday >= START and yesterday.month in (3, 6, 9, 12) and (
                day.month != yesterday.month):
            self.state.quarter_ends.append((yesterday, self.state.balance["dotation"]))

    # -- primary events -----------------------------------------------------------------------

    def _contribution(self, day: datetime.date, fund: str | None = None,
                      cents: int | None = None) -> None:
        rng = self.rng
        if rng.random() < 0.04 and fund is None:
            fund = "dotation"
        fund = fund or rng.choices(SPENDERS, CONTRIBUTION_WEIGHTS)[0]
        bank = FUNDS[fund][2]
        if rng.random() < 0.35:
            payee, account = rng.choice(PARTNERS), "Income:Contributions:Partners"
            cents = cents or self.amount(5_000, 200_000)
        else:
            payee, account = rng.choice(self.donors), "Income:Contributions:Donors"
            cents = cents or self.amount(20, 5_000)
        other = rng.choice([f for f in SPENDERS if FUNDS[f][2] == bank and f != fund] or [fund])
        if fund != "dotation" and other != fund and cents >= 200_000 and rng.random() < 0.15:
            # A contribution split between two funds: the fund goes on each posting.
            half = cents // 200 * 100
            self.emit(Txn(day, payee, "Contribution répartie", [],
                          [(bank, cents, None), (account, -half, fund),
                           (account, half - cents, other)], "contribution"))
            return
        self.emit(Txn(day, payee, f"Contribution {FUNDS[fund][1]}", [],
                      [(bank, cents, None), (account, -cents, fund)], "contribution", fund))

    def _pledge(self, day: datetime.date) -> None:
        rng = self.rng
        fund = rng.choices(SPENDERS, CONTRIBUTION_WEIGHTS)[0]
        payee = rng.choice(PARTNERS)
        parts = rng.choice([2, 3, 4])
        cents = self.amount(10_000, 150_000) // parts * parts
        self.emit(Txn(day, payee, f"Promesse de don en {parts} versements", [],
                      [("Assets:Receivable:Pledges:Partners", cents, fund),
                       ("Income:Contributions:Partners", -cents, fund)], "pledge", fund))
        for part in range(1, parts + 1):
            self.schedule(day + datetime.timedelta(days=120 * part), "pledge_payment",
                          fund, payee, cents // parts, part, parts)

    def _coupon(self, day: datetime.date) -> None:
        cents = self.amount(500, 15_000)
        self.emit(Txn(day, "Gestion de portefeuille", "Coupons et dividendes", [],
                      [("Assets:Endowment:Portfolio", cents, None),
                       ("Income:Investment:Coupons", -cents, "dotation")], "coupon", "dotation"))

    def _grant(self, day: datetime.date) -> None:
        rng = self.rng
        fund = rng.choice(GRANTORS)
        cents = self.cap(fund, self.amount(GRANT[0], GRANT[1]))
        if not cents:
            self._contribution(day, fund)
            return
        ident = self.ident("G", day)
        grantee = rng.choice(self.grantees)
        kind = rng.choice(GRANTEE_KINDS)
        meta: list[tuple[str, object]] = [("grant", ident), ("grantee-kind", kind),
                                          ("committee", str(day - datetime.timedelta(days=10)))]
        if rng.random() < 0.05:
            meta.append(("private", True))
        if kind == "person" or ("private", True) in meta:
            # A withheld grantee has a name of its own: shared with a public grantee, it
            # would make every public output refuse the books (SPEC 3.5).
            grantee = f"Bénéficiaire {ident}"
        self.emit(Txn(day, grantee, f"Subvention — comité du {day - datetime.timedelta(10)}",
                      meta, [(FUNDS[fund][3], cents, fund),
                             ("Liabilities:GrantsPayable", -cents, None)], "grant", fund))
        self.grants[ident] = Grant(ident, fund, grantee, cents)
        tranches = rng.choice([1, 2, 2, 3])
        for part in range(1, tranches + 1):
            later = day + datetime.timedelta(days=rng.randrange(20, 200) * part)
            self.schedule(later, "tranche", ident, part, tranches)
        if rng.random() < 0.3:
            indicator = rng.choice(INDICATORS)[0]
            self.schedule(day + datetime.timedelta(days=365), "impact", ident, indicator)

    def _loan(self, day: datetime.date) -> None:
        rng = self.rng
        fund = rng.choice(LENDERS)
        cents = self.cap(fund, self.amount(LOAN[0], LOAN[1]))
        if not cents:
            self._contribution(day, fund)
            return
        ident = self.ident("L", day)
        borrower = rng.choice(self.grantees)
        term = rng.choice([12, 24, 36, 48])
        grace = rng.choice([0, 0, 3, 6])
        rate = rng.choice([0, 0, 50, 100, 150])  # hundredths of a percent
        meta: list[tuple[str, object]] = [("loan", ident), ("term-months", term)]
        if grace:
            meta.append(("grace-months", grace))
        if rate:
            meta.append(("rate", f"{rate // 100}.{rate % 100:02d}"))
        bank = FUNDS[fund][2]
        self.emit(Txn(day, borrower, "Prêt d'honneur", meta,
                      [("Assets:Loans:Honneur", cents, fund), (bank, -cents, None)], "loan", fund))
        self.loans[ident] = Loan(ident, fund, borrower, cents, rate)
        instalment = cents // term
        default = rng.random() < 0.05 and term > 12
        for month in range(1, term + 1):
            due = _add_months(day, grace + month)
            if default and month == term // 2:
                self.schedule(due, "write_off", ident)
                break
            last = month == term
            self.schedule(due, "repayment", ident, None if last else instalment, month, term)

    def _programme(self, day: datetime.date) -> None:
        rng = self.rng
        fund = rng.choice(SPENDERS)
        cents = self.cap(fund, self.amount(PROGRAMME[0], PROGRAMME[1]))
        if not cents:
            self._contribution(day, fund)
            return
        account = rng.choice(["Expenses:Programs:Accompagnement", "Expenses:Programs:Evaluation"])
        label = "Accompagnement (8 h minimum)" if account.endswith("Accompagnement") else \
            "Évaluation d'impact"
        self.emit(Txn(day, rng.choice(SUPPLIERS), label, [],
                      [(account, cents, fund), (FUNDS[fund][2], -cents, None)], "programme", fund))

    def _admin(self, day: datetime.date) -> None:
        cents = self.cap("general", self.amount(ADMIN[0], ADMIN[1]))
        if not cents:
            self._contribution(day, "general")
            return
        self.emit(Txn(day, "Université de Lyon", "Frais de gestion", [],
                      [("Expenses:Admin:Management", cents, "general"),
                       ("Assets:Bank:CaisseEpargne", -cents, None)], "admin", "general"))

    def _transfer(self, day: datetime.date) -> None:
        """A board decision moving money between two funds that share a bank account."""
        rng = self.rng
        source = rng.choice(SPENDERS)
        targets = [f for f in SPENDERS if f != source and FUNDS[f][2] == FUNDS[source][2]]
        cents = self.cap(source, self.amount(1_000, 30_000))
        if not cents or not targets:
            self._programme(day)
            return
        target = rng.choice(targets)
        self._transfer_directive(day, source, target, cents, "Décision du conseil")

    def _transfer_directive(self, day: datetime.date, source: str, target: str, cents: int,
                            narration: str) -> None:
        state = self.state
        state.available[source] -= cents
        state.balance[source] -= cents
        state.available[target] += cents
        state.balance[target] += cents
        self.entries.append(Directive(day, f'{day} custom "fund-transfer" "{source}" "{target}" '
                                           f'{money(cents)} EUR "{narration}"'))

    def _draw(self, day: datetime.date) -> None:
        """Quarterly draw on the endowment, within its spending rule and above its corpus."""
        state = self.state
        if self.count >= self.n:
            return
        rate, quarters = 4, 12
        year_start = datetime.date(day.year, 1, 1)
        ends = [cents for end, cents in state.quarter_ends if end < year_start][-quarters:]
        drawn = state.drawn.get(day.year, 0)
        balance = state.balance["dotation"]
        limit = rate * sum(ends) // (100 * len(ends)) if ends else rate * balance // 100
        draws_left = (12 - day.month) // 3 + 1
        cents = min((limit - drawn) * 9 // 10 // draws_left, (balance - state.corpus) * 9 // 10)
        cents = cents // 100 * 100
        if cents < 10_000:
            return
        state.drawn[day.year] = drawn + cents
        self._transfer_directive(day, "dotation", "general", cents, f"Tirage {day.year}")
        self.emit(Txn(day, "Gestion de portefeuille", f"Cession de titres — tirage {day.year}",
                      [], [("Assets:Bank:CaisseEpargne", cents, None),
                           ("Assets:Endowment:Portfolio", -cents, None)], "draw"))

    # -- follow-ups --------------------------------------------------------------------------

    def _pledge_payment(self, day: datetime.date, fund: str, payee: str, cents: int,
                        part: int, parts: int) -> None:
        self.emit(Txn(day, payee, f"Versement promesse {part}/{parts}", [],
                      [(FUNDS[fund][2], cents, None),
                       ("Assets:Receivable:Pledges:Partners", -cents, fund)], "pledge", fund))

    def _tranche(self, day: datetime.date, ident: str, part: int, parts: int) -> None:
        grant = self.grants[ident]
        if grant.payable <= 0:
            return
        if part == parts and self.rng.random() < 0.05 and part > 1:
            cents = grant.payable
            grant.payable = 0
            self.emit(Txn(day, grant.grantee, "Annulation du solde (projet arrêté)",
                          [("grant", ident)],
                          [("Liabilities:GrantsPayable", cents, None),
                           (FUNDS[grant.fund][3], -cents, grant.fund)], "grant", grant.fund))
            return
        cents = grant.payable if part == parts else grant.payable // (parts - part + 1)
        grant.payable -= cents
        self.emit(Txn(day, grant.grantee, f"Versement {part}/{parts}", [("grant", ident)],
                      [("Liabilities:GrantsPayable", cents, None),
                       (FUNDS[grant.fund][2], -cents, None)], "grant"))

    def _repayment(self, day: datetime.date, ident: str, instalment: int | None,
                   month: int, term: int) -> None:
        loan = self.loans[ident]
        principal = loan.outstanding if instalment is None else min(instalment, loan.outstanding)
        if principal <= 0:
            return
        interest = loan.outstanding * loan.rate_centipercent // 120_000
        loan.outstanding -= principal
        bank = FUNDS[loan.fund][2]
        postings: list[tuple[str, int, str | None]] = [
            (bank, principal + interest, None), ("Assets:Loans:Honneur", -principal, loan.fund)]
        if interest:
            postings.append(("Income:LoanInterest:Honneur", -interest, loan.fund))
        self.emit(Txn(day, loan.borrower, f"Remboursement échéance {month}/{term}",
                      [("loan", ident)], postings, "loan", loan.fund))

    def _write_off(self, day: datetime.date, ident: str) -> None:
        loan = self.loans[ident]
        cents, loan.outstanding = loan.outstanding, 0
        if cents <= 0:
            return
        self.emit(Txn(day, loan.borrower, "Abandon de créance (liquidation)", [("loan", ident)],
                      [("Expenses:LoanLosses:Honneur", cents, loan.fund),
                       ("Assets:Loans:Honneur", -cents, loan.fund)], "loan", loan.fund))

    def _impact(self, day: datetime.date, ident: str, indicator: str) -> None:
        value = self.rng.randrange(1, 40)
        self.entries.append(Directive(day, f'{day} custom "impact" "{ident}" "{indicator}" '
                                           f"{value}"))


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, min(day.day, 28))


# -- writers -----------------------------------------------------------------------------------


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _meta_value(value: object) -> str:
    if value is True:
        return "TRUE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.replace(".", "", 1).isdigit():
        return value  # a number such as a rate
    return _quote(str(value))


def to_beancount(entries: list[Txn | Directive]) -> str:
    """The ledger as Beancount text, in date order, following SPEC 3."""
    out = ['option "title" "Fondation synthétique (fundledger bench)"',
           'option "operating_currency" "EUR"', PLUGIN_LINE, ""]
    out += [f"{START} open {account} EUR" for account in ACCOUNTS]
    out.append("")
    for entry in entries:
        if isinstance(entry, Directive):
            if entry.account is None:
                out.append(entry.text)
            else:
                out.append(f"{entry.date} balance {entry.account}  {money(entry.cents)} EUR")
            continue
        out.append(f"{entry.date} * {_quote(entry.payee)} {_quote(entry.narration)}")
        for key, value in entry.meta:
            out.append(f"  {key}: {_meta_value(value)}")
        if entry.txn_fund:
            out.append(f"  fund: {_quote(entry.txn_fund)}")
        for account, cents, fund in entry.postings:
            out.append(f"  {account}  {money(cents)} EUR")
            if fund and not entry.txn_fund:
                out.append(f"    fund: {_quote(fund)}")
        out.append("")
    return "\n".join(out) + "\n"


def to_journal(entries: list[Txn | Directive]) -> str:
    """The same postings as an hledger / ledger-cli journal, the fund as a posting tag.

    Fund transfers and other ``custom`` directives move no posting, so they appear only as
    comments; balance assertions become hledger/ledger assertions dated like Beancount's
    (checked before that day's transactions, which follow them in the file).
    """
    out = ["; Fondation synthétique (fundledger bench): same postings as fund.beancount", ""]
    out += [f"account {account}" for account in ACCOUNTS]
    out.append("")
    for entry in entries:
        if isinstance(entry, Directive):
            if entry.account is not None:
                out.append(f"{entry.date} Assertion de solde\n    {entry.account}  0 EUR "
                           f"= {money(entry.cents)} EUR\n")
            continue
        payee = entry.payee.replace("|", "/")
        out.append(f"{entry.date} * {payee} | {entry.narration}")
        for key, value in entry.meta:
            out.append(f"    ; {key}: {'TRUE' if value is True else value}")
        for account, cents, fund in entry.postings:
            tag = f"  ; fund: {fund}" if fund else ""
            out.append(f"    {account}  {money(cents)} EUR{tag}")
        out.append("")
    return "\n".join(out) + "\n"


def generate(n: int, seed: int = 8) -> tuple[str, str, Counter[str]]:
    """Beancount text, journal text and the transaction mix of a foundation of ``n`` txns."""
    entries = Simulation(n, seed).run()
    mix: Counter[str] = Counter()
    for entry in entries:
        if isinstance(entry, Txn):
            mix[entry.kind] += 1
        elif entry.account is not None:
            mix["balance assertion"] += 1
        else:
            mix[entry.text.split('"')[1]] += 1
    return to_beancount(entries), to_journal(entries), mix


def without_plugin(text: str) -> str:
    """The same ledger with the fundledger plugin line removed (bare Beancount's baseline)."""
    return text.replace(PLUGIN_LINE + "\n", "", 1)


def write(n: int, directory: Path, seed: int = 8) -> Counter[str]:
    """Write ``fund.beancount``, ``bare.beancount`` and ``fund.journal`` into ``directory``."""
    beancount_text, journal_text, mix = generate(n, seed)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "fund.beancount").write_text(beancount_text, encoding="utf-8")
    (directory / "bare.beancount").write_text(without_plugin(beancount_text), encoding="utf-8")
    (directory / "fund.journal").write_text(journal_text, encoding="utf-8")
    return mix


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("size", help="transactions: 500, 10k, 100k, 300k")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("-o", "--output", type=Path, help="directory (default bench/ledgers/SIZE)")
    args = parser.parse_args(argv)
    n = parse_size(args.size)
    directory = args.output or Path(__file__).parent / "ledgers" / args.size
    mix = write(n, directory, args.seed)
    print(f"{directory}: {n} transactions; " + ", ".join(f"{k} {v}" for k, v in sorted(
        mix.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
