"""`close`: seal a period once its accounts are approved (a ``period-close`` directive).

The directive is appended to the ledger's main file through the same locked, atomic
append as ``import --apply`` (:func:`fundledger.files.append_to_ledger`): the lock is
taken before the ledger is read, so the digest is of exactly the books the close follows.

It refuses (exit status 2, one line) books with errors: an auditor closes clean books,
and a digest sealing errors would prove only that they are still there.  It also refuses
a period that ends before, or at, a period already closed and not reopened.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import click

from fundledger import files
from fundledger.cli.common import DATE, LEDGER, fail, ledger_errors, open_ledger
from fundledger.engine.closing import closing_of


@click.command("close")
@click.argument("ledger", type=LEDGER)
@click.option("--through", "through", required=True, type=DATE,
              help="Last day of the period closed (e.g. 2025-12-31).")
@click.option("--note", required=True,
              help="Why it is closed (e.g. 'Comptes 2025 approuvés par le conseil du ...').")
@click.option("--on", "on", type=DATE, default=None,
              help="Date of the close (default: today); never before the period's end.")
def close(ledger: Path, through: datetime.datetime, note: str,
          on: datetime.datetime | None) -> None:
    """Close the books of LEDGER through a date: append a period-close with its digest.

    Any later change to an entry dated in the period is then reported (FL701) until a
    period-reopen lifts the close.
    """
    end = through.date()
    day = on.date() if on else datetime.date.today()
    if day < end:
        fail(f"--on {day}: a period closes once it has ended, not before {end}")
    note = " ".join(note.split())
    if not note:
        fail("--note: say why the period is closed (e.g. the board meeting that approved it)")
    if not ledger.is_file():
        fail(f"{ledger}: no such ledger file")
    try:
        with files.locked(ledger):
            before = ledger.read_bytes()
            loaded = open_ledger(ledger)
            errors = ledger_errors(loaded)
            if errors:
                fail(f"{ledger}: the ledger has {len(errors)} error(s); only clean books are "
                     "closed (run 'fundledger check' to list them)")
            periods = closing_of(loaded.analysis(trace=False))
            closed = periods.closing.in_force(day)
            latest = max(closed, key=lambda c: c.end, default=None)
            if latest is not None and latest.end >= end:
                fail(f"{ledger}: already closed through {latest.end} "
                     f"(period-close of {latest.date}); a period-reopen lifts it first")
            digest = periods.digest(end)
            files.append_to_ledger(ledger, digest.directive(day, note), before)
    except (files.FileBusy, files.AppendRefused) as exc:
        fail(str(exc))
    click.echo(f"{ledger}: closed through {end} on {day} ({digest.full})", err=True)
