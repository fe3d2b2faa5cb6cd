"""SCDL *Subventions* 2.1.1: the year's awards as French public bodies publish them.

One row per grant awarded in the year, columns in the schema's order (see
``docs/opendata.md`` for where each column comes from).  The schema requires the
beneficiary's name, so a withheld grant is left out; it is counted in the
:class:`~fundledger.opendata.common.Withheld` summary written beside the file.
"""

from __future__ import annotations

from typing import Any

from stdnum.fr import siret as siret_number

from fundledger.engine import Books
from fundledger.opendata import tableschema
from fundledger.opendata.common import (
    COMMITTEE_KEYS,
    PERCENT_KEYS,
    GrantRecord,
    OpenDataError,
    Publisher,
    Withheld,
    grant_records,
    public_text,
    to_csv,
    where,
)

SCHEMA = "scdl-subventions-2.1.1.json"
#: ``objet`` and ``conditionsVersement`` are at most this long.
MAX_TEXT = 256


def _objet(record: GrantRecord) -> str:
    text = public_text(record.project or record.fund_label)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1] + "…"


def _percentage(record: GrantRecord) -> str:
    """The grant's share of the project's cost, 0.01-1: ``percentuale: 50`` gives ``0.5``.

    Books that do not record it give 1 (the grant funds its project whole).
    """
    text = record.meta(PERCENT_KEYS)
    if not text:
        return "1"
    from decimal import Decimal, InvalidOperation

    try:
        value = Decimal(text) / 100
    except InvalidOperation:
        return text  # the check below names the grant and the field
    return format(value.normalize(), "f")


def _period(record: GrantRecord) -> str:
    """First and last payment dates (``YYYY-MM-DD/YYYY-MM-DD``); the award date if unpaid."""
    if not record.payments:
        return record.awarded_on.isoformat()
    first, last = record.payments[0], record.payments[-1]
    return first.isoformat() if first == last else f"{first}/{last}"


def _decision(record: GrantRecord) -> str:
    """``decision:`` on the award, else the committee's date, else the grant id."""
    decision = record.meta(("decision", "deliberation", "delibera"))
    if decision:
        return public_text(decision)
    committee = record.meta(COMMITTEE_KEYS)
    return public_text(f"{record.id} ({committee})" if committee else record.id)


def row(record: GrantRecord, who: Publisher) -> dict[str, Any]:
    """The SCDL row of a public grant (text through the privacy gate, amounts as numbers)."""
    ident = record.identifier
    return {
        "nomAttribuant": who.name,
        "idAttribuant": who.siret,
        "dateConvention": record.awarded_on.isoformat(),
        "referenceDecision": _decision(record),
        "nomBeneficiaire": public_text(record.grant.grantee),
        "idBeneficiaire": ident.value if ident and ident.scheme == "siret" else "",
        "rnaBeneficiaire": ident.value if ident and ident.scheme == "rna" else "",
        "objet": _objet(record),
        "montant": record.amount,
        "nature": "aide en numéraire",
        "conditionsVersement": "unique" if len(record.payments) <= 1 else "échelonné",
        "datesPeriodeVersement": _period(record),
        "idRAE": "",
        "notificationUE": "oui" if record.grant.meta.get("notification-ue") is True else "non",
        "pourcentageSubvention": _percentage(record),
        "dispositifAide": public_text(record.fund_label),
    }


def build(books: Books, who: Publisher, year: int) -> tuple[str, Withheld]:
    """The CSV text of ``year``'s awards and what was withheld, checked against the schema.

    Raises :class:`OpenDataError` naming the grant and the field the schema refuses.
    """
    schema = tableschema.load_schema(SCHEMA)
    if not who.siret:
        raise OpenDataError('the SCDL requires the granting body\'s SIRET: add '
                            '`custom "fundledger-option" "siret" "..."` to the books')
    withheld = Withheld("scdl")
    rows = []
    for record in grant_records(books, who, year):
        withheld.add(record, kept=not record.withheld)
        if record.withheld:
            continue
        values = row(record, who)
        problems = tableschema.row_problems(schema, {k: str(v) for k, v in values.items()})
        problems += _custom_checks(values)
        if problems:
            raise OpenDataError(f'{where(who, record.id)}: grant "{record.id}": SCDL field '
                                f"{problems[0]}", located=True)
        rows.append(values)
    return to_csv(tableschema.columns(schema), rows), withheld


def _custom_checks(values: dict[str, Any]) -> list[str]:
    """The schema's ``custom_checks`` (Validata extensions): SIRET check digits, and at
    least one of the beneficiary's SIRET and RNA number."""
    problems = []
    for column in ("idAttribuant", "idBeneficiaire"):
        if values[column] and not siret_number.is_valid(values[column]):
            problems.append(f"{column}: {values[column]!r} is not a valid SIRET")
    if not values["idBeneficiaire"] and not values["rnaBeneficiaire"]:
        problems.append("idBeneficiaire: the beneficiary needs a SIRET or an RNA number "
                        "(beneficiary-id: on the award)")
    return problems
