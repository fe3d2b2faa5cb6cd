"""What every open-data export shares: the publisher, the grants as records, identifiers,
the privacy gate, the withheld summary and the CSV cell guard.

The exports take the engine's :class:`~fundledger.engine.Books` (one engine pass, made by
the command) and the ledger's ``custom "fundledger-option"`` values; they never read the
ledger again.  Every text value an export writes goes through :func:`public_text`, and every
CSV cell through :mod:`fundledger.csvout`, so that the privacy rules are applied in one place.
"""

from __future__ import annotations

import datetime
import json
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from json.encoder import encode_basestring as _json_string  # what json.dumps writes
from typing import Any

from beancount.core import data

from fundledger.engine import ZERO, Books, Grant, codes, round_to_cent
from fundledger.ledger import ledger_options

#: Metadata keys (on the award) naming the project, in the three languages of the books.
PROJECT_KEYS = ("project", "projet", "progetto")
CITY_KEYS = ("city", "commune", "comune")
COMMITTEE_KEYS = ("committee", "comite", "commissione")
#: A grant's share of its project's cost, in percent (SCDL ``pourcentageSubvention``).
PERCENT_KEYS = ("percentage", "pourcentage", "percentuale")


class OpenDataError(Exception):
    """An export cannot be written (a wrong identifier, a field the schema refuses): exit 2.

    The message is one line naming the grant (and its entry) and the field; ``located``
    tells whether it already starts with ``FILE:LINE`` (else the command names the ledger).
    """

    def __init__(self, message: str, *, located: bool = False) -> None:
        super().__init__(message)
        self.located = located


# -- the publisher -----------------------------------------------------------------------------

@dataclass
class Publisher:
    """Who grants: from ``custom "fundledger-option" NAME VALUE`` directives and the title.

    ``siret`` (France, 14 digits) and ``codice-fiscale`` (Italy, 11 digits for a body) are
    validated when they are read; ``org-id`` overrides the 360Giving organisation id built
    from them, ``360giving-prefix`` the prefix of the grant ids.
    """

    name: str
    siret: str = ""
    codice_fiscale: str = ""
    org_id: str = ""
    prefix: str = ""
    language: str = "en"
    licence: str = ""
    options: dict[str, str] = field(default_factory=dict)
    #: The books' entries, to name an award's ``FILE:LINE`` in a message (the engine's
    #: books keep no entries when they come from a cache hit).
    entries: list[data.Directive] = field(default_factory=list, repr=False)

    @property
    def identifier(self) -> str:
        """The publisher's own identifier as a public body knows it (SIRET, else CF)."""
        return self.siret or self.codice_fiscale


#: Default licence of the published data per language of the books: France's public
#: bodies publish under the Licence Ouverte (décret 2017-638), Italy's under CC BY 4.0
#: (the AgID guidelines' default).
DEFAULT_LICENCE = {
    "fr": "Licence Ouverte / Open Licence 2.0 (Etalab)",
    "it": "CC BY 4.0",
    "en": "CC BY 4.0",
}


def publisher(entries: list[data.Directive], title: str) -> Publisher:
    """The publisher of the books' open data, its identifiers checked (:class:`OpenDataError`)."""
    options = ledger_options(entries)
    siret = options.get("siret", "")
    if siret:
        from stdnum.fr import siret as siret_number

        compact = siret_number.compact(siret)
        if not siret_number.is_valid(compact):
            raise OpenDataError(f'fundledger-option "siret" "{siret}" is not a valid SIRET '
                                "(14 digits with a valid check digit)")
        siret = compact
    cf = options.get("codice-fiscale", "")
    if cf:
        from stdnum.it import codicefiscale, iva

        compact = iva.compact(cf)
        if not (iva.is_valid(compact) or codicefiscale.is_valid(compact)):
            raise OpenDataError(f'fundledger-option "codice-fiscale" "{cf}" is not a valid '
                                "codice fiscale or partita IVA")
        cf = compact.upper()
    language = options.get("language", "en")
    org_id = public_text(options.get("org-id") or (
        f"FR-RCS-{siret[:9]}" if siret else f"IT-CF-{cf}" if cf else ""))
    prefix = public_text(options.get("360giving-prefix") or f"360G-{org_id or 'fundledger'}")
    return Publisher(
        name=public_text(options.get("name") or title),
        siret=siret, codice_fiscale=cf, org_id=org_id, prefix=prefix, language=language,
        licence=public_text(options.get("data-licence")
                            or DEFAULT_LICENCE.get(language, "CC BY 4.0")),
        options=options, entries=entries)


# -- identifiers -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Identifier:
    """A beneficiary's identifier, recognised and normalised.

    ``scheme`` is one of ``siret``, ``siren``, ``rna`` (French associations' register,
    W + 9 digits), ``piva`` (Italian partita IVA, 11 digits) or ``cf`` (Italian codice
    fiscale of a person, 16 characters).
    """

    scheme: str
    value: str

    @property
    def siren(self) -> str:
        return self.value[:9] if self.scheme in ("siret", "siren") else ""

    @property
    def org_id(self) -> str:
        """The org-id.guide form 360Giving asks for (``FR-RCS-``, ``FR-RNA-``, ``IT-CF-``)."""
        if self.scheme in ("siret", "siren"):
            return f"FR-RCS-{self.siren}"
        if self.scheme == "rna":
            return f"FR-RNA-{self.value}"
        return f"IT-CF-{self.value}"


