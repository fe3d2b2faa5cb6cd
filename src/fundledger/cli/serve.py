"""`fundledger serve`: Fava with the fundledger pages, on 127.0.0.1 unless told otherwise.

``--read-only`` is Fava 1.30's own read-only mode (every request but GET is refused, so
no entry, file, document or import can be changed through the browser); it is what the
README tells auditors to use.  A ledger that forgot its ``fava-extension`` line still gets
the fundledger pages: the plugin adds that entry to what it serves (Fava loads the
extensions its entries name), so nothing of Fava is patched.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import click

from fundledger.cli.common import LEDGER, fail


@click.command()
@click.argument("ledger", type=LEDGER)
@click.option("--read-only", is_flag=True,
              help="Refuse every change through Fava (for auditors).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 127.0.0.1 keeps the books on this machine.")
@click.option("--port", type=click.IntRange(1, 65535), default=5000, show_default=True)
def serve(ledger: Path, read_only: bool, host: str, port: int) -> None:
    """Browse LEDGER in Fava with the Funds, Grants, Loans, Contributors, Compliance pages."""
    path = _readable(ledger)
    host = "127.0.0.1" if host == "localhost" else host  # as Fava: no IPv6 surprise
    from fava.application import create_app

    from fundledger.collector import one_malloc_arena, release_collector
    from fundledger.plugins.funds import serving

    release_collector()  # a server lives on: its requests make cyclic garbage
    # Before any worker thread: each would keep a C heap of its own.
    one_malloc_arena()

    # The plugin's pass at each load is the pages' one engine pass, traced, and it names
    # the fundledger pages for Fava when the books do not (Fava's own extension entry).
    serving(name_extension=True)
    # A host's books name the foundations it shelters: each one's books are served too,
    # apart (Fava's ledger switcher), so every entity is reachable from one server.
    from fundledger.reports.consolidated import sheltered_files

    sheltered = [found for _item, found in sheltered_files(path)]
    for found in sheltered:
        _readable(found)
    app = create_app([str(path), *map(str, sheltered)], load=True, read_only=read_only)

    def announce() -> None:
        """Said once the socket listens, so a busy port never reads as "serving"."""
        if read_only:
            click.echo(f"fundledger: serving {path} on http://{host}:{port}/ (read-only)",
                       err=True)
        else:
            click.echo(f"fundledger: serving {path} on http://{host}:{port}/; the books can "
                       "be changed from the browser (add --read-only to prevent it)", err=True)
        for found in sheltered:
            click.echo(f"fundledger: and the sheltered foundation's books {found}", err=True)
        if host not in ("127.0.0.1", "::1"):
            click.echo(f"fundledger: warning: listening on {host}, not only on this machine: "
                       "whoever reaches it can read the books"
                       + ("" if read_only else " and change them (add --read-only)"), err=True)

    _run(app, host, port, announce)


def _readable(ledger: Path) -> Path:
    """The ledger's absolute path, or exit 2 with one line if it cannot be read."""
    if not ledger.exists():
        fail(f"{ledger}: no such file")
    if not ledger.is_file():
        fail(f"{ledger}: not a file")
    if not os.access(ledger, os.R_OK):
        fail(f"{ledger}: permission denied")
    return ledger.resolve()


def _run(app: object, host: str, port: int, announce: Callable[[], None]) -> None:
    """Serve with cheroot, Fava's own production server, until interrupted.

    cheroot's ``start`` is ``prepare`` (bind and listen) then ``serve``: split here so
    that ``announce`` runs only once the socket listens.
    """
    from cheroot.wsgi import Server

    server = Server((host, port), app)
    try:
        server.prepare()
    except OSError as error:
        fail(f"cannot listen on {host}:{port}: {error.strerror or error}")
    announce()
    try:
        server.serve()
    except KeyboardInterrupt:
        server.stop()
