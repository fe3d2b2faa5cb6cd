"""Real bank files' habits: leniency, bank CSV layouts, consecutive statements, the
configuration's discovery, hooks and names, and `--no-balance`."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from beancount.core import data

from fundledger.importers import CsvImporter, OfxImporter, default_importers
from fundledger.importers.base import CamtImporter, CfonbImporter
from fundledger.importers.csvfile import BANKS, FRENCH, ITALIAN
from fundledger.ledger import load

from .conftest import DATA, SAMPLES, run

OFX = SAMPLES / "caisse-epargne-2026-10-16.ofx"
CAMT = SAMPLES / "caisse-epargne-2026-10-01.camt053.xml"
CFONB = SAMPLES / "banque-territoires-2026-10-01.cfonb120"
BANK_FILES = sorted((DATA / "banks").glob("*.csv"))
ITALIAN_BANKS = {"intesa-sanpaolo", "unicredit", "bancoposta", "banco-bpm", "bper"}


def clean(path: Path) -> list[data.Directive]:
    loaded = load(path)
    assert [e.message for e in loaded.errors] == []
    return loaded.entries


def figures(importer, path: Path) -> list[tuple]:
    return [(str(e.date), str(e.postings[0].units.number), e.payee, e.narration)
            for e in importer.extract(str(path), []) if isinstance(e, data.Transaction)]


# -- OFX, camt.053 and CFONB leniency ---------------------------------------------------

def ofx_variant(tmp_path: Path, change) -> Path:
    target = tmp_path / "variant.ofx"
    target.write_bytes(change(OFX.read_bytes()))
    return target


OFX_VARIANTS = {
    "long-bankid": lambda b: b.replace(b"<BANKID>", b"<BANKID>1234567890", 1).replace(
        b"<BANKID>1234567890", b"<BANKID>", 0),
    "blank-lines-first": lambda b: b"\r\n\r\n\n\n\n\n\n\n\n\n  \n" + b,
    "empty-trnuid": lambda b: re.sub(rb"<TRNUID>[^\r\n<]*", b"<TRNUID>", b, count=1),
    "two-banktranlists": lambda b: re.sub(
        rb"(</STMTTRN>\s*)(<STMTTRN>)",
        rb"\1</BANKTRANLIST><BANKTRANLIST><DTSTART>20261016<DTEND>20261031\n\2", b, count=1),
}


@pytest.mark.parametrize("name", list(OFX_VARIANTS))
def test_ofx_harmless_deviations_read_like_the_original(tmp_path: Path, name: str) -> None:
    importer = OfxImporter(account="Assets:Bank:CaisseEpargne")
    variant = ofx_variant(tmp_path, OFX_VARIANTS[name])
    if name == "long-bankid":
        text = OFX.read_bytes()
        bankid = re.search(rb"<BANKID>([^\r\n<]*)", text).group(1)
        variant.write_bytes(text.replace(b"<BANKID>" + bankid, b"<BANKID>" + bankid + b"99999"))
        assert len(bankid) + 5 >= 10
    assert importer.identify(str(variant))
    assert figures(importer, variant) == figures(importer, OFX)


def test_xml_ofx_without_its_processing_instruction(tmp_path: Path) -> None:
    original = DATA / "ofx-v2-iban.ofx"
    importer = OfxImporter(account="Assets:Bank:CaisseEpargne")
    text = original.read_bytes()
    without = tmp_path / "no-pi.ofx"
    without.write_bytes(re.sub(rb"<\?OFX[^>]*\?>\s*", b"", text))
    bare = tmp_path / "bare.ofx"
    bare.write_bytes(re.sub(rb"<\?[^>]*\?>\s*", b"", text))
    for variant in (without, bare):
        assert importer.identify(str(variant))
        assert figures(importer, variant) == figures(importer, original)


def test_french_ofx_card_number_name_gives_the_merchant_as_payee(tmp_path: Path) -> None:
    text = (DATA / "ofx-v2-iban.ofx").read_bytes().replace(
        b"<NAME>HELLOASSO</NAME><MEMO>Dons en ligne octobre</MEMO>",
        b"<NAME>CB 4974XXXXXXXX1234</NAME><MEMO>CARREFOUR LYON 8</MEMO>")
    path = tmp_path / "card.ofx"
    path.write_bytes(text)
    rows = figures(OfxImporter(account="Assets:Bank:CaisseEpargne"), path)
    assert rows[0][2] == "CARREFOUR LYON 8"
    assert "4974XXXXXXXX1234" in rows[0][3]


def test_camt_entries_without_status_are_booked(tmp_path: Path) -> None:
    path = tmp_path / "nosts.xml"
    path.write_bytes(re.sub(rb"<Sts>\s*BOOK\s*</Sts>", b"", CAMT.read_bytes()))
    importer = CamtImporter(account="Assets:Bank:CaisseEpargne")
    assert figures(importer, path) == figures(importer, CAMT)


def test_cfonb_blank_currency_and_blank_reference(tmp_path: Path) -> None:
    lines = CFONB.read_text(encoding="latin-1").splitlines()
    changed = [(ln[:16] + "   " + ln[19:]) if ln.startswith(("01", "07")) else ln
               for ln in lines]
    # The last movement (no REF complement): reference zone blank, entry number 0004217.
    first = max(n for n, ln in enumerate(changed) if ln.startswith("04"))
    changed[first] = changed[first][:81] + "0004217" + changed[first][88:104] + " " * 16
    path = tmp_path / "blank.cfonb"
    path.write_text("\n".join(changed) + "\n", encoding="latin-1")
    importer = CfonbImporter(account="Assets:Bank:BanqueDesTerritoires")
    assert importer.identify(str(path))
    entries = importer.extract(str(path), [])
    txns = [e for e in entries if isinstance(e, data.Transaction)]
    assert len(txns) == len(figures(importer, CFONB))
    assert [t.meta.get("bank-ref") for t in txns][-1] == "0004217"
    assert all(e.amount.currency == "EUR" for e in entries if isinstance(e, data.Balance))


def test_amounts_are_written_with_two_decimals(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("Date;Libellé;Montant\n01/10/2026;A;-533\n02/10/2026;B;-905,3\n",
                    encoding="utf-8")
    result = run("import", path, "--ledger", DATA / "lyon-mini.beancount",
                 "--account", "Assets:Bank:CaisseEpargne")
    assert result.exit_code == 0, result.stderr
    assert "-533.00 EUR" in result.stdout and "-905.30 EUR" in result.stdout


# -- bank CSV layouts ---------------------------------------------------------------------

@pytest.mark.parametrize("path", BANK_FILES, ids=lambda p: p.stem)
def test_each_bank_export_is_read_by_its_layout_and_by_the_general_one(path: Path) -> None:
    own = CsvImporter(BANKS[path.stem], account="Assets:Bank:X")
    general = CsvImporter(ITALIAN if path.stem in ITALIAN_BANKS else FRENCH,
                          account="Assets:Bank:X")
    assert own.identify(str(path)) and general.identify(str(path))
    assert [imp.name for imp in default_importers() if imp.identify(str(path))] == [
        general.name]
    rows = figures(own, path)
    assert rows and rows == figures(general, path)
    assert all(narration for _d, _a, _p, narration in rows)
    assert all(re.fullmatch(r"-?\d+\.\d\d", amount) for _d, amount, _p, _n in rows)


def test_every_description_column_reaches_the_entry() -> None:
    intesa = figures(CsvImporter(BANKS["intesa-sanpaolo"], account="Assets:Bank:X"),
                     DATA / "banks" / "intesa-sanpaolo.csv")
    assert ("2026-10-15", "-7500.00", None,
            "Bonifico disposto a favore di Cooperativa Sociale Il Margine Contributo bando "
            "Innovazione Sociale 2026 CUP B12F26000 Trasferimenti") in intesa
    posta = figures(CsvImporter(BANKS["bancoposta"], account="Assets:Bank:X"),
                    DATA / "banks" / "bancoposta.csv")
    assert ("2026-10-07", "-64.90", None, "PAGAMENTO POSTAMAT ESSELUNGA TORINO") in posta
    bourso = figures(CsvImporter(BANKS["boursorama"], account="Assets:Bank:X"),
                     DATA / "banks" / "boursorama.csv")
    assert ("2026-10-12", "500.00", "atelier solidaire",
            "VIR SEPA RECU /DE ATELIER SOLIDAIRE /MOTIF COTISATION cotisation 2026") in bourso
    bpce = figures(CsvImporter(BANKS["caisse-epargne"], account="Assets:Bank:X"),
                   DATA / "banks" / "caisse-epargne.csv")
    passerelle = next(row for row in bpce if row[1] == "3000.00")
    assert passerelle[2] == "ASSOCIATION PASSERELLE"
    assert "Remboursement avance G-2026-004" in passerelle[3]


def test_saldo_rows_become_balance_assertions(tmp_path: Path) -> None:
    path = DATA / "banks" / "bancoposta.csv"
    importer = CsvImporter(BANKS["bancoposta"], account="Assets:Bank:X")
    balances = [(str(e.date), str(e.amount.number)) for e in importer.extract(str(path), [])
                if isinstance(e, data.Balance)]
    # 5,230.18 before the first day, 6,963.28 at the end; each dated from the movements.
    assert balances == [("2026-10-03", "7030.18"), ("2026-10-12", "6965.28")]
    wrong = tmp_path / "wrong.csv"
    wrong.write_bytes(path.read_bytes().replace(b"6.963,28", b"6.963,29"))
    with pytest.raises(Exception, match=r"6963\.28.*6963\.29"):
        importer.extract(str(wrong), [])


# -- totals, --no-balance ---------------------------------------------------------------

def test_a_statement_that_does_not_add_up_is_refused_naming_both_figures(
        ledger: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes((DATA / "banks" / "bancoposta.csv").read_bytes().replace(
        b"6.963,28", b"6.900,00"))
    result = run("import", path, "--ledger", ledger, "--account", "Assets:Bank:CaisseEpargne")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert "6963.28" in result.stderr and "6900.00" in result.stderr
    before = clean(ledger)
    result = run("import", path, "--ledger", ledger, "--account", "Assets:Bank:CaisseEpargne",
                 "--no-balance", "--apply")
    assert result.exit_code == 0, result.stderr
    assert "--no-balance" in result.stderr
    entries = clean(ledger)
    added = [e for e in entries if e not in before]
    assert not [e for e in added if isinstance(e, data.Balance)]
    assert sorted(str(e.postings[0].units.number) for e in added
                  if isinstance(e, data.Transaction)) == ["-2.00", "-64.90", "1800.00"]


# -- consecutive statements, either order ---------------------------------------------------

def cfonb_statement(opening: Decimal, start: str, moves: list[tuple[str, str, str]],
                    end: str) -> str:
    from .make_data import cfonb_amount

    def head(code: str, day: str) -> str:
        return f"{code}40031    00001EUR2 00001234567  {day}"

    records = [(head("01", start).ljust(90) + cfonb_amount(opening)).ljust(120)]
    total = opening
    for day, amount, ref in moves:
        value = Decimal(amount)
        total += value
        records.append(head("04", day) + f"  {day}" + f"MOVE {ref}".ljust(31) + "  0000000  "
                       + cfonb_amount(value) + ref.ljust(16))
    records.append((head("07", end).ljust(90) + cfonb_amount(total)).ljust(120))
    return "\n".join(records) + "\n"


BOOKS = """option "operating_currency" "EUR"
2026-01-01 open Assets:Bank:B EUR
  account-number: "00001234567"
