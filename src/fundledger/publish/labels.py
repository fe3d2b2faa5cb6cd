"""Labels only the public site needs: the ``site`` gettext domain of :mod:`fundledger.i18n`.

:func:`t` looks in ``locale/<lang>/LC_MESSAGES/site.po`` first, then falls back to the
shared ``fundledger.po``, so the site says "Ressources reçues" exactly as the board report
does.  Every key exists in every language (a test checks it).

``_TABLE`` below is NOT read at run time: it is the input of ``tools/i18n_to_po.py merge
src/fundledger/publish/labels.py --domain site``, kept only until the branches that still
add tuples here are merged; the last run (``--strip``) deletes it.
"""

from __future__ import annotations

from fundledger import i18n
from fundledger.i18n.catalogs import SITE, Labels, messages

#: key -> (fr, it, en)
_TABLE: dict[str, tuple[str, str, str]] = {
    "site.transparency": ("Transparence", "Trasparenza", "Transparency"),
    # The site speaks of its owner as the ledger is: a foundation (Lyon) or a public
    # programme (Turin's "misura"); see publish.public.organisation.
    "site.intro.foundation": (
        "Où va l'argent confié à la fondation : chaque fonds, chaque subvention, chaque "
        "contributeur. Tous les chiffres sont tirés directement de la comptabilité en partie "
        "double.",
        "Dove va il denaro affidato alla fondazione: ogni fondo, ogni contributo, ogni "
        "finanziatore. Tutte le cifre provengono direttamente dalla contabilità in partita "
        "doppia.",
        "Where the money entrusted to the foundation goes: every fund, every grant, every "
        "contributor. Every figure comes straight from the double-entry books."),
    "site.intro.programme": (
        "Où va l'argent confié au programme : chaque fonds, chaque subvention, chaque "
        "contributeur. Tous les chiffres sont tirés directement de la comptabilité en partie "
        "double.",
        "Dove va il denaro affidato alla misura: ogni fondo, ogni contributo, ogni "
        "finanziatore. Tutte le cifre provengono direttamente dalla contabilità in partita "
        "doppia.",
        "Where the money entrusted to the programme goes: every fund, every grant, every "
        "contributor. Every figure comes straight from the double-entry books."),
    "site.as_of": ("Chiffres au {date}", "Dati al {date}", "Figures as at {date}"),
    "site.closed": ("Comptes clos jusqu'au {date}\u202f; les chiffres postérieurs sont "
                    "provisoires",
                    "Conti chiusi fino al {date}; le cifre successive sono provvisorie",
                    "Books closed through {date}; later figures are provisional"),
    "site.not_closed": ("Aucune période close\u202f: tous les chiffres sont provisoires",
                        "Nessun periodo chiuso: tutte le cifre sono provvisorie",
                        "No period closed yet: every figure is provisional"),
    "site.footer": (
        "Publié avec fundledger à partir de la comptabilité. Les noms des personnes physiques "
        "et des bénéficiaires qui l'ont demandé ne sont pas publiés ; aucune coordonnée "
        "bancaire n'est publiée.",
        "Pubblicato con fundledger a partire dalla contabilità. I nomi delle persone fisiche "
        "e dei beneficiari che lo hanno chiesto non sono pubblicati; nessun dato bancario è "
        "pubblicato.",
        "Published with fundledger from the books. Names of individuals and of beneficiaries "
        "who asked for privacy are not published; no bank details are published."),
    "site.errors": (
        "La comptabilité contient {count} erreur(s) en cours de correction : certains "
        "chiffres de ce site peuvent encore changer.",
        "La contabilità contiene {count} errore/i in corso di correzione: alcune cifre di "
        "questo sito potrebbero ancora cambiare.",
        "The books contain {count} error(s) being corrected: some figures on this site may "
        "still change."),
    "nav.home": ("Accueil", "Home", "Home"),
    "nav.sheltered": ("Fondations abritées", "Fondazioni ospitate", "Sheltered foundations"),
    "sheltered.intro": (
        "La fondation abrite ces fondations ; chacune tient ses comptes à part et publie "
        "les siens ici.",
        "La fondazione ospita queste fondazioni; ognuna tiene i propri conti e li pubblica "
        "qui.",
        "The foundation shelters these foundations; each keeps its own books and publishes "
        "them here."),
    "nav.grants": ("Subventions", "Contributi concessi", "Grants"),
    "nav.contributors": ("Contributeurs", "Finanziatori", "Contributors"),
    "nav.language": ("Langue", "Lingua", "Language"),
    "nav.skip": ("Aller au contenu", "Vai al contenuto", "Skip to content"),
    "home.funds": ("Les fonds", "I fondi", "The funds"),
    "home.funds_note": (
        "Chaque fonds porte une seule affectation. Disponible = solde − prêts en cours − "
        "promesses à recevoir.",
        "Ogni fondo ha un solo vincolo. Disponibile = saldo − prestiti in essere − impegni "
        "da incassare.",
        "Each fund carries one restriction. Available = balance − loans outstanding − "
        "pledges outstanding."),
    "home.chart_without_endowment": (
        "La dotation n'est pas dans le graphique : ses chiffres sont dans le tableau.",
        "La dotazione non è nel grafico: le sue cifre sono nella tabella.",
        "The endowment is left out of the chart: its figures are in the table."),
    "home.impact": ("Impact mesuré", "Impatto misurato", "Measured impact"),
    "home.grants_count": ("{count} subventions", "{count} contributi", "{count} grants"),
    "home.loans_count": ("{count} prêts", "{count} prestiti", "{count} loans"),
    "home.all_grants": ("Toutes les subventions", "Tutti i contributi concessi",
                        "All grants"),
    "home.all_contributors": ("Tous les contributeurs", "Tutti i finanziatori",
                              "All contributors"),
    "home.chart": ("Solde de chaque fonds et part disponible",
                   "Saldo di ciascun fondo e quota disponibile",
                   "Each fund's balance and the part available"),
    "chart.committed": ("Prêts et promesses", "Prestiti e impegni", "Loans and pledges"),
    "fund.figures": ("Situation du fonds", "Situazione del fondo", "The fund's position"),
    "fund.resources": ("Ressources par contributeur", "Risorse per finanziatore",
                       "Resources by contributor"),
    "fund.resources_note": (
        "Contributions versées ou promises au fonds, avant transferts entre fonds.",
        "Contributi versati o promessi al fondo, prima dei trasferimenti tra fondi.",
        "Contributions paid or pledged to the fund, before transfers between funds."),
    "fund.other_income": ("Revenus des placements et autres produits",
                          "Proventi finanziari e altri ricavi",
                          "Investment income and other income"),
    "fund.private_donors": ("Donateurs confidentiels", "Donatori riservati", "Private donors"),
    "fund.grants": ("Subventions du fonds", "Contributi del fondo", "Grants from this fund"),
    "fund.loans": ("Prêts du fonds", "Prestiti del fondo", "Loans from this fund"),
    "fund.impact": ("Impact des projets du fonds", "Impatto dei progetti del fondo",
                    "Impact of the fund's projects"),
    "fund.history": ("Solde du fonds en fin de trimestre", "Saldo del fondo a fine trimestre",
                     "The fund's balance at each quarter end"),
    "fund.transfers": ("Transferts entre fonds", "Trasferimenti tra fondi",
                       "Transfers between funds"),
    "fund.no_grants": ("Aucune subvention sur ce fonds.", "Nessun contributo da questo fondo.",
                       "No grant from this fund."),
    "fund.no_loans": ("Aucun prêt sur ce fonds.", "Nessun prestito da questo fondo.",
                      "No loan from this fund."),
    "private.beneficiaries": ("Bénéficiaires confidentiels ({count})",
                              "Beneficiari riservati ({count})",
                              "Private beneficiaries ({count})"),
    "private.beneficiaries_short": ("Bénéficiaires confidentiels", "Beneficiari riservati",
                                    "Private beneficiaries"),
    "private.explained": (
        "Les personnes physiques et les bénéficiaires qui l'ont demandé sont regroupés, sans "
        "nom : seuls leurs montants totaux sont publiés.",
        "Le persone fisiche e i beneficiari che lo hanno chiesto sono raggruppati, senza "
        "nome: sono pubblicati solo i loro importi totali.",
        "Individuals and beneficiaries who asked for privacy are grouped, without names: only "
        "their total amounts are published."),
    "grant.title": ("Subvention {id}", "Contributo {id}", "Grant {id}"),
    "grant.net": ("Coût final pour le fonds", "Costo finale per il fondo",
                  "Final cost to the fund"),
    "grant.project": ("Projet", "Progetto", "Project"),
    "grant.city": ("Commune", "Comune", "Town"),
    "grant.committee": ("Décision du comité", "Commissione di valutazione",
                        "Committee decision"),
    "grant.cup": ("Code CUP", "Codice CUP", "CUP code"),
    "grant.grantee_kind": ("Nature du bénéficiaire", "Tipo di beneficiario", "Grantee type"),
    "grant.paid_share": ("Part versée", "Quota erogata", "Share paid"),
    "grant.impact": ("Impact mesuré du projet", "Impatto misurato del progetto",
                     "The project's measured impact"),
    "grants.title": ("Toutes les subventions", "Tutti i contributi concessi", "All grants"),
    "grants.intro": ("Subventions accordées, par date de décision.",
                     "Contributi concessi, per data di concessione.",
                     "Grants awarded, by date of award."),
    "impact.projects": ("Projets mesurés", "Progetti misurati", "Projects measured"),
    "nav.opendata": ("Données ouvertes", "Dati aperti", "Open data"),
    "opendata.title": ("Données ouvertes", "Dati aperti", "Open data"),
    "opendata.intro": (
        "Les subventions de ces comptes, dans les formats que lisent les portails de données "
        "publiques. Chaque fichier est vérifié avant publication contre le schéma officiel "
        "de son format.",
        "I contributi di questa contabilità, nei formati letti dai portali di dati pubblici. "
        "Ogni file è verificato prima della pubblicazione rispetto allo schema ufficiale del "
        "suo formato.",
        "The grants in these books, in the formats open-data portals read. Each file is "
        "checked against its format's official schema before it is published."),
    "opendata.dataset": ("Jeu de données", "Dataset", "Dataset"),
    "opendata.schema": ("Schéma", "Schema", "Schema"),
    "opendata.format": ("Format", "Formato", "Format"),
    "opendata.grants": ("Subventions", "Contributi", "Grants"),
    "opendata.withheld": ("Non nominatives", "Dati oscurati", "Withheld"),
    "opendata.withheld_value": ("{count} — {amount}", "{count} — {amount}",
                                "{count} — {amount}"),
    "opendata.360giving": ("360Giving", "360Giving", "360Giving"),
    "opendata.scdl": ("Subventions (SCDL)", "Sovvenzioni (SCDL, Francia)",
                      "Subsidies (SCDL, France)"),
    "opendata.trasparenza": ("Aides accordées (Italie)", "Atti di concessione",
                             "Economic aid granted (Italy)"),
    "opendata.none": ("Aucune subvention à publier pour l'instant.",
                      "Nessun contributo da pubblicare per ora.",
                      "No grant to publish yet."),
    "opendata.licence": ("Licence", "Licenza", "Licence"),
    "opendata.licence_text": (
        "Données publiées par {publisher} sous {licence} : réutilisation libre, y compris "
        "commerciale, en citant la source.",
        "Dati pubblicati da {publisher} con licenza {licence}: riutilizzo libero, anche "
        "commerciale, citando la fonte.",
        "Data published by {publisher} under {licence}: free reuse, commercial included, "
        "with attribution."),
    "opendata.withheld_note": (
        "Les subventions à des personnes physiques, et celles dont le bénéficiaire a demandé "
        "la confidentialité, gardent leur montant et leur date mais aucun nom ni identifiant ; "
        "un format qui exige un nom ne les contient pas. Le fichier « .withheld.json » de "
        "chaque jeu donne leur nombre et leur total.",
        "I contributi a persone fisiche, e quelli il cui beneficiario ha chiesto la "
        "riservatezza, conservano importo e data ma nessun nome né identificativo; un formato "
        "che richiede un nome non li contiene. Il file «.withheld.json» di ogni dataset ne "
        "indica numero e totale.",
        "Grants to natural persons, and grants whose beneficiary asked for privacy, keep their "
        "amount and date but no name or identifier; a format that requires a name leaves them "
        "out. Each dataset's \".withheld.json\" file gives their count and total."),
    "opendata.schemas_note": (
        "Schémas : SCDL Subventions (OpenDataFrance, Unlicense) ; 360Giving Data Standard "
        "(360Giving, CC BY 4.0) ; la liste italienne suit les articles 26 et 27 du D.Lgs. "
        "33/2013, faute de schéma officiel.",
        "Schemi: SCDL Subventions (OpenDataFrance, Unlicense); 360Giving Data Standard "
        "(360Giving, CC BY 4.0); l'elenco italiano segue gli articoli 26 e 27 del D.Lgs. "
        "33/2013, in mancanza di uno schema ufficiale.",
        "Schemas: SCDL Subventions (OpenDataFrance, Unlicense); 360Giving Data Standard "
        "(360Giving, CC BY 4.0); the Italian list follows articles 26 and 27 of D.Lgs. "
        "33/2013, as no official schema exists."),
    "contributors.title": ("Les contributeurs", "I finanziatori", "The contributors"),
    "contributors.intro": (
        "Chaque fonds emploie l'argent dans l'ordre où il l'a reçu (premier entré, premier "
        "sorti) : on peut donc suivre l'argent de chaque contributeur jusqu'aux projets "
        "qu'il a financés.",
        "Ogni fondo impiega il denaro nell'ordine in cui lo ha ricevuto (primo entrato, "
        "primo uscito): si può quindi seguire il denaro di ogni finanziatore fino ai "
        "progetti che ha finanziato.",
        "Each fund spends money in the order it came in (first in, first out), so each "
        "contributor's money can be followed to the projects it paid for."),
    "contributors.private": (
        "Les donateurs qui ont demandé la confidentialité ne sont pas nommés.",
        "I donatori che hanno chiesto la riservatezza non sono nominati.",
        "Donors who asked for privacy are not named."),
    "contributor.title": ("Où est allé l'argent de {name}", "Dove è andato il denaro di {name}",
                          "Where the money of {name} went"),
    "contributor.private_grants": ("Subventions à des bénéficiaires confidentiels",
                                   "Contributi a beneficiari riservati",
                                   "Grants to private beneficiaries"),
    "contributor.private_loans": ("Prêts à des emprunteurs confidentiels",
                                  "Prestiti a mutuatari riservati",
                                  "Loans to private borrowers"),
    "contributor.grant_total": ("Montant de la subvention", "Importo del contributo",
                                "Grant amount"),
    "contributor.loan_share": ("Part de son argent encore prêtée",
                               "Quota del suo denaro ancora prestata",
                               "Its money still lent"),
    "contributor.loan_total": ("Montant du prêt", "Importo del prestito", "Loan amount"),
    "contributor.chart": ("Emploi des contributions", "Impiego dei contributi",
                          "Use of the contributions"),
}

#: ``key -> {lang: text}`` of the site's own labels (read from the catalogs when used).
LABELS = Labels(SITE)


def t(key: str, lang: str, **values: object) -> str:
    """The site's label ``key`` in ``lang``, else the shared one (``KeyError`` if neither)."""
    own = messages(i18n.check_language(lang), SITE)
    if key in own:
        text = own[key]
        return text.format(**values) if values else text
    return i18n.t(key, lang, **values)
