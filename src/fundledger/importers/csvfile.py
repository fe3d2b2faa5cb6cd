"""Bank CSV exports with configurable columns.

Banks put a few lines about the account above the header, name their columns in their own
language, use ``;`` and a decimal comma in France and Italy, write dates day first, and
often save in Windows-1252.  A :class:`CsvFormat` says which header names to look for;
``FRENCH`` and ``ITALIAN`` cover the usual exports of both countries.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from charset_normalizer import from_bytes

from fundledger.importers.statement import (
    AMOUNT_LIMIT,
    Balance,
    Line,
    Statement,
    StatementError,
    iban_valid,
    tidy,
)

IBAN_IN_TEXT = re.compile(r"\b([A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,4})?)\b")
ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class CsvFormat:
    """Which columns hold what (any of several header names), and how numbers are written.

    ``amount`` is one signed column; ``debit``/``credit`` are the alternative two-column
    layout (a debit is an outflow whatever its written sign).  Every ``text`` column found
    goes into the narration, in the order given; the first non-empty ``payee`` column is
    the payee, the others join the narration.  Names are compared without case, accents
    or extra blanks.  ``signature``: header names that together identify one bank's
    export (all must be there); ``columns``: the names of the columns of an export that
    has no header row (its first row is already a movement); ``layouts``: the banks'
    layouts a general format tries first, so that it reads each bank's export as the
    bank's own layout does.
    """

    name: str
    date: tuple[str, ...]
    text: tuple[str, ...] = ()
    amount: tuple[str, ...] = ()
    debit: tuple[str, ...] = ()
    credit: tuple[str, ...] = ()
    payee: tuple[str, ...] = ()
    ref: tuple[str, ...] = ()
    balance: tuple[str, ...] = ()
    currency: str = "EUR"
    delimiter: str | None = None
    decimal: str = ","
    date_formats: tuple[str, ...] = ("%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d-%m-%Y", "%Y-%m-%d")
    encoding: str | None = None
    extensions: tuple[str, ...] = field(default=(".csv", ".txt"))
    signature: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    layouts: tuple[CsvFormat, ...] = ()
    label: str = ""


#: A row that states a balance rather than a movement (``SALDO INIZIALE``, ``Solde au``),
#: but not a movement that settles something (``SOLDE DE TOUT COMPTE``, ``SOLDE FACTURE``).
BALANCE_ROW = re.compile(
    r"^\W*(saldo|solde)(\s+(iniziale|finale|contabile|disponibile|liquido|al|alla|"
    r"initial|final|pr[ée]c[ée]dent|cr[ée]diteur|d[ée]biteur|nouveau|ancien|au|"
    r"d'apertura|di chiusura|d[ée]but|fin)\b.*)?\W*$", re.IGNORECASE)
OPENING_WORDS = re.compile(r"inizial|iniziale|apertura|precedente|initial|d[ée]but|ancien|"
                           r"pr[ée]c[ée]dent|ant[ée]rieur|opening", re.IGNORECASE)


def _bank(name: str, label: str, **columns) -> CsvFormat:
    return CsvFormat(name=name, label=label, **columns)


# -- French banks ------------------------------------------------------------------------

BOURSORAMA = _bank(
    "boursorama", "Boursorama (BoursoBank)", date=("dateOp",), text=("label", "comment"),
    amount=("amount",), payee=("supplierFound",), balance=("accountbalance",),
    signature=("dateOp", "dateVal", "label", "amount"))
BNP_PARIBAS = _bank(
    "bnp-paribas", "BNP Paribas", date=("Date operation",),
    text=("Libelle operation", "Libelle court", "Type operation"),
    amount=("Montant operation en euro", "Montant operation"),
    signature=("Date operation", "Libelle court", "Libelle operation"))
SOCIETE_GENERALE = _bank(
    "societe-generale", "Société Générale", date=("Date de l'operation",),
    text=("Libelle", "Detail de l'ecriture"), amount=("Montant de l'operation",),
    signature=("Date de l'operation", "Detail de l'ecriture", "Montant de l'operation"))
CREDIT_AGRICOLE = _bank(
    "credit-agricole", "Crédit Agricole", date=("Date",), text=("Libelle",),
    debit=("Debit euros",), credit=("Credit euros",),
    signature=("Date", "Libelle", "Debit euros", "Credit euros"))
CREDIT_MUTUEL = _bank(
    "credit-mutuel", "Crédit Mutuel (and CIC)", date=("Date",), text=("Libelle",),
    debit=("Debit",), credit=("Credit",), balance=("Solde",),
    signature=("Date", "Date de valeur", "Debit", "Credit", "Libelle"))
#: Caisse d'Épargne and Banque Populaire (both BPCE) share one export.
_BPCE = dict(
    date=("Date de comptabilisation",), payee=("Libelle simplifie",),
    text=("Libelle operation", "Informations complementaires", "Type operation"),
    debit=("Debit",), credit=("Credit",), ref=("Reference",),
    signature=("Date de comptabilisation", "Libelle simplifie", "Libelle operation"))
CAISSE_EPARGNE = _bank("caisse-epargne", "Caisse d'Épargne", **_BPCE)
BANQUE_POPULAIRE = _bank("banque-populaire", "Banque Populaire", **_BPCE)
BANQUE_POSTALE = _bank(
    "banque-postale", "La Banque Postale", date=("Date",), text=("Libelle",),
    amount=("Montant(EUROS)", "Montant (EUROS)", "Montant(EUR)"),
    signature=("Date", "Libelle", "Montant(EUROS)"))
LCL = _bank(
    "lcl", "LCL", date=("Date",), text=("Libelle", "Type", "Categorie", "Sous-categorie"),
    amount=("Montant",), ref=("Numero de cheque",),
    columns=("Date", "Montant", "Type", "Numero de cheque", "Libelle", "Categorie",
             "Sous-categorie", "Compte"))

# -- Italian banks -----------------------------------------------------------------------

INTESA_SANPAOLO = _bank(
    "intesa-sanpaolo", "Intesa Sanpaolo", date=("Data contabile", "Data"),
    text=("Operazione", "Dettagli", "Descrizione", "Descrizione estesa", "Categoria"),
    amount=("Importo",), debit=("Addebiti",), credit=("Accrediti",),
    payee=("Controparte", "Beneficiario / Ordinante"),
    signature=("Data", "Operazione", "Dettagli", "Importo"))
UNICREDIT = _bank(
    "unicredit", "UniCredit", date=("Data Registrazione",), text=("Descrizione",),
    amount=("Importo (EUR)", "Importo"),
    signature=("Data Registrazione", "Data Valuta", "Descrizione"))
BANCOPOSTA = _bank(
    "bancoposta", "BancoPosta (Poste Italiane)", date=("Data Contabile",),
    text=("Descrizione operazioni", "Descrizione"),
    debit=("Addebiti (euro)", "Addebiti"), credit=("Accrediti (euro)", "Accrediti"),
    signature=("Data Contabile", "Data Valuta", "Descrizione operazioni"))
BANCO_BPM = _bank(
    "banco-bpm", "Banco BPM", date=("Data contabile",), text=("Causale", "Descrizione"),
    amount=("Importo",), signature=("Data contabile", "Data valuta", "Causale", "Descrizione",
                                     "Importo", "Divisa"))
BPER = _bank(
    "bper", "BPER Banca", date=("Data operazione",), text=("Descrizione", "Causale"),
    debit=("Dare",), credit=("Avere",),
    signature=("Data operazione", "Data valuta", "Descrizione", "Dare", "Avere"))

FRENCH_BANKS = (BOURSORAMA, BNP_PARIBAS, SOCIETE_GENERALE, CREDIT_AGRICOLE, CREDIT_MUTUEL,
                CAISSE_EPARGNE, BANQUE_POSTALE, LCL)
ITALIAN_BANKS = (INTESA_SANPAOLO, UNICREDIT, BANCOPOSTA, BANCO_BPM, BPER)
#: Every shipped bank layout, by name (``CsvImporter(BANKS["boursorama"])``).
BANKS = {fmt.name: fmt for fmt in (*FRENCH_BANKS, BANQUE_POPULAIRE, *ITALIAN_BANKS)}

FRENCH = CsvFormat(
    name="fr",
    date=("Date", "Date operation", "Date d'operation", "Date de comptabilisation",
          "Date comptable"),
    text=("Libelle", "Libelle operation", "Libelle de l'operation", "Detail", "Informations",
          "Libelle simplifie", "Informations complementaires", "Detail de l'ecriture",
          "Libelle complementaire", "Motif", "Commentaire", "Description"),
    amount=("Montant", "Montant (EUR)", "Montant(EUROS)", "Montant en euros"),
    debit=("Debit", "Debit (EUR)", "Debit euros"),
    credit=("Credit", "Credit (EUR)", "Credit euros"),
    payee=("Tiers", "Nom du tiers", "Beneficiaire", "Contrepartie", "Emetteur",
           "Donneur d'ordre", "Crediteur", "Debiteur"),
    ref=("Reference", "Ref", "Numero d'operation"),
    balance=("Solde", "Solde (EUR)"),
    layouts=FRENCH_BANKS,
)

ITALIAN = CsvFormat(
    name="it",
    date=("Data contabile", "Data operazione", "Data", "Data registrazione"),
    text=("Descrizione", "Causale", "Descrizione operazione", "Dettagli", "Dettaglio",
          "Operazione", "Descrizione estesa", "Descrizione operazioni", "Motivazione",
          "Informazioni aggiuntive", "Note"),
    amount=("Importo", "Importo (EUR)", "Importo in euro"),
    debit=("Dare", "Uscite", "Addebiti"),
    credit=("Avere", "Entrate", "Accrediti"),
    payee=("Controparte", "Nome controparte", "Beneficiario", "Ordinante",
           "Beneficiario / Ordinante", "Ordinante / Beneficiario", "Esercente"),
    ref=("Riferimento", "CRO", "Id operazione"),
    balance=("Saldo",),
    layouts=ITALIAN_BANKS,
)


def _key(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(plain.lower().replace("\u2019", "'").split())


def decode(path: str, raw: bytes, encoding: str | None) -> str:
    """UTF-8 if it is, the configured encoding, else what charset-normalizer finds."""
    if encoding:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise StatementError(path, raw[:exc.start].count(b"\n") + 1,
                                 f"not {encoding}: {exc.reason}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = from_bytes(raw[:65536], cp_isolation=["cp1252", "latin_1", "utf_16"]).best()
    return raw.decode(best.encoding if best else "cp1252", errors="replace")


class Layout:
    """Where a format's columns are in one file, found from its header row."""

    def __init__(self, fmt: CsvFormat, header: list[str]) -> None:
        keys = [_key(h) for h in header]

        def find(names: tuple[str, ...]) -> int | None:
            for name in names:
                if _key(name) in keys:
                    return keys.index(_key(name))
            return None

        self.fmt = fmt
        self.header = header
        self.date, self.amount = find(fmt.date), find(fmt.amount)
        self.debit, self.credit = find(fmt.debit), find(fmt.credit)
        self.ref, self.balance = find(fmt.ref), find(fmt.balance)
        used = {self.date, self.amount, self.debit, self.credit, self.ref, self.balance}

        def every(names: tuple[str, ...]) -> list[int]:
            found: list[int] = []
            for name in names:
                index = keys.index(_key(name)) if _key(name) in keys else None
                if index is not None and index not in used and index not in found:
                    found.append(index)
            return found

        self.payees = every(fmt.payee)
        used.update(self.payees)
        self.text = every(fmt.text)
        self.signed = all(_key(name) in keys for name in fmt.signature)

    @property
    def usable(self) -> bool:
        return self.signed and self.date is not None and (
            self.amount is not None or (self.debit is not None and self.credit is not None))


