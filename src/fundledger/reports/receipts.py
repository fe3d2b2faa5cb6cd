"""Tax receipts (*reçus fiscaux*): one PDF per gift, numbered in the books, and the year's totals.

``fundledger receipts LEDGER --year 2025 -o DIR [--issuer HOST]``:

* the gifts come from the engine (:class:`fundledger.engine.receipts.Receipts`): those
  that open a tax reduction and have no receipt yet;
* each gets the next number of its issuer's series for the year (``2025-0001``...): the
  ledger's own series, or with ``--issuer`` the host's, which spans every foundation it
  shelters (so the host's books and all of theirs are read, under their locks);
* the receipts are recorded in LEDGER by the same locked, atomic append as
  ``import --apply`` (:func:`fundledger.importers.session.append`), *after* every PDF is
  rendered and *before* any is written: a failure leaves the books as they were, and a
  PDF missing after a crash is written again by the next run (same number, same content);
* the year's totals by form (number of receipts and amount) for the declaration of
  article 222 bis of the *Code général des impôts* go to ``DIR/declaration-222bis-YEAR.csv``.

Receipts are French legal documents: they are written in French whatever the ledger's
language.
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from fundledger import i18n
from fundledger.csvout import csv_cell
from fundledger.engine.receipts import (
    ARTICLES,
    OWN,
    Gift,
    Receipt,
    receipts_of,
)
from fundledger.engine.sheltered import sheltering_of
from fundledger.files import atomic_write
from fundledger.importers.session import ImportRefused, append, locked
from fundledger.ledger import LedgerUnreadable, Loaded, load
from fundledger.reports.base import (
    environment,
    ledger_options,
    preparation_date,
)
from fundledger.reports.consolidated import entity_name, sheltered_path

#: Form titles, as the administration names them.
FORM_TITLES = {
    "11580": "Reçu au titre des dons à certains organismes d'intérêt général",
    "16216": "Reçu des dons et versements effectués par les entreprises au titre de "
             "l'article 238 bis du code général des impôts",
}
FORM_CODES = {"11580": "Cerfa n° 11580*05", "16216": "Cerfa n° 16216*02 (2041-MEC-SD)"}

#: ``payment-method:`` values → the form's boxes.
PAYMENT_METHODS = {
    "especes": "Remise d'espèces",
    "cheque": "Chèque",
    "virement": "Virement, prélèvement, carte bancaire",
    "prelevement": "Virement, prélèvement, carte bancaire",
    "carte": "Virement, prélèvement, carte bancaire",
}
#: ``gift-form:`` values → the form's boxes.
GIFT_FORMS = {
    "acte-authentique": "Acte authentique",
    "acte-sous-seing-prive": "Acte sous seing privé",
    "don-manuel": "Déclaration de don manuel",
    "autre": "Autres",
}


class ReceiptError(Exception):
    """Receipts cannot be issued (unreadable books, a host that does not shelter the
    ledger, a busy ledger): one line naming the file (exit status 2)."""


@dataclass
class Issuer:
    """Who issues the receipts: the organisation the form names as *bénéficiaire*."""

    series: str           # "" for the ledger's own series, else the host's entity name
    name: str
    address: str
    siren: str
    purpose: str
    status: str
    signatory: str
    place: str
    #: The sheltered foundation the gift went to, when a host issues the receipt.
    on_behalf: str = ""

    @classmethod
    def of(cls, loaded: Loaded, series: str, on_behalf: str = "") -> Issuer:
        options = ledger_options(loaded.entries)
        return cls(series,
                   options.get("legal-name") or str(loaded.options.get("title") or ""),
                   options.get("address", ""), options.get("siren", ""),
                   options.get("purpose", ""), options.get("status", ""),
                   options.get("signatory", ""), options.get("place", ""), on_behalf)

    def missing(self) -> list[str]:
        """The identity options a valid receipt needs and the books do not set."""
        return [name for name, value in (("address", self.address), ("purpose", self.purpose),
                                         ("status", self.status),
                                         ("signatory", self.signatory)) if not value]


@dataclass
class Issued:
    """What one run did."""

    issuer: Issuer
    year: int
    new: list[Receipt] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    totals: dict[str, tuple[int, Decimal]] = field(default_factory=dict)
    totals_file: Path | None = None
    errors: list[Any] = field(default_factory=list)


def amount_in_words(amount: Decimal) -> str:
    """The amount in French words (num2words), as the form asks: « deux cents euros »."""
    from num2words import num2words

    words = num2words(amount, lang="fr", to="currency", currency="EUR")
    return words.removesuffix(" et zéro centimes")


@contextlib.contextmanager
def _locks(paths: list[Path]) -> Iterator[None]:
    """The ledgers' locks, always in the same order (no two runs deadlock)."""
    with contextlib.ExitStack() as stack:
        for path in sorted({p.resolve() for p in paths}):
            try:
                stack.enter_context(locked(path))
            except ImportRefused as exc:
                raise ReceiptError(str(exc)) from None
        yield


def _load(path: Path) -> Loaded:
    try:
        return load(path)
    except LedgerUnreadable as exc:
        raise ReceiptError(str(exc)) from None


