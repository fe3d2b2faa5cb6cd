"""`export fec`: the year's fichier des écritures comptables (article A47 A-1 LPF).

Thin: check the arguments (exit 2 before any work), load once, let the engine number the
year's postings, write the file atomically, exit 1 if the ledger has errors (the file is
still written, as for reports).  ``-o`` names the file, or an existing folder in which the
file takes its regulatory name, ``SIRENFECYYYYMMDD.txt``.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import click

from fundledger.cli.common import LEDGER, fail, ledger_errors, open_ledger, warn_errors
from fundledger.files import atomic_write


@click.command()
@click.argument("ledger", type=LEDGER)
@click.option("--year", required=True, type=click.IntRange(1900, 9998), help="Financial year.")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="The file to write, or a folder (the file is then named "
                   "SIRENFECYYYYMMDD.txt from the ledger's siren option).")
def fec(ledger: Path, year: int, output: Path) -> None:
    """Fichier des écritures comptables of a year (French audit file)."""
    from fundledger.engine.accounting import general_ledger
    from fundledger.engine.closing import closing_of
    from fundledger.ledger import ledger_options
    from fundledger.reports import fec as fec_file

    if output.is_dir():
        folder, name = output, None
    else:
        folder, name = output.parent, output.name
        if not folder.resolve().is_dir():
            fail(f"{output}: no such directory {folder}")
    loaded = open_ledger(ledger)
    written = ledger_options(loaded.entries).get("siren", "")
    siren = "".join(char for char in written if char.isdigit())
    if written and not fec_file.valid_siren(siren):
        click.echo(f'fundledger: the "siren" option "{written}" of {ledger} is not a SIREN '
                   "number (nine digits with a valid key): the file is named without it",
                   err=True)
        siren = ""
    regulatory = fec_file.file_name(siren, year)
    if name is None:
        name = regulatory
        if not written:
            click.echo(f'fundledger: no "siren" option in {ledger}: writing {name}; the '
                       "administration expects the SIREN in front of it", err=True)
    elif siren and name != regulatory:
        click.echo(f"fundledger: note: the regulatory name of this file is {regulatory}",
                   err=True)
    errors = ledger_errors(loaded)
    books = loaded.analysis(trace=False)
    status = closing_of(books).status(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    rows = fec_file.build(general_ledger(loaded.entries, loaded.options, books, year), books,
                          validated=status.close.date if status.close else None)
    target = folder / name
    if target.is_symlink():
        fail(f"{target}: is a symbolic link; refusing to write through it")
    try:
        atomic_write(target, fec_file.to_text(rows))
    except OSError as exc:
        fail(f"{target}: cannot write: {exc.strerror}")
    click.echo(f"{target}: {len(rows) - 1} lines", err=True)
    warn_errors(errors)
    sys.exit(1 if errors else 0)
