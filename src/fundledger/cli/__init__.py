"""The ``fundledger`` command line: a thin click layer over the engine, importers and reports.

Each room of the library has its commands in its own module here; this module only
assembles them.  Exit statuses are those of SPEC 5 (see :mod:`fundledger.cli.common`).
"""

from __future__ import annotations

import click

from fundledger import __version__
from fundledger.cli import core
from fundledger.cli import importing as _importing
from fundledger.cli import init as _init
from fundledger.cli import report as _report
from fundledger.cli import serve as _serve


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="fundledger")
def cli() -> None:
    """Fund accounting for endowment-backed social-innovation funds, on Beancount."""


cli.add_command(core.check)
cli.add_command(core.funds)
cli.add_command(core.trace)
cli.add_command(_importing.import_statements)
cli.add_command(_report.report)
cli.add_command(_serve.serve)
cli.add_command(_init.init)


def main() -> None:
    """Console entry point; click answers usage errors with exit status 2."""
    cli(prog_name="fundledger")
