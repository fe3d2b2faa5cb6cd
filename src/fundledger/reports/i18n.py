"""Translations and locale formatting for every human-facing output (fr, it, en).

Why one module: the board report, the dedicated-funds table, the contributor statement
and the public transparency site must all say the same thing the same way in each
language, and format money, numbers, percentages and dates by the reader's locale
(Babel/CLDR) rather than by ad-hoc string tricks.

Usage::

    from fundledger.reports.i18n import t, format_money, format_date
    t("headline.received", "fr")              # 'Ressources reçues'
    t("report.period", "it", start=..., end=...)  # placeholders via str.format
    format_money(Decimal("1000000"), "fr")    # '1 000 000,00 €' (narrow no-break spaces)
    format_date(date(2025, 9, 30), "it")      # '30 settembre 2025'

Rules:

* Every key exists in every language (a test checks it); :func:`t` raises ``KeyError``
  on an unknown key so a missing label is a bug, never silent English in a French report.
* Labels may hold ``{name}`` placeholders, filled from ``t``'s keyword arguments.
* Formatting functions take the short language code (``fr``, ``it``, ``en``); the locale
  behind each is in :data:`LOCALES`.
"""

from __future__ import annotations

import datetime
import decimal
from decimal import Decimal

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import format_currency, format_decimal, parse_pattern

#: Languages fundledger speaks, with the CLDR locale used for formatting.
LOCALES: dict[str, str] = {"fr": "fr_FR", "it": "it_IT", "en": "en_GB"}
LANGUAGES: tuple[str, ...] = tuple(LOCALES)
DEFAULT_LANGUAGE = "en"

