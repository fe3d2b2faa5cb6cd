"""`propose`: what a committee's proposals would do to the books, before it votes.

Its own module: it parses and books the proposals with Beancount, which ``pipeline``
(answered from :mod:`fundledger.answers` on unchanged books) does not need to import.
"""

from __future__ import annotations

import heapq
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
from beancount.core import data, interpolate
from beancount.parser import booking, parser

from fundledger.cli.common import LEDGER, emit_rows, fail, ledger_errors, money, open_ledger
from fundledger.collector import fewer_collections
from fundledger.engine import analyse, code_of
from fundledger.ledger import format_error


@click.command()
@click.argument("ledger", type=LEDGER)
@click.argument("proposal", type=LEDGER)
def propose(ledger: Path, proposal: Path) -> None:
    """What PROPOSAL's entries (decisions, awards, transfers) would do to LEDGER.

    Each proposed entry is shown with the breaches it would cause, then each fund's
    available before and after.  Nothing is written.  Exit 0 when no proposal would
    breach a rule, 1 otherwise.
    """
    loaded = open_ledger(ledger)
    proposed = _read_proposal(proposal, loaded.options)
    before = loaded.analysis(trace=False)
    opened = {e.account for e in loaded.entries if isinstance(e, data.Open)}
    # The books with the proposals: one engine pass over the merged, ordered entries,
    # with the collector held back as during the load (it builds long-lived books).
    merged = list(heapq.merge(loaded.entries, proposed, key=data.entry_sortkey))
    with fewer_collections():
        after = analyse(merged, options=loaded.options, trace=False)
    seen = {_key(e) for e in before.errors}
    new = [e for e in after.errors if _key(e) not in seen]
    by_entry: dict[tuple[str, int], list[str]] = {}
    for error in new:
        by_entry.setdefault(_where(error), []).append(" ".join(str(error.message).split()))
    breaches = 0
    click.echo(f"{proposal}: {len(proposed)} proposed entr{'y' if len(proposed) == 1 else 'ies'}")
    for entry in sorted(proposed, key=_where):  # as the committee reads its file
        found = by_entry.pop(_where(entry), [])
        if isinstance(entry, data.Transaction):
            found += [f"account {p.account} is not open in {ledger}" for p in entry.postings
                      if p.account not in opened]
        breaches += len(found)
        click.echo(f"\n{_where_text(entry)}  {_describe(entry)}")
        for message in found:
            click.echo(f"  ✗ {message}")
        if not found:
            click.echo("  ✓ no breach")
    if by_entry:
        click.echo("\nElsewhere in the books, because of the proposals:")
        for (filename, lineno), messages in sorted(by_entry.items()):
            for message in messages:
                breaches += 1
                click.echo(f"  ✗ {filename}:{lineno}: {message}")
    rows = []
    for name, figures in after.figures.items():
        old = before.figures.get(name)
        was = old.available if old is not None else Decimal(0)
        rows.append({"fund": name, "available_before": money(was),
                     "available_after": money(figures.available),
                     "change": money(figures.available - was)})
    click.echo("")
    emit_rows(rows, "table", ["fund", "available_before", "available_after", "change"])
    click.echo(f"\n{breaches} breach(es)" if breaches else "\nno breach: the books would stay "
               "within every rule")
    existing = ledger_errors(loaded)
    if existing:
        click.echo(f"fundledger: the books already have {len(existing)} error(s) of their own; "
                   "run 'fundledger check' to list them", err=True)
    sys.exit(1 if breaches else 0)


def _read_proposal(proposal: Path, options: dict[str, Any]) -> list[data.Directive]:
    """The proposal file's entries, parsed and booked like the ledger's (never loaded
    through Beancount's cache, so that nothing is written beside it)."""
    if not proposal.is_file():
        fail(f"{proposal}: no such proposal file")
    try:
        entries, errors, _options = parser.parse_file(str(proposal))
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"{proposal}: cannot read: {exc}")
    if errors:
        fail(format_error(errors[0], proposal))
    entries, errors = booking.book(entries, options)
    if errors:
        fail(format_error(errors[0], proposal))
    for entry in entries:
        if isinstance(entry, data.Transaction):
            residual = interpolate.compute_residual(entry.postings)
            tolerances = interpolate.infer_tolerances(entry.postings, options)
            if not residual.is_small(tolerances):
                fail(f"{_where_text(entry)}: the transaction does not balance "
                     f"{residual}")
    return data.sorted(entries)


def _key(error: Any) -> tuple[Any, ...]:
    return (code_of(error), str(error.message), *_at(error.source))


def _where(item: Any) -> tuple[str, int]:
    """FILE, LINE of an error (its source) or of an entry (its meta)."""
    if isinstance(item, data.ALL_DIRECTIVES):
        return _at(item.meta)
    return _at(item.source)


def _at(meta: Any) -> tuple[str, int]:
    meta = meta or {}
    return (str(meta.get("filename", "")), int(meta.get("lineno", 0) or 0))


def _where_text(entry: data.Directive) -> str:
    filename, lineno = _where(entry)
    return f"{filename}:{lineno}"


def _describe(entry: data.Directive) -> str:
    """One line saying what a proposed entry is."""
    if isinstance(entry, data.Transaction):
        ids = [f'{k} "{entry.meta[k]}"' for k in ("grant", "loan") if k in entry.meta]
        total = sum((p.units.number for p in entry.postings if p.units and p.units.number
                     and p.units.number > 0), Decimal(0))
        return (f"{entry.date} {entry.payee or ''} — {entry.narration} "
                f"({', '.join(ids) or 'transaction'}, {money(total)} EUR)").replace("  ", " ")
    if isinstance(entry, data.Custom):
        values = " ".join(str(v.value) for v in entry.values)
        return f"{entry.date} {entry.type} {values}"
    return f"{entry.date} {type(entry).__name__.lower()}"