def read_rows(path: str, fmt: CsvFormat, head_only: bool = False) -> tuple[
        list[str], int, Layout, list[tuple[int, list[str]]]] | None:
    """The lines above the header, the header's line, its layout and the data rows.

    None when no line of the file's top is a header this format knows.
    """
    with open(path, "rb") as handle:
        raw = handle.read(8192) if head_only else handle.read()
    text = decode(path, raw, fmt.encoding)
    lines = text.splitlines()
    delimiter = fmt.delimiter or _delimiter(lines[:30])
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise StatementError(path, reader.line_num, f"malformed CSV: {exc}") from None
    candidates = (*fmt.layouts, fmt) if fmt.layouts else (fmt,)
    for n, row in enumerate(rows[:30]):
        for candidate in candidates:
            if not candidate.signature and candidate.columns:
                continue
            layout = Layout(candidate, [cell.strip() for cell in row])
            if layout.usable:
                data = [(i + 1, r) for i, r in enumerate(rows[n + 1:], n + 1)
                        if any(c.strip() for c in r)]
                return [" ".join(r) for r in rows[:n]], n + 1, layout, data
    for candidate in candidates:
        # An export without a header row (LCL's): its first row is already a movement.
        if candidate.columns and rows and _headerless(rows[0], candidate):
            layout = Layout(candidate, list(candidate.columns))
            data = [(i + 1, r) for i, r in enumerate(rows) if any(c.strip() for c in r)]
            return [], 0, layout, data
    return None


