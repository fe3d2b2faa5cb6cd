#!/usr/bin/env python3
"""Merge a Python label table (``key -> (fr, it, en)``) into fundledger's gettext catalogs.

Why a tool: the labels moved from Python tuples to ``.po`` catalogs
(``src/fundledger/i18n/locale/<lang>/LC_MESSAGES/<domain>.po``) while other branches were
still adding tuples to the old tables.  After merging such a branch, run::

    .venv/bin/python tools/i18n_to_po.py merge src/fundledger/reports/i18n.py
    .venv/bin/python tools/i18n_to_po.py merge src/fundledger/publish/labels.py --domain site

Each run adds the table's new keys to the three catalogs, updates the texts that changed
and keeps every other entry; entries are written sorted by key, with a fixed header, so a
re-run on the same table changes nothing and a diff shows only real text changes.

``merge --prune`` deletes the catalog entries the table no longer holds (keys a branch
removed); use it on the last run only, when the table is complete.  ``merge --strip`` also
deletes the table (and the comment lines right above it) from the
source file once merged: the catalogs are then the only source of the texts.  ``imports
PATH...`` rewrites the old imports (``fundledger.reports.i18n``, ``fundledger.reports``'s
``charts``) to the new modules (``fundledger.i18n``, ``fundledger.charts``) in place.

The table is read with ``ast`` (never imported): a module-level assignment named
``_TABLE`` (``--table`` to change) whose value is a literal dict of 3-tuples of strings.
"""

from __future__ import annotations

import argparse
import ast
import datetime
import io
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parents[1]
LOCALE_DIR = REPO / "src" / "fundledger" / "i18n" / "locale"
#: The order of the languages in a table's tuples, and each one's CLDR locale.
ORDER = ("fr", "it", "en")
LOCALES = {"fr": "fr_FR", "it": "it_IT", "en": "en_GB"}
#: Fixed header dates: a catalog's bytes depend on its messages only.
EPOCH = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
HEADER = ("fundledger labels ({lang}).  The message id is the label key; edit the msgstr.\n"
          "Texts keep their {{placeholders}} as in the other languages (a test checks it).")


def table_node(tree: ast.Module, name: str) -> ast.Assign | ast.AnnAssign:
    """The module-level assignment of ``name``."""
    for node in tree.body:
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, ast.AnnAssign) else [])
        if any(isinstance(target, ast.Name) and target.id == name for target in targets):
            return node
    raise SystemExit(f"no module-level {name} = {{...}} table found")


def read_table(source: Path, name: str) -> dict[str, tuple[str, str, str]]:
    """The ``key -> (fr, it, en)`` table of ``source``, checked for shape."""
    node = table_node(ast.parse(source.read_text(encoding="utf-8"), str(source)), name)
    if node.value is None:
        raise SystemExit(f"{source}:{node.lineno}: {name} has no value")
    table = ast.literal_eval(node.value)
    if not isinstance(table, dict):
        raise SystemExit(f"{source}:{node.lineno}: {name} is not a dict")
    for key, texts in table.items():
        if (not isinstance(key, str) or not isinstance(texts, tuple) or len(texts) != 3
                or not all(isinstance(text, str) and text for text in texts)):
            raise SystemExit(f"{source}: {name}[{key!r}] is not a tuple of three texts")
    return table


def po_path(locale_dir: Path, lang: str, domain: str) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / f"{domain}.po"


def load(path: Path, lang: str, domain: str) -> Catalog:
    """The existing catalog at ``path``, or an empty one."""
    if not path.exists():
        return Catalog(locale=LOCALES[lang], domain=domain)
    with path.open("rb") as handle:
        return read_po(handle, locale=LOCALES[lang], domain=domain, abort_invalid=True)


def render(catalog: Catalog, lang: str, domain: str) -> bytes:
    """The catalog as ``.po`` bytes: sorted by key, header fixed, no tool version."""
    out = Catalog(locale=LOCALES[lang], domain=domain, project="fundledger", version="1",
                  header_comment="# " + HEADER.format(lang=lang).replace("\n", "\n# "),
                  creation_date=EPOCH, revision_date=EPOCH,
                  last_translator="fundledger", language_team=f"fundledger {lang}",
                  fuzzy=False)
    for message in catalog:
        if message.id:
            out.add(message.id, message.string, auto_comments=message.auto_comments,
                    user_comments=message.user_comments, flags=message.flags - {"fuzzy"},
                    context=message.context)
    buffer = io.BytesIO()
    write_po(buffer, out, width=100, sort_output=True, omit_header=False)
    text = buffer.getvalue().decode("utf-8")
    text = re.sub(r'"(Generated-By|Report-Msgid-Bugs-To): [^"]*\\n"\n', "", text)
    return text.encode("utf-8")