#: key -> (fr, it, en).  Keep keys grouped by the output that uses them.
_TABLE: dict[str, tuple[str, str, str]] = {
    # -- generic ------------------------------------------------------------------------
    "lang.name": ("Français", "Italiano", "English"),
    "total": ("Total", "Totale", "Total"),
    "fund": ("Fonds", "Fondo", "Fund"),
    "funds": ("Fonds", "Fondi", "Funds"),
    "kind": ("Nature", "Tipo", "Kind"),
    "date": ("Date", "Data", "Date"),
    "amount": ("Montant", "Importo", "Amount"),
    "id": ("Référence", "Riferimento", "Reference"),
    "grantee": ("Bénéficiaire", "Beneficiario", "Grantee"),
    "borrower": ("Emprunteur", "Mutuatario", "Borrower"),
    "description": ("Objet", "Oggetto", "Description"),
    "page": ("Page {page} sur {pages}", "Pagina {page} di {pages}", "Page {page} of {pages}"),
    "generated": ("Établi le {date} par fundledger", "Redatto il {date} con fundledger",
                  "Prepared on {date} with fundledger"),
    "none": ("Aucun", "Nessuno", "None"),
    "nothing_in_period": ("Rien sur la période.", "Nulla nel periodo.",
                          "Nothing in this period."),
    "private": ("confidentiel", "riservato", "private"),
    "private.note": ("Les bénéficiaires marqués « confidentiel » ne doivent pas figurer dans "
                     "une publication.",
                     "I beneficiari indicati come «riservato» non devono comparire in alcuna "
                     "pubblicazione.",
                     "Grantees marked “private” must not appear in any public document."),
    "private_beneficiary": ("bénéficiaire confidentiel", "beneficiario riservato",
                            "private beneficiary"),
    "per_unit": ("€ par unité", "€ per unità", "€ per unit"),
    "not_applicable": ("—", "—", "—"),
    "colon": ("\u202f:", ":", ":"),
    "amounts_in": ("Montants des tableaux en euros", "Importi delle tabelle in euro",
                   "Table amounts in euros"),
    # -- fund kinds and grantee kinds ------------------------------------------------------
    "fund_kind.endowment": ("Dotation", "Dotazione", "Endowment"),
    "fund_kind.restricted": ("Dédié", "Vincolato", "Restricted"),
    "fund_kind.unrestricted": ("Libre", "Libero", "Unrestricted"),
    "grantee_kind.association": ("Association", "Associazione", "Association"),
    "grantee_kind.company": ("Entreprise", "Impresa", "Company"),
    "grantee_kind.public": ("Organisme public", "Ente pubblico", "Public body"),
    "grantee_kind.person": ("Personne physique", "Persona fisica", "Individual"),
    # -- fund figures (SPEC 3.2) --------------------------------------------------------------
    "figures.opening": ("Solde d'ouverture", "Saldo iniziale", "Opening balance"),
    "figures.received": ("Ressources reçues", "Risorse ricevute", "Received"),
    "figures.spent": ("Emplois", "Impieghi", "Spent"),
    "figures.transfers_in": ("Transferts reçus", "Trasferimenti in entrata", "Transfers in"),
    "figures.transfers_out": ("Transferts émis", "Trasferimenti in uscita", "Transfers out"),
    "figures.balance": ("Solde", "Saldo", "Balance"),
    "figures.closing": ("Solde de clôture", "Saldo finale", "Closing balance"),
    "figures.loans_outstanding": ("Prêts en cours", "Prestiti in essere", "Loans outstanding"),
    "figures.pledges_outstanding": ("Promesses à recevoir", "Impegni da incassare",
                                    "Pledges outstanding"),
    "figures.available": ("Disponible", "Disponibile", "Available"),
    # -- quarterly board report (SPEC 6.1) ----------------------------------------------------
    "quarterly.title": ("Rapport trimestriel d'allocation", "Relazione trimestrale di allocazione",
                        "Quarterly allocation report"),
    "quarterly.period": ("Période du {start} au {end}", "Periodo dal {start} al {end}",
                         "Period from {start} to {end}"),
    "quarterly.audience": ("Document interne destiné au conseil d'administration",
                           "Documento interno per il consiglio di amministrazione",
                           "Internal document for the board"),
    "section.headline": ("Chiffres clés", "Dati principali", "Key figures"),
    "section.funds": ("Situation des fonds", "Situazione dei fondi", "Funds"),
    "section.funds.note": ("Mouvements du trimestre ; soldes à la fin du trimestre.",
                           "Movimenti del trimestre; saldi a fine trimestre.",
                           "Movements of the quarter; balances at the quarter's end."),
    "section.grants_awarded": ("Subventions accordées dans le trimestre",
                               "Contributi concessi nel trimestre",
                               "Grants awarded in the quarter"),
    "section.grants_paid": ("Subventions versées dans le trimestre",
                            "Contributi erogati nel trimestre", "Grants paid in the quarter"),
    "section.pipeline": ("Engagements de subventions", "Impegni per contributi",
                         "Grant pipeline"),
    "section.loans": ("Portefeuille de prêts", "Portafoglio prestiti", "Loan portfolio"),
    "section.endowment": ("Dotation", "Dotazione patrimoniale", "Endowment"),
    "section.impact": ("Impact", "Impatto", "Impact"),
    "section.errors": ("Erreurs dans la comptabilité", "Errori nella contabilità",
                       "Errors in the ledger"),
    "section.warnings": ("Points d'attention", "Avvertenze", "Warnings"),
    "headline.quarter": ("Trimestre", "Trimestre", "Quarter"),
    "headline.note": ("En grand : les flux du trimestre et les soldes à sa fin ; en dessous : "
                      "les flux depuis le 1er janvier et les soldes au 31 décembre précédent.",
                      "In grande: i flussi del trimestre e i saldi alla sua fine; sotto: i "
                      "flussi dall'inizio dell'anno e i saldi al 31 dicembre precedente.",
                      "Large: the quarter's flows and balances at its end; below: flows "
                      "since 1 January and balances at the previous 31 December."),
    "headline.ytd": ("Depuis le 1er janvier", "Dall'inizio dell'anno", "Year to date"),
    "headline.received": ("Ressources reçues", "Risorse ricevute", "Resources received"),
    "headline.granted": ("Subventions accordées", "Contributi concessi", "Grants awarded"),
    "headline.lent": ("Prêts décaissés", "Prestiti erogati", "Loans disbursed"),
    "headline.repaid": ("Prêts remboursés", "Prestiti rimborsati", "Loans repaid"),
    "headline.available": ("Disponible à la fin de la période", "Disponibile a fine periodo",
                           "Available at the period's end"),
    "headline.endowment": ("Valeur de la dotation", "Valore della dotazione",
                           "Endowment value"),
    "grant.awarded_on": ("Accordée le", "Concesso il", "Awarded on"),
    "grant.paid_on": ("Versée le", "Erogato il", "Paid on"),
    "grant.committed": ("Engagé", "Impegnato", "Committed"),
    "grant.paid": ("Versé", "Erogato", "Paid"),
    "grant.remaining": ("Reste à verser", "Da erogare", "Remaining"),
    "grant.returned": ("Annulé ou remboursé", "Revocato o restituito", "Revoked or refunded"),
    "grant.subtotal": ("Sous-total {fund}", "Subtotale {fund}", "Subtotal {fund}"),
    "loan.disbursed_on": ("Décaissé le", "Erogato il", "Disbursed on"),
    "loan.lent": ("Prêté", "Erogato", "Lent"),
    "loan.repaid": ("Remboursé", "Rimborsato", "Repaid"),
    "loan.written_off": ("Passé en perte", "Svalutato", "Written off"),
    "loan.outstanding": ("Encours", "In essere", "Outstanding"),
    "loan.arrears": ("Impayés", "Arretrati", "In arrears"),
    "loan.term": ("Durée (mois)", "Durata (mesi)", "Term (months)"),
    "loan.months": ("mois", "mesi", "months"),
    "endowment.market_value": ("Valeur de marché des placements",
                               "Valore di mercato degli investimenti",
                               "Market value of investments"),
    "endowment.book_value": ("Valeur comptable (coût)", "Valore contabile (costo)",
                             "Book value (cost)"),
    "endowment.fund_balance": ("Solde du fonds de dotation", "Saldo del fondo di dotazione",
                               "Endowment fund balance"),
    "endowment.corpus": ("Capital à préserver", "Capitale da preservare", "Corpus to preserve"),
    "endowment.draws_quarter": ("Tirages du trimestre", "Prelievi del trimestre",
                                "Draws in the quarter"),
    "endowment.draws_year": ("Tirages depuis le 1er janvier", "Prelievi dall'inizio dell'anno",
                             "Draws year to date"),
    "endowment.rule": ("Règle de dépense : {rate} de la moyenne des {quarters} derniers "
                       "soldes trimestriels",
                       "Regola di spesa: {rate} della media degli ultimi {quarters} saldi "
                       "trimestrali",
                       "Spending rule: {rate} of the average of the last {quarters} "
                       "quarter-end balances"),
    "endowment.limit": ("Plafond de tirage de l'année", "Limite di prelievo dell'anno",
                        "Draw limit for the year"),
    "endowment.headroom": ("Marge de tirage restante", "Margine di prelievo residuo",
                           "Headroom left"),
    "endowment.none": ("Pas de dotation dans ces comptes.", "Nessuna dotazione in questi conti.",
                       "No endowment in these books."),
    "endowment.no_rule": ("Aucune règle de dépense déclarée.",
                          "Nessuna regola di spesa dichiarata.", "No spending rule declared."),
    "endowment.no_history": ("Pas encore de solde trimestriel : chaque tirage est limité par "
                             "le solde qui le précède.",
                             "Nessun saldo trimestrale ancora: ogni prelievo è limitato dal "
                             "saldo che lo precede.",
                             "No quarter-end balance yet: each draw is limited by the balance "
                             "before it."),
    "endowment.transfers": ("Tirages et transferts du trimestre",
                            "Prelievi e trasferimenti del trimestre",
                            "Draws and transfers in the quarter"),
    "transfer.from": ("De", "Da", "From"),
    "transfer.to": ("Vers", "A", "To"),
    "impact.indicator": ("Indicateur", "Indicatore", "Indicator"),
    "impact.value": ("Valeur mesurée", "Valore misurato", "Measured value"),
    "impact.unit": ("Unité", "Unità", "Unit"),
    "impact.money": ("Montant engagé", "Importo impegnato", "Money committed"),
    "impact.cost_per_unit": ("€ par unité", "€ per unità", "€ per unit"),
    "impact.none": ("Aucun impact mesuré à ce jour.", "Nessun impatto misurato finora.",
                    "No impact measured yet."),
    "errors.intro": ("La comptabilité contient {count} erreur(s) ; les chiffres ci-dessus "
                     "doivent être lus avec prudence.",
                     "La contabilità contiene {count} errore/i; le cifre sopra vanno lette con "
                     "cautela.",
                     "The ledger has {count} error(s); read the figures above with care."),
    "warning.suspense": ("Le compte d'attente {account} présente un solde de {amount} : des "
                         "opérations bancaires restent à affecter.",
                         "Il conto transitorio {account} ha un saldo di {amount}: alcune "
                         "operazioni bancarie sono ancora da attribuire.",
                         "The suspense account {account} holds {amount}: some bank lines are "
                         "still to be categorised."),
    "chart.funds": ("Répartition des fonds à la fin du trimestre",
                    "Ripartizione dei fondi a fine trimestre",
                    "Funds at the quarter's end"),
    "chart.history": ("Solde des fonds en fin de trimestre", "Saldo dei fondi a fine trimestre",
                      "Fund balances at quarter ends"),
    "chart.pipeline": ("Subventions : versé et reste à verser",
                       "Contributi: erogato e da erogare",
                       "Grants: paid and remaining"),
    "chart.thousands": ("milliers d'euros", "migliaia di euro", "thousand euros"),
    # -- dedicated funds (SPEC 6.2) -----------------------------------------------------------
    "dedicated.title": ("Tableau de variation des fonds dédiés",
                        "Prospetto di variazione dei fondi vincolati",
                        "Statement of changes in restricted funds"),
    "dedicated.subtitle": ("Exercice {year} (règlement ANC 2018-06)",
                           "Esercizio {year} (regolamento ANC 2018-06)",
                           "Financial year {year} (ANC regulation 2018-06)"),
    "dedicated.opening": ("Fonds dédiés au 1er janvier", "Fondi vincolati al 1° gennaio",
                          "Balance at 1 January"),
    "dedicated.resources": ("Nouvelles ressources dédiées", "Nuove risorse vincolate",
                            "New resources dedicated"),
    "dedicated.used": ("Utilisations", "Utilizzi", "Amounts used"),
    "dedicated.transfers_in": ("Transferts reçus", "Trasferimenti in entrata", "Transfers in"),
    "dedicated.transfers_out": ("Transferts émis", "Trasferimenti in uscita", "Transfers out"),
    "dedicated.closing": ("Fonds dédiés au 31 décembre", "Fondi vincolati al 31 dicembre",
                          "Balance at 31 December"),
    "dedicated.closing_partial": ("Fonds dédiés au {date}", "Fondi vincolati al {date}",
                                  "Balance at {date}"),
    "dedicated.note": ("Solde d'ouverture + ressources − utilisations + transferts reçus − "
                       "transferts émis = solde de clôture.",
                       "Saldo iniziale + risorse − utilizzi + trasferimenti in entrata − "
                       "trasferimenti in uscita = saldo finale.",
                       "Opening + resources − used + transfers in − transfers out = closing."),
    "dedicated.none": ("Aucun fonds dédié.", "Nessun fondo vincolato.", "No restricted fund."),
    # -- contributor statement (SPEC 6.3) -----------------------------------------------------
    "contributor.title": ("Relevé d'utilisation de vos contributions",
                          "Rendiconto dell'utilizzo dei vostri contributi",
                          "How your contributions were used"),
    "contributor.for": ("Établi pour {name}, au {date}", "Redatto per {name}, al {date}",
                        "Prepared for {name}, as at {date}"),
    "contributor.intro": ("Chaque fonds emploie l'argent dans l'ordre où il l'a reçu (premier "
                          "entré, premier sorti) ; ce relevé suit votre argent jusqu'aux projets "
                          "qu'il a financés.",
                          "Ogni fondo impiega il denaro nell'ordine in cui lo ha ricevuto "
                          "(primo entrato, primo uscito); questo rendiconto segue il vostro "
                          "denaro fino ai progetti che ha finanziato.",
                          "Each fund spends money in the order it came in (first in, first "
                          "out); this statement follows your money to the projects it paid for."),
    "contributor.summary": ("Synthèse", "Sintesi", "Summary"),
    "contributor.given": ("Contributions", "Contributi versati", "Given"),
    "contributor.pledged": ("Promesses restant à verser", "Impegni ancora da versare",
                            "Pledged, not yet paid"),
    "contributor.earned": ("Revenus produits", "Rendimenti maturati", "Earned"),
    "contributor.used": ("Employé", "Impiegato", "Used"),
    "contributor.unspent": ("Non encore employé", "Non ancora impiegato", "Unspent"),
    "contributor.by_fund": ("Par fonds", "Per fondo", "By fund"),
    "contributor.grants": ("Subventions financées", "Contributi finanziati", "Grants paid for"),
    "contributor.loans": ("Prêts financés", "Prestiti finanziati", "Loans paid for"),
    "contributor.costs": ("Frais financés", "Costi finanziati", "Costs paid for"),
    "contributor.share": ("Votre part", "Vostra quota", "Your share"),
    "contributor.impact": ("Impact", "Impatto", "Impact"),
    "contributor.check": ("Contributions + revenus = employé + non employé + promesses",
                          "Contributi + rendimenti = impiegato + non impiegato + impegni",
                          "Given + earned = used + unspent + pledged"),
    "cost.Expenses:Programs": ("Programmes (accompagnement, évaluation, événements)",
                               "Programmi (accompagnamento, valutazione, eventi)",
                               "Programmes (accompaniment, evaluation, events)"),
    "cost.Expenses:Admin": ("Frais de gestion", "Costi di gestione", "Management costs"),
    "cost.Expenses:LoanLosses": ("Pertes sur prêts", "Perdite su prestiti", "Loan losses"),
    "cost.Expenses:Grants": ("Subventions", "Contributi", "Grants"),
    "cost.other": ("Autres charges", "Altri costi", "Other costs"),
}

