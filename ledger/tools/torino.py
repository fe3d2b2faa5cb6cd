"""The Turin demo book: InnoSocialMetro, Città metropolitana di Torino, 2022-2026.

The story (docs/demo-books.md): the measure is approved by Decree 159/2022; the
Città metropolitana commits €1.5M (paid in three instalments), Regione Piemonte €400k
(the last €100k still due), Fondazione CRT €450k.  Micro and small enterprises follow an
accompaniment path of at least 8 hours (paid to the implementing consultancies and
recorded per enterprise), then an evaluation committee scores their project; admitted
projects get a grant of up to 50 % of the eligible cost (a 40 % advance, the balance on
the final report), or an interest subsidy on a bank loan; three enterprises get a
subsidised loan at 1 % managed by Finpiemonte.  Some grants are revoked and the advance
clawed back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

from booksim import (
    END,
    ZERO,
    Book,
    GrantLife,
    GrantPlan,
    Sim,
    beneficiary_id,
    business_day,
    eur,
)

D = Decimal
INTESA = "Assets:Bank:IntesaSanpaolo"
UNICREDIT = "Assets:Bank:UniCredit"
START = dt.date(2022, 10, 3)

THEMES = {
    "occupazione-inclusione": ("Expenses:Grants:OccupazioneInclusione", INTESA),
    "ambiente-economia-circolare": ("Expenses:Grants:AmbienteEconomiaCircolare", UNICREDIT),
    "rigenerazione-urbana": ("Expenses:Grants:RigenerazioneUrbana", UNICREDIT),
    "turismo-sostenibile": ("Expenses:Grants:TurismoSostenibile", UNICREDIT),
    "benessere-servizi-digitali": ("Expenses:Grants:BenessereServiziDigitali", INTESA),
}
SUBSIDY_ACCOUNT = "Expenses:Grants:AbbattimentoInteressi"

#: Enterprises per theme: (name, grantee-kind, comune, private).
ENTERPRISES = {
    "occupazione-inclusione": [
        ("Sartoria Sociale Barriera srl", "company", "Torino", False),
        ("Dolce Lavoro snc", "company", "Moncalieri", False),
        ("Officina Meccanica Nuovi Orizzonti srl", "company", "Settimo Torinese", False),
        ("Lavanderia Solidale Mirafiori srls", "company", "Torino", False),
        ("Logistica Etica Piemonte srl", "company", "Nichelino", False),
        ("Marco Ferrero", "person", "Chieri", False),
        ("Il Ponte cooperativa sociale", "company", "Torino", True),
        ("Caffè Letterario Inclusivo srls", "company", "Collegno", False),
    ],
    "ambiente-economia-circolare": [
        ("Bottega del Riuso srl", "company", "Torino", False),
        ("EcoImballi Canavese srl", "company", "Ivrea", False),
        ("Tessuti Ritrovati snc", "company", "Chivasso", False),
        ("Plastica Zero Piemonte srls", "company", "Rivoli", False),
        ("Riparo Elettronica srl", "company", "Grugliasco", False),
        ("Compost Valsusa srl", "company", "Susa", False),
        ("Legno Circolare snc", "company", "Pinerolo", False),
        ("Giulia Bertolotti", "person", "Avigliana", False),
    ],
    "rigenerazione-urbana": [
        ("Cascina Falchera Impresa Sociale srl", "company", "Torino", False),
        ("Borgo Nuovo Costruzioni Sostenibili srl", "company", "Carmagnola", False),
        ("Spazio Comune Aurora srls", "company", "Torino", False),
        ("Mercato Coperto Rinasce snc", "company", "Ciriè", False),
        ("Laboratori di Quartiere Vallette srl", "company", "Torino", False),
        ("Officine del Borgo srl", "company", "Settimo Torinese", False),
    ],
    "turismo-sostenibile": [
        ("Valli Bike Tour srl", "company", "Susa", False),
        ("Borgo Antico Ospitalità srl", "company", "Lanzo Torinese", False),
        ("Antichi Mestieri del Canavese snc", "company", "Cuorgnè", False),
        ("Rifugio Diffuso Val Chisone srls", "company", "Pinerolo", False),
        ("Castelli e Sentieri srl", "company", "Ivrea", False),
        ("Luca Perotti", "person", "Bussoleno", False),
    ],
    "benessere-servizi-digitali": [
        ("Sportello Digitale di Comunità srl", "company", "Chivasso", False),
        ("Farmacia dei Servizi Rurali srl", "company", "Lanzo Torinese", False),
        ("Telemedicina Alpina srls", "company", "Susa", False),
        ("Assistenza Domiciliare Smart srl", "company", "Orbassano", False),
        ("Bottega Digitale per Anziani snc", "company", "Nichelino", False),
        ("Emporio di Comunità Val Sangone srl", "company", "Giaveno", False),
    ],
}

PROJECTS = {
    "occupazione-inclusione": ["inserimento lavorativo di persone svantaggiate",
                               "conciliazione dei tempi di vita e di lavoro",
                               "formazione e assunzione di giovani NEET"],
    "ambiente-economia-circolare": ["riuso e materiali riciclati", "riduzione della plastica",
                                    "ecodesign degli imballaggi", "decarbonizzazione dei processi"],
    "rigenerazione-urbana": ["recupero di un immobile dismesso", "nuova economia di quartiere",
                             "ripristino di spazi commerciali sfitti"],
    "turismo-sostenibile": ["turismo lento e cicloturismo", "valorizzazione dei mestieri tipici",
                            "ospitalità diffusa in borgo storico"],
    "benessere-servizi-digitali": ["accesso digitale ai servizi pubblici",
                                   "servizi di prossimità per anziani",
                                   "telemedicina nelle valli"],
}

#: Indicators per theme, with the value per €10,000 granted.
IMPACT = {
    "occupazione-inclusione": {"posti-lavoro": D("0.9"), "persone-vulnerabili": D("1.2")},
    "ambiente-economia-circolare": {"posti-lavoro": D("0.4"), "rifiuti-evitati": D("6"),
                                    "co2-evitata": D("11")},
    "rigenerazione-urbana": {"posti-lavoro": D("0.5"), "mq-rigenerati": D("95")},
    "turismo-sostenibile": {"posti-lavoro": D("0.6"), "visitatori": D("420")},
    "benessere-servizi-digitali": {"posti-lavoro": D("0.4"), "utenti-servizi": D("160")},
}

CONSULTANTS = ["Consorzio Sviluppo e Innovazione Sociale", "Torino Social Lab scs",
               "Studio Aurora Consulenze srl"]
LENDERS = ["Intesa Sanpaolo", "UniCredit", "Banca Sella"]

SESSIONS = [dt.date(2023, 5, 16), dt.date(2023, 9, 19), dt.date(2023, 12, 12),
            dt.date(2024, 3, 19), dt.date(2024, 6, 18), dt.date(2024, 10, 15),
            dt.date(2025, 2, 18), dt.date(2025, 5, 20), dt.date(2025, 10, 14),
            dt.date(2026, 3, 17), dt.date(2026, 6, 16), dt.date(2026, 10, 13)]

LOANS = "Assets:Loans:FinanziamentiAgevolati"
LOAN_INTEREST = "Income:LoanInterest:FinanziamentiAgevolati"

#: Subsidised loans managed by Finpiemonte, decided by the committee alongside the grants:
#: (session, borrower, fund, principal, term-months incl. grace, grace-months, rate %).
LOANS_PLAN = [
    (dt.date(2023, 9, 19), "Officina Meccanica Nuovi Orizzonti srl", "occupazione-inclusione",
     40000, 60, 12, "1.00"),
    (dt.date(2024, 6, 18), "EcoImballi Canavese srl", "ambiente-economia-circolare",
     60000, 72, 12, "1.00"),
    (dt.date(2025, 5, 20), "Cascina Falchera Impresa Sociale srl", "rigenerazione-urbana",
     80000, 72, 12, "1.00"),
]

#: What each loan's first-year report measures, besides the jobs.
LOAN_IMPACT = {"occupazione-inclusione": {"persone-vulnerabili": D(3)},
               "ambiente-economia-circolare": {"rifiuti-evitati": D(42)},
               "rigenerazione-urbana": {"mq-rigenerati": D(640)}}

WORDS = {
    "single": "Erogazione del contributo in unica soluzione",
    "tranche": "Anticipo del {i}° acconto",
    "last": "Saldo a seguito di rendicontazione finale",
    "revoke": "Revoca del contributo per rinuncia dell'impresa",
    "clawback": "Revoca del contributo con recupero dell'anticipo erogato",
    "recover": "Restituzione dell'anticipo revocato",
    "refund": "Restituzione parziale — spese rendicontate inferiori al preventivo",
}


class Torino(Book):
    BANK = INTESA
    TRANSFER = "Giroconto tra conti di tesoreria della misura"
    ENDOWMENTS = ()

    def __init__(self) -> None:
        self.rng = random.Random(1592022)
        self.sim = Sim([INTESA, UNICREDIT], floor=D(3000), topup=D(60000))
        self.sim.internal_transfer = self.internal_transfer
        self.grants = ReportedGrants(self.sim, WORDS, "Assets:Receivable:Revoche")
        self.counter: dict[int, int] = {}
        self.pools = {fund: list(names) for fund, names in ENTERPRISES.items()}
        for pool in self.pools.values():
            self.rng.shuffle(pool)
        self.minutes: dict[int, int] = {}  # committee minutes are numbered per year
        self.loans = TorinoLoans(self)
        #: Applications waiting for each committee session.
        self.candidates: dict[dt.date, list[Candidate]] = {}

    def next_id(self, year: int) -> str:
        self.counter[year] = self.counter.get(year, 0) + 1
        return f"ISM-{year}-{self.counter[year]:03d}"

    # -- the story --------------------------------------------------------------------------

    def build(self) -> None:
        sim = self.sim
        sim.assert_banks_quarterly(START)
        self.schedule_resources()
        self.schedule_costs()
        for session in SESSIONS:
            sim.at(business_day(session - dt.timedelta(days=75)), self.intake, session, prio=2)
            sim.at(session, self.session, prio=7)
        for plan in LOANS_PLAN:
            sim.at(business_day(plan[0] + dt.timedelta(days=24)), self.disburse, *plan, prio=6)
        self.schedule_budgets()
        sim.run()

    #: The steering committee's budgets per fund, voted in December for the next year.
    BUDGETS = {
        2025: (dt.date(2024, 12, 17), {
            "occupazione-inclusione": 120000, "ambiente-economia-circolare": 70000,
            "rigenerazione-urbana": 90000, "turismo-sostenibile": 110000,
            "benessere-servizi-digitali": 120000, "generale": 65000}),
        2026: (dt.date(2025, 12, 16), {
            "occupazione-inclusione": 60000, "ambiente-economia-circolare": 25000,
            "rigenerazione-urbana": 40000, "turismo-sostenibile": 60000,
            "benessere-servizi-digitali": 80000, "generale": 55000}),
    }

    def schedule_budgets(self) -> None:
        for year, (day, lines) in self.BUDGETS.items():
            self.sim.at(day, self.sim.raw, "".join(
                f'{day} custom "budget" "{fund}" {year} {D(amount):.2f} EUR\n'
                for fund, amount in lines.items()), prio=8)

    def schedule_resources(self) -> None:
        sim = self.sim
        themes = list(THEMES)
        city = {fund: D(250000) for fund in [*themes, "generale"]}
        decree = "Decreto della Consigliera Delegata n. 159/2022"
        sim.at(business_day(dt.date(2022, 11, 15)), self.pledge, "Città metropolitana di Torino",
               "Income:Contributions:CittaMetropolitana",
               "Assets:Receivable:Pledges:CittaMetropolitana", city,
               "Impegno di spesa per la misura InnoSocialMetro (1 500 000 €)", decreto=decree,
               prio=1)
        for day, share, label in ((dt.date(2022, 12, 14), D("0.4"), "prima tranche (40%)"),
                                  (dt.date(2023, 7, 12), D("0.3"), "seconda tranche (30%)"),
                                  (dt.date(2024, 7, 10), D("0.3"), "terza tranche (30%)")):
            sim.at(business_day(day), self.pledge_paid, "Città metropolitana di Torino",
                   "Assets:Receivable:Pledges:CittaMetropolitana", INTESA,
                   {fund: eur(amount * share) for fund, amount in city.items()},
                   f"Trasferimento fondi InnoSocialMetro — {label}", prio=1)
        region = {"occupazione-inclusione": D(200000), "benessere-servizi-digitali": D(200000)}
        sim.at(business_day(dt.date(2023, 3, 20)), self.pledge, "Regione Piemonte",
               "Income:Contributions:RegionePiemonte", "Assets:Receivable:Pledges:RegionePiemonte",
               region, "Convenzione di cofinanziamento 2023-2026 (400 000 €)",
               convenzione="DGR 12-6543/2023", due=dt.date(2026, 12, 15), prio=1)
        for day, share in ((dt.date(2023, 10, 17), D("0.5")), (dt.date(2025, 4, 15), D("0.25"))):
            sim.at(business_day(day), self.pledge_paid, "Regione Piemonte",
                   "Assets:Receivable:Pledges:RegionePiemonte", INTESA,
                   {fund: eur(amount * share) for fund, amount in region.items()},
                   "Erogazione del cofinanziamento regionale", prio=1)
        sim.at(business_day(dt.date(2023, 5, 8)), self.contribution, "Fondazione CRT",
               "Income:Contributions:FondazioneCRT", UNICREDIT,
               {"ambiente-economia-circolare": D(150000), "turismo-sostenibile": D(150000)},
               "Erogazione liberale a sostegno di InnoSocialMetro", prio=1)
        sim.at(business_day(dt.date(2025, 6, 10)), self.contribution, "Fondazione CRT",
               "Income:Contributions:FondazioneCRT", UNICREDIT,
               {"rigenerazione-urbana": D(150000)},
               "Seconda erogazione — rigenerazione urbana", prio=1)
        for year, amount in ((2024, "1912.37"), (2025, "3408.15"), (2026, "2150.62")):
            sim.at(business_day(dt.date(year, 1, 16)), self.interest, D(amount), year, prio=1)

    def disburse(self, day: dt.date, *plan: object) -> None:
        self.loans.disburse(day, *plan)  # type: ignore[arg-type]

    def interest(self, day: dt.date, amount: D, year: int) -> None:
        self.sim.txn(day, "Intesa Sanpaolo", f"Interessi attivi sul conto di tesoreria {year - 1}",
                     {"fund": "generale"},
                     [(INTESA, amount, {}), ("Income:Investment:InteressiAttivi", -amount, {})])
        self.sim.give("generale", amount)

    def schedule_costs(self) -> None:
        sim = self.sim
        for year in range(2023, 2027):
            for month in (1, 4, 7, 10):
                day = business_day(dt.date(year, month, 12))
                if day > END:
                    continue
                quarter = (month - 2) % 12 // 3 + 1
                sim.at(day, self.expense, "Finpiemonte S.p.A.",
                       "Expenses:Admin:GestioneFinpiemonte", "generale", D("7320.00"),
                       f"Commissione di gestione della misura — {quarter}° trimestre "
                       f"{year if month > 1 else year - 1}", prio=3)
                for bank, name in ((INTESA, "Intesa Sanpaolo"), (UNICREDIT, "UniCredit")):
                    if bank == UNICREDIT and day < dt.date(2023, 7, 1):
                        continue
                    sim.at(business_day(dt.date(year, month, 6)), self.expense, name,
                           "Expenses:Admin:SpeseBancarie", "generale", D("24.50"),
                           "Spese di tenuta conto trimestrali", bank, prio=3)
        sim.at(business_day(dt.date(2023, 2, 14)), self.expense, "Agenzia Comunicare Torino srl",
               "Expenses:Programs:Comunicazione", "generale", D("4270.00"),
               "Evento di lancio del bando InnoSocialMetro e materiali informativi", prio=3)
        sim.at(business_day(dt.date(2025, 11, 18)), self.expense, "Agenzia Comunicare Torino srl",
               "Expenses:Programs:Comunicazione", "generale", D("2928.00"),
               "Giornata di restituzione dei risultati della misura", prio=3)

    # -- the path: application, accompaniment, committee, award ---------------------------

    def intake(self, day: dt.date, session: dt.date) -> None:
        """Applications to the call, about ten weeks before the committee sits: each
        enterprise then follows its accompaniment path (some do not finish it)."""
        rng = self.rng
        programme = programme_of(session)
        candidates = []
        for fund in THEMES:
            count = rng.choice([1, 1, 2]) + (rng.random() < 0.35)
            for _ in range(count):
                name, kind, comune, private = self.next_enterprise(fund)
                cost = eur(rng.randint(200, 1000) * 100 + rng.randint(0, 99))
                pct = D(50) if rng.random() < 0.8 else D(rng.choice([40, 45]))
                hours = rng.randint(8, 16) if rng.random() < 0.88 else rng.randint(4, 7)
                score = rng.randint(52, 94)
                app = Candidate(self.next_id(day.year), programme, fund, name, kind, comune,
                                private, cost, pct, hours, score)
                candidates.append(app)
            if session >= dt.date(2024, 3, 1) and rng.random() < 0.22:
                name, kind, comune, private = self.next_enterprise(fund)
                loan = D(rng.randint(8, 20) * 5000)
                app = Candidate(self.next_id(day.year), programme, fund, name, kind, comune,
                                private, loan, ZERO, rng.randint(8, 12), rng.randint(60, 90))
                app.subsidy = (loan, D(rng.choice(["2.0", "2.5", "3.0"])),
                               rng.choice([48, 60, 72]), rng.choice(LENDERS))
                candidates.append(app)
        for app in candidates:
            self.apply(day, app, session)
        self.candidates[session] = candidates

    def next_enterprise(self, fund: str) -> tuple[str, str, str, bool]:
        enterprise = self.pools[fund].pop(0)
        self.pools[fund].append(enterprise)
        return enterprise

    def apply(self, day: dt.date, app: Candidate, session: dt.date) -> None:
        """The application, then the accompaniment sessions before the committee."""
        rng = self.rng
        lines = [f'{day} custom "application" "{app.id}" "{app.programme}" "{app.name}"',
                 f'  beneficiary-id: "{partita_iva(app.name)}"',
                 f"  eligible-cost: {app.cost:.2f}", f'  tema: "{app.fund}"']
        if app.withheld:
            lines.append("  private: TRUE")
        self.sim.raw(day, "\n".join(lines))
        first = rng.randint(2, app.hours - 2) if app.hours > 4 else app.hours
        consultant = consultant_of(app.name)
        when = business_day(day + dt.timedelta(days=rng.randint(10, 25)))
        for index, hours in enumerate((first, app.hours - first)):
            if index:
                when = business_day(when + dt.timedelta(days=rng.randint(14, 28)))
            if hours:
                assert when < session, (app.id, when, session)
                self.sim.at(when, self._accompany, app, hours, consultant, prio=2)

    def _accompany(self, day: dt.date, app: Candidate, hours: int, consultant: str) -> None:
        self.sim.raw(day, f'{day} custom "accompaniment" "{app.id}" {hours} "{consultant}"')

    def session(self, day: dt.date) -> None:
        sim = self.sim
        self.minutes[day.year] = self.minutes.get(day.year, 0) + 1
        minutes = f"Verbale n. {self.minutes[day.year]}/{day.year}"
        sim.at(business_day(day + dt.timedelta(days=20)), self.expense,
               "Città metropolitana di Torino", "Expenses:Programs:Valutazione", "generale",
               D("1350.00"), f"Gettoni di presenza della Commissione di Valutazione — seduta "
               f"del {day}", prio=3, verbale=minutes)
        budget = {fund: sim.available[fund] - D(8000) for fund in THEMES}
        for app in self.candidates.pop(day):
            amount = app.amount
            admitted = (app.score >= 60 and app.hours >= 8 and amount <= budget[app.fund]
                        and (app.subsidy is None or budget[app.fund] > 15000))
            self.accompaniment_invoice(day, app)
            if not admitted:
                sim.raw(day, f'{day} custom "decision" "{app.id}" "rejected" "{minutes}"')
                continue
            budget[app.fund] -= amount
            sim.raw(day, f'{day} custom "decision" "{app.id}" "approved" {amount:.2f} EUR '
                         f'"{minutes}"')
            self.award(day, app, minutes)

    def accompaniment_invoice(self, session: dt.date, app: Candidate) -> None:
        """The consultancy's invoice for one enterprise's path; it names the enterprise,
        so it is ``private`` when the enterprise is a person or asked for privacy."""
        amount = D(app.hours) * D("85.00")
        day = business_day(session + dt.timedelta(days=self.rng.randint(10, 30)))
        self.sim.at(day, self.expense, consultant_of(app.name),
                    "Expenses:Programs:Accompagnamento", "generale", amount,
                    f"Percorso di accompagnamento — {app.name} ({app.hours} ore)", UNICREDIT,
                    prio=3, impresa=app.name, domanda=app.id,
                    **{"tariffa-oraria": D("85.00"), "tema": app.fund},
                    **({"private": True} if app.withheld else {}))

    def award(self, session: dt.date, app: Candidate, minutes: str) -> None:
        rng = self.rng
        day = business_day(session + dt.timedelta(days=rng.randint(14, 28)))
        fund = app.fund
        account, bank = THEMES[fund]
        meta: dict[str, object] = {"verbale": minutes}
        if app.subsidy is not None:
            loan, points, months, lender = app.subsidy
            meta.update({"tipo": "contributo in conto interessi", "banca-finanziatrice": lender,
                         "bank-loan": loan, "subsidised-points": points, "term-months": months,
                         "comune": app.comune})
            half = (app.amount / 2).quantize(D("0.01"), ROUND_DOWN)
            tranches = [(rng.randint(30, 60), half), (rng.randint(330, 400), app.amount - half)]
            # The loan finances the enterprise's investment: about one job per 50,000 €.
            impacts = {"posti-lavoro": max(D(1), (loan / 50000).quantize(D(1)))}
            fate, fate_days, fate_amount = None, 0, ZERO
            account = SUBSIDY_ACCOUNT
        else:
            meta.update({"punteggio": app.score, "comune": app.comune,
                         "progetto": rng.choice(PROJECTS[fund]),
                         "cup": f"J{rng.randint(10, 99)}E{session.year % 100}"
                                f"{rng.randint(0, 999999):09d}"})
            amount = app.amount
            advance = (amount * D("0.4")).quantize(D("0.01"), ROUND_HALF_UP)
            tranches = [(rng.randint(20, 40), advance),
                        (rng.randint(300, 430), amount - advance)]
            fate, fate_days, fate_amount = None, 0, ZERO
            roll = rng.random()
            if roll < 0.08:
                fate, fate_days = "clawback", rng.randint(120, 280)
            elif roll < 0.12:
                fate, fate_days = "renounce", rng.randint(5, 15)
            elif roll > 0.94:
                fate, fate_days = "refund", rng.randint(60, 150)
                fate_amount = (amount * D(rng.randint(5, 15)) / 100).quantize(D("0.01"))
            impacts = {}
            for indicator, per in IMPACT[fund].items():
                value = per * amount / 10000 * D(rng.randint(70, 130)) / 100
                impacts[indicator] = max(D(1), value.quantize(D(1)))
        meta.update(beneficiary_id(app.name, app.kind, "it"))
        if app.private:
            meta["private"] = True
        plan = GrantPlan(app.id, fund, account, app.name, app.kind, app.amount, bank, meta,
                         tranches, impacts, fate, fate_days, fate_amount)
        plan.session = session  # type: ignore[attr-defined]
        self.sim.at(day, self._award, plan, prio=6)

    def _award(self, day: dt.date, plan: GrantPlan) -> None:
        committee = f"Commissione di Valutazione del {plan.session}"  # type: ignore[attr-defined]
        if plan.account == SUBSIDY_ACCOUNT:
            meta = plan.meta
            loan = f"{meta['bank-loan']:,.0f}".replace(",", ".")
            narration = (f"Contributo in conto interessi su un finanziamento "
                         f"{meta['banca-finanziatrice']} di {loan} € — {committee}")
        else:
            narration = f"Contributo a fondo perduto — {plan.meta['progetto']} — {committee}"
        self.grants.award(day, plan, narration)

    # -- the next committee: its proposals, for `fundledger propose` ---------------------------

    def proposal(self) -> str:
        """The proposals for the committee after the books end: a decision and an award
        for each application still waiting (one of them with its path unfinished, which
        ``propose`` points out before the vote)."""
        (session, candidates), = self.candidates.items()
        assert any(app.hours < 8 and app.score >= 60 for app in candidates), "no path to flag"
        minutes = minutes_of(session)
        budget = {fund: self.sim.available[fund] - D(8000) for fund in THEMES}
        award_day = business_day(session + dt.timedelta(days=21))
        out = ["; Proposte per la Commissione di Valutazione del " + str(session) + ".",
               "; Non incluse nella contabilità: la commissione le verifica prima del voto con",
               ";   fundledger propose ledger/torino/main.beancount "
               "ledger/torino/proposta-comitato.beancount",
               "; Generato da ledger/tools/generate.py: non modificare a mano.", ""]
        for app in candidates:
            amount = app.amount
            if app.score < 60 or amount > budget[app.fund]:
                out.append(f'{session} custom "decision" "{app.id}" "rejected" "{minutes}"')
                continue
            budget[app.fund] -= amount
            out.append(f'{session} custom "decision" "{app.id}" "approved" {amount:.2f} EUR '
                       f'"{minutes}"')
            account, _bank = THEMES[app.fund]
            if app.subsidy is not None:
                account = SUBSIDY_ACCOUNT
            out += [f'{award_day} * "{app.name}" "Contributo — Commissione di Valutazione del '
                    f'{session} (proposta)"', f'  grant: "{app.id}"', f'  fund: "{app.fund}"',
                    f'  grantee-kind: "{app.kind}"']
            if app.subsidy is not None:
                loan, points, months, _lender = app.subsidy
                out += [f"  bank-loan: {loan}", f"  subsidised-points: {points}",
                        f"  term-months: {months}"]
            if app.withheld:
                out.append("  private: TRUE")
            out += [f"  {account:<46}{amount:>14.2f} EUR",
                    f"  {'Liabilities:GrantsPayable':<46}{-amount:>14.2f} EUR", ""]
        return "\n".join(out) + "\n"


class Candidate:
    """One application to a call, as the generator plans it."""

    def __init__(self, ident: str, programme: str, fund: str, name: str, kind: str,
                 comune: str, private: bool, cost: D, pct: D, hours: int, score: int) -> None:
        self.id, self.programme, self.fund = ident, programme, fund
        self.name, self.kind, self.comune, self.private = name, kind, comune, private
        self.cost, self.pct = cost, pct
        self.hours, self.score = hours, score
        #: (bank loan, subsidised points, term in months, lender) of an interest subsidy.
        self.subsidy: tuple[D, D, int, str] | None = None

    @property
    def withheld(self) -> bool:
        return self.private or self.kind == "person"

    @property
    def amount(self) -> D:
        """The aid asked for: a share of the eligible cost, or the interest subsidy."""
        if self.subsidy is not None:
            loan, points, months, _lender = self.subsidy
            return interest_subsidy(loan, points, months)
        return (self.cost * self.pct / 100).quantize(D("0.01"), ROUND_HALF_UP)


def interest_subsidy(principal: D, points: D, months: int) -> D:
    """The interest ``points`` cost over a loan repaid in equal monthly principal
    instalments (each month's interest on what is outstanding), summed exactly, then
    rounded half up to the cent: the amount the rule checks."""
    total = sum((Fraction(principal) * (months - k + 1) / months * Fraction(points) / 1200
                 for k in range(1, months + 1)), Fraction(0))
    cents, rest = divmod(total.numerator * 100, total.denominator)
    return (D(cents + (2 * rest >= total.denominator)) / 100).quantize(D("0.01"))


def partita_iva(name: str) -> str:
    """A valid, fictitious partita IVA for an enterprise: seven digits from its name, the
    Turin office code 001, and the check digit (the Luhn rule of the Italian VAT number)."""
    digest = hashlib.sha256(name.encode()).hexdigest()
    body = f"{int(digest, 16) % 10_000_000:07d}001"
    total = 0
    for index, char in enumerate(body):
        digit = int(char)
        if index % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return f"IT{body}{(10 - total % 10) % 10}"


def consultant_of(name: str) -> str:
    return CONSULTANTS[sum(map(ord, name)) % len(CONSULTANTS)]


def programme_of(session: dt.date) -> str:
    """The call a committee session evaluates: the 2023 call until 2024, then the 2025 one."""
    return "ism-2023" if session.year < 2025 else "ism-2025"


def minutes_of(session: dt.date) -> str:
    """The minutes of a committee session, numbered per year."""
    number = sum(1 for day in SESSIONS if day.year == session.year and day <= session)
    return f"Verbale n. {number}/{session.year}"


class ReportedGrants(GrantLife):
    """Grants paid against progress reports: the balance of a grant is paid only after
    the committee approves the enterprise's final report (a ``report-approved``)."""

    def award(self, day: dt.date, plan: GrantPlan, narration: str) -> None:
        super().award(day, plan, narration)
        if len(plan.tranches) < 2:
            return
        when = day
        for days, _amount in plan.tranches:
            when = business_day(when + dt.timedelta(days=days))
        report = business_day(when - dt.timedelta(days=21))
        label = ("Relazione finale e rendicontazione delle spese"
                 if plan.account != SUBSIDY_ACCOUNT
                 else "Attestazione bancaria del piano di ammortamento")
        self.sim.at(report, self._report, plan, label, prio=5)

    def _report(self, day: dt.date, plan: GrantPlan, label: str) -> None:
        if plan.closed:  # revoked meanwhile: no report to approve
            return
        self.sim.raw(day, f'{day} custom "report-approved" "{plan.gid}" "{label}"')


class TorinoLoans:
    """Finpiemonte's subsidised loans: equal monthly principal after the grace period
    (SPEC 3.4, term counted grace included), interest at ``rate`` on what is outstanding,
    both paid on the 10th of each month; interest during grace is paid too."""

    def __init__(self, book: Torino) -> None:
        self.book = book
        self.count = 0

    def disburse(self, day: dt.date, session: dt.date, borrower: str, fund: str,
                 amount: int, term: int, grace: int, rate: str) -> None:
        sim = self.book.sim
        self.count += 1
        lid = f"P-{day.year}-{self.count:03d}"
        principal = D(amount)
        sim.use(fund, principal, lid)
        sim.ensure_cash(day, INTESA, principal)
        sim.txn(day, borrower, "Erogazione del finanziamento agevolato (gestione Finpiemonte)",
                {"loan": lid, "fund": fund, "term-months": term, "grace-months": grace,
                 "rate": D(rate), "commissione": f"{session}", "verbale": minutes_of(session)},
                [(LOANS, principal, {}), (INTESA, -principal, {})])
        impacts = {"posti-lavoro": max(D(1), (principal / 20000).quantize(D(1))),
                   **LOAN_IMPACT[fund]}
        self.book.sim.at(business_day(day + dt.timedelta(days=365)), self.book.grants._impact,
                         lid, impacts, prio=9)
        count = term - grace
        outstanding = principal
        for month in range(1, term + 1):
            y, m = divmod(day.month - 1 + month, 12)
            due = business_day(dt.date(day.year + y, m + 1, 10))
            if due > END:
                break
            k = month - grace
            part = ZERO
            if k > 0:
                part = eur(principal * k / count) - eur(principal * (k - 1) / count)
            interest = eur(outstanding * D(rate) / 1200)
            outstanding -= part
            sim.at(due, self.repay, lid, borrower, fund, part, interest, k, count, prio=4)

    def repay(self, day: dt.date, lid: str, borrower: str, fund: str, principal: D,
              interest: D, number: int, count: int) -> None:
        what = (f"Rata {number}/{count} del finanziamento agevolato" if number > 0
                else "Interessi di preammortamento del finanziamento agevolato")
        postings = [(INTESA, principal + interest, {})]
        if principal:
            postings.append((LOANS, -principal, {}))
        postings.append((LOAN_INTEREST, -interest, {}))
        self.book.sim.txn(day, borrower, what, {"loan": lid, "fund": fund}, postings)
        self.book.sim.give(fund, principal + interest)


def write(root: Path) -> None:
    book = Torino()
    book.build()
    out = root / "torino"
    out.mkdir(parents=True, exist_ok=True)
    years = book.sim.write(out, lambda year: (
        f"; InnoSocialMetro — Città metropolitana di Torino — esercizio {year}\n"
        "; Generato da ledger/tools/generate.py: non modificare a mano.\n\n"))
    header = (Path(__file__).parent / "torino-main.beancount.tmpl").read_text(encoding="utf-8")
    main = header + "".join(f'include "{year}.beancount"\n' for year in years)
    (out / "main.beancount").write_text(main, encoding="utf-8")
    (out / "proposta-comitato.beancount").write_text(book.proposal(), encoding="utf-8")
    queries = out / "queries.beancount"
    if not queries.exists():
        queries.write_text("; Interrogazioni salvate (query) della misura.\n"
                           "; Questo file appartiene all'estensione Fava, che lo compila.\n",
                           encoding="utf-8")

