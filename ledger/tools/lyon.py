"""The Lyon demo book: the Métropole de Lyon's social-innovation foundation, 2019-2026.

The story (docs/demo-books.md tells it at length): a €1,000,000 endowment from the
Métropole, invested in a term deposit and bonds, whose income is drawn once a year under
a 4 % spending rule; Banque des Territoires and Caisse d'Épargne, the founding partners,
pay earmarked money every year; companies and private donors add more; a selection
committee meets three times a year and awards grants paid in tranches; a few
zero-interest loans finance premises.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
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
CE = "Assets:Bank:CaisseEpargne"
BDT = "Assets:Bank:BanqueDesTerritoires"
PAYABLE = "Liabilities:GrantsPayable"
LOANS = "Assets:Loans:PretsSansInteret"
LAUNCH = dt.date(2019, 3, 12)

# -- sheltered by the Fondation pour l'Université de Lyon (ledger/host/) ----------------------
HOST = "Fondation pour l'Université de Lyon"
#: The host's fee, percent of the year's contributions and investment income (the rate of
#: the host's ``custom "host-fee" "lyon"``; ledger/tools/host.py books the same fee).
HOST_FEE_RATE = D("1.5")
HOST_FEE_ACCOUNT = "Expenses:Admin:FraisFondationAbritante"
FEE_BASE = ("Income:Contributions:", "Income:Investment:")
#: Where the Caisse d'Épargne account stands at the end of the books: the bank statements
#: of importers/samples continue from it.  The host's fee (a rate of what the year brought)
#: costs less than the flat charge these books had before, and the treasurer places the
#: surplus on a treasury term account in September 2026, which keeps that balance.
CE_AT_END = D("374551.40")
TREASURY = "Assets:Placements:CompteATermeTresorerie"

#: Gifts of persons in 2025, each calling for a tax receipt (Cerfa 11580): date, donor,
#: amount, fund, address, payment method.  Fictitious people.  To the unrestricted fund,
#: so that the challenges' funds, and so the committee's grants, stay as they were.
PERSON_GIFTS_2025 = [
    (dt.date(2025, 3, 18), "Claire Vial", D("150.00"), "general",
     "12 rue Juliette Récamier, 69006 Lyon", "carte"),
    (dt.date(2025, 6, 12), "Mehdi Bensaïd", D("500.00"), "general",
     "4 place Guichard, 69003 Lyon", "virement"),
    (dt.date(2025, 10, 7), "Anne-Sophie Morel", D("1200.00"), "general",
     "27 avenue Roger Salengro, 69100 Villeurbanne", "cheque"),
    (dt.date(2025, 12, 16), "Louis Garnier", D("80.00"), "general",
     "9 rue de la République, 69120 Vaulx-en-Velin", "carte"),
]

#: Companies' patronage (mécénat, Cerfa 16216): legal form, SIREN (fictitious), address.
COMPANIES = {
    "Transports Rhodaniens": ("SAS", "912345678", "18 quai Perrache, 69002 Lyon"),
    "Brasserie du Confluent": ("SARL", "823456789", "5 cours Charlemagne, 69002 Lyon"),
    "Imprimerie des Canuts": ("SARL", "834567890", "41 boulevard de la Croix-Rousse, "
                                                   "69004 Lyon"),
}


def patron(name: str, receipt: bool = True) -> dict[str, object]:
    """The metadata of a company's patronage: generosity, with what its receipt prints."""
    legal_form, siren, address = COMPANIES[name]
    meta: dict[str, object] = {"contributor-kind": "company", "origin": "generosite",
                               "contributor-legal-form": legal_form,
                               "contributor-siren": siren, "contributor-address": address}
    if not receipt:
        meta["receipt"] = False
    return meta


