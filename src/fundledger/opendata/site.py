"""The open datasets of the public site, built from the same books as its pages.

:func:`datasets` gives the files ``publish`` adds under ``opendata/`` (each with its
withheld summary) and what the site's *Open data* page says about them:

* 360Giving (JSON and CSV), whenever the books have a grant to publish;
* SCDL *Subventions*, one file per year with awards, when the books carry the granting
  body's SIRET (``fundledger-option "siret"``);
* the Italian art. 26-27 list, one file per year with awards, when the books carry its
  codice fiscale (``fundledger-option "codice-fiscale"``).

An export that would not pass its schema stops the publication (:class:`OpenDataError`),
as it stops ``fundledger export``: the site never offers a file a portal would refuse.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from beancount.core import data

from fundledger.engine import Books
from fundledger.opendata import scdl, threesixty, trasparenza
from fundledger.opendata.common import Publisher, Withheld, publisher

FOLDER = "opendata"


@dataclass
class Dataset:
    """One published file, as the Open data page lists it."""

    kind: str  # "360giving", "scdl", "trasparenza": the page's label keys
    path: str  # relative to the site's root
    media: str  # "JSON" or "CSV"
    year: int | None
    withheld: Withheld
    sidecar: str


@dataclass
class Datasets:
    publisher: Publisher
    files: dict[str, bytes] = field(default_factory=dict)
    listed: list[Dataset] = field(default_factory=list)

    def add(self, kind: str, name: str, media: str, year: int | None, content: str,
            withheld: Withheld) -> None:
        path = f"{FOLDER}/{name}"
        stem = name.rsplit(".", 1)[0]
        sidecar = f"{FOLDER}/{stem}.withheld.json"
        self.files[path] = content.encode("utf-8")
        self.files[sidecar] = withheld.sidecar().encode("utf-8")
        self.listed.append(Dataset(kind, path, media, year, withheld, sidecar))


#: The schema each dataset follows, its version and its licence, for the page (named, not
#: linked: the site links only to its own files, so it works offline).
SCHEMAS = {
    "360giving": ("360Giving Data Standard", "1.4.3", "CC BY 4.0"),
    "scdl": ("SCDL Subventions", "2.1.1", "Unlicense"),
    "trasparenza": ("D.Lgs. 33/2013, art. 26-27 (fundledger)", "1.0", "CC0 1.0"),
}


def datasets(books: Books, entries: list[data.Directive], title: str) -> Datasets:
    """Every open dataset of ``books`` (validated; :class:`OpenDataError` if one is not)."""
    who = publisher(entries, title)
    out = Datasets(who)
    years = sorted({g.awarded_on.year for g in books.grants.values()
                    if g.awarded_on is not None and g.awarded > 0})
    if not years:
        return out
    document, records, withheld = threesixty.package(books, who)
    if document["grants"]:
        threesixty.check(who, document, records)
        for media in ("json", "csv"):
            out.add("360giving", f"360giving.{media}", media.upper(), None,
                    threesixty.render(document, media), withheld)
    if who.siret:
        for year in years:
            content, withheld = scdl.build(books, who, year)
            out.add("scdl", f"scdl-subventions-{year}.csv", "CSV", year, content, withheld)
    if who.codice_fiscale:
        for year in years:
            content, withheld = trasparenza.build(books, who, year)
            out.add("trasparenza", f"trasparenza-{year}.csv", "CSV", year, content, withheld)
    return out
