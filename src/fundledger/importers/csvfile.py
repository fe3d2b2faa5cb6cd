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
    layout (a debit is an outflow whatever its written sign).  Names are compared without
    case, accents or extra blanks.
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


FRENCH = CsvFormat(
    name="fr",
    date=("Date", "Date operation", "Date d'operation", "Date de comptabilisation",
          "Date comptable"),
    text=("Libelle", "Libelle operation", "Libelle de l'operation", "Detail", "Informations"),
    amount=("Montant", "Montant (EUR)", "Montant(EUROS)", "Montant en euros"),
    debit=("Debit", "Debit (EUR)", "Debit euros"),
    credit=("Credit", "Credit (EUR)", "Credit euros"),
    payee=("Tiers", "Beneficiaire", "Contrepartie"),
    ref=("Reference", "Ref", "Numero d'operation"),
    balance=("Solde", "Solde (EUR)"),
)

ITALIAN = CsvFormat(
    name="it",
    date=("Data contabile", "Data operazione", "Data", "Data registrazione"),
    text=("Descrizione", "Causale", "Descrizione operazione", "Dettagli"),
    amount=("Importo", "Importo (EUR)", "Importo in euro"),
    debit=("Dare", "Uscite", "Addebiti"),
    credit=("Avere", "Entrate", "Accrediti"),
    payee=("Beneficiario", "Controparte", "Ordinante"),
    ref=("Riferimento", "CRO", "Id operazione"),
    balance=("Saldo",),
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

        self.header = header
        self.date, self.amount = find(fmt.date), find(fmt.amount)
        self.debit, self.credit = find(fmt.debit), find(fmt.credit)
        self.payee, self.ref, self.balance = find(fmt.payee), find(fmt.ref), find(fmt.balance)
        self.text = [keys.index(_key(n)) for n in fmt.text if _key(n) in keys]

    @property
    def usable(self) -> bool:
        return self.date is not None and (
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
    for n, row in enumerate(rows[:30]):
        layout = Layout(fmt, [cell.strip() for cell in row])
        if layout.usable:
            data = [(i + 1, r) for i, r in enumerate(rows[n + 1:], n + 1)
                    if any(c.strip() for c in r)]
            return [" ".join(r) for r in rows[:n]], n + 1, layout, data
    return None


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
    statement = Statement(path, header_line, fmt.currency, iban=iban)
    balances = []
    width = len(layout.header)
    for lineno, row in rows:
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            raise StatementError(path, lineno, f"{len(row)} fields where the header has {width} "
                                 "(wrong separator, or a decimal comma in a comma-separated "
                                 "file?)")
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
    return [statement]


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
    text = " ".join(filter(None, (tidy(cell(i)) for i in layout.text)))
    balance_text = cell(layout.balance)
    balance = (_number(path, lineno, balance_text, fmt, layout.header[layout.balance])
               if balance_text else None)
    line = Line(day, value, fmt.currency, tidy(cell(layout.payee)) or None, text,
                tidy(cell(layout.ref)) or None, lineno)
    return line, balance


def _number(path: str, lineno: int, text: str, fmt: CsvFormat, column: str) -> Decimal:
    cleaned = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    cleaned = re.sub(r"(EUR|€)$", "", cleaned, flags=re.IGNORECASE)
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
    for pattern in fmt.date_formats:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise StatementError(path, lineno, f"bad date {text!r} (expected day first, e.g. 05/10/2026)")
