"""Italy, articles 26-27 of D.Lgs. 33/2013: the year's list of economic aid granted.

No official machine-readable layout exists, so fundledger ships its own Table Schema
(``schemas/trasparenza-art26-27.json``), one column per item the law lists (art. 27 c. 1,
letters a-f), one row per grant awarded in the year.  The law itself excludes identifying
data of natural persons where they could reveal hardship (art. 26 c. 4): a withheld grant
keeps its row, date, amounts, measure and the procedure's general data, with every name,
id and project field empty and ``dati_oscurati`` set to ``sì``.

Procedure data come from ``custom "fundledger-option"`` values (``norma``, ``ufficio``,
``responsabile``, ``modalita-selezione``), which a public grant's award may override with
metadata of the same name; see ``docs/opendata.md``.
"""

from __future__ import annotations

import datetime
from typing import Any

from fundledger.engine import Books
from fundledger.opendata import tableschema
from fundledger.opendata.common import (
    COMMITTEE_KEYS,
    GrantRecord,
    OpenDataError,
    Publisher,
    Withheld,
    grant_records,
    public_text,
    to_csv,
    where,
)

SCHEMA = "trasparenza-art26-27.json"

#: Ledger options giving the procedure's data (art. 27 c. 1 c-e), by column.
PROCEDURE = {
    "norma_titolo": "norma",
    "ufficio": "ufficio",
    "responsabile_procedimento": "responsabile",
    "modalita_selezione": "modalita-selezione",
}


def _procedure(record: GrantRecord, who: Publisher) -> dict[str, str]:
    """Columns c-e: the grant's own metadata (public grants only), else the ledger's."""
    values = {}
    for column, option in PROCEDURE.items():
        own = "" if record.withheld else record.meta((option,))
        values[column] = public_text(own or who.options.get(option, ""))
    if not values["modalita_selezione"] and not record.withheld:
        committee = record.meta(COMMITTEE_KEYS)
        if committee:
            values["modalita_selezione"] = f"Valutazione della Commissione del {committee}"
    return values


def row(record: GrantRecord, who: Publisher, year: int) -> dict[str, Any]:
    end = datetime.date(year, 12, 31)
    out: dict[str, Any] = {
        "anno": year,
        "data_concessione": record.awarded_on.isoformat(),
        "importo_concesso": record.amount,
        "importo_erogato": record.paid_by(end),
        "misura": public_text(record.fund_label),
        **_procedure(record, who),
    }
    if record.withheld:
        out.update(identificativo="", beneficiario="", codice_fiscale_partita_iva="",
                   progetto="", link_progetto="", cup="", dati_oscurati="sì")
        return out
    ident = record.identifier
    out.update(
        identificativo=public_text(record.id),
        beneficiario=public_text(record.grant.grantee),
        codice_fiscale_partita_iva=ident.value if ident and ident.scheme in ("piva", "cf")
        else "",
        progetto=public_text(record.project),
        link_progetto=public_text(record.meta(("url", "link"))),
        cup=record.cup,
        dati_oscurati="no",
    )
    return out


def build(books: Books, who: Publisher, year: int) -> tuple[str, Withheld]:
    """The CSV text of ``year``'s list and what was withheld, checked against the schema."""
    schema = tableschema.load_schema(SCHEMA)
    withheld = Withheld("trasparenza")
    rows = []
    for record in grant_records(books, who, year):
        withheld.add(record, kept=True)
        values = row(record, who, year)
        problems = tableschema.row_problems(schema, {k: str(v) for k, v in values.items()})
        if not record.withheld and not values["beneficiario"]:
            problems.append("beneficiario: is required for a grant that is not withheld")
        if problems:
            field = problems[0].split(":", 1)[0]
            hint = (f' (add `custom "fundledger-option" "{PROCEDURE[field]}" "..."`)'
                    if field in PROCEDURE else "")
            raise OpenDataError(f'{where(who, record.id)}: grant "{record.id}": field '
                                f"{problems[0]}{hint}", located=True)
        rows.append(values)
    return to_csv(tableschema.columns(schema), rows), withheld
