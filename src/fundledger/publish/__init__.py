"""The public transparency site (SPEC 6.4): static HTML from the books, private data withheld.

:func:`build_site` turns a loaded ledger into ``{path: bytes}`` (the engine's figures,
filtered by :mod:`fundledger.publish.public`, rendered by :mod:`fundledger.publish.site`,
then scanned for every withheld string); :func:`write_site` puts them in place
all-or-nothing.  See ``docs/publish.md``.
"""

from fundledger.publish.site import (
    MARKER,
    PublishError,
    build_site,
    check_target,
    find_leak,
    withheld_ids,
    withheld_strings,
    write_site,
)

__all__ = ["MARKER", "PublishError", "build_site", "check_target", "find_leak", "withheld_ids",
           "withheld_strings", "write_site"]
