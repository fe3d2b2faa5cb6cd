"""A host's public site: its own pages, and a section per sheltered foundation.

``fundledger publish HOST -o DIR``, when HOST's books shelter foundations, writes one site:
the host's own pages at the root (as for any ledger), each foundation's whole site under
``DIR/<name>/`` (built by :func:`fundledger.publish.site.build_site` from its own books, so
its own privacy checks apply), and ``DIR/foundations.html`` listing them; every page of
the host links to that list from its navigation.
"""

from __future__ import annotations

import html
import posixpath
import re

from fundledger.publish import labels
from fundledger.publish.site import MARKER, PublishError

#: A foundation's name becomes a folder of the site.
_SAFE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_NAV_END = b"</nav>"


def host_site(host: dict[str, bytes], sections: list[tuple[str, str, dict[str, bytes]]],
              lang: str) -> dict[str, bytes]:
    """The host's files, each foundation's under its name, and the list of foundations.

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
    files["foundations.html"] = _list_page(sections, lang)
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


def _list_page(sections: list[tuple[str, str, dict[str, bytes]]], lang: str) -> bytes:
    title = html.escape(labels.t("nav.sheltered", lang))
    items = "\n".join(f'    <li><a href="{html.escape(name)}/index.html">{html.escape(label)}'
                      "</a></li>" for name, label, _site in sections)
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<title>{title}</title>\n<link rel="stylesheet" href="style.css">\n</head>\n'
            f'<body>\n<main id="main">\n  <p><a href="index.html">'
            f'{html.escape(labels.t("nav.home", lang))}</a></p>\n  <h1>{title}</h1>\n'
            f'  <p>{html.escape(labels.t("sheltered.intro", lang))}</p>\n  <ul>\n{items}\n'
            "  </ul>\n</main>\n</body>\n</html>\n").encode()
