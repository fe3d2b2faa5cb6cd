"""The ``fundledger`` command group: a thin click layer over the engine, importers and reports.

Each room of the library has its commands in its own module here; this module only
assembles them, lazily: a command's module (and what it needs: pandas, WeasyPrint, Fava,
ofxtools...) is imported only when that command runs, so ``fundledger check`` starts as
fast as ``bean-check``.  Exit statuses are those of SPEC 5 (see
:mod:`fundledger.cli.common`).
"""

from __future__ import annotations

import importlib
import sys

import click

from fundledger import __version__, collector

#: Command name → "module:attribute" of its click command, in the order of ``--help``.
COMMANDS = {
    "check": "fundledger.cli.core:check",
    "funds": "fundledger.cli.core:funds",
    "trace": "fundledger.cli.core:trace",
    "report": "fundledger.cli.report:report",
    "import": "fundledger.cli.importing:import_statements",
    "close": "fundledger.cli.close:close",
    "publish": "fundledger.cli.publish:publish",
    "serve": "fundledger.cli.serve:serve",
    "init": "fundledger.cli.init:init",
    "pipeline": "fundledger.cli.programmes:pipeline",
    "propose": "fundledger.cli.propose:propose",
    "budget": "fundledger.cli.planning:budget",
    "forecast": "fundledger.cli.planning:forecast",
    "export": "fundledger.cli.export:export",
    "consolidate": "fundledger.cli.sheltered:consolidate",
    "receipts": "fundledger.cli.sheltered:receipts",
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if self.get_command(ctx, name) is not None]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:  # a command not built yet in this version
                return None
            raise
        return getattr(module, attribute)


def _version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``--version``: fundledger's version, and whether the engine runs compiled."""
    if not value or ctx.resilient_parsing:
        return
    from fundledger.engine.build import engine_mode

    click.echo(f"fundledger, version {__version__} (engine: {engine_mode()})")
    ctx.exit()


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_version,
              help="Show the version (and whether the engine runs compiled) and exit.")
def cli() -> None:
    """Fund accounting for endowment-backed social-innovation funds, on Beancount."""


def run() -> None:
    """Run the command line (the console entry point, once no kept answer served it).

    Usage errors get one line on stderr and exit status 2 (SPEC 5), where click would
    print four (usage, hint, blank line, error).
    """
    collector.one_shot_process()
    try:
        status = cli.main(prog_name="fundledger", standalone_mode=False)
    except click.UsageError as exc:
        where = f"{exc.ctx.command_path}: " if exc.ctx else ""
        message = " ".join(exc.format_message().split())
        click.echo(f"{where}{message} (see --help)", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        click.echo(f"fundledger: {' '.join(exc.format_message().split())}", err=True)
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("fundledger: aborted", err=True)
        sys.exit(1)
    sys.exit(status if isinstance(status, int) else 0)
