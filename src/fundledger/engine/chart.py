"""The French chart of accounts (PCG, ANC regulation 2018-06) behind a ledger's accounts.

Why in the engine: the annual accounts, the fonds dédiés table and the audit file (FEC) must
put every posting on the same line of the same statement; deciding it once, here, keeps
them in agreement.  An account's number is the ``pcg:`` metadata of its ``open`` directive
when it has one, else the default of its class below (see ``docs/annual.md``).  Classes are
found from the ledger's root names (:class:`~fundledger.engine.accounts.Roots`), never from
literal ``Income:``... prefixes, so books with renamed roots map the same way.

Two postings of one account may still land on different numbers, because the regulation
sorts some of them by what the money is rather than where it is booked:

* a contribution's number follows its *origin* (public subsidy 74, contribution of another
  body 755, public generosity 754), unless the account names its own number;
* a contribution to an endowment fund is not income of the year but the foundation's
  corpus (*fonds propres sans droit de reprise*, 102), whatever its account's number
  (unless that number is itself of class 1).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, NamedTuple

from beancount.core import data

from fundledger.engine.accounts import Classifier, Kind, Roots

#: The origins of a contribution (the rows of the fonds dédiés table), in the table's order.
ORIGINS = ("subvention", "contribution", "generosite")
#: A contributor's kind gives the origin of its contributions when none is written.
ORIGIN_OF_KIND = {"public": "subvention", "association": "contribution",
                  "company": "contribution", "person": "generosite"}
DEFAULT_ORIGIN = "contribution"

#: Destinations of a charge (CROD, CER), as ``destination:`` metadata names them.
DESTINATIONS = ("mission", "fundraising", "operating")
#: Charges that are missions by default: grants, loan losses, programmes' services.
MISSION_NUMBERS = ("657", "654", "604")

#: Numbers fundledger uses by default, with their PCG labels (French, as in the chart).
LABELS = {
    "102": "Fonds propres sans droit de reprise",
    "1063": "Réserves statutaires ou contractuelles",
    "1068": "Autres réserves",
    "110": "Report à nouveau",
    "120": "Résultat de l'exercice (excédent)",
    "129": "Résultat de l'exercice (déficit)",
    "194": "Fonds dédiés sur subventions d'exploitation",
    "195": "Fonds dédiés sur ressources liées à la générosité du public",
    "197": "Fonds dédiés sur contributions financières d'autres organismes",
    "271": "Titres immobilisés",
    "272": "Titres immobilisés (droit de créance)",
    "274": "Prêts",
    "4686": "Charges à payer (aides financières à verser)",
    "4687": "Produits à recevoir (promesses de contributions)",
    "467": "Autres comptes débiteurs ou créditeurs",
    "471": "Comptes d'attente",
    "512": "Banques",
    "604": "Achats d'études et prestations de services",
    "622": "Rémunérations d'intermédiaires et honoraires",
    "6226": "Honoraires",
    "627": "Services bancaires et assimilés",
    "628": "Charges externes diverses",
    "654": "Pertes sur créances irrécouvrables",
    "657": "Aides financières",
    "6894": "Reports en fonds dédiés sur subventions d'exploitation",
    "6895": "Reports en fonds dédiés sur ressources liées à la générosité du public",
    "6897": "Reports en fonds dédiés sur contributions financières d'autres organismes",
    "740": "Subventions d'exploitation",
    "754": "Ressources liées à la générosité du public",
    "755": "Contributions financières",
    "758": "Produits divers de gestion courante",
    "762": "Produits des autres immobilisations financières",
    "7621": "Revenus des titres immobilisés",
    "7627": "Revenus des prêts",
    "768": "Autres produits financiers",
    "7894": "Utilisations des fonds dédiés sur subventions d'exploitation",
    "7895": "Utilisations des fonds dédiés sur ressources liées à la générosité du public",
    "7897": "Utilisations des fonds dédiés sur contributions financières d'autres organismes",
}

#: Origin → (number of its contributions, of its fonds dédiés, of their reports, of
#: their utilisations).
BY_ORIGIN = {
    "subvention": ("740", "194", "6894", "7894"),
    "contribution": ("755", "197", "6897", "7897"),
    "generosite": ("754", "195", "6895", "7895"),
}
CORPUS = "102"
RESERVES = "1068"
RESULT_SURPLUS, RESULT_DEFICIT = "120", "129"

#: Default numbers by account kind (the engine's classes of SPEC's chart).
_BY_KIND = {
    Kind.INCOME: "762",          # Income:Investment and other income: see _default
    Kind.INTEREST: "7627",
    Kind.EXPENSE: "628",         # Expenses:Programs / Admin: see _default
    Kind.GRANT_EXPENSE: "657",
    Kind.LOAN_LOSS: "654",
    Kind.LOAN: "274",
    Kind.PLEDGE: "4687",
    Kind.PAYABLE: "4686",
}


def pcg_number(value: Any) -> str | None:
    """A ``pcg:`` value as a chart number: a string of digits, or a whole number (Beancount
    reads ``pcg: 6571`` as a decimal); None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        if value != value.to_integral_value():
            return None
        value = int(value)
    text = str(value).strip()
    return text if text.isdigit() else None


def origin_of(txn: data.Transaction, posting: data.Posting | None = None) -> str:
    """A contribution's origin: ``origin:`` (posting, then transaction), else what its
    ``contributor-kind`` implies, else ``contribution``."""
    meta = (posting.meta or {}) if posting is not None else {}
    origin = meta.get("origin", txn.meta.get("origin"))
    if isinstance(origin, str) and origin in BY_ORIGIN:
        return origin
    kind = meta.get("contributor-kind", txn.meta.get("contributor-kind"))
    return ORIGIN_OF_KIND.get(kind, DEFAULT_ORIGIN) if isinstance(kind, str) else DEFAULT_ORIGIN


