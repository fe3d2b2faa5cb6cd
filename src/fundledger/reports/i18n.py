"""Compatibility shim: the labels and formats moved to :mod:`fundledger.i18n`.

The texts now live in the gettext catalogs ``src/fundledger/i18n/locale/<lang>/LC_MESSAGES/
fundledger.po``, which :func:`fundledger.i18n.t` reads; import from :mod:`fundledger.i18n`
(reports, Fava and publish must, a test checks it).

``_TABLE`` below is NOT read at run time: it is the input of
``tools/i18n_to_po.py merge src/fundledger/reports/i18n.py``, kept only until the branches
that still add tuples here are merged; the last run (``--strip``) deletes it.  A test fails
while the table and the catalogs disagree.
"""

from __future__ import annotations

from fundledger.i18n import (  # noqa: F401  (re-exported for code not yet moved)
    DEFAULT_LANGUAGE,
    LABELS,
    LANGUAGES,
    LOCALES,
    WIDE,
    check_language,
    cost_label,
    format_date,
    format_money,
    format_number,
    format_percent,
    format_quarter,
    format_rate,
    fund_kind,
    grantee_kind,
    locale_of,
    period_status,
    t,
)

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
    # -- closed periods -------------------------------------------------------------------
    "closing.closed": ("Période close le {date}\u202f: {note}", "Periodo chiuso il {date}: {note}",
                       "Period closed on {date}: {note}"),
    "closing.reopened": ("Période rouverte le {date}\u202f: {note}",
                         "Periodo riaperto il {date}: {note}",
                         "Period reopened on {date}: {note}"),
    "closing.open": ("Période non close\u202f: les chiffres peuvent encore changer",
                     "Periodo non chiuso: i dati possono ancora cambiare",
                     "Period not closed: figures may still change"),
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
    "section.adjustments": ("Annulations, remboursements et pertes du trimestre",
                            "Revoche, restituzioni e perdite del trimestre",
                            "Revocations, refunds and write-offs in the quarter"),
    "section.adjustments.note": (
        "Ce qui réduit après coup ce qu'une subvention ou un prêt a coûté au fonds : la part "
        "annulée d'une subvention, l'argent rendu par un bénéficiaire, le capital d'un prêt "
        "passé en perte. C'est l'écart entre les montants accordés et les emplois d'un fonds.",
        "Ciò che riduce a posteriori quanto un contributo o un prestito è costato al fondo: "
        "la parte revocata di un contributo, le somme restituite da un beneficiario, il "
        "capitale di un prestito passato a perdita. Spiega lo scarto tra importi concessi e "
        "impieghi di un fondo.",
        "What lowers, after the fact, what a grant or a loan cost its fund: the revoked part "
        "of a grant, money a grantee gave back, a loan's principal written off. This is the "
        "gap between a fund's awards and its use of funds."),
    "adjustment.kind": ("Nature", "Tipo", "Kind"),
    "adjustment.who": ("Bénéficiaire ou emprunteur", "Beneficiario o mutuatario",
                       "Grantee or borrower"),
    "adjustment.revocation": ("Annulation", "Revoca", "Revocation"),
    "adjustment.refund": ("Remboursement", "Restituzione", "Refund"),
    "adjustment.write-off": ("Perte sur prêt", "Perdita su prestito", "Loan write-off"),
    "section.pipeline": ("Engagements de subventions", "Impegni per contributi",
                         "Grant pipeline"),
    # -- programmes (calls for projects): board report, Fava page, public site ----------
    "programme.section": ("Appel à projets : {label}", "Bando: {label}",
                          "Call for projects: {label}"),
    "programme.stage": ("Étape", "Fase", "Stage"),
    "programme.applications": ("Candidatures", "Domande", "Applications"),
    "programme.hours": ("Heures", "Ore", "Hours"),
    "programme.eligible_cost": ("Coûts éligibles", "Costi ammissibili", "Eligible costs"),
    "programme.approved": ("Approuvé", "Approvato", "Approved"),
    "programme.awarded": ("Attribué", "Concesso", "Awarded"),
    "programme.paid": ("Versé", "Erogato", "Paid"),
    "programme.revoked": ("Révoqué", "Revocato", "Revoked"),
    "programme.days": ("De la candidature à l'attribution : {median} jours en médiane "
                       "({min} au plus court, {max} au plus long).",
                       "Dalla domanda alla concessione: {median} giorni in mediana "
                       "({min} al minimo, {max} al massimo).",
                       "From application to award: a median of {median} days "
                       "({min} at the shortest, {max} at the longest)."),
    "programme.no_award": ("Aucune attribution pour l'instant.",
                           "Nessuna concessione per ora.", "No award yet."),
    "programme.granted_by_theme": ("Aides attribuées par thème", "Contributi concessi per tema",
                                   "Aid granted by theme"),
    "programme.beneficiaries": ("Bénéficiaires", "Beneficiari", "Beneficiaries"),
    "programme.withheld": ("Bénéficiaire non publié", "Beneficiario non pubblicato",
                           "Beneficiary not published"),
    "programmes": ("Appels à projets", "Bandi", "Programmes"),
    "programme.public_intro": (
        "Le parcours d'une entreprise : candidature, accompagnement, validation du "
        "pré-projet par le comité d'évaluation, puis aide versée par tranches sur rapports "
        "d'avancement. Les candidatures ne sont publiées qu'en nombre ; les bénéficiaires "
        "qui l'ont demandé et les personnes physiques ne sont pas nommés.",
        "Il percorso di un'impresa: domanda, accompagnamento, validazione del pre-progetto "
        "da parte della Commissione di Valutazione, poi il contributo erogato per tranche "
        "sulla base delle relazioni di avanzamento. Le domande sono pubblicate solo in "
        "numero; i beneficiari che lo hanno chiesto e le persone fisiche non sono nominati.",
        "An enterprise's path: application, accompaniment, validation of its pre-project by "
        "the evaluation committee, then aid paid in tranches against progress reports. "
        "Applications are published only as numbers; beneficiaries who asked for privacy "
        "and individuals are not named."),
    "programme.rule.hours": ("Au moins {hours} heures d'accompagnement avant l'attribution",
                             "Almeno {hours} ore di accompagnamento prima della concessione",
                             "At least {hours} hours of accompaniment before an award"),
    "programme.rule.committee": ("Décision favorable du comité d'évaluation",
                                 "Parere favorevole della Commissione di Valutazione",
                                 "An approving decision of the evaluation committee"),
    "programme.rule.share": ("Subvention d'au plus {share} % des coûts éligibles",
                             "Contributo fino al {share} % dei costi ammissibili",
                             "A grant of at most {share}% of the eligible costs"),
    "programme.rule.bounds": ("Coûts éligibles de {low} à {high}",
                              "Costi ammissibili da {low} a {high}",
                              "Eligible costs from {low} to {high}"),
    "programme.rule.advance": ("Avance d'au plus {share} % avant le premier rapport approuvé",
                               "Anticipo fino al {share} % prima della prima relazione "
                               "approvata",
                               "An advance of at most {share}% before the first approved "
                               "report"),
    "programme.rule.de_minimis": ("Plafond de minimis : {cap} par entreprise sur trois "
                                  "exercices",
                                  "Massimale de minimis: {cap} per impresa su tre esercizi",
                                  "De minimis cap: {cap} per enterprise over three fiscal "
                                  "years"),
    "programme.none": ("Aucun appel à projets dans ces comptes.",
                       "Nessun bando in questa contabilità.",
                       "No programme in these books."),
    "stage.applied": ("Déposée", "Presentata", "Applied"),
    "stage.accompanied": ("En accompagnement", "In accompagnamento", "Accompanied"),
    "stage.approved": ("Approuvée", "Approvata", "Approved"),
    "stage.rejected": ("Refusée", "Respinta", "Rejected"),
    "stage.awarded": ("Attribuée", "Concessa", "Awarded"),
    "stage.paid": ("Versée", "Erogata", "Paid"),
    "stage.revoked": ("Révoquée", "Revocata", "Revoked"),
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
    "warning.after_books": (
        "Les écritures s'arrêtent le {date}, avant ce trimestre : les chiffres sont ceux de "
        "cette date, rien n'est encore enregistré pour la période.",
        "Le registrazioni si fermano al {date}, prima di questo trimestre: le cifre sono "
        "quelle di quella data, nulla è ancora registrato per il periodo.",
        "The books end on {date}, before this quarter: the figures are those of that date; "
        "nothing is recorded for the period yet."),
    "warning.suspense": ("Le compte d'attente {account} présente un solde de {amount} : des "
                         "opérations bancaires restent à affecter.",
                         "Il conto transitorio {account} ha un saldo di {amount}: alcune "
                         "operazioni bancarie sono ancora da attribuire.",
                         "The suspense account {account} holds {amount}: some bank lines are "
                         "still to be categorised."),
    "chart.funds": ("Répartition des fonds à la fin du trimestre",
                    "Ripartizione dei fondi a fine trimestre",
                    "Funds at the quarter's end"),
    "chart.funds.without_endowment": (
        "(hors dotation, dont les chiffres sont dans le tableau ci-dessus)",
        "(esclusa la dotazione, le cui cifre sono nella tabella qui sopra)",
        "(endowment left out: its figures are in the table above)"),
    "chart.history": ("Solde des fonds en fin de trimestre", "Saldo dei fondi a fine trimestre",
                      "Fund balances at quarter ends"),
    "chart.pipeline": ("Subventions : versé et reste à verser",
                       "Contributi: erogato e da erogare",
                       "Grants: paid and remaining"),
    "chart.thousands": ("milliers d'euros", "migliaia di euro", "thousand euros"),
    "chart.contributor": ("Emploi de vos contributions", "Impiego dei vostri contributi",
                          "How your contributions were used"),
    # -- dedicated funds (SPEC 6.2) -----------------------------------------------------------
    "dedicated.title": ("Tableau de variation des fonds dédiés",
                        "Prospetto di variazione dei fondi vincolati",
                        "Statement of changes in restricted funds"),
    "dedicated.subtitle": ("Exercice {year} (règlement ANC 2018-06)",
                           "Esercizio {year} (regolamento ANC 2018-06)",
                           "Financial year {year} (ANC regulation 2018-06)"),
    "dedicated.origin": ("Fonds dédiés par origine des ressources",
                         "Fondi vincolati per origine delle risorse",
                         "Restricted funds by origin of resources"),
    "dedicated.opening": ("À l'ouverture de l'exercice", "All'apertura dell'esercizio",
                          "At the opening of the year"),
    "dedicated.reports": ("Reports", "Accantonamenti", "Carried forward"),
    "dedicated.utilisations": ("Utilisations", "Utilizzi", "Used"),
    "dedicated.transfers": ("Transferts", "Trasferimenti", "Transfers"),
    "dedicated.closing": ("À la clôture de l'exercice", "Alla chiusura dell'esercizio",
                          "At the close of the year"),
    "dedicated.amount": ("Montant global", "Importo complessivo", "Total amount"),
    "dedicated.of_which_refunds": ("dont remboursements", "di cui rimborsi",
                                   "of which repaid"),
    "dedicated.of_which_dormant": ("dont fonds sans dépense depuis deux exercices",
                                   "di cui fondi senza spese da due esercizi",
                                   "of which funds with no expense for two years"),
    "dedicated.note": ("Ouverture + reports − utilisations ± transferts = clôture, pour chaque "
                       "fonds ; la clôture est le solde du fonds au 31 décembre. Premier entré, "
                       "premier sorti : ce que l'exercice emploie vient d'abord des fonds de "
                       "l'ouverture et des fonds transférés ; les reports sont les ressources "
                       "de l'exercice restées inemployées.",
                       "Apertura + accantonamenti − utilizzi ± trasferimenti = chiusura, per "
                       "ogni fondo; la chiusura è il saldo del fondo al 31 dicembre. Primo "
                       "entrato, primo uscito: quanto l'esercizio impiega proviene anzitutto "
                       "dai fondi di apertura e da quelli trasferiti; gli accantonamenti sono "
                       "le risorse dell'esercizio rimaste inutilizzate.",
                       "Opening + carried forward − used ± transfers = closing, for each fund; "
                       "the closing is the fund's balance on 31 December. First in, first "
                       "out: what the year spends comes first from the opening money and "
                       "money transferred in; carried forward is the year's resources left "
                       "unused."),
    "dedicated.none": ("Aucun fonds dédié.", "Nessun fondo vincolato.", "No restricted fund."),
    "origin.subvention": ("Subventions d'exploitation", "Contributi pubblici di esercizio",
                          "Operating subsidies"),
    "origin.contribution": ("Contributions financières d'autres organismes",
                            "Contributi finanziari di altri enti",
                            "Financial contributions from other bodies"),
    "origin.generosite": ("Ressources liées à la générosité du public",
                          "Risorse da raccolta pubblica di fondi",
                          "Resources from public generosity"),
    # -- annual accounts (bilan, compte de résultat, CROD, CER) -----------------------------
    'annual.title': ('Comptes annuels', "Bilancio d'esercizio", 'Annual accounts'),
    'annual.subtitle': (
        'Exercice clos le 31 décembre {year} (règlement ANC 2018-06)',
        'Esercizio chiuso al 31 dicembre {year} (regolamento ANC 2018-06)',
        'Financial year ended 31 December {year} (ANC regulation 2018-06)',
    ),
    'annual.balance_sheet': ('Bilan', 'Stato patrimoniale', 'Balance sheet'),
    'annual.assets': ('Actif', 'Attivo', 'Balance sheet: assets'),
    'annual.liabilities': ('Passif', 'Passivo', 'Balance sheet: liabilities and funds'),
    'annual.income_statement': ('Compte de résultat', 'Conto economico', 'Income statement'),
    'annual.own_funds': (
        'Variation des fonds propres',
        'Variazione del patrimonio netto',
        'Changes in own funds',
    ),
    'annual.crod': (
        'Compte de résultat par origine et destination',
        'Conto economico per origine e destinazione',
        'Income statement by origin and purpose',
    ),
    'annual.cer': (
        "Compte d'emploi annuel des ressources collectées auprès du public",
        "Rendiconto annuale dell'impiego delle risorse raccolte presso il pubblico",
        'Annual statement of the use of resources raised from the public',
    ),
    'annual.accounts': ('Comptes', 'Conti', 'Chart accounts'),
    'annual.year': ('Exercice {year}', 'Esercizio {year}', 'Year {year}'),
    'annual.of_which_generosity': (
        'dont générosité du public',
        'di cui raccolta pubblica',
        'of which public generosity',
    ),
    'annual.checks': ('Contrôles', 'Verifiche', 'Checks'),
    'annual.balanced': (
        "Total de l'actif = total du passif = {amount} : le bilan est équilibré.",
        'Totale attivo = totale passivo = {amount}: lo stato patrimoniale quadra.',
        'Total assets = total liabilities and funds = {amount}: the balance sheet balances.',
    ),
    'annual.unbalanced': (
        "Le bilan n'est pas équilibré : actif {assets}, passif {liabilities}.",
        'Lo stato patrimoniale non quadra: attivo {assets}, passivo {liabilities}.',
        'The balance sheet does not balance: assets {assets}, liabilities {liabilities}.',
    ),
    'annual.reconciled': (
        'Fonds propres et fonds dédiés = somme des soldes des fonds au 31 décembre = {amount}.',
        'Patrimonio netto e fondi vincolati = somma dei saldi dei fondi al 31 dicembre = {amount}.',
        "Own funds and restricted funds = the sum of the funds' balances on 31 December "
        "= {amount}.",
    ),
    'annual.gap': (
        "Une partie des comptes ({amount}) n'est affectée à aucun fonds : voir les erreurs du"
        ' grand livre.',
        'Una parte dei conti ({amount}) non è attribuita ad alcun fondo: vedere gli errori '
        'della contabilità.',
        "Part of the books ({amount}) belongs to no fund: see the ledger's errors.",
    ),
    'annual.notes': (
        'Règles et méthodes comptables',
        'Criteri di redazione',
        'Accounting policies',
    ),
    'annual.note.chart': (
        "Chaque compte est classé d'après son numéro du plan comptable (métadonnée pcg: de "
        "son ouverture), à défaut d'après le numéro par défaut de sa catégorie ; la colonne «"
        ' Comptes » donne les numéros de chaque ligne.',
        'Ogni conto è classificato secondo il suo numero del piano dei conti francese '
        "(metadato pcg: all'apertura) o, in mancanza, secondo il numero predefinito della sua"
        ' categoria; la colonna «Conti» indica i numeri di ogni riga.',
        'Each account is classified by its French chart number (the pcg: metadata of its '
        'opening), else by the default number of its class; the Accounts column gives each '
        "line's numbers.",
    ),
    'annual.note.funds': (
        'La dotation figure en fonds propres sans droit de reprise pour les apports reçus ; '
        'les revenus accumulés des fonds libres et de la dotation forment les réserves et le '
        "résultat de l'exercice ; les fonds dédiés sont les soldes des fonds affectés, par "
        'origine des ressources.',
        'La dotazione figura nel patrimonio per gli apporti ricevuti; i proventi accumulati '
        "dei fondi liberi e della dotazione formano le riserve e il risultato dell'esercizio;"
        ' i fondi vincolati sono i saldi dei fondi vincolati, per origine delle risorse.',
        "The endowment's contributions are own funds without right of recovery; the "
        'accumulated income of the unrestricted funds and of the endowment makes the reserves'
        " and the year's result; the restricted funds' balances are the dedicated funds, by "
        'origin of their resources.',
    ),
    'annual.note.assets': (
        "Les placements de la dotation sont au coût d'acquisition ; les prêts accordés pour "
        'leur capital restant dû ; les promesses de contributions signées et non encore '
        'versées en créances ; les aides attribuées et non encore versées en dettes.',
        "Gli investimenti della dotazione sono al costo d'acquisto; i prestiti concessi per "
        'il capitale residuo; le promesse di contributi firmate e non ancora versate tra i '
        'crediti; i contributi deliberati e non ancora erogati tra i debiti.',
        'Endowment investments are at cost; loans granted at their principal outstanding; '
        'signed but unpaid pledges as receivables; grants awarded but not yet paid as '
        'liabilities.',
    ),
    'annual.approval': (
        "Comptes arrêtés par le conseil d'administration le …………………",
        'Bilancio approvato dal consiglio di amministrazione il …………………',
        'Accounts approved by the board on …………………',
    ),
    'annual.chair': ('Le président', 'Il presidente', 'The chair'),
    'annual.treasurer': ('Le trésorier', 'Il tesoriere', 'The treasurer'),
    'bs.fixed': ('Actif immobilisé', 'Immobilizzazioni', 'Fixed assets'),
    'bs.fixed_assets': (
        'Immobilisations incorporelles et corporelles',
        'Immobilizzazioni immateriali e materiali',
        'Intangible and tangible assets',
    ),
    'bs.financial_assets': (
        'Immobilisations financières (placements de la dotation)',
        'Immobilizzazioni finanziarie (investimenti della dotazione)',
        'Financial assets (endowment investments)',
    ),
    'bs.loans': (
        'Prêts accordés (capital restant dû)',
        'Prestiti concessi (capitale residuo)',
        'Loans granted (principal outstanding)',
    ),
    'bs.fixed_total': ('Total actif immobilisé', 'Totale immobilizzazioni', 'Total fixed assets'),
    'bs.current': ('Actif circulant', 'Attivo circolante', 'Current assets'),
    'bs.pledges': (
        'Créances sur financeurs (promesses de contributions)',
        'Crediti verso finanziatori (promesse di contributi)',
        'Pledges receivable',
    ),
    'bs.receivables': ('Autres créances', 'Altri crediti', 'Other receivables'),
    'bs.securities': (
        'Valeurs mobilières de placement',
        'Titoli non immobilizzati',
        'Short-term investments',
    ),
    'bs.cash': ('Disponibilités', 'Disponibilità liquide', 'Cash at bank'),
    'bs.current_total': (
        'Total actif circulant',
        'Totale attivo circolante',
        'Total current assets',
    ),
    'bs.assets_total': ("Total de l'actif", 'Totale attivo', 'Total assets'),
    'bs.own_funds': ('Fonds propres', 'Patrimonio netto', 'Own funds'),
    'bs.corpus': (
        'Fonds propres sans droit de reprise (dotation)',
        'Fondo di dotazione',
        'Endowment (own funds without right of recovery)',
    ),
    'bs.reserves': ('Réserves', 'Riserve', 'Reserves'),
    'bs.carried': ('Report à nouveau', 'Risultati portati a nuovo', 'Retained earnings'),
    'bs.unallocated': (
        'Écart non affecté à un fonds',
        'Differenza non attribuita a un fondo',
        'Difference not allocated to a fund',
    ),
    'bs.result': ("Résultat de l'exercice", "Risultato dell'esercizio", 'Result for the year'),
    'bs.own_funds_total': ('Total fonds propres', 'Totale patrimonio netto', 'Total own funds'),
    'bs.dedicated': (
        'Fonds reportés et dédiés',
        'Fondi vincolati',
        'Deferred and restricted funds',
    ),
    'bs.dedicated_subvention': (
        "Fonds dédiés sur subventions d'exploitation",
        'Fondi vincolati da contributi pubblici di esercizio',
        'Restricted funds from operating subsidies',
    ),
    'bs.dedicated_contribution': (
        "Fonds dédiés sur contributions financières d'autres organismes",
        'Fondi vincolati da contributi finanziari di altri enti',
        'Restricted funds from financial contributions of other bodies',
    ),
    'bs.dedicated_generosite': (
        'Fonds dédiés sur ressources liées à la générosité du public',
        'Fondi vincolati da raccolta pubblica di fondi',
        'Restricted funds from public generosity',
    ),
    'bs.dedicated_total': (
        'Total fonds reportés et dédiés',
        'Totale fondi vincolati',
        'Total restricted funds',
    ),
    'bs.debts': ('Dettes', 'Debiti', 'Debts'),
    'bs.grants_payable': (
        'Aides financières attribuées restant à verser',
        'Contributi deliberati da erogare',
        'Grants awarded, not yet paid',
    ),
    'bs.other_debts': ('Autres dettes', 'Altri debiti', 'Other liabilities'),
    'bs.debts_total': ('Total dettes', 'Totale debiti', 'Total liabilities'),
    'bs.liabilities_total': ('Total du passif', 'Totale passivo', 'Total liabilities and funds'),
    'is.operating_income': (
        "Produits d'exploitation",
        'Proventi della gestione',
        'Operating income',
    ),
    'is.sales': (
        'Ventes de biens et services',
        'Vendite di beni e servizi',
        'Sales of goods and services',
    ),
    'is.subsidies': (
        "Concours publics et subventions d'exploitation",
        'Contributi pubblici di esercizio',
        'Public operating subsidies',
    ),
    'is.founders': ('Versements des fondateurs', 'Versamenti dei fondatori', "Founders' payments"),
    'is.generosity': (
        'Ressources liées à la générosité du public',
        'Risorse da raccolta pubblica di fondi',
        'Resources from public generosity',
    ),
    'is.contributions': (
        'Contributions financières',
        'Contributi finanziari',
        'Financial contributions',
    ),
    'is.dues': ('Cotisations', 'Quote associative', 'Membership dues'),
    'is.other_income': ('Autres produits', 'Altri proventi', 'Other income'),
    'is.reversals': (
        'Reprises sur provisions et transferts de charges',
        'Utilizzo di fondi e storni di costi',
        'Reversals of provisions',
    ),
    'is.utilisations': (
        'Utilisations des fonds dédiés',
        'Utilizzo dei fondi vincolati',
        'Restricted funds used',
    ),
    'is.operating_income_total': (
        "Total des produits d'exploitation",
        'Totale proventi della gestione',
        'Total operating income',
    ),
    'is.operating_charges': ("Charges d'exploitation", 'Oneri della gestione', 'Operating charges'),
    'is.purchases': (
        'Achats et charges externes',
        'Acquisti e servizi esterni',
        'Purchases and external charges',
    ),
    'is.taxes': ('Impôts, taxes et versements assimilés', 'Imposte e tasse', 'Taxes'),
    'is.staff': ('Salaires et charges sociales', 'Costi del personale', 'Staff costs'),
    'is.grants': ('Aides financières', 'Contributi erogati', 'Grants (financial aid)'),
    'is.other_charges': ('Autres charges', 'Altri oneri', 'Other charges'),
    'is.depreciation': (
        'Dotations aux amortissements et provisions',
        'Ammortamenti e accantonamenti',
        'Depreciation and provisions',
    ),
    'is.reports': (
        'Reports en fonds dédiés',
        'Accantonamenti a fondi vincolati',
        'Carried to restricted funds',
    ),
    'is.operating_charges_total': (
        "Total des charges d'exploitation",
        'Totale oneri della gestione',
        'Total operating charges',
    ),
    'is.operating_result': (
        "Résultat d'exploitation",
        'Risultato della gestione',
        'Operating result',
    ),
    'is.financial': (
        'Produits et charges financiers',
        'Proventi e oneri finanziari',
        'Financial income and charges',
    ),
    'is.financial_income': ('Produits financiers', 'Proventi finanziari', 'Financial income'),
    'is.financial_charges': ('Charges financières', 'Oneri finanziari', 'Financial charges'),
    'is.financial_result': ('Résultat financier', 'Risultato finanziario', 'Financial result'),
    'is.exceptional': (
        'Produits et charges exceptionnels',
        'Proventi e oneri straordinari',
        'Exceptional items',
    ),
    'is.exceptional_income': (
        'Produits exceptionnels',
        'Proventi straordinari',
        'Exceptional income',
    ),
    'is.exceptional_charges': (
        'Charges exceptionnelles',
        'Oneri straordinari',
        'Exceptional charges',
    ),
    'is.exceptional_result': (
        'Résultat exceptionnel',
        'Risultato straordinario',
        'Exceptional result',
    ),
    'is.income_tax': ('Impôts sur les bénéfices', 'Imposte sul reddito', 'Income tax'),
    'is.income_total': ('Total des produits', 'Totale proventi', 'Total income'),
    'is.charges_total': ('Total des charges', 'Totale oneri', 'Total charges'),
    'is.result': ('Excédent ou déficit', 'Avanzo o disavanzo', 'Surplus or deficit'),
    'of.opening': (
        "Fonds propres à l'ouverture",
        "Patrimonio netto all'apertura",
        'Own funds at the opening',
    ),
    'of.corpus_contributions': (
        "Apports à la dotation de l'exercice",
        "Apporti alla dotazione dell'esercizio",
        'Contributions to the endowment in the year',
    ),
    'of.result': ("Résultat de l'exercice", "Risultato dell'esercizio", 'Result for the year'),
    'of.transfers': (
        'Virements nets avec les fonds dédiés (décisions du conseil)',
        'Trasferimenti netti con i fondi vincolati (delibere del consiglio)',
        'Net transfers with restricted funds (board decisions)',
    ),
    'of.unallocated': (
        'Écart non affecté à un fonds',
        'Differenza non attribuita a un fondo',
        'Difference not allocated to a fund',
    ),
    'of.closing': (
        'Fonds propres à la clôture',
        'Patrimonio netto alla chiusura',
        'Own funds at the close',
    ),
    'crod.income': ('Produits par origine', 'Proventi per origine', 'Income by origin'),
    'crod.generosity': (
        'Produits liés à la générosité du public (dons, mécénat, legs)',
        'Proventi da raccolta pubblica (donazioni, mecenatismo, lasciti)',
        'Income from public generosity (gifts, patronage, legacies)',
    ),
    'crod.contributions': (
        'Produits non liés à la générosité du public : contributions financières',
        'Proventi non da raccolta pubblica: contributi finanziari',
        'Income not from public generosity: financial contributions',
    ),
    'crod.other': (
        'Autres produits non liés à la générosité du public',
        'Altri proventi non da raccolta pubblica',
        'Other income not from public generosity',
    ),
    'crod.public': (
        'Subventions et autres concours publics',
        'Contributi e altri sostegni pubblici',
        'Subsidies and other public support',
    ),
    'crod.utilisations': (
        'Utilisations des fonds dédiés antérieurs',
        'Utilizzo di fondi vincolati precedenti',
        'Restricted funds of earlier years used',
    ),
    'crod.income_total': ('Total des produits', 'Totale proventi', 'Total income'),
    'crod.charges': ('Charges par destination', 'Oneri per destinazione', 'Charges by purpose'),
    'crod.mission': ('Missions sociales', 'Attività istituzionali', 'Social missions'),
    'crod.fundraising': (
        'Frais de recherche de fonds',
        'Oneri di raccolta fondi',
        'Fundraising costs',
    ),
    'crod.operating': ('Frais de fonctionnement', 'Oneri di funzionamento', 'Operating costs'),
    'crod.reports': (
        "Reports en fonds dédiés de l'exercice",
        "Accantonamenti a fondi vincolati dell'esercizio",
        'Carried to restricted funds in the year',
    ),
    'crod.charges_total': ('Total des charges', 'Totale oneri', 'Total charges'),
    'crod.result': ('Excédent ou déficit', 'Avanzo o disavanzo', 'Surplus or deficit'),
    'cer.uses': ('Emplois par destination', 'Impieghi per destinazione', 'Uses by purpose'),
    'cer.mission': ('Missions sociales', 'Attività istituzionali', 'Social missions'),
    'cer.fundraising': (
        'Frais de recherche de fonds',
        'Oneri di raccolta fondi',
        'Fundraising costs',
    ),
    'cer.operating': ('Frais de fonctionnement', 'Oneri di funzionamento', 'Operating costs'),
    'cer.uses_total': ('Total des emplois', 'Totale impieghi', 'Total uses'),
    'cer.reports': (
        "Reports en fonds dédiés de l'exercice",
        "Accantonamenti a fondi vincolati dell'esercizio",
        'Carried to restricted funds in the year',
    ),
    'cer.surplus': (
        "Excédent de la générosité du public de l'exercice",
        "Avanzo della raccolta pubblica dell'esercizio",
        'Surplus of public generosity for the year',
    ),
    'cer.total': ('Total', 'Totale', 'Total'),
    'cer.resources': ('Ressources par origine', 'Risorse per origine', 'Resources by origin'),
    'cer.generosity': (
        'Ressources liées à la générosité du public',
        'Risorse da raccolta pubblica di fondi',
        'Resources from public generosity',
    ),
    'cer.resources_total': ('Total des ressources', 'Totale risorse', 'Total resources'),
    'cer.utilisations': (
        'Utilisations des fonds dédiés antérieurs',
        'Utilizzo di fondi vincolati precedenti',
        'Restricted funds of earlier years used',
    ),
    'cer.deficit': (
        "Déficit de la générosité du public de l'exercice",
        "Disavanzo della raccolta pubblica dell'esercizio",
        'Deficit of public generosity for the year',
    ),
    'cer.carried': (
        'Ressources reportées liées à la générosité du public',
        'Risorse da raccolta pubblica riportate',
        'Public generosity resources carried forward',
    ),
    'cer.carried_opening': (
        "Ressources reportées en début d'exercice",
        "Risorse riportate all'inizio dell'esercizio",
        'Carried forward at the opening',
    ),
    'cer.change': (
        'Excédent ou insuffisance de la générosité du public',
        'Avanzo o disavanzo della raccolta pubblica',
        'Surplus or shortfall of public generosity',
    ),
    'cer.carried_closing': (
        "Ressources reportées en fin d'exercice",
        "Risorse riportate alla fine dell'esercizio",
        'Carried forward at the close',
    ),
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
    "contributor.share.grant": ("Votre part du coût net", "Vostra quota del costo netto",
                                "Your share of the net cost"),
    "contributor.share.loan": ("Votre part de l'encours", "Vostra quota del capitale in essere",
                               "Your share of what is still lent"),
    "contributor.share_of": ("de {amount}", "di {amount}", "of {amount}"),
    "contributor.share.grant_note": (
        "Votre part : ce que votre argent a payé, rapporté au coût net de la subvention "
        "(accordée moins annulée et remboursée).",
        "Vostra quota: quanto il vostro denaro ha pagato, rispetto al costo netto del "
        "contributo (concesso meno revocato e restituito).",
        "Your share: what your money paid, against the grant's net cost (awarded less "
        "revoked and refunded)."),
    "contributor.share.loan_note": (
        "Votre part : votre argent encore prêté, rapporté à ce que le prêt a encore dehors "
        "(capital restant dû et capital passé en perte), non au montant prêté : le capital "
        "remboursé est revenu aux fonds qui l'avaient prêté.",
        "Vostra quota: il vostro denaro ancora prestato, rispetto a quanto il prestito ha "
        "ancora fuori (capitale in essere e capitale svalutato), non all'importo prestato: "
        "il capitale rimborsato è tornato ai fondi che lo avevano prestato.",
        "Your share: your money still lent, against what the loan still has out "
        "(principal outstanding and principal written off), not against the amount lent: "
        "repaid principal has gone back to the money that lent it."),
    "contributor.by_year": ("Par année d'attribution", "Per anno di concessione",
                            "By year of award"),
    "contributor.by_year.note": (
        "Subventions par année d'attribution, prêts par année de décaissement ; montants "
        "payés par votre argent.",
        "Contributi per anno di concessione, prestiti per anno di erogazione; importi "
        "pagati con il vostro denaro.",
        "Grants by the year they were awarded, loans by the year they were disbursed; "
        "amounts your money paid."),
    "contributor.year": ("Année", "Anno", "Year"),
    "contributor.count.one": ("{count} projet", "{count} progetto", "{count} project"),
    "contributor.count.other": ("{count} projets", "{count} progetti", "{count} projects"),
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
    # -- Fava pages (fundledger.fava); figures, grants, loans and contributors reuse the keys
    # above where the meaning is the same ---------------------------------------------------
    "fava.grants": ("Subventions", "Contributi", "Grants"),
    "fava.loans": ("Prêts", "Prestiti", "Loans"),
    "fava.contributors": ("Contributeurs", "Contributori", "Contributors"),
    "fava.compliance": ("Conformité", "Conformità", "Compliance"),
    "fava.grant": ("Subvention", "Contributo", "Grant"),
    "fava.loan": ("Prêt", "Prestito", "Loan"),
    "fava.cost": ("Charge", "Costo", "Cost"),
    "fava.at": ("Situation à la date", "Situazione alla data", "At"),
    "fava.last_entry": ("dernière écriture ({date})", "ultima scrittura ({date})",
                        "last entry ({date})"),
    "fava.funds.not_kept": ("Pas de chiffres conservés au {date} : les pages les conservent "
                            "à chaque fin de trimestre. Affichage à la dernière écriture.",
                            "Nessuna cifra conservata al {date}: le pagine le conservano a "
                            "ogni fine trimestre. Si mostra l'ultima scrittura.",
                            "No figures kept at {date}: the pages keep them at quarter ends. "
                            "Showing the last entry."),
    "fava.funds.note": ("Chiffres de chaque fonds après toutes les écritures datées du {date} "
                        "au plus tard, calculés par le moteur des fonds ; les filtres de "
                        "période et de compte de Fava ne les modifient pas. Chaque montant "
                        "ouvre le journal de Fava sur les écritures qui le composent (jusqu'à "
                        "cette date) ; les transferts sont des directives {directive}.",
                        "Cifre di ogni fondo dopo tutte le scritture datate fino al {date} "
                        "compreso, calcolate dal motore dei fondi; i filtri di periodo e di "
                        "conto di Fava non le modificano. Ogni importo apre il giornale di "
                        "Fava sulle scritture che lo compongono (fino a quella data); i "
                        "trasferimenti sono direttive {directive}.",
                        "Figures of every fund after all entries dated on or before {date}, "
                        "from the fund engine; Fava's own time and account filters do not "
                        "change them. Each amount opens Fava's journal on the entries behind "
                        "it (up to that date); transfers are {directive} directives."),
    "fava.non_consumable": ("capital non consomptible", "capitale non consumabile",
                            "non-consumable"),
    "fava.funds.chart_note": ("Solde de chaque fonds à chaque fin de trimestre, puis après la "
                              "dernière écriture.",
                              "Saldo di ogni fondo a ogni fine trimestre, poi dopo l'ultima "
                              "scrittura.",
                              "Each fund's balance at every quarter end, and after the last "
                              "entry."),
    "fava.spending_rules": ("Règles de dépense", "Regole di spesa", "Spending rules"),
    "fava.year": ("Année", "Anno", "Year"),
    "fava.rule": ("Règle", "Regola", "Rule"),
    "fava.rule.text": ("{rate} % de la moyenne des {quarters} derniers soldes trimestriels",
                       "{rate} % della media degli ultimi {quarters} saldi trimestrali",
                       "{rate} % of the average of the last {quarters} quarter-end balances"),
    "fava.transfers": ("Transferts entre fonds", "Trasferimenti tra fondi",
                       "Transfers between funds"),
    "fava.transfers.none": ("Aucun transfert.", "Nessun trasferimento.", "No transfers."),
    "fava.grants.note": ("Chaque subvention du grand livre, de son attribution à son dernier "
                         "versement, par date d'attribution. {net} est ce que la subvention "
                         "coûte finalement à son fonds (accordé moins annulé et remboursé) ; "
                         "{remaining} est ce qui est accordé et pas encore versé. La "
                         "référence ouvre le journal de Fava sur chaque écriture qui la porte.",
                         "Ogni contributo del libro contabile, dalla concessione all'ultima "
                         "erogazione, per data di concessione. {net} è ciò che il contributo "
                         "costa infine al suo fondo (concesso meno revocato e restituito); "
                         "{remaining} è ciò che è concesso e non ancora erogato. Il "
                         "riferimento apre il giornale di Fava su ogni scrittura che lo porta.",
                         "Every grant id of the ledger, from its award to its last payment, "
                         "by award date. {net} is what the grant finally costs its fund "
                         "(awarded less revoked and refunded); {remaining} is what is awarded "
                         "and not yet paid. The id opens Fava's journal on every entry "
                         "carrying it."),
    "fava.grants.revoked": ("Subventions annulées ({count})", "Contributi revocati ({count})",
                            "Revoked grants ({count})"),
    "fava.grants.all": ("Toutes les subventions ({count})", "Tutti i contributi ({count})",
                        "All grants ({count})"),
    "fava.grants.none_revoked": ("Aucune subvention annulée.", "Nessun contributo revocato.",
                                 "None."),
    "fava.grants.none": ("Aucune subvention.", "Nessun contributo.", "No grants."),
    "fava.grant.awarded": ("Accordé", "Concesso", "Awarded"),
    "fava.grant.revoked": ("Annulé", "Revocato", "Revoked"),
    "fava.grant.refunded": ("Remboursé", "Restituito", "Refunded"),
    "fava.grant.net": ("Coût net", "Costo netto", "Net"),
    "fava.badge.revoked": ("annulée", "revocato", "revoked"),
    "fava.private.title": ("exclu des publications : marqué confidentiel ou bénéficiaire "
                           "personne physique",
                           "escluso dalle pubblicazioni: riservato o beneficiario persona "
                           "fisica",
                           "withheld from public outputs: marked private, or the grantee is "
                           "a person"),
    "fava.loans.note": ("Capital prêté, remboursé, passé en perte et restant dû par prêt. "
                        "L'échéancier est fait de mensualités de capital égales après le "
                        "différé ; {due} et {arrears} sont calculés au {date} (la "
                        "dernière écriture du grand livre, sauf si l'adresse indique {query}).",
                        "Capitale prestato, rimborsato, svalutato e in essere per prestito. "
                        "Il piano prevede rate mensili di capitale uguali dopo il "
                        "preammortamento; {due} e {arrears} sono calcolati al "
                        "{date} (l'ultima scrittura del libro contabile, salvo che "
                        "l'indirizzo indichi {query}).",
                        "Principal lent, repaid, written off and outstanding per loan id. The "
                        "schedule is equal monthly principal instalments after the grace "
                        "period; {due} and {arrears} are as of {date} (the last "
                        "entry of the ledger unless the address says {query})."),
    "fava.schedule.of": ("Échéancier de {loan} — {borrower}", "Piano di rimborso di {loan} — "
                         "{borrower}", "Schedule of {loan} — {borrower}"),
    "fava.schedule.note": ("{lent} prêtés le {date} sur {term} mois (dont {grace} de "
                           "différé) ; remboursé à ce jour : {repaid}",
                           "{lent} prestati il {date} su {term} mesi (di cui {grace} di "
                           "preammortamento); rimborsato finora: {repaid}",
                           "{lent} lent on {date} over {term} months ({grace} of grace); "
                           "repaid so far {repaid}"),
    "fava.schedule.written_off": (", passé en perte : {amount}", ", svalutato: {amount}",
                                  ", written off {amount}"),
    "fava.due_on": ("Échéance", "Scadenza", "Due on"),
    "fava.principal_due": ("Capital exigible à cette date", "Capitale dovuto a quella data",
                           "Principal due by then"),
    "fava.after": ("après le {date}", "dopo il {date}", "after {date}"),
    "fava.loans.unknown": ("Aucun prêt « {loan} ».", "Nessun prestito «{loan}».",
                           "No loan “{loan}”."),
    "fava.loans.none": ("Aucun prêt.", "Nessun prestito.", "No loans."),
    "fava.terms": ("Conditions", "Condizioni", "Terms"),
    "fava.grace": ("{months} de différé", "{months} di preammortamento", "{months} grace"),
    "fava.due": ("Exigible", "Dovuto", "Due"),
    "fava.interest": ("Intérêts", "Interessi", "Interest"),
    "fava.schedule": ("Échéancier", "Piano di rimborso", "Schedule"),
    "fava.schedule.link": ("échéancier", "piano di rimborso", "schedule"),
    "fava.contributors.note": ("Où est allé l'argent d'un contributeur : chaque "
                               "fonds emploie d'abord son argent le plus ancien ; l'argent qui "
                               "revient retourne aux lots qui avaient payé.",
                               "Dove è andato il denaro di un contributore: ogni "
                               "fondo impiega prima il denaro più vecchio; il denaro che "
                               "rientra torna ai lotti che avevano pagato.",
                               "Where a contributor's money went: each fund spends "
                               "its oldest money first; money that comes back returns to the "
                               "lots that paid."),
    "fava.contributors.none": ("Aucune contribution dans ce grand livre.",
                               "Nessun contributo in questo libro contabile.",
                               "No contributions in this ledger."),
    "fava.contributors.unknown": ("Contributeur inconnu « {name} ».",
                                  "Contributore sconosciuto «{name}».",
                                  "Unknown contributor “{name}”."),
    "fava.contributors.use": ("Subvention, prêt ou charge", "Contributo, prestito o costo",
                              "Grant, loan or cost"),
    "fava.compliance.note": ("Manquements aux règles des fonds (FL1xx : chaque écriture nomme "
                             "un fonds déclaré ; FL2xx : un fonds ne dépense pas plus qu'il "
                             "n'a ; FL3xx : subventions ; FL4xx : prêts ; FL5xx : directives "
                             "des fonds ; FL6xx : appels à projets), relevés par le moteur "
                             "des fonds. Chacun ouvre son écriture dans son contexte ou dans "
                             "l'éditeur.",
                             "Violazioni delle regole dei fondi (FL1xx: ogni scrittura indica "
                             "un fondo dichiarato; FL2xx: un fondo non spende più di quanto "
                             "ha; FL3xx: contributi; FL4xx: prestiti; FL5xx: direttive dei "
                             "fondi; FL6xx: bandi), rilevate dal motore dei fondi. Ognuna "
                             "apre la sua scrittura nel contesto o nell'editor.",
                             "Breaches of the fund rules (FL1xx: every entry names a declared "
                             "fund; FL2xx: a fund spends no more than it has; FL3xx: grants; "
                             "FL4xx: loans; FL5xx: fund directives; FL6xx: calls for "
                             "projects), found "
                             "by the fund engine. Each opens its entry in context or in the "
                             "editor."),
    "fava.errors.banner": (
        "Le grand livre contient {count} erreur(s) : les chiffres ci-dessous peuvent être "
        "faux tant qu'elles ne sont pas corrigées. Voir {errors} et {compliance}.",
        "Il libro contabile contiene {count} errore/i: le cifre qui sotto possono essere "
        "errate finché non sono corretti. Vedere {errors} e {compliance}.",
        "The ledger has {count} error(s): the figures below may be wrong until they are "
        "corrected. See {errors} and {compliance}."),
    "fava.errors.list": ("la liste des erreurs", "l'elenco degli errori", "the list of errors"),
    "fava.compliance.one": ("{count} manquement", "{count} violazione", "{count} breach"),
    "fava.compliance.many": ("{count} manquements", "{count} violazioni", "{count} breaches"),
    "fava.compliance.none": ("Aucun manquement aux règles des fonds.",
                             "Nessuna violazione delle regole dei fondi.",
                             "No breach of the fund rules."),
    "fava.code": ("Code", "Codice", "Code"),
    "fava.message": ("Message", "Messaggio", "Message"),
    "fava.entry": ("Écriture", "Scrittura", "Entry"),
    "fava.source": ("Emplacement", "Posizione", "Source"),
    "fava.bookkeeping": ("Tenue des comptes", "Tenuta dei conti", "Bookkeeping"),
    "fava.suspense": ("Compte d'attente", "Conto transitorio", "Suspense account"),
    "fava.suspense.waiting": ("montants en attente sur un compte d'attente",
                              "importi in sospeso su un conto transitorio",
                              "money waiting on a suspense account"),
    "fava.suspense.note": ("lignes bancaires qu'aucune règle d'import n'a reconnues, à "
                           "affecter là où elles doivent aller.",
                           "righe bancarie non riconosciute da alcuna regola di importazione, "
                           "da registrare dove devono andare.",
                           "bank lines no import rule matched, to be booked where they "
                           "belong."),
    "fava.suspense.nothing": ("rien n'attend sur un compte d'attente.",
                              "nulla è in sospeso su un conto transitorio.",
                              "nothing waits on a suspense account."),
    "fava.pending.one": ("{count} opération en attente", "{count} operazione in sospeso",
                         "{count} pending transaction"),
    "fava.pending.many": ("{count} opérations en attente", "{count} operazioni in sospeso",
                          "{count} pending transactions"),
    "fava.pending.review": ("(marquée(s) {flag}) à vérifier.", "(contrassegnata/e {flag}) "
                            "da verificare.", "(flagged {flag}) to review."),
    "fava.pending.none": ("Aucune opération en attente ({flag}).",
                          "Nessuna operazione in sospeso ({flag}).",
                          "No pending ({flag}) transaction."),
    "fava.other_errors": ("Fava signale aussi {count} autre(s) erreur(s) du grand livre sur "
                          "sa page {errors}.",
                          "Fava segnala anche {count} altro/i errore/i del libro contabile "
                          "nella sua pagina {errors}.",
                          "Fava also lists {count} other error(s) of the ledger on its "
                          "{errors} page."),
    "fava.errors": ("Erreurs", "Errori", "Errors"),
    # -- budgets and forecasts (board report, Fava's Budget page) ------------------------
    "section.budget": ("Budget {year}", "Budget {year}", "Budget {year}"),
    "budget.note": ("Budget voté par le conseil et réalisé au {date} : subventions accordées "
                    "nettes des annulations et remboursements, et autres charges de l'année. "
                    "Les prêts et les transferts entre fonds ne sont pas des dépenses.",
                    "Budget approvato dal consiglio e consuntivo al {date}: contributi "
                    "concessi al netto di revoche e restituzioni, e altri costi dell'anno. "
                    "Prestiti e trasferimenti tra fondi non sono spese.",
                    "Budget approved by the board, and actual at {date}: grants awarded net "
                    "of revocations and refunds, and the year's other expenses. Loans and "
                    "transfers between funds are not spending."),
    "budget.line": ("Poste", "Voce", "Line"),
    "budget.whole_fund": ("Tout le fonds", "Intero fondo", "Whole fund"),
    "budget.budget": ("Budget", "Budget", "Budget"),
    "budget.actual": ("Réalisé", "Consuntivo", "Actual"),
    "budget.rest": ("Reste", "Residuo", "Left"),
    "budget.used": ("Consommé", "Utilizzato", "Used"),
    "budget.none": ("Aucun budget pour {year}.", "Nessun budget per il {year}.",
                    "No budget for {year}."),
    "section.outlook": ("Perspectives", "Prospettive", "Outlook"),
    "outlook.note": ("À chaque fin de trimestre, à partir du {date}. Non engagé : le disponible "
                     "d'un fonds, plus les promesses à leur échéance, les échéances de prêts "
                     "et les recettes attendues, moins le reste de ses budgets (le reste d'une "
                     "année passée est abandonné). Trésorerie : les comptes bancaires, plus ces "
                     "mêmes entrées, moins les versements de subventions prévus. L'argent placé "
                     "dans la dotation ou prêté n'est pas de la trésorerie.",
                     "A ogni fine trimestre, dal {date}. Non impegnato: il disponibile di un "
                     "fondo, più gli impegni alla loro scadenza, le rate dei prestiti e le "
                     "entrate attese, meno il residuo dei suoi budget (il residuo di un anno "
                     "passato decade). Liquidità: i conti bancari, più le stesse entrate, meno "
                     "le erogazioni di contributi previste. Il denaro investito nella "
                     "dotazione o prestato non è liquidità.",
                     "At each quarter end, from {date}. Uncommitted: a fund's available money, "
                     "plus pledges at their due date, loan instalments and expected income, "
                     "less what is left of its budgets (a past year's rest lapses). Cash: the "
                     "bank accounts, plus the same inflows, less the grant payments planned. "
                     "Money held in the endowment's securities or lent out is not cash."),
    "outlook.uncommitted": ("Non engagé", "Non impegnato", "Uncommitted"),
    "outlook.cash": ("Trésorerie", "Liquidità", "Cash"),
    "outlook.today": ("Aujourd'hui", "Oggi", "Now"),
    "outlook.bank": ("Comptes bancaires", "Conti bancari", "Bank accounts"),
    "outlook.payments": ("Versements prévus (cumul)", "Erogazioni previste (cumulate)",
                         "Payments planned (cumulative)"),
    "outlook.alert": ("{what} : sous zéro au {quarter}.", "{what}: sotto zero nel {quarter}.",
                      "{what}: below zero in {quarter}."),
    "outlook.clear": ("Aucun fonds ni la trésorerie ne passe sous zéro sur ces trimestres.",
                      "Nessun fondo né la liquidità scende sotto zero in questi trimestri.",
                      "No fund and not the cash goes below zero over these quarters."),
    "outlook.chart": ("Non engagé par fonds et trésorerie, en fin de trimestre",
                      "Non impegnato per fondo e liquidità, a fine trimestre",
                      "Uncommitted money per fund and cash, at quarter ends"),
    "outlook.unscheduled": ("Subventions sans versement prévu ni date de fin (non versées "
                            "dans la prévision)",
                            "Contributi senza erogazione prevista né data di fine (non "
                            "erogati nella previsione)",
                            "Grants with no planned payment nor end date (not paid in the "
                            "forecast)"),
    "outlook.not_counted": ("Sommes dues non comptées", "Somme dovute non conteggiate",
                            "Money owed, not counted"),
    "outlook.who": ("Qui", "Chi", "Who"),
    "outlook.reason": ("Motif", "Motivo", "Why"),
    "outlook.kind.pledge": ("Promesse", "Impegno", "Pledge"),
    "outlook.kind.loan": ("Prêt", "Prestito", "Loan"),
    "outlook.kind.income": ("Recette attendue", "Entrata attesa", "Expected income"),
    "outlook.reason.overdue": ("échue", "scaduta", "overdue"),
    "outlook.reason.undated": ("sans échéance", "senza scadenza", "no due date"),
    "outlook.reason.arrears": ("impayés", "arretrati", "in arrears"),
    "fava.budget": ("Budget et prévisions", "Budget e previsioni", "Budget and outlook"),
    "fava.budget.year": ("Année", "Anno", "Year"),

    # A host's consolidated books (the Fava page and the public site's page).
    "consolidated": ("Comptes consolidés", "Conti consolidati", "Consolidated accounts"),
    "consolidated.note": (
        "Les fonds de la fondation abritante et de chaque fondation abritée, chacune avec "
        "ses propres comptes (noms de fonds préfixés par l'entité), puis leurs totaux "
        "consolidés : les frais de gestion versés à l'abritante et les transferts entre "
        "entités sont éliminés des deux côtés.",
        "I fondi della fondazione ospitante e di ogni fondazione ospitata, ciascuna con i "
        "propri conti (nomi dei fondi preceduti dall'ente), poi i totali consolidati: le "
        "commissioni di gestione versate all'ospitante e i trasferimenti tra enti sono "
        "eliminati da entrambi i lati.",
        "The funds of the host and of each sheltered foundation, each from its own books "
        "(fund names prefixed with the entity), then their consolidated totals: management "
        "fees paid to the host and transfers between entities are eliminated on both "
        "sides."),
    "consolidated.entity": ("Entité", "Ente", "Entity"),
    "consolidated.eliminations": ("Éliminations (frais de gestion, transferts entre entités)",
                                  "Eliminazioni (commissioni di gestione, trasferimenti tra "
                                  "enti)",
                                  "Eliminations (management fees, transfers between "
                                  "entities)"),
    "consolidated.eliminations.none": ("Aucune élimination.", "Nessuna eliminazione.",
                                       "No eliminations."),
    "consolidated.totals": ("Totaux consolidés", "Totali consolidati", "Consolidated totals"),
    "consolidated.what": ("Nature", "Natura", "What"),
    "consolidated.what.host-fee": ("Frais de gestion", "Commissione di gestione",
                                   "Management fee"),
    "consolidated.what.entity-transfer": ("Transfert entre entités",
                                          "Trasferimento tra enti",
                                          "Transfer between entities"),
    "consolidated.counterpart": ("Contrepartie", "Controparte", "Counterpart"),
    "consolidated.year": ("Exercice", "Esercizio", "Year"),
    "consolidated.errors": ("Erreurs des comptes consolidés ({count})",
                            "Errori dei conti consolidati ({count})",
                            "Errors in the consolidated books ({count})"),
    "consolidated.unreadable": ("Comptes consolidés indisponibles : {reason}",
                                "Conti consolidati non disponibili: {reason}",
                                "Consolidated accounts unavailable: {reason}"),

    # A host's annual accounts: its sheltered foundations' restricted funds.
    "annual.sheltered": ("Fonds dédiés des fondations abritées",
                         "Fondi vincolati delle fondazioni ospitate",
                         "Restricted funds of the sheltered foundations"),
    "annual.sheltered.note": (
        "Les fonds dédiés de chaque fondation abritée, tirés de ses propres comptes, tenus à "
        "part : ils figurent ici en annexe des comptes de la fondation abritante, sans "
        "entrer dans son bilan ni dans son tableau des fonds dédiés ci-dessus.",
        "I fondi vincolati di ogni fondazione ospitata, tratti dai suoi conti, tenuti a "
        "parte: figurano qui in allegato ai conti della fondazione ospitante, senza entrare "
        "nel suo stato patrimoniale né nella sua tabella dei fondi vincolati qui sopra.",
        "The restricted funds of each sheltered foundation, from its own books, kept apart: "
        "shown here as an annex to the host's accounts, outside its balance sheet and its "
        "own restricted-funds table above."),
    "annual.sheltered.foundation": ("Fondation abritée et fonds", "Fondazione ospitata e fondo",
                                    "Sheltered foundation and fund"),
}