LABELS: dict[str, dict[str, str]] = {
    key: dict(zip(LANGUAGES, values, strict=True)) for key, values in _TABLE.items()
}


def check_language(lang: str) -> str:
    """``lang`` if fundledger speaks it, else ``ValueError`` (callers turn it into exit 2)."""
    if lang not in LOCALES:
        raise ValueError(f'unknown language "{lang}" (expected one of {", ".join(LANGUAGES)})')
    return lang


def locale_of(lang: str) -> Locale:
    return Locale.parse(LOCALES[check_language(lang)])


def t(key: str, lang: str, **values: object) -> str:
    """The label ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``."""
    text = LABELS[key][check_language(lang)]
    return text.format(**values) if values else text


def has(key: str) -> bool:
    return key in LABELS


#: Babel rounds in the current decimal context: wide enough for any amount a ledger holds.
WIDE = decimal.Context(prec=80)


def format_money(amount: Decimal, lang: str, currency: str = "EUR") -> str:
    """``amount`` with two decimals and the currency sign, as the locale writes it."""
    with decimal.localcontext(WIDE):
        return format_currency(amount, currency, locale=LOCALES[check_language(lang)])


def format_number(value: Decimal | int | float, lang: str, decimals: int | None = None) -> str:
    """A plain number with the locale's grouping; ``decimals`` fixes the fraction digits."""
    with decimal.localcontext(WIDE):
        return _format_number(value, lang, decimals)


