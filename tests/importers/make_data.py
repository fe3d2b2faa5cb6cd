"""Write the generated test statements, the CFONB and CSV Lyon samples, and lyon-mini.

Run it (``python tests/importers/make_data.py``) when the Lyon demo books change where the
samples start (bank balances at 2026-09-30, grants still payable, loans outstanding),
after updating the figures below and the camt.053/OFX samples by hand; then regenerate
the expected files (``FUNDLEDGER_REGENERATE=1 pytest tests/importers/test_expected.py``).
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
SAMPLES = HERE.parents[1] / "importers" / "samples"

# Where the Lyon demo books stand at the end of 2026-09-30.
CE_OPENING, BDT_OPENING = D("374551.40"), D("117398.74")
GRANTS = [  # id, fund, expense account, grantee, awarded, paid, bank
    ("G-2026-001", "circuits-courts", "CircuitsCourts", "Épicerie solidaire de la Duchère",
     D(12500), D(0), "CaisseEpargne"),
    ("G-2026-002", "logement-insertion", "LogementInsertion", "Sport dans la Ville",
     D(20000), D(12000), "CaisseEpargne"),
    ("G-2026-003", "zero-dechet", "ZeroDechet", "Collectif zéro déchet Lyon",
     D(22000), D(13200), "CaisseEpargne"),
    ("G-2026-005", "immobilier-ess", "ImmobilierESS", "Coopérative Locaux partagés du Rhône",
     D(13000), D(13000), "BanqueDesTerritoires"),
    ("G-2026-006", "logement-insertion", "LogementInsertion",
     "Foyer de jeunes travailleurs de Gerland", D(45000), D(27000), "CaisseEpargne"),
    ("G-2026-007", "logement-insertion", "LogementInsertion",
     "Régie de quartier Villeurbanne Est", D(40000), D(24000), "CaisseEpargne"),
    ("G-2026-009", "immobilier-ess", "ImmobilierESS", "Pôle ESS des Gratte-Ciel",
     D(79500), D(31800), "BanqueDesTerritoires"),
]
LOANS = [("P-2021-002", "Pôle ESS des Gratte-Ciel", D(50000), 60, 12),
         ("P-2024-005", "Coopérative Locaux partagés du Rhône", D(60000), 60, 12),
         ("P-2025-006", "Tiers-lieu Les Ateliers de Vaulx", D(20000), 36, 3)]


def cfonb_amount(value: D, decimals: int = 2) -> str:
    units = int(abs(value) * 10**decimals)
    sign = "{ABCDEFGHI" if value >= 0 else "}JKLMNOPQR"
    return f"{units // 10:013d}" + sign[units % 10]


def cfonb_sample() -> tuple[list[str], D]:
    """The Banque des Territoires statement of 1-15 October, and its closing balance."""
    bank, branch, acct = "40031", "00001", "00001234567"

    def head(code: str, opcode: str = "    ", interbank: str = "  ", date: str = "      "):
        return f"{code}{bank}{opcode}{branch}EUR2 {acct}{interbank}{date}"

    def balance(code: str, date: str, value: D) -> str:
        return (head(code, date=date).ljust(90) + cfonb_amount(value)).ljust(120)

    def movement(op: str, ib: str, date: str, label: str, value: D, ref: str = "") -> str:
        rec = (head("04", op, ib, date) + "  " + date + label.ljust(31)[:31] + "  0000000  "
               + cfonb_amount(value) + ref.ljust(16))
        assert len(rec) == 120
        return rec

    def complement(op: str, ib: str, date: str, qualifier: str, info: str) -> str:
        rec = head("05", op, ib, date) + "     " + qualifier + info.ljust(70)[:70] + "  "
        assert len(rec) == 120
        return rec

    moves = [D("1041.67"), D("1250.00"), D("-23850.00"), D("-25.00")]
    closing = BDT_OPENING + sum(moves)
    return [
        balance("01", "300926", BDT_OPENING),
        movement("0500", "05", "011026", "VIR SEPA RECU PÔLE ESS GRATTE-CIEL", moves[0]),
        complement("0500", "05", "011026", "NPY", "PÔLE ESS DES GRATTE-CIEL"),
        complement("0500", "05", "011026", "LIB", "ECHEANCE PRET P-2021-002 10/2026"),
        complement("0500", "05", "011026", "REF", "BDT26100100001"),
        movement("0500", "05", "051026", "VIR SEPA RECU COOP LOCAUX PARTAGES", moves[1],
                 "BDT26100500002"),
        complement("0500", "05", "051026", "NPY", "COOPERATIVE LOCAUX PARTAGES DU RHONE"),
        complement("0500", "05", "051026", "LIB", "REMBOURSEMENT P-2024-005 ECHEANCE 11"),
        movement("0600", "06", "091026", "VIR SEPA EMIS POLE ESS GRATTE-CIEL", moves[2]),
        complement("0600", "06", "091026", "NBE", "POLE ESS DES GRATTE-CIEL"),
        complement("0600", "06", "091026", "LIB", "SUBVENTION G-2026-009 VERSEMENT 2/3"),
        complement("0600", "06", "091026", "RCN", "FIS-G-2026-009-2"),
        complement("0600", "06", "091026", "REF", "BDT26100900003"),
        movement("1100", "62", "151026", "COMMISSION VIREMENTS SEPA", moves[3]),
        balance("07", "151026", closing),
    ], closing


def csv_sample(opening: D) -> bytes:
    moves = [("19/10/2026", "VIR SEPA EMIS CABINET KIMSO ÉTUDE D'IMPACT", D("-2400.00")),
             ("20/10/2026", "COTISATION CARTE AFFAIRES", D("-4.50")),
             ("27/10/2026", "VIR SEPA RECU COOP LOCAUX PARTAGES TROP-PERÇU G-2026-005",
              D("400.00")),
             ("30/10/2026", "VIR SEPA RECU TIERS-LIEU LES ATELIERS DE VAULX ÉCHÉANCE P-2025-006",
              D("606.06"))]

    def fr(value: D) -> str:
        return f"{value:,.2f}".replace(",", " ").replace(".", ",")

    rows, balance = [], opening
    for day, label, value in moves:
        balance += value
        debit, credit = (fr(-value), "") if value < 0 else ("", fr(value))
        rows.append(f"{day};{label};;{debit};{credit};{fr(balance)}")
    head = ["Relevé de compte;Banque des Territoires;;;;",
            "IBAN;FR76 4003 1000 0100 0012 3456 786;;;;",
            "Période;du 16/10/2026 au 31/10/2026;;;;", ";;;;;",
            "Date;Libellé;Référence;Débit;Crédit;Solde"]
    return ("\r\n".join(head + rows[::-1]) + "\r\n").encode("cp1252")


def lyon_mini() -> str:
    out, bal = [], {"CaisseEpargne": D(0), "BanqueDesTerritoires": D(0)}
    for fund, bank, amount in [("general", "CaisseEpargne", D(50000)),
                               ("circuits-courts", "CaisseEpargne", D(50000)),
                               ("logement-insertion", "CaisseEpargne", D(120000)),
                               ("zero-dechet", "CaisseEpargne", D(40000)),
                               ("immobilier-ess", "BanqueDesTerritoires", D(300000))]:
        out.append(f'2026-01-02 * "Métropole de Lyon" "Contribution {fund}"\n  fund: "{fund}"\n'
                   f"  Assets:Bank:{bank}  {amount:.2f} EUR\n  Income:Contributions:Metropole\n")
        bal[bank] += amount
    for gid, fund, acct, grantee, award, paid, bank in GRANTS:
        out.append(f'2026-02-02 * "{grantee}" "Subvention {gid}"\n  grant: "{gid}"\n'
                   f'  fund: "{fund}"\n  grantee-kind: "association"\n'
                   f"  Expenses:Grants:{acct}  {award:.2f} EUR\n  Liabilities:GrantsPayable\n")
        if paid:
            out.append(f'2026-03-02 * "{grantee}" "Versement {gid}"\n  grant: "{gid}"\n'
                       f"  Liabilities:GrantsPayable  {paid:.2f} EUR\n  Assets:Bank:{bank}\n")
            bal[bank] -= paid
    for lid, who, amount, term, grace in LOANS:
        out.append(f'2026-02-10 * "{who}" "Prêt {lid}"\n  loan: "{lid}"\n'
                   f'  fund: "immobilier-ess"\n  term-months: {term}\n  grace-months: {grace}\n'
                   f"  Assets:Loans:PretsSansInteret  {amount:.2f} EUR\n"
                   "  Assets:Bank:BanqueDesTerritoires\n")
        bal["BanqueDesTerritoires"] -= amount
    head = (DATA / "lyon-mini.head").read_text(encoding="utf-8").format(
        ce=CE_OPENING - bal["CaisseEpargne"], bdt=BDT_OPENING - bal["BanqueDesTerritoires"])
    tail = (f"\n2026-10-01 balance Assets:Bank:CaisseEpargne  {CE_OPENING} EUR\n"
            f"2026-10-01 balance Assets:Bank:BanqueDesTerritoires  {BDT_OPENING} EUR\n")
    return head + "\n".join(out) + tail


def main() -> None:
    records, bdt_mid = cfonb_sample()
    (SAMPLES / "banque-territoires-2026-10-01.cfonb120").write_bytes(
        ("\r\n".join(records) + "\r\n").encode("latin-1"))
    (SAMPLES / "banque-territoires-2026-10-16.csv").write_bytes(csv_sample(bdt_mid))
    (DATA / "lyon-mini.beancount").write_text(lyon_mini(), encoding="utf-8")
    # CFONB variants: trailing blanks lost (LF only), and line breaks lost.
    (DATA / "cfonb-stripped.txt").write_bytes(
        ("\n".join(r.rstrip() for r in records) + "\n").encode("latin-1"))
    (DATA / "cfonb-oneline.txt").write_bytes("".join(records).encode("latin-1"))
    bad = DATA / "malformed"
    sign = list(records)
    sign[5] = sign[5][:103] + "X" + sign[5][104:]
    (bad / "cfonb-bad-sign.txt").write_bytes(("\r\n".join(sign) + "\r\n").encode("latin-1"))
    (bad / "cfonb-truncated.txt").write_bytes(
        ("\r\n".join(records[:-1]) + "\r\n").encode("latin-1"))
    unknown = list(records)
    unknown[8] = "09" + unknown[8][2:]
    (bad / "cfonb-bad-record.txt").write_bytes(("\r\n".join(unknown) + "\r\n").encode("latin-1"))
    ofx = (SAMPLES / "caisse-epargne-2026-10-16.ofx").read_text()
    cut = ofx.index("<STMTTRN>", ofx.index("<STMTTRN>") + 5) + 40
    (bad / "ofx-truncated.ofx").write_text(ofx[:cut])


if __name__ == "__main__":
    main()
