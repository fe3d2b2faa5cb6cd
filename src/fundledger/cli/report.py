"""`report quarterly|dedicated-funds|annual|contributor`: board, year-end, contributor reports.

Thin: validate the arguments (exit 2 before any work), load once, hand the entries to
:mod:`fundledger.reports`, write the result atomically, exit 1 if the ledger has errors.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from fundledger.cli.common import LANGS, LEDGER, fail, ledger_errors, open_ledger, warn_errors
from fundledger.engine import Untraceable
from fundledger.files import OutputRefused, check_output, write_output
from fundledger.reports import base

OUTPUT = click.Path(path_type=Path, dir_okay=False)


@click.group()
def report() -> None:
    """Board report, annual accounts, dedicated-funds table, contributor statement."""


def _check_output(output: Path | None, allowed: tuple[str, ...]) -> str:
    try:
        fmt = base.output_format(output, allowed)
    except base.ReportError as exc:
        fail(str(exc))
    if output is not None and not output.parent.resolve().is_dir():
        fail(f"{output}: no such directory {output.parent}")
    if output is not None:
        try:
            check_output(output)  # before any work: no symbolic link, no read-only file
        except OutputRefused as exc:
            fail(str(exc))
    return fmt


def _emit(output: Path | None, fmt: str, produce: Callable[[str], str | bytes]) -> None:
    """Produce the report in ``fmt`` and write it (stdout for HTML without ``-o``)."""
    try:
        content = produce(fmt)
    except base.ReportError as exc:
        fail(str(exc))
    except Exception as exc:
        # A refusal of the privacy gate, which only the reports that leave the foundation
        # import (the board's reports do without loading it).
        privacy = sys.modules.get("fundledger.privacy")
        if privacy is None or not isinstance(exc, privacy.Refused):
            raise
        fail(str(exc))
    if output is None:
        click.echo(content, nl=False)
        return
    try:
        write_output(output, content)
    except OutputRefused as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"{output}: cannot write: {exc.strerror}")


def _finish(errors: list) -> None:
    warn_errors(errors)
    sys.exit(1 if errors else 0)


def _pdf_or_html(fmt: str, html: str) -> str | bytes:
    return base.html_to_pdf(html) if fmt == "pdf" else html


@report.command()
@click.argument("ledger", type=LEDGER)
@click.option("--quarter", required=True, help="Quarter to report on, as YYYY-Qn (2025-Q3).")
@click.option("--lang", type=LANGS, help="Language (default: the ledger's language option).")
@click.option("-o", "--output", type=OUTPUT,
              help="FILE.html or FILE.pdf (default: HTML on stdout).")
def quarterly(ledger: Path, quarter: str, lang: str | None, output: Path | None) -> None:
    """Quarterly allocation report for the board: funds, grants, loans, endowment, impact."""
    from fundledger.reports import quarterly as report_module

    fmt = _check_output(output, ("html", "pdf"))
    try:
        period = report_module.Quarter.parse(quarter)
    except base.ReportError as exc:
        fail(str(exc))
    loaded = open_ledger(ledger)
    errors = ledger_errors(loaded)
    info = base.ledger_info(loaded.entries, loaded.options, errors)
    language = lang or info.language
    books = loaded.analysis(trace=False)
    if books.last_date is not None and books.last_date < period.start:
        click.echo(f"warning: {ledger}: the books end on {books.last_date}, before "
                   f"{period}: the report shows the position of that date", err=True)
    _emit(output, fmt, lambda f: _pdf_or_html(
        f, report_module.render(books, info, period, language)))
    _finish(errors)


@report.command("dedicated-funds")
@click.argument("ledger", type=LEDGER)
@click.option("--year", required=True, type=click.IntRange(1900, 9999), help="Financial year.")
@click.option("--lang", type=LANGS, help="Language (default: the ledger's language option).")
@click.option("-o", "--output", type=OUTPUT,
              help="FILE.html, FILE.pdf or FILE.csv (default: HTML on stdout).")
def dedicated_funds(ledger: Path, year: int, lang: str | None, output: Path | None) -> None:
    """Tableau de variation des fonds dédiés (ANC 2018-06): by origin, first in, first out."""
    from fundledger.reports import dedicated

    fmt = _check_output(output, ("html", "pdf", "csv"))
    loaded = open_ledger(ledger)
    errors = ledger_errors(loaded)
    info = base.ledger_info(loaded.entries, loaded.options, errors)
    language = lang or info.language

    groups = dedicated.build(loaded.analysis(trace=False), year)

    def produce(f: str) -> str | bytes:
        if f == "csv":
            return dedicated.to_csv(groups, language)
        return _pdf_or_html(f, dedicated.render(groups, info, year, language))

    _emit(output, fmt, produce)
    _finish(errors)


@report.command()
@click.argument("ledger", type=LEDGER)
@click.option("--year", required=True, type=click.IntRange(1900, 9998), help="Financial year.")
@click.option("--lang", type=LANGS, help="Language (default: the ledger's language option).")
@click.option("-o", "--output", type=OUTPUT,
              help="FILE.html, FILE.pdf or FILE.csv (default: HTML on stdout).")
def annual(ledger: Path, year: int, lang: str | None, output: Path | None) -> None:
    """Annual accounts in the ANC 2018-06 layout: bilan, compte de résultat, fonds dédiés,
    and the CROD and CER where the ledger declares public generosity."""
    from fundledger.reports import annual as accounts

    fmt = _check_output(output, ("html", "pdf", "csv"))
    loaded = open_ledger(ledger)
    errors = ledger_errors(loaded)
    info = base.ledger_info(loaded.entries, loaded.options, errors)
    language = lang or info.language
    built = accounts.build(loaded.entries, loaded.options, loaded.analysis(trace=False), year)
    # A host's books: its sheltered foundations' fonds dédiés, each from its own books.
    from fundledger.reports.consolidated import ConsolidationError

    try:
        built.sheltered = accounts.sheltered_funds(loaded, year)
    except ConsolidationError as exc:
        fail(str(exc))
    foundation_errors = [line for s in built.sheltered for line in s.errors]

    def produce(f: str) -> str | bytes:
        if f == "csv":
            return accounts.to_csv(built, language)
        return _pdf_or_html(f, accounts.render(built, info, language))

    _emit(output, fmt, produce)
    for line in foundation_errors:
        click.echo(line, err=True)
    _finish([*errors, *foundation_errors])


@report.command()
@click.argument("ledger", type=LEDGER)
@click.option("--contributor", required=True, help="Contributor name (payee or contributor:).")
@click.option("--lang", type=LANGS,
              help="Language (default: the contributor's, else the ledger's).")
@click.option("-o", "--output", type=OUTPUT,
              help="FILE.html, FILE.pdf or FILE.csv (default: HTML on stdout).")
def contributor(ledger: Path, contributor: str, lang: str | None, output: Path | None) -> None:
    """Statement for one contributor: where its money went, fund by fund."""
    from fundledger.privacy import Privacy, Refused
    from fundledger.reports import contributor as statement

    fmt = _check_output(output, ("html", "pdf", "csv"))
    loaded = open_ledger(ledger, trace=True)
    errors = ledger_errors(loaded)
    info = base.ledger_info(loaded.entries, loaded.options, errors)
    books = loaded.analysis(trace=True)
    try:
        built = statement.build(books, contributor)
    except base.ReportError as exc:
        fail(f"{ledger}: {exc}")
    except Untraceable as exc:  # the message names the file and line
        fail(str(exc))
    language = (lang or statement.language_of(loaded.entries, built["name"], books.roots)
                or info.language)
    # The statement leaves the foundation: it goes through the privacy gate, whole.
    privacy = Privacy.of(books, loaded.entries, audience=built["name"])
    name = str(output) if output is not None else "the contributor statement"
    try:
        privacy.refuse_if_unsure(name)
    except Refused as exc:
        fail(f"{ledger}: {exc}")

    def produce(f: str) -> str | bytes:
        if f == "csv":
            return privacy.clean(statement.to_csv(built, language), name)
        return _pdf_or_html(f, privacy.clean(statement.render(built, info, language), name))

    _emit(output, fmt, produce)
    _finish(errors)