def _headerless(row: list[str], fmt: CsvFormat) -> bool:
    """Whether a first row reads as a movement of a header-less layout (date, amount)."""
    if len(row) < 2 or len(row) > len(fmt.columns) + 1:
        return False
    try:
        _parse_date("", 0, row[0].strip(), fmt)
        _number("", 0, row[1].strip(), fmt, "")
    except StatementError:
        return False
    return True


def _delimiter(lines: list[str]) -> str:
    counts = {d: sum(line.count(d) for line in lines) for d in (";", "\t", ",", "|")}
    return max(counts, key=counts.get) if any(counts.values()) else ";"


def parse(path: str, fmt: CsvFormat) -> list[Statement]:
    """Read a CSV export into one statement, or raise :class:`StatementError`."""
    found = read_rows(path, fmt)
    if found is None:
        raise StatementError(path, 1, f"no header row with the columns of the {fmt.name} "
                             "CSV format (date and amount, or debit and credit)")
    preamble, header_line, layout, rows = found
    iban = next((m.group(1) for line in preamble for m in IBAN_IN_TEXT.finditer(line)
                 if iban_valid(m.group(1))), None)
    fmt = layout.fmt
    statement = Statement(path, max(header_line, 1), fmt.currency, iban=iban)
    balances = []
    stated: list[tuple[str, datetime.date | None, Decimal, int]] = []
    width = len(layout.header)
    for lineno, row in rows:
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            raise StatementError(path, lineno, f"{len(row)} fields where the header has {width} "
                                 "(wrong separator, or a decimal comma in a comma-separated "
                                 "file?)")
        found = _balance_row(path, fmt, layout, lineno, row)
        if found is not None:
            stated.append(found)
            continue
        line, balance = _row(path, fmt, layout, lineno, row)
        statement.lines.append(line)
        if balance is not None:
            balances.append((line.date, balance, lineno))
    _check_running_balance(path, statement.lines, balances)
    if balances and statement.lines:
        # Exports run oldest first or newest first: the closing balance is the one printed
        # beside the latest movement.
        newest_first = statement.lines[0].date > statement.lines[-1].date
        day, amount, lineno = balances[0] if newest_first else balances[-1]
        last = max(line.date for line in statement.lines)
        statement.closing = Balance(last + ONE_DAY, amount, fmt.currency, lineno)
    days = [line.date for line in statement.lines]
    for kind, day, amount, lineno in stated:
        if kind == "opening":
            start = day if day is not None else min(days, default=None)
            if start is not None:
                statement.opening = Balance(start, amount, fmt.currency, lineno)
        else:
            end = (day + ONE_DAY) if day is not None else (
                max(days) + ONE_DAY if days else None)
            if end is not None:
                statement.closing = Balance(end, amount, fmt.currency, lineno)
    statement.check_totals()
    return [statement]


