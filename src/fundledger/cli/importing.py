"""`import`: bank statements into the ledger (SPEC 7), a thin layer over the importers."""

from __future__ import annotations

from pathlib import Path

import click

from fundledger.cli.common import LEDGER, fail
from fundledger.importers.configuration import (
    ConfigError,
    find_config,
    load_config,
    not_found_message,
)
from fundledger.importers.rules import RulesError
from fundledger.importers.session import ImportRefused, run_import
from fundledger.importers.statement import StatementError
from fundledger.ledger import LedgerUnreadable


@click.command("import")
@click.argument("statements", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--ledger", "ledger", required=True, type=LEDGER,
              help="The ledger to de-duplicate against (and to append to with --apply).")
@click.option("--apply", "apply", is_flag=True,
              help="Append the new entries to the ledger instead of printing them.")
@click.option("--account", default=None, metavar="ACCOUNT",
              help="Ledger account of the statements (when the file names none, e.g. CSV).")
@click.option("--config", "config", type=click.Path(path_type=Path), default=None,
              help="Import configuration (default: importers/config.py in the ledger's folder "
              "or a parent, else in the current folder).")
@click.option("--no-balance", "no_balance", is_flag=True,
              help="Import the lines without any balance assertion (for a statement whose "
              "movements do not add up to its balances).")
def import_statements(statements: tuple[Path, ...], ledger: Path, apply: bool,
                      account: str | None, config: Path | None, no_balance: bool) -> None:
    """Identify, extract and de-duplicate STATEMENT files (camt.053, CFONB 120, OFX, CSV).

    Prints the new entries as Beancount text, or with --apply appends them to the ledger
    (or to the file the configuration names).
    """
    try:
        found = config or find_config(ledger)
        settings = load_config(found, ledger)
        result = run_import(statements, ledger, settings, account=account, apply=apply,
                            balances=not no_balance)
    except (StatementError, ConfigError, RulesError, ImportRefused, LedgerUnreadable) as exc:
        fail(str(exc))
    # Said once the import has succeeded: a refusal stays one line.
    if found is None:
        click.echo(not_found_message(ledger), err=True)
    if no_balance:
        click.echo("fundledger: --no-balance: no balance assertion written; the statements' "
                   "balances were not checked against their movements", err=True)
    if apply:
        click.echo(f"{result.target}: {result.count} new entries appended, "
                   f"{result.duplicates} already there", err=True)
    else:
        text = result.text()
        if text:
            click.echo(text, nl=False)
        click.echo(f"fundledger: {result.count} new entries, {result.duplicates} already in "
                   f"{ledger}", err=True)
