"""`fundledger init DIR`: scaffold a new foundation's books (see :mod:`fundledger.scaffold`)."""

from __future__ import annotations

import datetime
from pathlib import Path

import click

from fundledger.cli.common import DATE, fail
from fundledger.scaffold import LANGUAGES, ScaffoldError, scaffold


@click.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--title", help="The foundation's name (option \"title\").")
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True,
              help="Language of names, labels and reports.")
@click.option("--start", type=DATE,
              help="Date the accounts and funds open (default: 1 January this year).")
def init(directory: Path, title: str | None, lang: str,
         start: datetime.datetime | None) -> None:
    """Scaffold a new foundation's books in DIRECTORY (new or empty)."""
    try:
        written = scaffold(directory, title, lang, start.date() if start else None)
    except ScaffoldError as exc:
        fail(str(exc))
    for path in written:
        click.echo(f"created {path}")
    click.echo(f"next: fundledger check {directory / 'main.beancount'}")