def _balance_row(path: str, fmt: CsvFormat, layout: Layout, lineno: int,
                 row: list[str]) -> tuple[str, datetime.date | None, Decimal, int] | None:
    """An opening or closing balance row (``SALDO INIZIALE``, ``SALDO FINALE``, ``Solde``):
    its kind, its date if it has one, and its amount; None for a movement row."""
    texts = [row[i] for i in (*layout.text, *layout.payees, layout.date) if
             i is not None and i < len(row)]
    words = next((t for t in texts if BALANCE_ROW.match(t.strip())), None)
    if words is None:
        return None

    def cell(index: int | None) -> str:
        return row[index].strip() if index is not None and index < len(row) else ""

    amount = None
    for index in (layout.balance, layout.amount):
        if cell(index):
            amount = _number(path, lineno, cell(index), fmt, layout.header[index])
            break
    if amount is None:
        debit, credit = cell(layout.debit), cell(layout.credit)
        if debit:
            amount = -abs(_number(path, lineno, debit, fmt, layout.header[layout.debit]))
        elif credit:
            amount = abs(_number(path, lineno, credit, fmt, layout.header[layout.credit]))
    if amount is None:
        numbers = [c for c in row if re.fullmatch(r"\s*[-+]?[\d .\u00a0]+,\d{2}\s*", c)]
        if not numbers:
            raise StatementError(path, lineno, f"balance row {tidy(words)!r} without an amount")
        amount = _number(path, lineno, numbers[-1], fmt, "balance")
    day = None
    text = cell(layout.date)
    if text and not BALANCE_ROW.match(text):
        day = _parse_date(path, lineno, text, fmt)
    kind = "opening" if OPENING_WORDS.search(words) else "closing"
    return kind, day, amount, lineno


