"""The site itself: layout, valid links, reproducible bytes, figures equal to the engine's."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from fundledger.engine import analyse
from fundledger.i18n import LANGUAGES, format_money
from fundledger.publish import MARKER
from fundledger.publish.labels import LABELS
from fundledger.publish.public import unique_slugs
from fundledger.reports.base import default_language
from tests.publish.conftest import loaded, readable, run, site_files, write_small


class _Links(HTMLParser):
    """Every href/src of a page, and every id it defines."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "script" and values.get("type") != "application/ld+json":  # data, not code
            self.scripts += 1
        for name in ("href", "src"):
            if values.get(name) is not None:
                self.links.append(values[name])
        if values.get("id"):
            self.ids.add(values["id"])


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def crawl(site: Path) -> set[Path]:
    """Follow every link from the root page; assert each one is relative and resolves."""
    seen: set[Path] = set()
    todo = [site / "index.html"]
    while todo:
        page = todo.pop()
        if page in seen:
            continue
        seen.add(page)
        parsed = _parse(page)
        assert parsed.scripts == 0, page
        for link in parsed.links:
            parts = urlsplit(link)
            assert not parts.scheme and not parts.netloc, f"{page}: absolute link {link}"
            assert not link.startswith("/"), f"{page}: root-relative link {link}"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), f"{page}: broken link {link}"
            assert site.resolve() in target.parents, f"{page}: link out of the site {link}"
            if parts.fragment:
                assert parts.fragment in _parse(target).ids, f"{page}: no #{parts.fragment}"
            if target.suffix == ".html":
                todo.append(target)
    return seen


@pytest.mark.parametrize("name", ["lyon", "torino"])
def test_every_link_resolves_and_every_page_is_reachable(demo_sites, name):
    site = demo_sites[name].site
    reached = {p.relative_to(site.resolve()).as_posix() for p in crawl(site.resolve())}
    pages = {p for p in site_files(site) if p.endswith(".html")}
    assert reached == pages


@pytest.mark.parametrize("name", ["lyon", "torino"])
def test_layout(demo_sites, name):
    built = demo_sites[name]
    books = loaded(built.ledger)
    files = site_files(built.site)
    assert MARKER in files and "style.css" in files
    lang = default_language(books.entries)
    assert lang == {"lyon": "fr", "torino": "it"}[name]
    assert f'<html lang="{lang}">' in files["index.html"].decode()
    for code in LANGUAGES:
        home = files[f"{code}/index.html"].decode()
        assert f'<html lang="{code}">' in home
        for other in LANGUAGES:  # the language switch points at the same page
            target = "index.html" if other == code else f"../{other}/index.html"
            assert f'href="{target}" hreflang="{other}"' in home
        assert f'{code}/grants.html' in files and f'{code}/contributors.html' in files
        assert f'href="{code}/funds/' not in home
    funds = analyse(books.entries, trace=False).funds
    pages = {p for p in files if p.startswith("fr/funds/")}
    assert pages == {f"fr/funds/{slug}.html" for slug in unique_slugs(funds).values()}


def test_root_page_is_the_default_language_home(demo_sites):
    site = demo_sites["torino"].site
    root = (site / "index.html").read_text(encoding="utf-8")
    home = (site / "it" / "index.html").read_text(encoding="utf-8")
    assert 'href="it/grants.html"' in root and 'href="grants.html"' in home
    assert 'href="style.css"' in root and 'href="../style.css"' in home
    # Same page, links aside.
    strip = re.compile(r'(href|src)="[^"]*"')
    assert strip.sub("", root) == strip.sub("", home)


def test_rebuild_is_byte_identical(tmp_path, demo_sites):
    built = demo_sites["lyon"]
    again = tmp_path / "again"
    assert run("publish", built.ledger, "-o", again).exit_code == 0
    first, second = site_files(built.site), site_files(again)
    assert sorted(first) == sorted(second)
    assert [k for k in first if first[k] != second[k]] == []


def test_small_rebuild_in_place_is_byte_identical(tmp_path):
    ledger = write_small(tmp_path)
    site = tmp_path / "site"
    assert run("publish", ledger, "-o", site).exit_code == 0
    first = site_files(site)
    assert run("publish", ledger, "-o", site).exit_code == 0
    assert site_files(site) == first


def _row_figures(text: str, slug: str) -> dict[str, str]:
    row = re.search(rf'<tr id="fund-{re.escape(slug)}">(.*?)</tr>', text, re.S)
    assert row, slug
    return dict(re.findall(r'data-figure="(\w+)">([^<]*)<', row.group(1)))


@pytest.mark.parametrize("name", ["lyon", "torino"])
def test_home_and_fund_figures_match_funds_json(demo_sites, name):
    built = demo_sites[name]
    result = run("funds", built.ledger, "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    slugs = unique_slugs([r["fund"] for r in rows])
    home_keys = ["received", "spent", "balance", "loans_outstanding", "pledges_outstanding",
                 "available"]  # the pledges column makes the footnote add up (issue 22)
    all_keys = ["received", "spent", "transfers_in", "transfers_out", "balance",
                "loans_outstanding", "pledges_outstanding", "available"]
    for lang in LANGUAGES:
        home = readable(built.site / lang / "index.html")
        for row in rows:
            slug = slugs[row["fund"]]
            shown = _row_figures(home, slug)
            assert shown == {k: format_money(Decimal(row[k]), lang) for k in home_keys}
            page = readable(built.site / lang / "funds" / f"{slug}.html")
            shown = dict(re.findall(r'data-figure="(\w+)"[^>]*>([^<]*)<', page))
            assert shown == {k: format_money(Decimal(row[k]), lang) for k in all_keys}
    available = sum(Decimal(r["available"]) for r in rows)
    root = readable(built.site / "index.html")
    lang = default_language(loaded(built.ledger).entries)
    assert f'data-total="available">{format_money(available, lang)}<' in root


def test_grant_page_figures_are_the_engine_s(demo_sites):
    built = demo_sites["torino"]
    books = analyse(loaded(built.ledger).entries)
    grants = {g.id: g for g in books.grants.values() if not g.is_withheld}
    slugs = unique_slugs(grants)
    checked = 0
    for ident, grant in sorted(grants.items())[:10]:
        text = readable(built.site / "it" / "grants" / f"{slugs[ident]}.html")
        shown = dict(re.findall(r'data-grant="(\w+)">([^<]*)<', text))
        assert shown["awarded"] == format_money(grant.awarded, "it")
        assert shown["paid"] == format_money(grant.paid, "it")
        assert shown["net"] == format_money(grant.net, "it")
        assert shown["remaining"] == format_money(grant.remaining, "it")
        assert grant.grantee in text
        checked += 1
    assert checked == 10


def test_pages_speak_their_language(demo_sites):
    site = demo_sites["lyon"].site
    assert "Ressources reçues" in readable(site / "fr" / "index.html")
    assert "Risorse ricevute" in readable(site / "it" / "index.html")
    assert "Received" in readable(site / "en" / "index.html")
    assert "Ressources reçues" not in readable(site / "en" / "index.html")


def test_every_label_in_every_language():
    for key, values in LABELS.items():
        assert set(values) == set(LANGUAGES), key
        assert all(v.strip() for v in values.values()), key