def issue(ledger: Path, year: int, out: Path, host: Path | None = None) -> Issued:
    """Issue the year's missing receipts of ``ledger``'s gifts into ``out``."""
    lock_paths = [ledger] + ([host] if host is not None else [])
    with _locks(lock_paths):
        before = ledger.read_bytes()
        loaded = _load(ledger)
        books = loaded.analysis(trace=False)
        family = receipts_of(books)
        if host is None:
            issuer = Issuer.of(loaded, OWN)
            series = [r for r in family.receipts if r.issuer == OWN]
        else:
            issuer, series = _host_series(ledger, host)
        used = [r.sequence for r in series if r.year == year]
        next_number = max(used, default=0) + 1
        result = Issued(issuer, year)
        result.errors = loaded.all_errors()
        documents: list[tuple[Path, bytes]] = []
        entries = []
        for gift in family.unreceipted(year):
            number = f"{year}-{next_number:04d}"
            next_number += 1
            entries.append(_receipt_text(gift, number, issuer.series))
            receipt = Receipt(number, gift.contributor, gift.amount, gift.date, issuer.series,
                              str(gift.form), None)
            result.new.append(receipt)
            documents.append((out / _file_name(issuer, number), render_pdf(issuer, receipt,
                                                                           gift)))
        # Receipts already in the books whose PDF is missing (a run that died after the
        # append): the same document again.
        for index, receipt in family.receipted.items():
            gift = family.gifts[index]
            target = out / _file_name(issuer, receipt.number)
            if receipt.year == year and receipt.issuer == issuer.series and not target.exists():
                documents.append((target, render_pdf(issuer, receipt, gift)))
        if entries:
            text = "\n".join(entries)
            header = f"; Reçus fiscaux {year} émis par fundledger receipts\n"
            try:
                append(ledger, header + text, before)
            except ImportRefused as exc:
                raise ReceiptError(str(exc)) from None
    for target, pdf in documents:
        atomic_write(target, pdf)
        result.written.append(target)
    all_year = [r for r in series if r.year == year] + result.new
    for receipt in all_year:
        count, total = result.totals.get(receipt.form, (0, Decimal(0)))
        result.totals[receipt.form] = (count + 1, total + receipt.amount)
    result.totals_file = out / f"declaration-222bis-{year}.csv"
    atomic_write(result.totals_file, totals_csv(issuer, year, result.totals))
    return result


def _host_series(ledger: Path, host: Path) -> tuple[Issuer, list[Receipt]]:
    """The host's identity and its series of receipts, read from its books and from the
    books of every foundation it shelters."""
    host_loaded = _load(host)
    name = entity_name(host_loaded)
    sheltered = sheltering_of(host_loaded.analysis(trace=False)).sheltered
    mine = [s for s in sheltered.values()
            if sheltered_path(host, s) == ledger.resolve()]
    if not mine:
        raise ReceiptError(f"{host}: does not shelter {ledger} (no \"sheltered\" directive "
                           "names it)")
    issuer = Issuer.of(host_loaded, name, on_behalf=mine[0].label)
    series = [r for r in receipts_of(host_loaded.analysis(trace=False)).receipts
              if r.issuer == name]
    for item in sheltered.values():
        path = sheltered_path(host, item)
        other = _load(path)
        series += [r for r in receipts_of(other.analysis(trace=False)).receipts
                   if r.issuer == name]
    return issuer, series


def _file_name(issuer: Issuer, number: str) -> str:
    return f"recu-{issuer.series + '-' if issuer.series else ''}{number}.pdf"


def _receipt_text(gift: Gift, number: str, series: str) -> str:
    """The ``custom "receipt"`` directive recording a receipt, as Beancount text (written
    here rather than by Beancount's printer, which does not escape quotes in names)."""
    lines = [f'{gift.date} custom "receipt" {_quoted(number)} {_quoted(gift.contributor)} '
             f"{gift.amount:.2f} EUR", f"  form: {_quoted(str(gift.form))}"]
    if series:
        lines.append(f"  issuer: {_quoted(series)}")
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_html(issuer: Issuer, receipt: Receipt, gift: Gift) -> str:
    meta = gift.meta
    method = str(meta.get("payment-method", "virement"))
    form_of_gift = str(meta.get("gift-form", "don-manuel"))
    return environment().get_template("receipt.html.j2").render(
        issuer=issuer, receipt=receipt, gift=gift,
        form=receipt.form, form_title=FORM_TITLES[receipt.form],
        form_code=FORM_CODES[receipt.form], article=ARTICLES[receipt.form],
        amount=i18n.format_money(receipt.amount, "fr"),
        words=amount_in_words(receipt.amount),
        date=i18n.format_date(receipt.date, "fr"),
        issued=i18n.format_date(preparation_date(), "fr"),
        address=str(meta.get("contributor-address", "")),
        siren=str(meta.get("contributor-siren", "")),
        legal_form=str(meta.get("contributor-legal-form", "")),
        method=PAYMENT_METHODS.get(method, method),
        methods=list(dict.fromkeys(PAYMENT_METHODS.values())),
        gift_form=GIFT_FORMS.get(form_of_gift, form_of_gift),
        gift_forms=list(GIFT_FORMS.values()),
    )


def render_pdf(issuer: Issuer, receipt: Receipt, gift: Gift) -> bytes:
    from fundledger.reports.base import html_to_pdf

    return html_to_pdf(render_html(issuer, receipt, gift))


def totals_csv(issuer: Issuer, year: int, totals: dict[str, tuple[int, Decimal]]) -> str:
    """The year's receipts by form: what the declaration of article 222 bis asks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["issuer", "year", "form", "article", "receipts", "amount"])
    for form in ("11580", "16216"):
        count, total = totals.get(form, (0, Decimal(0)))
        writer.writerow([csv_cell(issuer.name), year, form, f"{ARTICLES[form]} CGI", count,
                         f"{total:.2f}"])
    return buffer.getvalue()