def _check_running_balance(path: str, lines: list[Line],
                           balances: list[tuple[datetime.date, Decimal, int]]) -> None:
    """Where every row shows the balance, each must follow from the one before it.

    Exports run oldest first or newest first; either order will do, but a repeated or
    missing row breaks both and is refused at the first row where it shows.
    """
    if len(balances) != len(lines) or len(lines) < 2:
        return
    amounts = [line.amount for line in lines]
    values = [balance for _day, balance, _lineno in balances]
    oldest_first = [n for n in range(1, len(values))
                    if values[n] != values[n - 1] + amounts[n]]
    newest_first = [n for n in range(len(values) - 1)
                    if values[n] != values[n + 1] + amounts[n]]
    if oldest_first and newest_first:
        n = min(oldest_first[0], newest_first[0])
        raise StatementError(path, balances[n][2], f"balance {values[n]} does not follow from "
                             "the balance and amount of the row beside it (row repeated, "
                             "missing or altered?)")


def _row(path: str, fmt: CsvFormat, layout: Layout, lineno: int,
         row: list[str]) -> tuple[Line, Decimal | None]:
    def cell(index: int | None) -> str:
        return row[index].strip() if index is not None and index < len(row) else ""

    day = _parse_date(path, lineno, cell(layout.date), fmt)
    if layout.amount is not None:
        value = _number(path, lineno, cell(layout.amount), fmt, layout.header[layout.amount])
    else:
        debit, credit = cell(layout.debit), cell(layout.credit)
        value = Decimal(0)
        if debit:
            value -= abs(_number(path, lineno, debit, fmt, layout.header[layout.debit]))
        if credit:
            value += abs(_number(path, lineno, credit, fmt, layout.header[layout.credit]))
        if not debit and not credit:
            raise StatementError(path, lineno, "no amount in either the debit or credit column")
    payees = [tidy(cell(i)) for i in layout.payees]
    payee = next((p for p in payees if p), "")
    texts: list[str] = []
    for piece in (*(tidy(cell(i)) for i in layout.text), *(p for p in payees if p != payee)):
        # A short label that a fuller one repeats (BNP's "Libellé court", Société
        # Générale's "Libellé" within its "Détail") is said once.
        folded = piece.casefold()
        if not piece or piece == payee or any(folded in t.casefold() for t in texts):
            continue
        texts = [t for t in texts if t.casefold() not in folded]
        texts.append(piece)
    balance_text = cell(layout.balance)
    balance = (_number(path, lineno, balance_text, fmt, layout.header[layout.balance])
               if balance_text else None)
    line = Line(day, value, fmt.currency, payee or None, " ".join(texts),
                tidy(cell(layout.ref)) or None, lineno)
    return line, balance


def _number(path: str, lineno: int, text: str, fmt: CsvFormat, column: str) -> Decimal:
    cleaned = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    cleaned = re.sub(r"(EUR|€)$", "", cleaned, flags=re.IGNORECASE).strip('"')
    if fmt.decimal == ",":
        cleaned = cleaned.replace(".", "").replace(",", ".")
    else:
        cleaned = cleaned.replace(",", "")
    if cleaned.startswith("+"):
        cleaned = cleaned[1:]
    if not re.fullmatch(r"-?\d+(\.\d{1,6})?", cleaned):
        raise StatementError(path, lineno, f"bad amount {text!r} in column {column!r}")
    value = Decimal(cleaned)
    if abs(value) >= AMOUNT_LIMIT:
        raise StatementError(path, lineno, f"bad amount {text!r} in column {column!r}: "
                             "out of range")
    return value


def _parse_date(path: str, lineno: int, text: str, fmt: CsvFormat) -> datetime.date:
    # A time of day after the date (``01/10/2026 14:05``, ``2026-10-01T14:05``) is dropped.
    day = text.replace("T", " ").split(" ", 1)[0] if len(text) > 10 else text
    for pattern in fmt.date_formats:
        try:
            return datetime.datetime.strptime(day, pattern).date()
        except ValueError:
            continue
    raise StatementError(path, lineno, f"bad date {text!r} (expected day first, e.g. 05/10/2026)")