class Chart:
    """Each account's PCG number: its ``pcg:`` metadata, else its class default."""

    def __init__(self, roots: Roots, explicit: Mapping[str, str] | None = None,
                 descriptions: Mapping[str, str] | None = None,
                 destinations: Mapping[str, str] | None = None) -> None:
        self.roots = roots
        self.classify = Classifier(roots)
        self.explicit = dict(explicit or {})
        self.descriptions = dict(descriptions or {})
        #: ``destination:`` on an account's ``open`` (charges: mission, fundraising...).
        self.destinations = dict(destinations or {})
        self._known: dict[str, str] = {}

    @classmethod
    def of(cls, entries: Iterable[data.Directive], options: Mapping[str, Any] | None) -> Chart:
        """The chart of a ledger: ``pcg:`` (a string or a number) on its ``open``s."""
        explicit, descriptions, destinations = {}, {}, {}
        for entry in entries:
            if isinstance(entry, data.Open):
                number = pcg_number(entry.meta.get("pcg"))
                if number:
                    explicit[entry.account] = number
                text = entry.meta.get("description")
                if isinstance(text, str):
                    descriptions[entry.account] = text
                destination = entry.meta.get("destination")
                if isinstance(destination, str) and destination in DESTINATIONS:
                    destinations[entry.account] = destination
        return cls(Roots.of(options), explicit, descriptions, destinations)

    def account_number(self, account: str) -> str:
        """The number of ``account`` itself (its ``pcg:`` or its class default)."""
        number = self._known.get(account)
        if number is None:
            number = self._known[account] = self.explicit.get(account) or self._default(account)
        return number

    def number(self, account: str, *, origin: str | None = None,
               endowment: bool = False) -> str:
        """The number a posting on ``account`` goes to.

        ``origin``: the contribution's origin (contributions only); ``endowment``: the
        posting is a contribution to an endowment fund (its corpus).
        """
        kind = self.classify(account)
        if kind == Kind.CONTRIBUTION:
            own = self.explicit.get(account)
            if endowment:
                return own if own and own.startswith("1") else CORPUS
            if own:
                return own
            return BY_ORIGIN[origin or DEFAULT_ORIGIN][0]
        return self.account_number(account)

    def destination(self, txn: data.Transaction, posting: data.Posting) -> str:
        """A charge's destination (CROD, CER): ``destination:`` on the posting, the
        transaction or the account's ``open``, else missions for grants, loan losses and
        programmes (657, 654, 604 by default) and operating costs for every other charge."""
        for meta in (posting.meta or {}, txn.meta):
            value = meta.get("destination")
            if isinstance(value, str) and value in DESTINATIONS:
                return value
        account = posting.account
        own = self.destinations.get(account)
        if own:
            return own
        if self.classify(account) in (Kind.GRANT_EXPENSE, Kind.LOAN_LOSS):
            return "mission"
        return "mission" if self.account_number(account)[:3] in MISSION_NUMBERS else "operating"

    def is_balance_sheet(self, account: str) -> bool:
        """Assets, liabilities and equity (the accounts the opening entries carry)."""
        root = account.split(":", 1)[0]
        r = self.roots
        return root in (r.assets, r.liabilities, r.equity)

    def _default(self, account: str) -> str:
        r, kind = self.roots, self.classify(account)
        if kind == Kind.SUSPENSE:
            return "471"
        if kind == Kind.ENDOWMENT:
            return "271"
        if kind >= Kind.OTHER:
            root = account.split(":", 1)[0]
            if self.classify.is_bank(account):
                return "512"
            if self.classify.is_endowment(account):
                return "271"
            if _under(account, r.suspense()):
                return "471"
            if root == r.equity:
                return "110"
            return "467"
        if kind == Kind.EXPENSE:
            if _under(account, f"{r.expenses}:Programs"):
                return "604"
            if _under(account, f"{r.expenses}:Admin"):
                return "622"
            return "628"
        if kind == Kind.INCOME:
            return "762" if _under(account, f"{r.income}:Investment") else "758"
        if kind == Kind.CONTRIBUTION:
            return BY_ORIGIN[DEFAULT_ORIGIN][0]
        return _BY_KIND[kind]

    def label(self, number: str) -> str:
        """The PCG label of a number fundledger knows, else of its longest known prefix."""
        for end in range(len(number), 0, -1):
            text = LABELS.get(number[:end])
            if text:
                return text
        return number


class FecAccount(NamedTuple):
    number: str
    label: str


def fec_accounts(pairs: Iterable[tuple[str, str]], chart: Chart) -> dict[tuple[str, str],
                                                                        FecAccount]:
    """Distinct numbers for (ledger account, PCG number) pairs, for the audit file.

    Several ledger accounts on one number (two banks on 512) become sub-accounts of it
    (51201, 51202, in the accounts' order), so each ``CompteNum`` keeps one ``CompteLib``.
    """
    by_number: dict[str, list[str]] = {}
    for account, number in sorted(set(pairs)):
        by_number.setdefault(number, []).append(account)
    result = {}
    for number, accounts in by_number.items():
        base = number.ljust(3, "0")  # a class (74) as its first account (740)
        for index, account in enumerate(accounts, 1):
            own = base if len(accounts) == 1 else f"{base}{index:02d}"
            text = chart.descriptions.get(account, "")
            label = f"{account} — {text}" if text else account
            result[(account, number)] = FecAccount(own, label)
    return result


def _under(account: str, parent: str) -> bool:
    return account == parent or account.startswith(parent + ":")
