"""Open data: the books' grants in the formats data portals aggregate.

* :mod:`~fundledger.opendata.scdl` — SCDL *Subventions* (France, décret 2017-779);
* :mod:`~fundledger.opendata.threesixty` — the 360Giving Data Standard (JSON and CSV);
* :mod:`~fundledger.opendata.trasparenza` — articles 26-27 of D.Lgs. 33/2013 (Italy);
* :mod:`~fundledger.opendata.schemaorg` — a schema.org ``MonetaryGrant`` per public grant.

Each takes the engine's :class:`~fundledger.engine.Books` and the ledger's options (one
engine pass, made by the command), applies the privacy rules through
:mod:`fundledger.opendata.common`, and checks its output against the official schema
before anything is written.  See ``docs/opendata.md``.
"""

from fundledger.opendata.common import OpenDataError, Publisher, Withheld, publisher

__all__ = ["OpenDataError", "Publisher", "Withheld", "publisher"]
