"""The host's demo books: the Fondation pour l'Université de Lyon shelters three foundations.

* the Lyon social-innovation foundation (``ledger/lyon/``, written by ``lyon.py``), whose
  yearly fee this book receives, the very amount the Lyon book pays;
* two FICTIONAL foundations, with small books of their own in ``ledger/host/``: the
  « Fondation Sciences et Société (fictive) » and the « Fondation Campus durable
  (fictive) ».  They exist to show a host with several foundations; neither is real.

Each sheltered foundation pays its fee on the last working day of December: the host's
rate times its contributions and investment income of the year (transfers between
entities excluded); the host books the same amount as income with ``host-fee:`` naming
the foundation.  In 2024 the host gives the campus foundation 10 000 € from its own
scholarship fund, a transfer between entities (``entity-transfer:`` on both sides).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from booksim import END, ZERO, eur, fmt, meta_value

D = Decimal
HOST_NAME = "Fondation pour l'Université de Lyon"
BANK = "Assets:Bank:CaisseEpargne"


def december_fee_day(year: int) -> dt.date:
    """The last working day of December before the 31st (the Lyon book's fee day)."""
    day = dt.date(year, 12, 30)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


class Journal:
    """Entries of one book, written in date order, with the fee base counted by year."""

    def __init__(self, since: dt.date = dt.date.min) -> None:
        self.entries: list[tuple[dt.date, int, str]] = []
        #: From the day the host's fee applies (its ``host-fee`` directive's date).
        self.since = since
        self.fee_base: dict[int, Decimal] = {}

    def txn(self, day: dt.date, payee: str, narration: str, meta: dict[str, object],
            postings: list[tuple[str, Decimal, dict[str, object]]]) -> None:
        assert sum((amount for _a, amount, _m in postings), ZERO) == 0, narration
        lines = [f'{day} * {meta_value(payee)} {meta_value(narration)}']
        lines += [f"  {key}: {meta_value(value)}" for key, value in meta.items()]
        for account, amount, pmeta in postings:
            lines.append(f"  {account:<46}{fmt(amount):>14} EUR")
            lines += [f"    {key}: {meta_value(value)}" for key, value in pmeta.items()]
            if account.startswith(("Income:Contributions:", "Income:Investment:")) and \
                    "entity-transfer" not in meta and day >= self.since:
                self.fee_base[day.year] = self.fee_base.get(day.year, ZERO) - amount
        self.entries.append((day, len(self.entries), "\n".join(lines) + "\n"))

    def text(self) -> str:
        return "\n".join(text for _d, _n, text in sorted(self.entries))


#: The fictional foundations: name, folder, label, sheltered since, fee rate, header.
FICTIONAL = [
    ("sciences", "sciences-societe", "Fondation Sciences et Société (fictive)",
     dt.date(2021, 1, 15), D("5")),
    ("campus", "campus-durable", "Fondation Campus durable (fictive)",
     dt.date(2022, 9, 1), D("4")),
]

FOUNDATION_HEADER = """\
; {label}
; FONDATION FICTIVE : livres de démonstration de fundledger, abritée par la Fondation pour
; l'Université de Lyon (ledger/host/main.beancount). Ni cette fondation ni ses mécènes
; n'existent.
; Généré par ledger/tools/generate.py : ne pas modifier à la main.

option "title" "{label}"
option "operating_currency" "EUR"

plugin "fundledger.plugins.funds"

{start} custom "fava-extension" "fundledger.fava"
{start} custom "fava-option" "language" "fr"
{start} custom "fundledger-option" "language" "fr"

{start} open Assets:Bank:CaisseEpargne                      EUR
{start} open Assets:Endowment:Placements                    EUR
{start} open Income:Contributions:Mecenes                   EUR
{start} open Income:Contributions:Particuliers              EUR
{start} open Income:Contributions:FondationAbritante        EUR
{start} open Income:Investment:Interets                     EUR
{start} open Expenses:Grants:Projets                        EUR
{start} open Expenses:Admin:FraisFondationAbritante         EUR

{start} custom "fund" "dotation" "endowment" "Dotation (fictive)"
  consumable: FALSE
{start} custom "fund" "general" "unrestricted" "Fonds libres"
{start} custom "fund" "projets" "restricted" "{theme}"

"""

THEMES = {
    "sciences": "Culture scientifique dans les quartiers (fictif)",
    "campus": "Campus sobre en énergie (fictif)",
}
#: Fictional patrons of each fictional foundation.
PATRONS = {
    "sciences": "Laboratoires Fourvière SA (fictif)",
    "campus": "Énergies du Rhône SAS (fictif)",
}


def fictional_book(name: str, label: str, start: dt.date, rate: Decimal,
                   host_fees: dict[int, Decimal], host_gift: tuple[dt.date, Decimal] | None
                   ) -> str:
    """A small foundation: an endowment, yearly patronage, interest, grants, its fee."""
    book = Journal(since=start)
    # The endowment came before the foundation was sheltered: no fee is due on it.
    book.txn(start - dt.timedelta(days=5), PATRONS[name], "Dotation initiale (fictive)",
             {"fund": "dotation"},
             [(BANK, D(200000), {}), ("Income:Contributions:Mecenes", D(-200000), {})])
    book.txn(start + dt.timedelta(days=10), "Banque (fictive)", "Placement de la dotation",
             {}, [("Assets:Endowment:Placements", D(200000), {}), (BANK, D(-200000), {})])
    grant = 0
    for year in range(start.year, END.year + 1):
        patronage = D(30000) + D(5000) * (year - start.year)
        day = dt.date(year, 3, 20)
        if start < day <= END:
            book.txn(day, PATRONS[name], f"Mécénat {year} (fictif)",
                     {"fund": "projets", "contributor-kind": "company"},
                     [(BANK, patronage, {}), ("Income:Contributions:Mecenes", -patronage, {})])
        day = dt.date(year, 6, 16)
        if start < day <= END:
            gifts = D(1500) + D(250) * (year - start.year)
            book.txn(day, "Donateurs particuliers", f"Dons en ligne {year} (fictifs)",
                     {"fund": "general"},
                     [(BANK, gifts, {}), ("Income:Contributions:Particuliers", -gifts, {})])
        day = dt.date(year, 7, 3)
        if start < day <= END:
            interest = D("2400.00")
            book.txn(day, "Banque (fictive)", "Intérêts de la dotation", {"fund": "general"},
                     [(BANK, interest, {}), ("Income:Investment:Interets", -interest, {})])
        day = dt.date(year, 10, 14)
        if start < dt.date(year, 3, 20) and day <= END:  # a year with its patronage
            grant += 1
            amount = D(20000) + D(2500) * (year - start.year)
            gid = f"{name.upper()[:3]}-{year}-{grant:02d}"
            book.txn(day, "Association partenaire (fictive)", f"Subvention de projet {year}",
                     {"fund": "projets", "grant": gid, "grantee-kind": "association"},
                     [("Expenses:Grants:Projets", amount, {}), (BANK, -amount, {})])
        if host_gift is not None and host_gift[0].year == year:
            book.txn(host_gift[0], HOST_NAME, "Abondement de la fondation abritante",
                     {"fund": "projets", "entity-transfer": "ful"},
                     [(BANK, host_gift[1], {}),
                      ("Income:Contributions:FondationAbritante", -host_gift[1], {})])
        day = december_fee_day(year)
        fee = eur(book.fee_base.get(year, ZERO) * rate / 100)
        if start < day <= END and fee:
            host_fees[year] = fee
            book.txn(day, HOST_NAME, f"Frais de gestion de la fondation abritante — "
                                     f"exercice {year}", {"fund": "general"},
                     [("Expenses:Admin:FraisFondationAbritante", fee, {"host-fee": True}),
                      (BANK, -fee, {})])
    header = FOUNDATION_HEADER.format(label=label, start=dt.date(start.year, 1, 1),
                                      theme=THEMES[name])
    return header + book.text()


#: The host's main file before its entries (``{lyon_rate}`` and ``{fictional}`` filled in).
HOST_HEADER = (Path(__file__).parent / "host-main.beancount.tmpl").read_text(encoding="utf-8")


def host_book(fees: dict[str, dict[int, Decimal]], lyon_rate: Decimal,
              host_gift: tuple[str, dt.date, Decimal]) -> str:
    book = Journal()
    for year in range(2019, END.year + 1):
        book.txn(dt.date(year, 1, 15), "Université de Lyon",
                 f"Subvention de fonctionnement {year}", {"fund": "general",
                                                           "contributor-kind": "public"},
                 [(BANK, D(20000), {}), ("Income:Contributions:Universite", D(-20000), {})])
        patronage = D(60000) + D(4000) * (year - 2019)
        book.txn(dt.date(year, 2, 12), "Mécènes de la fondation",
                 f"Mécénat annuel {year} — bourses étudiantes", {"fund": "bourses"},
                 [(BANK, patronage, {}), ("Income:Contributions:Mecenes", -patronage, {})])
        day = dt.date(year, 9, 23)
        if day <= END:
            scholarships = D(45000) + D(3000) * (year - 2019)
            book.txn(day, "Étudiants lauréats", f"Bourses de la rentrée {year}",
                     {"fund": "bourses", "private": True},
                     [("Expenses:Programs:Bourses", scholarships, {}),
                      (BANK, -scholarships, {})])
        day = dt.date(year, 11, 5)
        if day <= END:
            book.txn(day, "Université de Lyon", f"Frais de fonctionnement {year}",
                     {"fund": "general"},
                     [("Expenses:Admin:Fonctionnement", D(15000), {}), (BANK, D(-15000), {})])
    for name, by_year in fees.items():
        for year, fee in sorted(by_year.items()):
            label = "Fondation pour l'innovation sociale — Métropole de Lyon" \
                if name == "lyon" else dict((n, lab) for n, _f, lab, _s, _r in FICTIONAL)[name]
            book.txn(december_fee_day(year), label,
                     f"Frais de gestion de la fondation abritée — exercice {year}",
                     {"fund": "general", "host-fee": name},
                     [(BANK, fee, {}), ("Income:FraisDeGestion:FondationsAbritees", -fee, {})])
    target, day, amount = host_gift
    book.txn(day, "Fondation Campus durable (fictive)",
             "Abondement de la fondation abritée — bourses « campus sobre »",
             {"fund": "bourses", "entity-transfer": target, "grant": f"FUL-{day.year}-01",
              "grantee-kind": "association"},
             [("Expenses:Grants:FondationsAbritees", amount, {}), (BANK, -amount, {})])
    fictional = "\n".join(
        f'{since} custom "sheltered" "{name}" "{folder}/main.beancount" "{label}"\n'
        f'{since} custom "host-fee" "{name}" {rate}'
        for name, folder, label, since, rate in FICTIONAL)
    return HOST_HEADER.format(lyon_rate=lyon_rate, fictional=fictional) + book.text()


def write(root: Path, lyon_fees: dict[int, Decimal], lyon_rate: Decimal) -> None:
    """Write ledger/host/: the host's main file and the fictional foundations' books."""
    out = root / "host"
    out.mkdir(parents=True, exist_ok=True)
    gift = ("campus", dt.date(2024, 4, 9), D(10000))
    fees: dict[str, dict[int, Decimal]] = {"lyon": dict(lyon_fees)}
    for name, folder, label, since, rate in FICTIONAL:
        fees[name] = {}
        given = (gift[1], gift[2]) if name == gift[0] else None
        text = fictional_book(name, label, since, rate, fees[name], given)
        (out / folder).mkdir(exist_ok=True)
        (out / folder / "main.beancount").write_text(text, encoding="utf-8")
    (out / "main.beancount").write_text(host_book(fees, lyon_rate, gift), encoding="utf-8")