def _format_number(value: Decimal | int | float, lang: str, decimals: int | None) -> str:
    locale = LOCALES[check_language(lang)]
    if decimals is None:
        return format_decimal(value, locale=locale)
    pattern = parse_pattern(Locale.parse(locale).decimal_formats[None].pattern)
    pattern.frac_prec = (decimals, decimals)
    return pattern.apply(value, Locale.parse(locale))


def format_percent(fraction: Decimal | float, lang: str, decimals: int = 1) -> str:
    """``fraction`` (0.2 for 20 %) as a percentage in the locale's pattern (``20,0 %`` in fr)."""
    locale = locale_of(lang)
    pattern = parse_pattern(locale.percent_formats[None].pattern)
    pattern.frac_prec = (decimals, decimals)
    return pattern.apply(fraction, locale)


def format_rate(percent: Decimal | float, lang: str, decimals: int = 1) -> str:
    """A rate given in percent (``20`` for 20 %), as the ledger writes spending rules."""
    return format_percent(Decimal(str(percent)) / 100, lang, decimals)


def format_date(day: datetime.date, lang: str, style: str = "long") -> str:
    """A date as the locale writes it; ``style`` is Babel's short/medium/long/full or a pattern."""
    return _babel_date(day, style, locale=LOCALES[check_language(lang)])


def format_quarter(year: int, quarter: int, lang: str) -> str:
    """'3e trimestre 2025', '3º trimestre 2025', '3rd quarter 2025'."""
    day = datetime.date(year, quarter * 3, 1)
    return _babel_date(day, "QQQQ yyyy", locale=LOCALES[check_language(lang)])


def fund_kind(kind: str, lang: str) -> str:
    key = f"fund_kind.{kind}"
    return t(key, lang) if key in LABELS else kind


def grantee_kind(kind: str | None, lang: str) -> str:
    key = f"grantee_kind.{kind}"
    return t(key, lang) if key in LABELS else (kind or "")


def cost_label(account: str, lang: str) -> str:
    """A human name for an expense account's family (its first two components)."""
    family = ":".join(account.split(":")[:2])
    key = f"cost.{family}"
    return t(key, lang) if key in LABELS else t("cost.other", lang)
