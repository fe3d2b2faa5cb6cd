"""The gettext catalogs (``locale/<lang>/LC_MESSAGES/<domain>.po``), read with Babel.

Why ``.po`` read at run time rather than ``.mo`` compiled at build time: the catalogs
are the only source of the texts, a translator edits them with any PO editor, and the
edit shows on the next run in an editable install and in an installed wheel alike, with
no compile step anyone can forget (a stale ``.mo`` would silently show the old text).
Reading the three catalogs costs a few milliseconds, once per language and process
(:func:`messages` is cached): the catalogs as fundledger writes them (``msgid`` and
``msgstr``, comments, continued strings) are read by :func:`quick_messages`, which does
without importing ``babel.messages`` (and the ``email`` package it pulls in, more than a
tenth of a board report's own time); any other PO feature -- a flag such as ``fuzzy``,
a context, plural forms, an obsolete entry, a malformed line -- is left to Babel, which
reads it as it always has (or refuses it).  A test holds the two readers equal on every
shipped catalog.

Message ids are fundledger's label keys (``section.endowment``), not English sentences:
the English text is a translation like the others (``en/LC_MESSAGES``), so correcting
it never orphans the French and Italian ones.  Texts keep ``{name}`` placeholders,
filled by :func:`fundledger.i18n.t` with ``str.format``.

Two domains: ``fundledger`` (every output) and ``site`` (labels only the public
transparency site needs; the site looks there first, then in ``fundledger``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING

from fundledger.i18n.formats import LANGUAGES, LOCALES, check_language

if TYPE_CHECKING:  # babel.messages is imported when a catalog needs Babel's reader
    from babel.messages.catalog import Catalog

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
    from babel.messages.pofile import read_po

    with po_file(lang, domain).open("rb") as handle:
        return read_po(handle, locale=LOCALES[lang], domain=domain, abort_invalid=True)


@functools.cache
def messages(lang: str, domain: str = DOMAIN) -> Mapping[str, str]:
    """``{key: text}`` of ``lang``'s ``domain`` catalog (read once per process).

    Entries with an empty ``msgstr`` are left out, so an untranslated key is a missing
    key (``KeyError`` in :func:`fundledger.i18n.t`), never a blank in a report.
    """
    found = quick_messages(po_file(lang, domain).read_bytes())
    if found is None:  # a PO feature fundledger's catalogs do not use: Babel reads it
        catalog = read_catalog(lang, domain)
        found = {message.id: message.string for message in catalog
                 if message.id and message.string}
    return MappingProxyType(found)


#: Babel's unescaping of a PO string (``babel.messages.pofile.unescape``).
_ESCAPE = re.compile(r'\\([\\abfnrtv"])')
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_CHARSET = re.compile(r"charset=([^\s;]+)", re.IGNORECASE)


def _unescape(quoted: str) -> str:
    inner = quoted[1:-1]
    if "\\" not in inner:
        return inner
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m[1], m[1]), inner)


def quick_messages(raw: bytes) -> dict[str, str] | None:
    """``{msgid: msgstr}`` of a PO file made only of comments, ``msgid`` / ``msgstr``
    pairs and continued strings, UTF-8 encoded; ``None`` for anything else (the caller
    then asks Babel).  Entries with an empty id (the header) or text are left out, as
    :func:`messages` leaves them out of Babel's catalog."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    entries: dict[str, str] = {}  # every entry, the header's ("") included
    pieces: list[str] | None = None  # the string being read (msgid's, then msgstr's)
    msgid: str | None = None  # the entry's id, once its msgstr has begun

    def finish() -> bool:
        """Keep the entry read so far; False for a duplicate (Babel decides on it)."""
        if msgid in entries:
            return False
        entries[msgid] = "".join(pieces)
        return True

    for line in text.split("\n"):  # as Babel reads the file: lines of bytes, ASCII-stripped
        line = line.strip(" \t\n\r\x0b\x0c")
        if not line:
            continue
        if line[0] == "#":
            if line[1:2] not in ("", " ", ":", ".") or (pieces is not None and msgid is None):
                return None  # a flag, an obsolete entry, a comment inside an entry
            if msgid is not None and not finish():  # a comment ends an entry, as in Babel
                return None
            pieces = msgid = None
            continue
        if len(line) < 2 or line[-1] != '"':
            return None
        if line[0] == '"':
            if pieces is None:
                return None
            pieces.append(_unescape(line))
        elif line.startswith('msgid "'):
            if pieces is not None and msgid is None:
                return None  # two msgids in a row
            if msgid is not None and not finish():
                return None
            pieces, msgid = [_unescape(line[6:])], None
        elif line.startswith('msgstr "'):
            if pieces is None or msgid is not None:
                return None
            msgid, pieces = "".join(pieces), [_unescape(line[7:])]
        else:
            return None  # msgctxt, msgid_plural, msgstr[n], anything else
    if pieces is not None and (msgid is None or not finish()):
        return None
    header = entries.pop("", None)
    charset = _CHARSET.search(header or "")
    if header is None or (charset and charset[1].lower() not in ("utf-8", "utf8")):
        return None
    return {key: string for key, string in entries.items() if string}


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