def merge(source: Path, table_name: str, domain: str, locale_dir: Path, strip: bool,
          prune: bool = False) -> int:
    table = read_table(source, table_name)
    for index, lang in enumerate(ORDER):
        path = po_path(locale_dir, lang, domain)
        catalog = load(path, lang, domain)
        added = changed = 0
        for key, texts in table.items():
            text = texts[index]
            message = catalog.get(key)
            if message is None:
                catalog.add(key, text)
                added += 1
            elif message.string != text:
                message.string = text
                changed += 1
        others = sorted(str(message.id) for message in catalog
                        if message.id and message.id not in table)
        if prune:
            for key in others:
                catalog.delete(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        new = render(catalog, lang, domain)
        if not path.exists() or path.read_bytes() != new:
            path.write_bytes(new)
        print(f"{path.relative_to(locale_dir.parent)}: {added} added, {changed} changed, "
              f"{len(table) - added - changed} unchanged, {len(others)} "
              f"{'pruned' if prune else 'kept'} (not in the table): {', '.join(others) or '-'}")
    if strip:
        strip_table(source, table_name)
        print(f"{source}: {table_name} deleted; the catalogs are now its texts' only source")
    return 0


def strip_table(source: Path, name: str) -> None:
    """Delete the table's assignment and the comment lines right above it from ``source``."""
    text = source.read_text(encoding="utf-8")
    node = table_node(ast.parse(text), name)
    lines = text.splitlines(keepends=True)
    start, end = node.lineno - 1, node.end_lineno or node.lineno
    while start > 0 and lines[start - 1].lstrip().startswith("#"):
        start -= 1
    del lines[start:end]
    source.write_text(re.sub(r"\n{4,}", "\n\n\n", "".join(lines)), encoding="utf-8")


#: (pattern, replacement) of the old imports, applied in order.  Import statements only
#: (anchored at a line's start): a test or document that names the old module in a string
#: keeps it.
IMPORTS = [
    (r"^([ \t]*)from fundledger\.reports\.(i18n|charts) import", r"\1from fundledger.\2 import"),
    (r"^([ \t]*)import fundledger\.reports\.(i18n|charts)\b", r"\1import fundledger.\2"),
]
FROM_REPORTS = re.compile(r"^(?P<indent>[ \t]*)from fundledger\.reports import (?P<names>[^(\n]+?)"
                          r"(?P<comment>[ \t]*#.*)?$", re.MULTILINE)
MOVED = {"i18n": "fundledger", "charts": "fundledger"}


def rewrite_imports(text: str) -> str:
    """``text`` with imports of ``reports.i18n`` / ``reports.charts`` pointing at the new homes.

    ``from fundledger.reports import charts, i18n, quarterly`` becomes
    ``from fundledger import charts, i18n`` + ``from fundledger.reports import quarterly``.
    """
    for pattern, replacement in IMPORTS:
        text = re.sub(pattern, replacement, text, flags=re.MULTILINE)

    def split(match: re.Match[str]) -> str:
        names = [name.strip() for name in match["names"].split(",") if name.strip()]
        moved = [name for name in names if name.split(" as ")[0] in MOVED]
        if not moved:
            return match[0]
        kept = [name for name in names if name not in moved]
        comment = match["comment"] or ""
        out = [f"{match['indent']}from fundledger import {', '.join(moved)}{comment}"]
        if kept:
            out.append(f"{match['indent']}from fundledger.reports import {', '.join(kept)}"
                       f"{comment}")
        return "\n".join(out)

    return FROM_REPORTS.sub(split, text)


def imports(paths: list[Path]) -> int:
    for root in paths:
        for path in sorted(root.rglob("*.py") if root.is_dir() else [root]):
            text = path.read_text(encoding="utf-8")
            new = rewrite_imports(text)
            if new != text:
                path.write_text(new, encoding="utf-8")
                print(f"{path}: imports rewritten")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    merging = commands.add_parser("merge", help="merge a Python label table into the catalogs")
    merging.add_argument("source", type=Path, help="the Python file holding the table")
    merging.add_argument("--table", default="_TABLE", help="the table's name (_TABLE)")
    merging.add_argument("--domain", default="fundledger",
                         help="the catalog: fundledger (every output) or site (public site)")
    merging.add_argument("--locale-dir", type=Path, default=LOCALE_DIR)
    merging.add_argument("--strip", action="store_true",
                         help="delete the table from the source file once merged")
    merging.add_argument("--prune", action="store_true",
                         help="delete catalog entries the table does not hold (the last run, "
                              "when the table is complete)")
    rewriting = commands.add_parser("imports", help="point old imports at fundledger.i18n")
    rewriting.add_argument("paths", type=Path, nargs="+")
    args = parser.parse_args(argv)
    if args.command == "merge":
        return merge(args.source, args.table, args.domain, args.locale_dir, args.strip,
                     args.prune)
    return imports(args.paths)


if __name__ == "__main__":
    sys.exit(main())