class HostedSim(Sim):
    """Counts, by year, the base of the host's fee: contributions and investment income."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fee_base: dict[int, D] = {}

    def txn(self, day: dt.date, payee: str | None, narration: str, meta: dict,
            postings: list, flag: str = "*") -> None:
        for account, amount, _meta in postings:
            if account.startswith(FEE_BASE):
                self.fee_base[day.year] = self.fee_base.get(day.year, ZERO) - amount
        super().txn(day, payee, narration, meta, postings, flag)

THEMES = {
    "circuits-courts": ("Expenses:Grants:CircuitsCourts", CE,
                        "Favoriser l'accessibilité des circuits courts alimentaires"),
    "logement-insertion": ("Expenses:Grants:LogementInsertion", BDT,
                           "Croiser logement et insertion professionnelle"),
    "zero-dechet": ("Expenses:Grants:ZeroDechet", CE, "Tendre vers le zéro déchet"),
    "immobilier-ess": ("Expenses:Grants:ImmobilierESS", BDT,
                       "Besoins immobiliers des acteurs de l'ESS"),
}

#: Grantees per theme: (name, grantee-kind, commune, private).
GRANTEES = {
    "circuits-courts": [
        ("Épicerie solidaire de la Duchère", "association", "Lyon 9e", False),
        ("La Cagette de Vaulx", "association", "Vaulx-en-Velin", False),
        ("Grap — Groupement régional alimentaire de proximité", "company", "Lyon 7e", False),
        ("Les Jardins partagés de Villeurbanne", "association", "Villeurbanne", False),
        ("Panier paysan des Minguettes", "association", "Vénissieux", False),
        ("Halle solidaire de Gerland", "company", "Lyon 7e", False),
        ("Légumerie d'insertion du Rhône", "association", "Saint-Priest", False),
        ("Cantine partagée de la Guillotière", "association", "Lyon 7e", False),
        ("Ferme urbaine du Mas du Taureau", "company", "Vaulx-en-Velin", False),
        ("Amina Benali", "person", "Vaulx-en-Velin", False),
        ("Marché solidaire de Croix-Luizet", "association", "Villeurbanne", False),
        ("Julien Marchal", "person", "Villeurbanne", False),
    ],
    "logement-insertion": [
        ("Habitat solidaire Rhône", "association", "Lyon 3e", False),
        ("Messidor", "association", "Villeurbanne", False),
        ("Foyer de jeunes travailleurs de Gerland", "association", "Lyon 7e", False),
        ("Toit et Emploi Vaulx", "association", "Vaulx-en-Velin", False),
        ("Régie de quartier Villeurbanne Est", "association", "Villeurbanne", False),
        ("Bâtir Ensemble Insertion", "company", "Lyon 8e", False),
        ("Maison d'accueil Les Tilleuls", "association", "Lyon", True),
        ("Sport dans la Ville", "association", "Lyon 9e", False),
        ("Colocations solidaires lyonnaises", "association", "Lyon 1er", False),
        ("Karim Haddad", "person", "Vaulx-en-Velin", False),
    ],
    "zero-dechet": [
        ("Envie Rhône", "association", "Villeurbanne", False),
        ("Recyclerie de Villeurbanne", "association", "Villeurbanne", False),
        ("Ressourcerie La Bricole", "association", "Lyon 8e", False),
        ("Repair Café Croix-Rousse", "association", "Lyon 4e", False),
        ("Vrac et Cie", "company", "Lyon 3e", False),
        ("Consigne lyonnaise", "company", "Vénissieux", False),
        ("Composteurs de Vaulx", "association", "Vaulx-en-Velin", False),
        ("Atelier vélo Les Pentes", "association", "Lyon 1er", False),
        ("Collectif zéro déchet Lyon", "association", "Lyon", False),
        ("Textiles Réemploi Rhône", "company", "Saint-Fons", False),
        ("Sophie Terrasson", "person", "Lyon 5e", False),
    ],
    "immobilier-ess": [
        ("Etic — Foncièrement responsable", "company", "Lyon 2e", False),
        ("Le Cent Sept", "association", "Lyon 7e", False),
        ("Tiers-lieu Les Ateliers de Vaulx", "association", "Vaulx-en-Velin", False),
        ("Pôle ESS des Gratte-Ciel", "company", "Villeurbanne", False),
        ("Les Halles temporaires de la Part-Dieu", "association", "Lyon 3e", False),
        ("Maison de l'ESS du 8e", "association", "Lyon 8e", False),
        ("Coopérative Locaux partagés du Rhône", "company", "Lyon 9e", False),
        ("Commune de Vaulx-en-Velin", "public", "Vaulx-en-Velin", False),
    ],
}

PROJECTS = {
    "circuits-courts": ["paniers solidaires à prix modulés", "épicerie en circuit court",
                        "approvisionnement local de la restauration collective",
                        "groupement d'achat de quartier", "légumerie et transformation locale"],
    "logement-insertion": ["logement accompagné vers l'emploi", "chantier d'insertion bâtiment",
                           "colocation solidaire de jeunes en formation",
                           "accueil et parcours d'insertion", "habitat intercalaire"],
    "zero-dechet": ["réemploi et réparation", "vrac et consigne", "compostage de quartier",
                    "collecte et revalorisation textile", "atelier de réparation vélo"],
    "immobilier-ess": ["aménagement de locaux mutualisés", "occupation temporaire",
                       "pôle ESS pérenne", "mise aux normes d'un tiers-lieu"],
}

#: Impact indicators measured per theme, with the value per €10,000 granted.
IMPACT = {
    "circuits-courts": {"emplois": D("0.6"), "menages": D("45")},
    "logement-insertion": {"emplois": D("0.8"), "personnes-insertion": D("6")},
    "zero-dechet": {"emplois": D("0.5"), "tonnes-dechets": D("9")},
    "immobilier-ess": {"emplois": D("0.4"), "m2-locaux": D("120")},
}

WORDS = {
    "single": "Versement unique",
    "tranche": "Versement {i}/{n}",
    "last": "Versement {i}/{n} — solde",
    "revoke": "Annulation du solde — projet abandonné",
    "clawback": "Retrait de la subvention — reversement demandé",
    "recover": "Reversement de la subvention retirée",
    "refund": "Reversement du trop-perçu — dépenses inférieures au budget",
}


def committee_day(year: int, month: int) -> dt.date:
    """The selection committee meets on the third Tuesday of February, June and October."""
    day = dt.date(year, month, 1)
    while day.weekday() != 1:
        day += dt.timedelta(days=1)
    return day + dt.timedelta(days=14)


def last_committee(day: dt.date) -> dt.date:
    """The last committee meeting before ``day``, which decided a loan disbursed then."""
    meetings = [committee_day(y, m) for y in (day.year - 1, day.year) for m in (2, 6, 10)]
    return max(m for m in meetings if m < day)


class Lyon(Book):
    BANK = CE
    TRANSFER = "Virement interne de trésorerie"

    def __init__(self) -> None:
        self.rng = random.Random(20190312)
        self.sim = HostedSim([CE, BDT], reconciled=("Assets:Endowment:CompteATerme",
                                              "Assets:Endowment:Obligations", LOANS))
        self.sim.internal_transfer = self.internal_transfer
        self.grants = GrantLife(self.sim, WORDS, "Assets:Receivable:Reversements")
        self.counter: dict[int, int] = {}
        self.loan_count = 0
        self.pools = {fund: list(names) for fund, names in GRANTEES.items()}
        for pool in self.pools.values():
            self.rng.shuffle(pool)
        self.undrawn = ZERO  # dotation income not yet drawn
        self.host_fees: dict[int, D] = {}  # the host's fee, by year (read by host.py)

    # -- helpers ----------------------------------------------------------------------------

    def income(self, day: dt.date, payee: str, account: str, amount: D, narration: str,
               bank: str = CE) -> None:
        self.sim.txn(day, payee, narration, {"fund": "dotation"},
                     [(bank, amount, {}), (account, -amount, {})])
        self.undrawn += amount

    def pledge_in_instalments(self, day: dt.date, payee: str, account: str, receivable: str,
                              split: dict[str, D], narration: str, dues: list[dt.date],
                              **meta: object) -> None:
        """A convention paid in equal yearly instalments: one pledge per instalment, each
        with its ``due:`` date, so that the forecast collects each one when it falls due."""
        count = len(dues)
        for number, due in enumerate(dues, start=1):
            self.pledge(day, payee, account, receivable,
                        {fund: amount / count for fund, amount in split.items()},
                        f"{narration} — échéance {number}/{count}", due=due, **meta)

    def next_id(self, year: int) -> str:
        self.counter[year] = self.counter.get(year, 0) + 1
        return f"G-{year}-{self.counter[year]:03d}"

    # -- the story --------------------------------------------------------------------------

    def build(self) -> None:
        sim = self.sim
        sim.assert_banks_quarterly(LAUNCH)
        sim.at(LAUNCH, self.founding)
        for year in range(2019, 2027):
            self.schedule_year(year)
        self.schedule_loans()
        self.schedule_planning()
        sim.at(dt.date(2026, 9, 29), self.place_surplus, prio=9)
        sim.run()

    def founding(self, day: dt.date) -> None:
        sim = self.sim
        sim.txn(day, "Métropole de Lyon", "Dotation initiale de la fondation",
                {"fund": "dotation", "deliberation": "Conseil de la Métropole n° 2019-3312"},
                [(CE, D(1000000), {}), ("Income:Contributions:Metropole", D(-1000000), {})])
        invest = business_day(day + dt.timedelta(days=6))
        sim.at(invest, lambda d: sim.txn(
            d, "Caisse d'Épargne Rhône Alpes", "Placement de la dotation",
            {"note": "Compte à terme 400 000 € et obligations 600 000 € (au coût)"},
            [("Assets:Endowment:CompteATerme", D(400000), {}),
             ("Assets:Endowment:Obligations", D(600000), {}),
             (CE, D(-1000000), {})]), prio=1)

    def schedule_year(self, year: int) -> None:
        sim, rng = self.sim, self.rng
        first = year == 2019
        # Métropole: operating subsidy to the unrestricted fund.
        sub = D(45000) if first else D(40000)
        sim.at(business_day(dt.date(year, 4 if first else 2, 5)), self.contribution,
               "Métropole de Lyon", "Income:Contributions:Metropole", CE, {"general": sub},
               f"Subvention de fonctionnement {year}", prio=1)
        # Caisse d'Épargne: yearly earmarked contribution.
        sim.at(business_day(dt.date(year, 4, 15)), self.contribution, "Caisse d'Épargne",
               "Income:Contributions:CaisseEpargne", CE,
               {"circuits-courts": D(50000), "zero-dechet": D(50000)},
               f"Contribution de partenaire fondateur {year}", convention="CE-FONDATION-2019",
               prio=1)
        # Banque des Territoires: three-year conventions signed as pledges, paid each May.
        if year in (2019, 2022, 2025):
            split = {"immobilier-ess": D(300000), "logement-insertion": D(150000)}
            sim.at(business_day(dt.date(year, 4, 8)), self.pledge_in_instalments,
                   "Banque des Territoires", "Income:Contributions:BanqueDesTerritoires",
                   "Assets:Receivable:Pledges:BanqueDesTerritoires", split,
                   f"Convention de partenariat {year}-{year + 2} (3 × 150 000 €)",
                   [business_day(dt.date(year + k, 5, 20)) for k in range(3)],
                   convention=f"BDT-{year}", prio=1)
        sim.at(business_day(dt.date(year, 5, 20)), self.pledge_paid, "Banque des Territoires",
               "Assets:Receivable:Pledges:BanqueDesTerritoires", BDT,
               {"immobilier-ess": D(100000), "logement-insertion": D(50000)},
               f"Versement annuel de la convention — {year}", prio=1)
        self.schedule_donors(year)
        self.schedule_endowment(year)
        self.schedule_costs(year)
        months = {2019: (6, 10), 2026: (2, 6)}.get(year, (2, 6, 10))
        for month in months:
            sim.at(committee_day(year, month), self.committee, prio=7)
        if year >= 2020:
            sim.at(business_day(dt.date(year, 1, 20)), self.annual_draw, prio=2)
        del rng

    def schedule_donors(self, year: int) -> None:
        sim = self.sim
        if year == 2020:
            sim.at(business_day(dt.date(2020, 3, 3)), self.pledge_in_instalments,
                   "Maison Gerland SA", "Income:Contributions:Entreprises",
                   "Assets:Receivable:Pledges:Entreprises", {"circuits-courts": D(60000)},
                   "Mécénat triennal 2020-2022 (3 × 20 000 €)",
                   [business_day(dt.date(y, 3, 25)) for y in (2020, 2021, 2022)], prio=1)
        if year in (2020, 2021, 2022):
            sim.at(business_day(dt.date(year, 3, 25)), self.pledge_paid, "Maison Gerland SA",
                   "Assets:Receivable:Pledges:Entreprises", CE, {"circuits-courts": D(20000)},
                   f"Mécénat — versement {year}", prio=1)
        if year in (2021, 2023, 2025):
            sim.at(business_day(dt.date(year, 9, 14)), self.contribution,
                   "Transports Rhodaniens", "Income:Contributions:Entreprises", CE,
                   {"zero-dechet": D(25000)}, "Mécénat — programme zéro déchet", prio=1,
                   **patron("Transports Rhodaniens"))
        if year == 2023:
            sim.at(business_day(dt.date(2023, 1, 10)), self.pledge_in_instalments,
                   "Mutuelle Fourvière", "Income:Contributions:Entreprises",
                   "Assets:Receivable:Pledges:Entreprises", {"logement-insertion": D(90000)},
                   "Convention de mécénat 2023-2026 (4 × 22 500 €)",
                   [business_day(dt.date(y, 11, 12)) for y in (2023, 2024, 2025, 2026)],
                   prio=1)
        if year in (2023, 2024, 2025):
            sim.at(business_day(dt.date(year, 11, 12)), self.pledge_paid, "Mutuelle Fourvière",
                   "Assets:Receivable:Pledges:Entreprises", CE,
                   {"logement-insertion": D(22500)}, f"Mécénat — versement {year}", prio=1)
        if year == 2024:
            sim.at(business_day(dt.date(2024, 6, 4)), self.contribution, "Brasserie du Confluent",
                   "Income:Contributions:Entreprises", CE, {"zero-dechet": D(12000)},
                   "Mécénat — consigne des bouteilles", prio=1,
                   **patron("Brasserie du Confluent"))
            sim.at(business_day(dt.date(2024, 10, 8)), self.pledge_in_instalments,
                   "Cabinet Rivière & Associés", "Income:Contributions:Entreprises",
                   "Assets:Receivable:Pledges:Entreprises", {"immobilier-ess": D(30000)},
                   "Promesse de don — locaux partagés (2025-2027)",
                   [business_day(dt.date(y, 2, 11)) for y in (2025, 2026, 2027)], prio=1)
        if year in (2025, 2026):
            sim.at(business_day(dt.date(year, 2, 11)), self.pledge_paid,
                   "Cabinet Rivière & Associés", "Assets:Receivable:Pledges:Entreprises", CE,
                   {"immobilier-ess": D(10000)}, f"Promesse de don — versement {year}", prio=1)
        if year == 2025:
            for day, donor, gift, fund, address, method in PERSON_GIFTS_2025:
                sim.at(business_day(day), self.contribution, donor,
                       "Income:Contributions:Particuliers", CE, {fund: gift}, "Don",
                       prio=1, **{"contributor-kind": "person", "contributor-address": address,
                                  "payment-method": method})
            # Patronage with a counterpart (the printer's logo on the programme): no receipt.
            sim.at(business_day(dt.date(2025, 5, 14)), self.contribution,
                   "Imprimerie des Canuts", "Income:Contributions:Entreprises", CE,
                   {"general": D(2000)}, "Mécénat avec contrepartie — impression du programme",
                   prio=1, **patron("Imprimerie des Canuts", receipt=False))
        if year <= 2025:
            amount = eur(4000 + 900 * (year - 2019) + self.rng.randint(0, 1500))
            sim.at(business_day(dt.date(year, 12, 18)), self.contribution,
                   "HelloAsso", "Income:Contributions:Particuliers", CE, {"general": amount},
                   f"Dons en ligne de particuliers — campagne de fin d'année {year}",
                   contributor="Donateurs particuliers", prio=1)

    def schedule_endowment(self, year: int) -> None:
        sim = self.sim
        rates = {2019: "0.45", 2020: "0.30", 2021: "0.20", 2022: "0.85", 2023: "2.90",
                 2024: "3.10", 2025: "2.45", 2026: "2.05"}
        for month in (1, 4, 7, 10):
            day = business_day(dt.date(year, month, 3))
            if day < LAUNCH + dt.timedelta(days=90) or day > END:
                continue
            interest = eur(D(400000) * D(rates[year if month > 1 else year - 1]) / 400)
            sim.at(day, self.income, "Caisse d'Épargne Rhône Alpes",
                   "Income:Investment:InteretsCompteATerme", interest,
                   "Intérêts trimestriels du compte à terme", prio=1)
        coupon = business_day(dt.date(year, 11, 15))
        sim.at(coupon, self.income, "Caisse d'Épargne Rhône Alpes",
               "Income:Investment:Coupons", D("9300.00"),
               "Coupon annuel des obligations (1,55 %)", prio=1)

    def annual_draw(self, day: dt.date) -> None:
        """Draw last year's endowment income, whole euros, into two theme funds.

        The spending rule (4 % of the average of the last 12 quarter-end balances, about
        40 000 €) is never the binding limit: only income above the corpus may leave.
        """
        amount = D(int(self.undrawn / 100) * 100)
        if amount <= 0:
            return
        self.undrawn -= amount
        targets = ["general", "circuits-courts", "zero-dechet", "logement-insertion",
                   "immobilier-ess"]
        target = targets[day.year % len(targets)]
        if target == "general":
            parts = {"general": amount}
        else:
            first = D(int(amount * D("0.6") / 100) * 100)
            parts = {target: first, "general": amount - first}
        for fund, part in parts.items():
            self.sim.raw(day, f'{day} custom "fund-transfer" "dotation" "{fund}" {part:.2f} EUR '
                              f'"Tirage annuel {day.year} sur les revenus de la dotation"')
            self.sim.give(fund, part)

    def schedule_costs(self, year: int) -> None:
        sim = self.sim
        fee_day = dt.date(year, 12, 30)
        while fee_day.weekday() >= 5:
            fee_day -= dt.timedelta(days=1)
        sim.at(fee_day, self.host_fee, prio=9)
        for month in (1, 4, 7, 10):
            fee_day = business_day(dt.date(year, month, 5))
            if LAUNCH + dt.timedelta(days=60) < fee_day <= END:
                for bank in (CE, BDT):
                    sim.at(fee_day, self.expense, "Caisse d'Épargne Rhône Alpes"
                           if bank == CE else "Banque des Territoires",
                           "Expenses:Admin:FraisBancaires", "general", D("38.40"),
                           "Frais de tenue de compte", bank, prio=3)
        if year >= 2020:
            sim.at(business_day(dt.date(year, 5, 28)), self.expense, "Cabinet Audit Rhône",
                   "Expenses:Admin:CommissaireAuxComptes", "general", D("4800.00"),
                   f"Commissariat aux comptes — exercice {year - 1}", prio=3)
        if year <= 2025 or year == 2026:
            sim.at(business_day(dt.date(year, 11 if year < 2026 else 9, 20)), self.expense,
                   "Ronalpia", "Expenses:Programs:Accompagnement", "general",
                   D("12000.00"), f"Accompagnement des porteurs de projets {year}", prio=3)
        if year in (2019, 2023, 2026):
            sim.at(business_day(dt.date(year, 6, 5)), self.expense, "Le Cent Sept",
                   "Expenses:Programs:Evenements", "general", D("3500.00"),
                   "Rencontres de l'innovation sociale — location et accueil", prio=3)
        if year == 2019:
            sim.at(business_day(dt.date(2019, 9, 10)), self.expense, "Cabinet Territoires & ESS",
                   "Expenses:Programs:Etudes", "immobilier-ess", D("28000.00"),
                   "Étude des besoins immobiliers des acteurs de l'ESS", BDT, prio=3)
        if year in (2022, 2025):
            sim.at(business_day(dt.date(year, 3, 15)), self.expense, "Koreis Évaluation",
                   "Expenses:Programs:Evaluation", "general", D("14400.00"),
                   "Évaluation de l'impact social des projets soutenus", prio=3)

    def place_surplus(self, day: dt.date) -> None:
        """Place what the current account holds above its level at the books' end."""
        surplus = self.sim.bank[CE] - CE_AT_END
        assert surplus > 0, surplus
        self.sim.txn(day, "Caisse d'Épargne Rhône Alpes",
                     "Placement de la trésorerie excédentaire sur un compte à terme", {},
                     [(TREASURY, surplus, {}), (CE, -surplus, {})])

    def host_fee(self, day: dt.date) -> None:
        """The host's yearly fee: its rate times the year's contributions and investment
        income, booked on the last working day of December (FL801 checks it)."""
        amount = eur(self.sim.fee_base.get(day.year, ZERO) * HOST_FEE_RATE / 100)
        self.host_fees[day.year] = amount
        self.sim.use("general", amount, "host fee")
        self.sim.ensure_cash(day, CE, amount)
        rate = f"{HOST_FEE_RATE:f}".replace(".", ",")
        self.sim.txn(day, HOST, f"Frais de gestion de la fondation abritante — exercice "
                                f"{day.year} ({rate} % des ressources de l'année)",
                     {"fund": "general"},
                     [(HOST_FEE_ACCOUNT, amount, {"host-fee": True}), (CE, -amount, {})])

    # -- budgets and forecasts -------------------------------------------------------------

    #: The board's budgets, voted in December for the next year: per theme fund, and for
    #: the unrestricted fund with its admin and programme lines (amounts in euros).
    BUDGETS = {
        2025: (dt.date(2024, 12, 10), {
            "circuits-courts": 60000, "zero-dechet": 50000, "logement-insertion": 80000,
            "immobilier-ess": 120000, "general": 60000, "general Expenses:Admin": 28000,
            "general Expenses:Programs": 30000}),
        2026: (dt.date(2025, 12, 9), {
            "circuits-courts": 50000, "zero-dechet": 60000, "logement-insertion": 100000,
            "immobilier-ess": 200000, "general": 62000, "general Expenses:Admin": 29000,
            "general Expenses:Programs": 33000}),
    }
    #: Income the treasurer expects, recorded at the budget boards (and at the September
    #: 2026 board for 2027): (recorded on, fund, expected on, amount, contributor).
    EXPECTED = [
        (dt.date(2024, 12, 10), "general", dt.date(2025, 2, 5), 40000, "Métropole de Lyon"),
        (dt.date(2024, 12, 10), "circuits-courts", dt.date(2025, 4, 15), 50000,
         "Caisse d'Épargne"),
        (dt.date(2024, 12, 10), "zero-dechet", dt.date(2025, 4, 15), 50000, "Caisse d'Épargne"),
        (dt.date(2024, 12, 10), "zero-dechet", dt.date(2025, 9, 15), 25000,
         "Transports Rhodaniens"),
        (dt.date(2025, 12, 9), "general", dt.date(2026, 2, 5), 40000, "Métropole de Lyon"),
        (dt.date(2025, 12, 9), "circuits-courts", dt.date(2026, 4, 15), 50000,
         "Caisse d'Épargne"),
        (dt.date(2025, 12, 9), "zero-dechet", dt.date(2026, 4, 15), 50000, "Caisse d'Épargne"),
        (dt.date(2026, 9, 22), "general", dt.date(2026, 12, 18), 8000, "Donateurs particuliers"),
        (dt.date(2026, 9, 22), "general", dt.date(2027, 2, 5), 40000, "Métropole de Lyon"),
        (dt.date(2026, 9, 22), "circuits-courts", dt.date(2027, 4, 15), 50000,
         "Caisse d'Épargne"),
        (dt.date(2026, 9, 22), "zero-dechet", dt.date(2027, 4, 15), 50000, "Caisse d'Épargne"),
        (dt.date(2026, 9, 22), "zero-dechet", dt.date(2027, 9, 14), 25000,
         "Transports Rhodaniens"),
    ]

    def schedule_planning(self) -> None:
        for year, (day, lines) in self.BUDGETS.items():
            text = "".join(
                f'{day} custom "budget" "{key.split()[0]}" {year} {D(amount):.2f} EUR'
                + (f' "{key.split()[1]}"' if " " in key else "") + "\n"
                for key, amount in lines.items())
            self.sim.at(day, self.sim.raw, text, prio=8)
        for day, fund, when, amount, contributor in self.EXPECTED:
            self.sim.at(day, self.sim.raw,
                        f'{day} custom "expected-income" "{fund}" {when} {D(amount):.2f} EUR '
                        f'"{contributor}"', prio=8)

    def plan_payments(self, day: dt.date, gid: str, schedule: list[tuple[dt.date, D]]) -> None:
        """The committee's payment calendar of a grant in tranches: every tranche but the
        last is a ``planned-payment``; the last one falls at the award's ``end:`` date."""
        self.sim.raw(day, "".join(f'{day} custom "planned-payment" "{gid}" {when} '
                                  f"{amount:.2f} EUR\n" for when, amount in schedule[:-1]))

    # -- grants -----------------------------------------------------------------------------

    def committee(self, day: dt.date) -> None:
        rng = self.rng
        for fund in THEMES:
            budget = self.sim.available[fund] - D(12000)
            # Keep what the loans to be disbursed later this year will need.
            budget -= sum((D(plan[3]) for plan in self.LOANS_PLAN
                           if plan[2] == fund and day < plan[0] and plan[0].year == day.year),
                          ZERO)
            count = rng.choice([0, 1, 1, 2] if day.year > 2019 else [1])
            for _ in range(count):
                if budget < 5000:
                    break
                amount = self.pick_amount(fund, budget)
                if amount < 5000:
                    break
                budget -= amount
                self.award(day, fund, amount)

    def pick_amount(self, fund: str, budget: D) -> D:
        rng = self.rng
        high = 100000 if fund == "immobilier-ess" else 60000
        amount = min(rng.choice([rng.randint(6, 25), rng.randint(20, 45),
                                 rng.randint(30, high // 1000)]) * 1000, budget * D("0.8"))
        return D(int(amount / 500) * 500)

    def award(self, committee: dt.date, fund: str, amount: D) -> None:
        rng = self.rng
        pool = self.pools[fund]
        name, kind, commune, private = pool.pop(0)
        pool.append((name, kind, commune, private))
        if kind == "person":
            amount = min(amount, D(12000))
        day = business_day(committee + dt.timedelta(days=rng.randint(8, 20)))
        gid = self.next_id(day.year)
        if amount <= 15000:
            tranches = [(rng.randint(15, 35), amount)]
        elif amount <= 60000:
            first = D(int(amount * D("0.6") / 100) * 100)
            tranches = [(rng.randint(15, 35), first), (rng.randint(240, 400), amount - first)]
        else:
            a = D(int(amount * D("0.4") / 100) * 100)
            tranches = [(rng.randint(15, 35), a), (rng.randint(200, 300), a),
                        (rng.randint(300, 420), amount - 2 * a)]
        fate, fate_days, fate_amount = None, 0, ZERO
        roll = rng.random()
        if len(tranches) > 1 and roll < 0.06:
            fate, fate_days = "revoke", rng.randint(120, 300)
        elif len(tranches) > 1 and roll < 0.11:
            fate, fate_days = "clawback", rng.randint(90, 200)
        elif roll > 0.94:
            fate, fate_days = "refund", rng.randint(60, 200)
            fate_amount = D(int(amount * D(rng.randint(8, 25)) / 100 / 10) * 10)
        impacts = {}
        for indicator, per in IMPACT[fund].items():
            value = per * amount / 10000 * D(rng.randint(70, 130)) / 100
            impacts[indicator] = max(D(1), value.quantize(D(1)))
        account, bank, _label = THEMES[fund]
        project = rng.choice(PROJECTS[fund])
        meta = {"comite": f"{committee}", "commune": commune, "projet": project,
                **beneficiary_id(name, kind, "fr")}
        if private:
            meta["private"] = True
        schedule = []
        if day.year >= 2025 and len(tranches) > 1:
            when = day  # the tranche dates GrantLife.award pays them on
            for days, part in tranches:
                when = business_day(when + dt.timedelta(days=days))
                schedule.append((when, part))
            meta["end"] = schedule[-1][0]
        plan = GrantPlan(gid, fund, account, name, kind, amount, bank, meta, tranches, impacts,
                         fate, fate_days, fate_amount)
        self.sim.at(day, self.grants.award, plan, f"Subvention — {project} — comité du {committee}")
        if schedule:
            self.sim.at(day, self.plan_payments, gid, schedule, prio=6)

    # -- loans ------------------------------------------------------------------------------

    LOANS_PLAN = [
        # (date, borrower, fund, amount, term, grace, story)
        (dt.date(2020, 11, 17), "Le Cent Sept", "immobilier-ess", 30000, 48, 6, "ok"),
        (dt.date(2021, 11, 16), "Pôle ESS des Gratte-Ciel", "immobilier-ess", 50000, 60, 12, "ok"),
        (dt.date(2021, 12, 7), "Foyer de jeunes travailleurs de Gerland", "logement-insertion",
         25000, 36, 6, "ok"),
        (dt.date(2022, 11, 22), "Comptoir du Vrac SARL", "immobilier-ess", 40000, 48, 6, "default"),
        (dt.date(2024, 11, 19), "Coopérative Locaux partagés du Rhône", "immobilier-ess",
         60000, 60, 12, "ok"),
        (dt.date(2025, 11, 18), "Tiers-lieu Les Ateliers de Vaulx", "immobilier-ess",
         20000, 36, 3, "late"),
    ]

    def schedule_loans(self) -> None:
        for plan in self.LOANS_PLAN:
            self.sim.at(business_day(plan[0]), self.disburse, *plan[1:], prio=6)

    def disburse(self, day: dt.date, borrower: str, fund: str, amount: int, term: int,
                 grace: int, story: str) -> None:
        sim = self.sim
        self.loan_count += 1
        lid = f"P-{day.year}-{self.loan_count:03d}"
        principal = D(amount)
        sim.use(fund, principal, lid)
        sim.ensure_cash(day, BDT, principal)
        sim.txn(day, borrower, "Prêt à taux zéro — aménagement de locaux",
                {"loan": lid, "fund": fund, "term-months": term, "grace-months": grace,
                 "rate": D(0), "comite": f"{last_committee(day)}"},
                [(LOANS, principal, {}), (BDT, -principal, {})])
        if story != "default":
            impacts = ({"emplois": max(D(1), (principal / 25000).quantize(D(1))),
                        "m2-locaux": (principal / 100).quantize(D(1))}
                       if fund == "immobilier-ess" else
                       {"emplois": D(1), "personnes-insertion": (principal / 3000).quantize(D(1))})
            sim.at(business_day(day + dt.timedelta(days=365)), self.grants._impact, lid, impacts,
                   prio=9)
        # SPEC 3.4: term-months counts the whole life, grace included; instalment k falls
        # due grace + k months after disbursement. The borrower pays on the 5th of that
        # month, and instalments are rounded so that what is paid after k of them is the
        # schedule's own rounded figure.
        count = term - grace
        for k in range(1, count + 1):
            y, m = divmod(day.month - 1 + grace + k, 12)
            due = business_day(dt.date(day.year + y, m + 1, 5))
            if due > END:
                break
            if story == "default" and k > 9:
                written = principal - eur(principal * (k - 1) / count)
                sim.at(business_day(due + dt.timedelta(days=200)), self.write_off, lid,
                       borrower, fund, written, prio=6)
                break
            if story == "late" and due >= dt.date(2026, 7, 1):
                break
            part = eur(principal * k / count) - eur(principal * (k - 1) / count)
            sim.at(due, self.repay, lid, borrower, fund, part, k, count, prio=4)

    def repay(self, day: dt.date, lid: str, borrower: str, fund: str, amount: D, number: int,
              term: int) -> None:
        self.sim.txn(day, borrower, f"Remboursement du prêt — échéance {number}/{term}",
                     {"loan": lid, "fund": fund},
                     [(BDT, amount, {}), (LOANS, -amount, {})])
        self.sim.give(fund, amount)

    def write_off(self, day: dt.date, lid: str, borrower: str, fund: str, amount: D) -> None:
        self.sim.txn(day, borrower, "Abandon de créance — liquidation judiciaire de l'emprunteur",
                     {"loan": lid, "fund": fund},
                     [("Expenses:LoanLosses:PretsSansInteret", amount, {}), (LOANS, -amount, {})])


def write(root: Path) -> Lyon:
    book = Lyon()
    book.build()
    out = root / "lyon"
    out.mkdir(parents=True, exist_ok=True)
    years = book.sim.write(out, lambda year: (
        f"; Fondation pour l'innovation sociale de la Métropole de Lyon — exercice {year}\n"
        "; Généré par ledger/tools/generate.py : ne pas modifier à la main.\n\n"))
    header = (Path(__file__).parent / "lyon-main.beancount.tmpl").read_text(encoding="utf-8")
    main = header + "".join(f'include "{year}.beancount"\n' for year in years)
    (out / "main.beancount").write_text(main, encoding="utf-8")
    queries = out / "queries.beancount"
    if not queries.exists():
        queries.write_text("; Requêtes enregistrées (query) de la fondation.\n"
                           "; Ce fichier appartient à l'extension Fava, qui le remplit.\n",
                           encoding="utf-8")
    close_years(out)  # LAST: the digests seal the books as every step above wrote them
    return book


#: Years whose accounts the board has approved, and the one reopened once.
CLOSED_YEARS = range(2019, 2026)
REOPENED = 2023


def approval_day(year: int) -> dt.date:
    """The board approves a year's accounts on the fourth Tuesday of the next March."""
    first = dt.date(year + 1, 3, 1)
    return first + dt.timedelta(days=(1 - first.weekday()) % 7 + 21)


def close_years(out: Path) -> None:
    """Append to main.beancount the ``period-close`` of each approved year, as
    ``fundledger close`` writes them, with digests computed by fundledger's engine.

    The digests cover every entry of the closed years: this step must run after every
    other step that writes the books, so that a regeneration stays consistent.
    """
    import os

    from fundledger.engine.closing import closing_of
    from fundledger.ledger import load

    main = out / "main.beancount"
    saved = os.environ.get("BEANCOUNT_DISABLE_LOAD_CACHE")
    os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"  # no cache file in the books' folder
    try:
        loaded = load(main)
    finally:
        if saved is None:
            del os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"]
        else:
            os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = saved
    periods = closing_of(loaded.analysis(trace=False))
    text = ["\n; --- Clôtures des exercices ------------------------------------------------------"
            "------\n; Chaque exercice est clos (fundledger close) une fois ses comptes approuvés "
            "par le conseil :\n; toute modification ultérieure d'une écriture de l'exercice est "
            "signalée (FL701).\n"]
    for year in CLOSED_YEARS:
        digest = periods.digest(dt.date(year, 12, 31))
        day = approval_day(year)
        text.append(digest.directive(
            day, f"Comptes {year} approuvés par le conseil d'administration du {day}"))
        if year == REOPENED:
            reopen, again = day + dt.timedelta(days=44), day + dt.timedelta(days=56)
            text.append(
                f'{reopen} custom "period-reopen" {year}-12-31 "Reclassement d\'une '
                'subvention demandé par le commissaire aux comptes"\n')
            text.append(digest.directive(
                again, f"Comptes {year} approuvés à nouveau par le conseil du {again}, "
                "après la revue du commissaire aux comptes"))
    with main.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(text))