_RNA = re.compile(r"^W\d{9}$")


def identify(value: Any) -> Identifier | None:
    """The identifier ``value`` is, or ``None`` if it is none of those fundledger knows."""
    from stdnum.fr import siren, siret
    from stdnum.it import codicefiscale, iva

    text = re.sub(r"[\s.\-]", "", str(value)).upper()
    if text.startswith("IT") and len(text) == 13:
        text = text[2:]
    if _RNA.match(text):
        return Identifier("rna", text)
    if len(text) == 14 and siret.is_valid(text):
        return Identifier("siret", text)
    if len(text) == 9 and siren.is_valid(text):
        return Identifier("siren", text)
    if len(text) == 11 and iva.is_valid(text):
        return Identifier("piva", text)
    if len(text) == 16 and codicefiscale.is_valid(text):
        return Identifier("cf", text)
    return None


# -- the grants, as the exports see them -------------------------------------------------------

@dataclass
class GrantRecord:
    """One grant, with what the formats ask for, before any privacy decision is applied.

    Built from the engine's :class:`~fundledger.engine.Grant`: nothing is recomputed.
    """

    grant: Grant
    fund_label: str
    identifier: Identifier | None
    cup: str
    payments: list[datetime.date]

    @property
    def id(self) -> str:
        return self.grant.id

    @property
    def withheld(self) -> bool:
        return self.grant.is_withheld

    @property
    def awarded_on(self) -> datetime.date:
        assert self.grant.awarded_on is not None  # every recorded grant was awarded
        return self.grant.awarded_on

    @property
    def amount(self) -> Decimal:
        return round_to_cent(self.grant.awarded)

    def meta(self, keys: Iterable[str]) -> str:
        """The first of ``keys`` in the award's metadata, as text ('' if none)."""
        for key in keys:
            value = self.grant.meta.get(key)
            if value is not None and value != "":
                return str(value)
        return ""

    @property
    def project(self) -> str:
        return self.meta(PROJECT_KEYS)

    @property
    def city(self) -> str:
        return self.meta(CITY_KEYS)

    def paid_by(self, day: datetime.date) -> Decimal:
        """What was paid to the grantee up to ``day`` (payments only, not revocations)."""
        return round_to_cent(sum((e.amount for e in self.grant.events
                                  if e.kind == "payment" and e.date <= day), ZERO))


def grant_records(books: Books, who: Publisher, year: int | None = None) -> list[GrantRecord]:
    """The books' awarded grants (awarded in ``year`` if given), by award date then id.

    A ``beneficiary-id:`` that is none of the identifiers fundledger knows, or a ``cup:``
    that is not a CUP, is an :class:`OpenDataError` naming the grant and its entry.
    """
    records = []
    for grant in books.grants.values():
        if grant.awarded_on is None or grant.awarded <= 0:
            continue
        if year is not None and grant.awarded_on.year != year:
            continue
        fund = books.funds.get(grant.fund or "")
        label = fund.label if fund else (grant.fund or "")
        raw_id = grant.meta.get("beneficiary-id")
        identifier = None
        if raw_id is not None and str(raw_id).strip():
            identifier = identify(raw_id)
            if identifier is None:
                raise OpenDataError(
                    f'{where(who, grant.id)}: grant "{grant.id}": beneficiary-id '
                    f'"{raw_id}" is not a valid SIRET, SIREN, RNA number, partita IVA or '
                    "codice fiscale", located=True)
        cup = str(grant.meta.get("cup") or "").strip().upper()
        if cup and not CUP.match(cup):
            raise OpenDataError(f'{where(who, grant.id)}: grant "{grant.id}": cup "{cup}" '
                                "is not a CUP (15 letters and digits, e.g. J40E23000716683)",
                                located=True)
        payments = sorted(e.date for e in grant.events if e.kind == "payment")
        records.append(GrantRecord(grant, label, identifier, cup, payments))
    records.sort(key=lambda r: (r.awarded_on, r.id))
    return records


#: Codice Unico di Progetto: 15 characters, a letter, two digits, a letter, two digits (the
#: year), then nine letters or digits (DIPE, CUP guidelines).
CUP = re.compile(r"^[A-Z]\d{2}[A-Z]\d{2}[A-Z0-9]{9}$")


def where(who: Publisher, grant_id: str) -> str:
    """``FILE:LINE`` of a grant's award entry, for messages (searched only on error)."""
    for entry in who.entries:
        if isinstance(entry, data.Transaction):
            ids = {entry.meta.get("grant")} | {(p.meta or {}).get("grant")
                                               for p in entry.postings}
            if grant_id in ids:
                return codes.where(entry)
    return "?"


