"""fundledger's saved BQL queries: one ``NAME.bql`` file each, plain BQL (no comments,
which BQL does not have), runnable as ``bean-query LEDGER "$(cat NAME.bql)"``.

They ship as package data and reach Fava as ``query`` entries (its Query page lists
them): :func:`as_beancount` writes those entries, for a ledger's ``queries.beancount``.
"""

from __future__ import annotations

import datetime
from importlib import resources

#: What each query shows, in the order Fava should list them (docs/fava.md says more).
TITLES = {
    "fund-balances": "Received less spent per fund (fund-transfers are directives, not postings)",
    "fund-movements": "Per fund: income, expenses, loans and pledges by second-level account",
    "grants-pipeline": "Per grant: net awarded (Expenses:Grants) and still payable (GrantsPayable)",
    "loans": "Per loan: fund, borrower and principal outstanding",
    "contributions": "Per contributor and fund: contributions given (pledges included)",
    "suspense": "Bank lines waiting on a suspense account",
}


def saved_queries() -> dict[str, str]:
    """Every saved query, name → BQL text (without its final newline)."""
    folder = resources.files(__name__)
    found = {p.name[: -len(".bql")]: p.read_text(encoding="utf-8").strip()
             for p in folder.iterdir() if p.name.endswith(".bql")}
    order = list(TITLES) + sorted(set(found) - set(TITLES))
    return {name: found[name] for name in order if name in found}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def as_beancount(date: datetime.date) -> str:
    """The saved queries as Beancount ``query`` entries, ready to include in a ledger.

    Date them on the ledger's first day: Fava offers every year that has an entry in its
    time filter, so an earlier date would add an empty year.
    """
    lines = ["; fundledger's saved queries (src/fundledger/queries/*.bql), shown on Fava's",
             "; Query page. Generated: edit the .bql files, then regenerate with",
             ";   fundledger.queries.as_beancount(FIRST_DAY) (tests/fava/test_queries.py checks)",
             ""]
    queries = saved_queries()
    day = date.isoformat()
    # Fava lists 5 queries in its sidebar unless told otherwise: list them all.
    lines += [f'{day} custom "fava-option" "sidebar-show-queries" "{len(queries)}"', ""]
    for name, text in queries.items():
        lines.append(f"{day} query {_quote(name)} {_quote(text)}")
        lines.append("")
    return "\n".join(lines)
