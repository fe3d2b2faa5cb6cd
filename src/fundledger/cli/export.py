"""`fundledger export FORMAT LEDGER ...`: files for auditors and open-data portals.

One subcommand per format, all sharing :func:`run`: validate the arguments (exit 2 before
any work), load once, refuse while a privacy marker is wrong (FL105), build and check the
file against its schema, then write it and its withheld summary atomically.  A format is
added by one more subcommand on the :func:`export` group.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from fundledger.cli.common import LEDGER, fail, ledger_errors, open_ledger, warn_errors
from fundledger.cli.fec import fec
from fundledger.files import atomic_write

if TYPE_CHECKING:  # the opendata modules are imported when a subcommand runs
    from fundledger.engine import Books
    from fundledger.opendata import Publisher, Withheld

    Produce = Callable[[Books, Publisher, str], tuple[str, Withheld]]

OUTPUT = click.Path(path_type=Path, dir_okay=False)
YEAR = click.IntRange(1900, 9999)


@click.group()
def export() -> None:
    """Write the books' data in the fixed formats of auditors and open-data portals."""


#: The audit file (FEC) lives in its own module: it shares no open-data machinery.
export.add_command(fec)


def check_output(output: Path, suffixes: tuple[str, ...]) -> str:
    """The output's format from its suffix; exit 2 for a wrong suffix, a missing folder or a
    symbolic link (an output never writes through a link onto a file it did not make)."""
    suffix = output.suffix.lower()
    if suffix not in suffixes:
        fail(f"{output}: the file name must end in {' or '.join(suffixes)}")
    if output.is_symlink():
        fail(f"{output}: is a symbolic link; refusing to write through it")
    if output.exists() and not output.is_file():
        fail(f"{output}: exists and is not a file")
    if not output.absolute().parent.is_dir():
        fail(f"{output}: no such folder {output.parent}")
    return suffix.lstrip(".")


def sidecar_path(output: Path) -> Path:
    """Where the withheld summary of ``output`` goes: ``NAME.withheld.json`` beside it."""
    return output.with_name(f"{output.stem}.withheld.json")


def run(ledger: Path, output: Path, suffixes: tuple[str, ...],
        produce: Produce) -> None:
    """Load, build with ``produce(books, publisher, fmt)``, write data and summary, exit."""
    from fundledger.opendata import OpenDataError, publisher
    from fundledger.privacy import Privacy, Refused

    fmt = check_output(output, suffixes)
    side = sidecar_path(output)
    if side.is_symlink():
        fail(f"{side}: is a symbolic link; refusing to write through it")
    loaded = open_ledger(ledger)
    errors = ledger_errors(loaded)
    books = loaded.analysis(trace=False)
    privacy = Privacy.of(books, loaded.entries)  # the one gate of every outside output
    try:
        privacy.refuse_if_unsure(str(output))
        who = publisher(loaded.entries, str(loaded.options.get("title") or "fundledger"))
        content, withheld = produce(books, who, fmt)
        content = privacy.clean(content, str(output))
    except OpenDataError as exc:
        fail(str(exc) if exc.located else f"{ledger}: {exc}")
    except Refused as exc:
        fail(str(exc))
    try:
        atomic_write(side, withheld.sidecar())  # first: no data without its summary
        atomic_write(output, content)
    except OSError as exc:
        fail(f"{output}: cannot write: {exc.strerror or exc}")
    click.echo(f"{output}: {withheld.summary()}; see {side.name}", err=True)
    warn_errors(errors)
    sys.exit(1 if errors else 0)


@export.command()
@click.argument("ledger", type=LEDGER)
@click.option("--year", required=True, type=YEAR, help="Year of the awards to publish.")
@click.option("-o", "--output", required=True, type=OUTPUT, help="FILE.csv to write.")
def scdl(ledger: Path, year: int, output: Path) -> None:
    """The year's awards in the SCDL Subventions schema (French public bodies' subsidies).

    Grants withheld for privacy are left out (the schema requires a name) and counted in
    FILE.withheld.json.
    """
    from fundledger.opendata import scdl as module

    run(ledger, output, (".csv",), lambda books, who, _fmt: module.build(books, who, year))


@export.command("360giving")
@click.argument("ledger", type=LEDGER)
@click.option("-o", "--output", required=True, type=OUTPUT, help="FILE.json or FILE.csv.")
def threesixtygiving(ledger: Path, output: Path) -> None:
    """Every awarded grant in the 360Giving Data Standard (JSON package or CSV).

    Grants to persons appear with an anonymous recipient; other withheld grants are left
    out; both are counted in FILE.withheld.json.
    """
    from fundledger.opendata import threesixty

    run(ledger, output, (".json", ".csv"), threesixty.build)


@export.command()
@click.argument("ledger", type=LEDGER)
@click.option("--year", required=True, type=YEAR, help="Year of the awards to publish.")
@click.option("-o", "--output", required=True, type=OUTPUT, help="FILE.csv to write.")
def trasparenza(ledger: Path, year: int, output: Path) -> None:
    """The year's economic aid as articles 26-27 of the Italian D.Lgs. 33/2013 require.

    Withheld grants keep their row (date, amounts) with names and ids left empty; they are
    counted in FILE.withheld.json.
    """
    from fundledger.opendata import trasparenza as module

    run(ledger, output, (".csv",), lambda books, who, _fmt: module.build(books, who, year))