# -- privacy -----------------------------------------------------------------------------------

_IBAN_CANDIDATE = re.compile(r"\b[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]){11,30}\b")


def public_text(text: Any) -> str:
    """THE gate every exported text value goes through (names, titles, descriptions).

    Normalises to Unicode NFC with white space collapsed, and masks anything that is an
    IBAN by its ISO 13616 checksum (all but its last four characters).  Whether a value may
    be exported at all is decided before (a withheld grant gives no text); the whole output
    then goes through :meth:`fundledger.privacy.Privacy.clean` (FL105, IBANs, withheld
    names), like every outside-facing output.
    """
    value = " ".join(unicodedata.normalize("NFC", str(text or "")).split())

    def mask(match: re.Match[str]) -> str:
        from stdnum import iban  # only for a candidate: python-stdnum is slow to import

        candidate = match.group(0)
        if not iban.is_valid(candidate):
            return candidate
        compact = candidate.replace(" ", "")
        return "*" * (len(compact) - 4) + compact[-4:]

    return _IBAN_CANDIDATE.sub(mask, value)


def json_text(document: Any) -> str:
    """``json.dumps(document, ensure_ascii=False, indent=2)``, the same text, faster.

    With an indent, the standard library leaves its C encoder for a Python one that yields
    every piece through generators (a tenth of a large export's own time); this writes the
    JSON values the exports build (dicts with text keys, lists, text, numbers, booleans,
    null) directly, and hands anything else to ``json.dumps``.
    """
    try:
        return _json_value(document, "\n")
    except _NotPlainJSON:
        return json.dumps(document, ensure_ascii=False, indent=2)


class _NotPlainJSON(Exception):
    """A value :func:`json_text` leaves to ``json.dumps``."""


def _json_value(value: Any, newline: str) -> str:
    kind = value.__class__
    if kind is str:
        return _json_string(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = newline + "  "
        parts = []
        for key, item in value.items():
            if key.__class__ is not str:
                raise _NotPlainJSON
            parts.append(_json_string(key) + ": " + _json_value(item, inner))
        return "{" + inner + ("," + inner).join(parts) + newline + "}"
    if kind is list:
        if not value:
            return "[]"
        inner = newline + "  "
        return ("[" + inner + ("," + inner).join([_json_value(v, inner) for v in value])
                + newline + "]")
    if kind is int:
        return int.__repr__(value)
    if kind is float and math.isfinite(value):
        return float.__repr__(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    raise _NotPlainJSON


def to_csv(columns: list[str], rows: list[dict[str, Any]]) -> str:
    """RFC 4180 CSV (comma, ``\\n`` lines, UTF-8) through the one CSV writer, whose cells a
    spreadsheet will not run as formulas."""
    from fundledger import csvout

    return csvout.to_text(columns, csvout.dict_rows(columns, rows))


def json_number(amount: Decimal) -> int | float:
    """A JSON number for an amount in cents (exact: two decimals are far below 2**53)."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


# -- what was withheld -------------------------------------------------------------------------

@dataclass
class Withheld:
    """The count and total of withheld grants of an export, stated beside the data.

    ``left_out`` counts those the format could not carry at all (the schema requires a name);
    the others are in the data with their amount and date but no name or id.
    """

    dataset: str
    count: int = 0
    total: Decimal = ZERO
    left_out: int = 0
    left_out_total: Decimal = ZERO
    published: int = 0
    published_total: Decimal = ZERO

    def add(self, record: GrantRecord, *, kept: bool) -> None:
        if record.withheld:
            self.count += 1
            self.total += record.amount
            if not kept:
                self.left_out += 1
                self.left_out_total += record.amount
        if kept:
            self.published += 1
            self.published_total += record.amount

    def as_dict(self) -> dict[str, Any]:
        """The sidecar's shape (amounts as two-decimal strings, as every fundledger JSON)."""
        return {
            "dataset": self.dataset,
            "currency": "EUR",
            "grants": self.published,
            "amount": str(round_to_cent(self.published_total)),
            "withheld": {
                "count": self.count,
                "amount": str(round_to_cent(self.total)),
                "anonymised": self.count - self.left_out,
                "anonymised_amount": str(round_to_cent(self.total - self.left_out_total)),
                "left_out": self.left_out,
                "left_out_amount": str(round_to_cent(self.left_out_total)),
            },
            "note": ("Grants to natural persons and grants marked private keep their amount "
                     "and date but no name or identifier; where the format requires a name "
                     "they are left out. Both are counted here."),
        }

    def sidecar(self) -> str:
        return json_text(self.as_dict()) + "\n"

    def summary(self) -> str:
        """One line for stderr."""
        line = (f"{self.published} grant(s), {round_to_cent(self.published_total)} EUR; "
                f"withheld: {self.count} grant(s), {round_to_cent(self.total)} EUR")
        if self.count:
            line += (f" ({self.count - self.left_out} without name or id, "
                     f"{self.left_out} left out)")
        return line
