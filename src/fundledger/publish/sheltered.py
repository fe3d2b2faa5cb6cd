"""A host's public site: its own pages, and a section per sheltered foundation.

``fundledger publish HOST -o DIR``, when HOST's books shelter foundations, writes one site:
the host's own pages at the root (as for any ledger), each foundation's whole site under
``DIR/<name>/`` (built by :func:`fundledger.publish.site.build_site` from its own books, so
its own privacy checks apply), ``DIR/foundations.html`` listing them, and
``DIR/consolidated.html``, the consolidated accounts (the figures of ``fundledger
consolidate``, computed by :func:`fundledger.reports.consolidated.run` from the books
already loaded for the sections); every page of the host links to the list from its
navigation.  The two pages of the host's own are checked, like every page, for the
withheld text of every entity's books.
"""

from __future__ import annotations

import html
import posixpath
import re
from typing import TYPE_CHECKING, Any

from fundledger.i18n.formatter import Formatter
from fundledger.publish import labels
from fundledger.publish.site import (
    MARKER,
    PublishError,
    _environment,
    find_leak,
    withheld_ids,
    withheld_strings,
)

if TYPE_CHECKING:  # pragma: no cover
    from fundledger.ledger import Loaded

#: A foundation's name becomes a folder of the site.
_SAFE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_NAV_END = b"</nav>"


def host_site(host: dict[str, bytes], sections: list[tuple[str, str, dict[str, bytes]]],
              lang: str, consolidated: bytes | None = None) -> dict[str, bytes]:
    """The host's files, each foundation's under its name, the list of foundations and the
    consolidated accounts (:func:`consolidated_page`).

    ``sections``: (name, label, that foundation's site files).
    """
    files = dict(host)
    taken = {path.split("/", 1)[0] for path in host}
    for name, _label, site in sections:
        if not _SAFE.match(name) or name in taken:
            raise PublishError(f'sheltered foundation "{name}" cannot be a folder of the '
                               "site (use lower-case letters, digits, - and _; not a name the "
                               "host's pages use)")
        files.update({f"{name}/{path}": content for path, content in site.items()
                      if path != MARKER})
    files["foundations.html"] = _list_page(sections, lang, consolidated is not None)
    if consolidated is not None:
        files["consolidated.html"] = consolidated
    for path, content in list(files.items()):
        if path.endswith(".html") and path.split("/", 1)[0] not in {n for n, _l, _s in sections}:
            files[path] = _with_link(path, content, lang)
    return dict(sorted(files.items()))


def _with_link(path: str, content: bytes, lang: str) -> bytes:
    """The page with a link to the list of foundations at the end of its first menu."""
    if path == "foundations.html" or _NAV_END not in content:
        return content
    target = posixpath.relpath("foundations.html", posixpath.dirname(path) or ".")
    link = (f'  <a href="{html.escape(target)}">'
            f'{html.escape(labels.t("nav.sheltered", lang))}</a>\n    ').encode()
    return content.replace(_NAV_END, link + _NAV_END, 1)


def _list_page(sections: list[tuple[str, str, dict[str, bytes]]], lang: str,
               consolidated: bool = False) -> bytes:
    title = html.escape(labels.t("nav.sheltered", lang))
    link = (f'  <p><a href="consolidated.html">{html.escape(labels.t("consolidated", lang))}'
            "</a></p>\n" if consolidated else "")
    items = "\n".join(f'    <li><a href="{html.escape(name)}/index.html">{html.escape(label)}'
                      "</a></li>" for name, label, _site in sections)
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<title>{title}</title>\n<link rel="stylesheet" href="style.css">\n</head>\n'
            f'<body>\n<main id="main">\n  <p><a href="index.html">'
            f'{html.escape(labels.t("nav.home", lang))}</a></p>\n  <h1>{title}</h1>\n'
            f'  <p>{html.escape(labels.t("sheltered.intro", lang))}</p>\n  <ul>\n{items}\n'
            f"  </ul>\n{link}</main>\n</body>\n</html>\n").encode()


def consolidated_page(host: Loaded, foundations: dict[Any, Loaded], lang: str
                      ) -> tuple[bytes, list[str]]:
    """The host's consolidated accounts as a page of its site, in the host's language, and
    the consolidation's own errors (FL801, FL803 across entities: not in any one entity's
    books, so ``publish`` counts them on top).

    ``foundations``: each sheltered foundation's books, already loaded (by main file), so
    that nothing is loaded twice; the figures are those of ``fundledger consolidate``.
    Refused (:class:`PublishError`) if a withheld text of any entity would appear in it.
    """
    from fundledger.reports import consolidated as report

    try:
        consolidated = report.run(host, None, loaded=foundations)
    except report.ConsolidationError as exc:
        raise PublishError(str(exc)) from None
    data = report.shown(consolidated)
    own = {line for entity in consolidated.result.entities for line in entity.errors}
    title = str(host.options.get("title") or data["entities"][0]["entity"])
    text = _environment().get_template("consolidated.html.j2").render(
        lang=lang, t=lambda key, **v: labels.t(key, lang, **v), f=Formatter(lang),
        title=title, data=data, sections={e["entity"] for e in data["entities"][1:]})
    page = text.encode("utf-8")
    withheld: set[str] = set()
    ids: set[str] = set()
    for loaded in (host, *foundations.values()):
        books = loaded.analysis(trace=False)
        withheld |= withheld_strings(loaded.entries, books)
        ids |= withheld_ids(books)
    leak = find_leak({"consolidated.html": page}, withheld, ids)
    if leak:
        raise PublishError(leak)
    return page, [line for line in consolidated.errors if line not in own]
