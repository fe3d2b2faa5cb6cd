"""The gettext catalogs (``locale/<lang>/LC_MESSAGES/<domain>.po``), read with Babel.

Why ``.po`` read at run time rather than ``.mo`` compiled at build time: the catalogs
are the only source of the texts, a translator edits them with any PO editor, and the
edit shows on the next run in an editable install and in an installed wheel alike, with
no compile step anyone can forget (a stale ``.mo`` would silently show the old text).
Reading the three catalogs costs a few milliseconds, once per language and process
(:func:`messages` is cached).

Message ids are fundledger's label keys (``section.endowment``), not English sentences:
the English text is a translation like the others (``en/LC_MESSAGES``), so correcting
it never orphans the French and Italian ones.  Texts keep ``{name}`` placeholders,
filled by :func:`fundledger.i18n.t` with ``str.format``.

Two domains: ``fundledger`` (every output) and ``site`` (labels only the public
transparency site needs; the site looks there first, then in ``fundledger``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from importlib import resources
from types import MappingProxyType

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from fundledger.i18n.formats import LANGUAGES, LOCALES, check_language

#: The domain of every output's labels, and the public site's own.
DOMAIN = "fundledger"
SITE = "site"
DOMAINS: tuple[str, ...] = (DOMAIN, SITE)


def po_file(lang: str, domain: str = DOMAIN) -> resources.abc.Traversable:
    """Where the ``domain`` catalog of ``lang`` lives inside the installed package."""
    return (resources.files("fundledger.i18n") / "locale" / check_language(lang)
            / "LC_MESSAGES" / f"{domain}.po")


def read_catalog(lang: str, domain: str = DOMAIN) -> Catalog:
    """The Babel catalog of ``lang``; a malformed file raises (never half a catalog)."""
    with po_file(lang, domain).open("rb") as handle:
        return read_po(handle, locale=LOCALES[lang], domain=domain, abort_invalid=True)


@functools.cache
def messages(lang: str, domain: str = DOMAIN) -> Mapping[str, str]:
    """``{key: text}`` of ``lang``'s ``domain`` catalog (read once per process).

    Entries with an empty ``msgstr`` are left out, so an untranslated key is a missing
    key (``KeyError`` in :func:`fundledger.i18n.t`), never a blank in a report.
    """
    catalog = read_catalog(lang, domain)
    return MappingProxyType({message.id: message.string for message in catalog
                             if message.id and message.string})


class Labels(Mapping[str, Mapping[str, str]]):
    """``key -> {lang: text}`` over one domain's catalogs, read when first used.

    The shape the label table had before the catalogs (``LABELS[key]["fr"]``), for code
    and tests that look at a key in every language at once; :func:`fundledger.i18n.t`
    does not go through it.
    """

    def __init__(self, domain: str = DOMAIN) -> None:
        self.domain = domain

    @functools.cached_property
    def _table(self) -> dict[str, dict[str, str]]:
        table: dict[str, dict[str, str]] = {}
        for lang in LANGUAGES:
            for key, text in messages(lang, self.domain).items():
                table.setdefault(key, {})[lang] = text
        return dict(sorted(table.items()))

    def __getitem__(self, key: str) -> Mapping[str, str]:
        return MappingProxyType(self._table[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)
