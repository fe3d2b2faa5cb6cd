"""The fichier des écritures comptables (FEC) of a financial year (article A47 A-1 LPF).

What the tax administration and an auditor expect of it (BOI-CF-IOR-60-40-20, and the
checks of the DGFiP's *Test Compta Demat* tool):

* a header line with the 18 field names, then one line per posting, fields separated by
  ``|``, amounts with a decimal comma and no thousands separator, dates as YYYYMMDD;
* first the opening entry (*à-nouveaux*, journal ``AN``, dated the year's first day): one
  line per balance-sheet account with an opening balance, the fund side of the balance
  sheet (corpus, reserves, fonds dédiés by origin) included, so the entry balances;
* then the year's transactions, in date order, numbered on one continuous sequence
  (the à-nouveaux are entry 1), each balanced; journal ``BQ`` (bank) for a transaction
  that touches a bank account, else ``OD`` (opérations diverses);
* ``CompteNum`` is the chart number (``pcg:`` or the default of the account's class);
  several ledger accounts on one number become its sub-accounts (51201, 51202), so each
  number keeps one label; grants, loans and pledges carry their id or contributor as
  auxiliary account;
* ``PieceRef`` is the transaction's own reference (``piece:``, ``invoice:``, ``bank-ref:``,
  the grant or loan id) or else its place in the books (FILE:LINE); ``ValidDate`` is the
  day the year was closed (its ``period-close``: the accounts approved, the entries
  frozen), or the entry's own date while the year is open;
* the text is ISO 8859-15 (the encodings the administration reads), characters it lacks
  replaced by their nearest equivalent.
"""

from __future__ import annotations

import datetime
import functools
import os
import unicodedata
from decimal import Decimal
from typing import Any

from fundledger.engine import round_to_cent
from fundledger.engine.accounting import UNALLOCATED, Year, opening_class_one
from fundledger.engine.accounts import Kind
from fundledger.engine.chart import LABELS, fec_accounts

COLUMNS = ["JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum",
           "CompteLib", "CompAuxNum", "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib",
           "Debit", "Credit", "EcritureLet", "DateLet", "ValidDate", "Montantdevise",
           "Idevise"]
JOURNALS = {"AN": "A-nouveaux", "BQ": "Banque", "OD": "Opérations diverses"}
ENCODING = "iso8859_15"
#: Labels of the fund side's numbers (corpus, reserves, fonds dédiés).
FUND_SIDE = LABELS
#: Characters ISO 8859-15 lacks, and what they become.
_PLAIN = str.maketrans({"—": "-", "–": "-", "’": "'", "‘": "'", "“": '"', "”": '"',
                        "…": "...", "\u202f": " ", "\u00a0": " ", "|": "/", "\t": " ",
                        "\r": " ", "\n": " "})


def file_name(siren: str | None, year: int) -> str:
    """``SIRENFECYYYYMMDD.txt`` (the closing date), or ``FECYYYYMMDD.txt`` without SIREN."""
    return f"{siren or ''}FEC{year}1231.txt"