2026-01-01 open Equity:Opening EUR
2026-10-31 * "Opening balance"
  Assets:Bank:B  1000.00 EUR
  Equity:Opening
"""


@pytest.mark.parametrize("order", ["in order", "reversed", "middle first"])
def test_consecutive_statements_hold_in_either_order(tmp_path: Path, order: str) -> None:
    """November's last lines are on the 30th; December holds two more lines booked on
    30 November, one reusing a November reference; January's closing date (31 January)
    comes before its last movement (as PostFinance does)."""
    opening = Decimal("1000.00")
    nov = cfonb_statement(opening, "311026", [("021126", "-35.00", "REFERENCE"),
                                              ("301126", "-12.00", "N2"),
                                              ("301126", "250.00", "N3")], "301126")
    dec_open = opening - 35 - 12 + 250
    dec = cfonb_statement(dec_open, "301126", [("301126", "-35.00", "REFERENCE"),
                                               ("301126", "-4.50", "D1"),
                                               ("151226", "100.00", "D2")], "311226")
    jan_open = dec_open - 35 - Decimal("4.50") + 100
    jan = cfonb_statement(jan_open, "311226", [("050127", "-60.00", "J1"),
                                               ("020227", "-1.00", "J2")], "310127")
    files = []
    for name, text in (("nov", nov), ("dec", dec), ("jan", jan)):
        path = tmp_path / f"{name}.cfonb"
        path.write_text(text, encoding="latin-1")
        files.append(path)
    if order == "reversed":
        files.reverse()
    elif order == "middle first":
        files = [files[1], files[2], files[0]]
    ledger = tmp_path / "books.beancount"
    ledger.write_text(BOOKS)
    for path in files:  # one command per statement, as a treasurer would
        result = run("import", path, "--ledger", ledger, "--apply")
        assert result.exit_code == 0, result.stderr
    entries = clean(ledger)  # every balance assertion written holds
    moves = sorted((str(e.date), str(e.postings[0].units.number)) for e in entries
                   if isinstance(e, data.Transaction) and e.narration.startswith("MOVE"))
    # The December line reusing November's reference is a new movement: both are there.
    assert moves == sorted([("2026-11-02", "-35.00"), ("2026-11-30", "-12.00"),
                            ("2026-11-30", "250.00"), ("2026-11-30", "-35.00"),
                            ("2026-11-30", "-4.50"), ("2026-12-15", "100.00"),
                            ("2027-01-05", "-60.00"), ("2027-02-02", "-1.00")])
    asserted = sorted((str(e.date), str(e.amount.number)) for e in entries
                      if isinstance(e, data.Balance))
    assert len(asserted) >= 4
    assert run("import", *files, "--ledger", ledger, "--apply").exit_code == 0
    assert len(clean(ledger)) == len(entries)  # nothing twice


# -- configuration: discovery message, hooks, names ----------------------------------------

def test_without_configuration_stderr_says_where_it_looked(ledger: Path) -> None:
    result = run("import", CFONB, "--ledger", ledger)
    assert result.exit_code == 0, result.stderr
    first = result.stderr.splitlines()[0]
    assert "no categorisation rule loaded" in first
    assert str(ledger.parent) in first and "its parents" in first
    assert "current folder" in first


def test_configuration_in_the_current_folder_is_used(ledger: Path, tmp_path: Path,
                                                     monkeypatch) -> None:
    here = tmp_path / "elsewhere"
    (here / "importers").mkdir(parents=True)
    (here / "importers" / "config.py").write_text(
        "from fundledger.importers import CfonbImporter\nCONFIG = [CfonbImporter()]\n")
    monkeypatch.chdir(here)
    result = run("import", CFONB, "--ledger", ledger)
    assert result.exit_code == 0, result.stderr
    assert "no categorisation rule" not in result.stderr


def test_hooks_run_and_two_importers_of_one_format_have_their_own_names(
        ledger: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.py"
    config.write_text(
        "from fundledger.importers import CsvImporter, OfxImporter\n"
        "from fundledger.importers.csvfile import BANKS\n"
        "CONFIG = [CsvImporter(BANKS['boursorama'], account='Assets:Bank:CaisseEpargne',\n"
        "                      name='bourso-courant'),\n"
        "          CsvImporter(BANKS['bancoposta'], account='Assets:Bank:BanqueDesTerritoires',"
        "\n                      name='posta'),\n"
        "          OfxImporter()]\n"
        "def tag(extracted, existing):\n"
        "    out = []\n"
        "    for filename, entries, account, importer in extracted:\n"
        "        for e in entries:\n"
        "            if hasattr(e, 'tags'):\n"
        "                e.meta['imported-by'] = importer.name\n"
        "        out.append((filename, entries, account, importer))\n"
        "    return out\n"
        "HOOKS = [tag]\n")
    result = run("import", DATA / "banks" / "boursorama.csv", DATA / "banks" / "bancoposta.csv",
                 "--ledger", ledger, "--config", config)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count('imported-by: "bourso-courant"') == 4
    assert result.stdout.count('imported-by: "posta"') == 3
    twice = tmp_path / "twice.py"
    twice.write_text("from fundledger.importers import CsvImporter\n"
                     "CONFIG = [CsvImporter(), CsvImporter()]\n")
    result = run("import", CFONB, "--ledger", ledger, "--config", twice)
    assert result.exit_code == 2 and "two importers are named 'fundledger.csv.fr'" in result.stderr


def test_fava_accepts_two_named_importers_of_one_format(tmp_path: Path) -> None:
    from fava.core.ingest import load_import_config

    config = tmp_path / "config.py"
    config.write_text("from fundledger.importers import CamtImporter\n"
                      "CONFIG = [CamtImporter(name='camt-ce'), CamtImporter(name='camt-bdt')]\n")
    loaded = load_import_config(config)
    assert sorted(loaded.importers) == ["camt-bdt", "camt-ce"]


def test_a_movement_named_solde_is_a_movement(tmp_path: Path) -> None:
    path = tmp_path / "solde.csv"
    path.write_text("Date;Libellé;Montant\n01/10/2026;SOLDE DE TOUT COMPTE M. DUPONT;-1200,00\n"
                    "02/10/2026;SOLDE FACTURE 2026-114;-80,00\n;SOLDE AU 02/10/2026;5000,00\n",
                    encoding="utf-8")
    importer = CsvImporter(FRENCH, account="Assets:Bank:X")
    entries = importer.extract(str(path), [])
    assert [str(e.postings[0].units.number) for e in entries
            if isinstance(e, data.Transaction)] == ["-1200.00", "-80.00"]
    assert [(str(e.date), str(e.amount.number)) for e in entries
            if isinstance(e, data.Balance)] == [("2026-10-02", "5080.00")]


def test_many_movements_of_one_amount_are_matched_one_to_one() -> None:
    import datetime

    from fundledger.importers.dedup import DUPLICATE, mark_duplicates

    from .test_dedup_properties import txn

    start = datetime.date(2020, 1, 1)
    books = [txn(str(start + datetime.timedelta(days=n)), "-1.50", f"F{n}")
             for n in range(3000)]
    new = [txn(str(start + datetime.timedelta(days=n)), "-1.50", f"G{n}")
           for n in range(2990, 3010)]
    mark_duplicates(new, books)
    assert sum(1 for t in new if not t.meta.get(DUPLICATE)) == 10


def test_overlapping_downloads_with_reissued_fitids_add_nothing_twice(ledger: Path,
                                                                      tmp_path: Path) -> None:
    """Three overlapping downloads of one account, each reissuing the FITIDs of its lines
    (as Banque Populaire does): every movement once, every balance holding."""
    from .test_dedup_properties import ofx_file

    ofx = OfxImporter(account="Assets:Bank:CaisseEpargne")
    statement = ofx.statements(str(OFX))[0]
    lines = sorted(statement.lines, key=lambda ln: ln.date)
    closing = statement.closing.amount
    opening = closing - sum((ln.amount for ln in lines), Decimal(0))
    days = sorted({ln.date for ln in lines})
    cuts = [(0, len(days) * 2 // 3), (len(days) // 3, len(days)), (0, len(days))]
    paths = []
    for n, (a, b) in enumerate(cuts):
        chosen = [ln for ln in lines if days[a] <= ln.date <= days[b - 1]]
        before = opening + sum((ln.amount for ln in lines if ln.date < days[a]), Decimal(0))
        text = ofx_file(chosen, before, [f"DL{n}-{i}" for i in range(len(chosen))])
        path = tmp_path / f"download-{n}.ofx"
        path.write_text(text.replace("<ACCTID>00001234567", "<ACCTID>00080012345"),
                        encoding="latin-1")
        paths.append(path)
    # The books first reach the downloads' start (the first half of October).
    assert run("import", CAMT, "--ledger", ledger, "--apply").exit_code == 0
    for path in paths:
        result = run("import", path, "--ledger", ledger, "--apply", "--account",
                     "Assets:Bank:CaisseEpargne")
        assert result.exit_code == 0, result.stderr
    entries = clean(ledger)
    got = sorted((str(e.date), str(e.postings[0].units.number)) for e in entries
                 if isinstance(e, data.Transaction) and str(e.meta.get("bank-ref", "")
                                                          ).startswith("DL"))
    assert got == sorted((str(ln.date), str(ln.amount)) for ln in lines)


def test_ofx_amounts_with_a_decimal_comma(tmp_path: Path) -> None:
    text = OFX.read_bytes()
    changed = re.sub(rb"(<(?:TRNAMT|BALAMT)>-?\d+)\.(\d\d)", rb"\1,\2", text)
    assert changed != text
    path = tmp_path / "comma.ofx"
    path.write_bytes(changed)
    importer = OfxImporter(account="Assets:Bank:CaisseEpargne")
    assert figures(importer, path) == figures(importer, OFX)


def test_csv_dates_with_a_time_of_day(tmp_path: Path) -> None:
    path = tmp_path / "times.csv"
    path.write_text("Data;Descrizione;Importo\n01/10/2026 14:05;A;-1,00\n"
                    "2026-10-02T09:00:00;B;2,00\n", encoding="utf-8")
    rows = figures(CsvImporter(ITALIAN, account="Assets:Bank:X"), path)
    assert [(d, a) for d, a, _p, _n in rows] == [("2026-10-01", "-1.00"), ("2026-10-02", "2.00")]


def test_camt_inside_an_envelope(tmp_path: Path) -> None:
    text = CAMT.read_text(encoding="utf-8")
    body = text.split("?>", 1)[1] if text.startswith("<?xml") else text
    wrapped = ('<?xml version="1.0" encoding="UTF-8"?>\n<BizMsgEnvlp><AppHdr xmlns="urn:iso:'
               'std:iso:20022:tech:xsd:head.001.001.02"><MsgDefIdr>camt.053.001.08'
               "</MsgDefIdr></AppHdr>" + body + "</BizMsgEnvlp>\n")
    path = tmp_path / "envelope.xml"
    path.write_text(wrapped, encoding="utf-8")
    importer = CamtImporter(account="Assets:Bank:CaisseEpargne")
    assert importer.identify(str(path))
    assert figures(importer, path) == figures(importer, CAMT)
