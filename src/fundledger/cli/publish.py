"""`fundledger publish LEDGER -o DIR`: the public transparency site (SPEC 6.4)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from fundledger.cli.common import LEDGER, fail, ledger_errors, open_ledger, warn_errors
from fundledger.engine import Untraceable


@click.command()
@click.argument("ledger", type=LEDGER)
@click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path),
              help="Folder to write the site into: new, empty, or a previous site (its own "
                   "files are replaced; others there, such as .git/ or CNAME, are kept).")
def publish(ledger: Path, output: Path) -> None:
    """Write a static public site: funds, grants, contributors, with private data withheld.

    Exit status 1 if the ledger has errors (the site is still written, with a notice).
    """
    from fundledger.publish import PublishError, build_site, check_target, write_site

    try:
        check_target(output)
    except PublishError as exc:
        fail(str(exc))
    loaded = open_ledger(ledger, trace=True)
    errors = ledger_errors(loaded)
    try:
        files = build_site(loaded, len(errors), output)
        sections, foundations = _sheltered_sections(ledger, errors)
        if sections:
            from fundledger.publish.sheltered import consolidated_page, host_site
            from fundledger.reports.base import default_language

            lang = default_language(loaded.entries)
            page, consolidation_errors = consolidated_page(loaded, foundations, lang)
            files = host_site(files, sections, lang, page)
            errors += consolidation_errors  # FL801, FL803 across entities
        kept = write_site(files, output)
    except PublishError as exc:
        fail(f"{ledger}: {exc}")
    except Untraceable as exc:  # the message names the file and line
        fail(str(exc))
    except OSError as exc:
        fail(f"{output}: cannot write the site: {exc.strerror or exc}")
    pages = sum(1 for name in files if name.endswith(".html"))
    click.echo(f"{output}: {pages} pages written")
    if kept:
        click.echo(f"{output}: kept what publish did not write: {', '.join(kept)}")
    warn_errors(errors)
    sys.exit(1 if errors else 0)


def _sheltered_sections(ledger: Path, errors: list
                        ) -> tuple[list[tuple[str, str, dict[str, bytes]]], dict[Path, Any]]:
    """Each foundation a host shelters, with its own public site (its errors added to
    ``errors``): the host's site gets a section per foundation; and their loaded books,
    by main file, for the consolidated accounts."""
    from fundledger.publish import build_site
    from fundledger.reports.consolidated import sheltered_files

    sections = []
    foundations: dict[Path, Any] = {}
    for item, path in sheltered_files(ledger):
        loaded = foundations[path] = open_ledger(path, trace=True)
        own = ledger_errors(loaded)
        errors += own
        sections.append((item.name, item.label, build_site(loaded, len(own))))
    return sections, foundations