def valid_siren(siren: str) -> bool:
    """Nine digits with a valid Luhn key (INSEE's rule)."""
    if len(siren) != 9 or not siren.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(siren)):
        digit = int(char) * (2 if index % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


def build(year: Year, books: Any, validated: datetime.date | None = None) -> list[list[str]]:
    """The file's rows (header first), as lists of 18 strings.

    ``validated``: the day the year's accounts were closed (its ``period-close``), the
    ``ValidDate`` of every line; without it each entry is validated on its own date.
    """
    valid = _date(validated) if validated else None
    chart = year.chart
    first = datetime.date(year.year, 1, 1)
    pairs = [(account, chart.account_number(account)) for account in year.opening]
    pairs += [(line.account, line.number) for entry in year.entries for line in entry.lines]
    class_one = opening_class_one(year)
    # The fund side has no ledger account: a name of its own, so that a ledger account on
    # the same number (a contribution to the corpus, 102) becomes another sub-account.
    pairs += [(_fund_side(number), number) for number, _amount in class_one]
    numbers = fec_accounts(pairs, chart)
    rows = [COLUMNS]
    day = _date(first)

    # 1. The à-nouveaux: ledger balance-sheet accounts, then the fund side (class 1).
    opening = [(numbers[(account, chart.account_number(account))], amount, "", "")
               for account, amount in year.opening.items()]
    opening += [(numbers[(_fund_side(number), number)], -amount, "", "")
                for number, amount in class_one]
    if opening:
        for (number, label), amount, aux, aux_label in opening:
            rows.append(_row("AN", 1, day, number, label, aux, aux_label,
                             f"AN{year.year}", day, f"A-nouveaux au {first:%d/%m/%Y}",
                             amount, valid or day))
    # 2. The year's transactions, numbered after the à-nouveaux.
    number_of_entry = 1 if opening else 0
    bank = chart.classify.is_bank
    for entry in year.entries:
        if not entry.lines:
            continue
        number_of_entry += 1
        txn = entry.txn
        journal = "BQ" if any(bank(line.account) for line in entry.lines) else "OD"
        day = _date(txn.date)
        piece = _piece(txn)
        text = " — ".join(part for part in (txn.payee, txn.narration) if part) or piece
        for line in entry.lines:
            num, label = numbers[(line.account, line.number)]
            aux, aux_label = _auxiliary(chart.classify(line.account), txn, line.posting, books)
            foreign = line.posting.units
            amount_in = currency = ""
            if foreign.currency != "EUR":
                amount_in, currency = _amount(abs(foreign.number)), foreign.currency
            rows.append(_row(journal, number_of_entry, day, num, label, aux, aux_label, piece,
                             day, text, line.amount, valid or day, amount_in, currency))
    return rows


def to_text(rows: list[list[str]]) -> bytes:
    """The file: ``|``-separated, CR LF line ends, ISO 8859-15."""
    text = "".join("|".join(row) + "\r\n" for row in rows)
    return text.encode(ENCODING, errors="replace")


def _row(journal: str, number: int, day: str, account: str, label: str, aux: str,
         aux_label: str, piece: str, piece_day: str, text: str, amount: Decimal,
         valid: str, amount_in: str = "", currency: str = "") -> list[str]:
    amount = round_to_cent(amount)
    debit, credit = (amount, Decimal(0)) if amount >= 0 else (Decimal(0), -amount)
    return [journal, JOURNALS[journal], str(number), day, account, _clean(label),
            _clean(str(aux)), _clean(str(aux_label)), _clean(piece), piece_day, _clean(text),
            _amount(debit),
            _amount(credit), "", "", valid, amount_in, currency]


def _fund_side(number: str) -> str:
    """The pseudo-account of a fund-side line of the opening balance sheet (its label)."""
    return "Écart non affecté à un fonds" if number == UNALLOCATED else FUND_SIDE[number]


def _amount(value: Decimal) -> str:
    return f"{round_to_cent(value):.2f}".replace(".", ",")


def _date(day: datetime.date) -> str:
    return day.strftime("%Y%m%d")


@functools.lru_cache(maxsize=4096)
def _clean(text: str) -> str:
    """A field's text as the file holds it (labels repeat: cached)."""
    text = unicodedata.normalize("NFC", text).translate(_PLAIN)
    return text.encode(ENCODING, errors="replace").decode(ENCODING).strip()


def _piece(txn: Any) -> str:
    for key in ("piece", "invoice", "bank-ref", "grant", "loan", "convention"):
        value = txn.meta.get(key)
        if isinstance(value, str) and value.strip():
            return value
    name = os.path.basename(str(txn.meta.get("filename", "")))
    return f"{name}:{txn.meta.get('lineno', 0)}"


def _auxiliary(kind: Kind, txn: Any, posting: Any, books: Any) -> tuple[str, str]:
    """Third-party accounts: the grant on grants payable, the loan on loans, the
    contributor on pledges."""
    meta = posting.meta or {}
    if kind == Kind.PAYABLE:
        ident = str(meta.get("grant", txn.meta.get("grant", "")))
        grant = books.grants.get(ident)
        return ident, (grant.grantee if grant and grant.grantee else ident) if ident else ""
    if kind == Kind.LOAN:
        ident = str(meta.get("loan", txn.meta.get("loan", "")))
        loan = books.loans.get(ident)
        return ident, (loan.borrower if loan and loan.borrower else ident) if ident else ""
    if kind == Kind.PLEDGE:
        name = str(meta.get("contributor") or txn.meta.get("contributor") or txn.payee or "")
        return (name[:40], name) if name else ("", "")
    return "", ""
