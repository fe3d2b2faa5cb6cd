"""Privacy (SPEC 3.5): nothing withheld ever reaches a file of the public site."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fundledger.engine import analyse
from fundledger.i18n import LANGUAGES, format_money
from fundledger.publish import find_leak, withheld_ids, withheld_strings
from tests.publish.conftest import (
    SMALL,
    SMALL_PRIVATE_AWARDED,
    SMALL_PRIVATE_NET,
    SMALL_PRIVATE_PAID,
    leaks,
    loaded,
    readable,
    run,
    site_files,
    withheld,
    write_small,
)


@pytest.mark.parametrize("name", ["lyon", "torino"])
def test_demo_site_has_no_withheld_string(demo_sites, name):
    built = demo_sites[name]
    assert built.exit_code == 0
    books = loaded(built.ledger)
    strings, ids = withheld(books.entries)
    # The demo books do have people and private grantees to hide, and bank accounts.
    assert ids and any(s.startswith("Assets:Bank:") for s in strings)
    assert any(len(s) > 10 and " " in s for s in strings)
    assert leaks(built.site, strings, ids) == []


@pytest.mark.parametrize("name", ["lyon", "torino"])
def test_demo_site_shows_public_grantees(demo_sites, name):
    """The scan above could pass on an empty site: check names do get published."""
    built = demo_sites[name]
    books = analyse(loaded(built.ledger).entries)
    public = {g.grantee for g in books.grants.values() if not g.is_withheld}
    text = readable(built.site / "en" / "grants.html")
    assert public and all(name in text for name in public)


def test_small_site_has_no_withheld_string(small_site):
    strings, ids = withheld(loaded(small_site.ledger).entries)
    for expected in ("Amélie Personne-Physique", "Société Confidentielle SAS",
                     "Jeanne Mécène-Discrète", "Emprunteur Caché",
                     "FR7630001007941234567890185", "00012345678", "VIR-REF-0042-XYZ",
                     "VIR-REF-0043-ABC", "factures/facture-secrete-42.pdf",
                     "Accompagnement de Amélie Personne-Physique", "Assets:Bank:Livret",
                     "Transfert pour Amélie"):
        assert expected in strings
    assert any(s.endswith("documents/releve-secret-2024-05.pdf") for s in strings)
    assert {"G-SECRET-1", "G-SECRET-2", "P-SECRET-1"} <= ids
    assert leaks(small_site.site, strings, ids) == []
    # Internal metadata outside the whitelist stays in the books too.
    assert all(b"note confidentielle" not in c for c in site_files(small_site.site).values())


def _cell(text: str, key: str) -> str:
    match = re.search(rf'data-private="{key}">([^<]*)<', text)
    assert match, key
    return match.group(1)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_private_beneficiaries_aggregate_to_the_cent(small_site, lang):
    books = analyse(loaded(small_site.ledger).entries)
    withheld_grants = [g for g in books.grants.values() if g.is_withheld]
    assert sum(g.awarded for g in withheld_grants) == Decimal(SMALL_PRIVATE_AWARDED)
    assert sum(g.net for g in withheld_grants) == Decimal(SMALL_PRIVATE_NET)
    for page in (small_site.site / lang / "grants.html",
                 small_site.site / lang / "funds" / "zero-dechet.html"):
        text = readable(page)
        assert _cell(text, "awarded") == format_money(Decimal(SMALL_PRIVATE_AWARDED), lang)
        assert _cell(text, "paid") == format_money(Decimal(SMALL_PRIVATE_PAID), lang)
        assert _cell(text, "net") == format_money(Decimal(SMALL_PRIVATE_NET), lang)
        assert "(2)" in text  # two private beneficiaries


def test_private_donor_is_aggregated(small_site):
    site = small_site.site
    fund = readable(site / "en" / "funds" / "zero-dechet.html")
    assert "Private donors" in fund
    assert format_money(Decimal("20000.00"), "en") in fund
    assert "Mutuelle Publique" in fund
    names = sorted(p.name for p in (site / "en" / "contributors").iterdir())
    assert names == ["mutuelle-publique.html"]
    contributors = readable(site / "en" / "contributors.html")
    assert "Mutuelle Publique" in contributors


def test_contributor_page_aggregates_withheld_grants(small_site):
    """Mutuelle Publique's zero-dechet money paid the public grant first, then private ones."""
    books = analyse(loaded(small_site.ledger).entries)
    trace = books.trace("Mutuelle Publique")
    private = sum((s.amount for s in trace.used
                   if s.kind == "grant" and books.grants[s.id].is_withheld), Decimal(0))
    assert private > 0
    text = readable(small_site.site / "fr" / "contributors" / "mutuelle-publique.html")
    assert _cell(text, "grants") == format_money(private, "fr")
    assert "Recyclerie Ouverte" in text
    assert 'href="../grants/g-pub-1.html"' in text


def test_public_grant_page_shows_only_whitelisted_details(small_site):
    text = readable(small_site.site / "fr" / "grants" / "g-pub-1.html")
    assert "atelier vélo" in text and "Villeurbanne" in text and "25 janvier 2024" in text
    assert "Paul" not in text and "note-interne" not in text
    assert format_money(Decimal("30000.00"), "fr") in text
    assert format_money(Decimal("20000.00"), "fr") in text
    assert "Emplois créés" in text
    pages = sorted(p.name for p in (small_site.site / "fr" / "grants").iterdir())
    assert pages == ["g-pub-1.html"]


def test_guard_finds_a_leak_written_as_an_html_entity():
    files = {"fr/index.html": b"<p>Maison d&#39;accueil Les Tilleuls</p>",
             "fr/grants/x.html": b"<p>G-SECRET-10</p>"}
    assert "Maison d'accueil Les Tilleuls" in find_leak(files, {"Maison d'accueil Les Tilleuls"})
    assert find_leak(files, set(), {"G-SECRET-1"}) is None  # whole ids only
    assert "G-SECRET-10" in find_leak(files, set(), {"G-SECRET-10"})


def test_guard_collects_what_the_test_collects(small_site):
    entries = loaded(small_site.ledger).entries
    books = analyse(entries)
    strings, ids = withheld(entries)
    ours = withheld_strings(entries, books)
    assert strings <= ours
    assert ids == withheld_ids(books)


def test_publish_refuses_when_a_private_name_is_also_public(tmp_path):
    """A name marked private on one entry and public on another: refuse, write nothing."""
    text = SMALL + """
2024-07-01 * "Amélie Personne-Physique" "Subvention publique"
  grant: "G-PUB-2"
  fund: "zero-dechet"
  grantee-kind: "association"
  Expenses:Grants:Themes           1000.00 EUR
  Liabilities:GrantsPayable
"""
    ledger = write_small(tmp_path, text)
    result = run("publish", ledger, "-o", tmp_path / "site")
    assert result.exit_code == 2
    assert "Amélie Personne-Physique" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "site").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_private_loan_is_aggregated(small_site):
    text = readable(small_site.site / "en" / "funds" / "zero-dechet.html")
    assert "Tiers-Lieu Public" in text
    row = re.search(r'<tr class="private"><td></td><td colspan="2">Private beneficiaries \(1\)'
                    r'</td>(.*?)</tr>', text, re.S)
    assert row
    assert format_money(Decimal("4000.00"), "en") in row.group(1)


def test_transfers_shown_without_private_narration(small_site):
    text = readable(small_site.site / "fr" / "funds" / "general.html")
    assert "Décision du 2024-06-10" in text
    assert "−" + format_money(Decimal("500.00"), "fr") in text
    assert 'href="zero-dechet.html"' in text


def test_headline_totals(small_site):
    text = readable(small_site.site / "index.html")
    totals = dict(re.findall(r'data-total="(\w+)">([^<]*)<', text))
    assert totals == {
        "received": format_money(Decimal("131000.00"), "fr"),
        "granted": format_money(Decimal("49500.25"), "fr"),  # 30000 + 12000 + 7500.25
        "lent": format_money(Decimal("10000.00"), "fr"),
        "available": format_money(Decimal("70599.75"), "fr"),  # 9100 + 61499.75
    }


def _leak_one_by_one(files: dict[str, bytes], withheld: set[str], ids: set[str]) -> str | None:
    """find_leak as it first was: every string and every id searched in every file."""
    import html

    id_patterns = [(i, re.compile(rf"(?<![\w-]){re.escape(i)}(?![\w-])")) for i in sorted(ids)]
    for path, content in sorted(files.items()):
        text = content.decode("utf-8", "replace")
        readable = html.unescape(text)
        found = [s for s in sorted(withheld) if s in text or s in readable or s in path]
        found += [i for i, rx in id_patterns if rx.search(readable) or rx.search(path)]
        if found:
            return (f"refusing to publish: withheld text {found[0]!r} would appear in "
                    f"{path} (mark it public or private consistently in the books)")
    return None


_PIECE = st.text(st.sampled_from(list("Gg-1 a&#39;;é<>")), max_size=6)


@given(st.dictionaries(st.sampled_from(["fr/a.html", "fr/g-1.html", "b.json"]), _PIECE,
                       max_size=3),
       st.sets(_PIECE.filter(bool), max_size=3), st.sets(_PIECE.filter(bool), max_size=3))
def test_the_guard_finds_the_leak_searching_them_one_by_one_would(
        pages: dict[str, str], withheld: set[str], ids: set[str]) -> None:
    files = {path: text.encode() for path, text in pages.items()}
    assert find_leak(files, withheld, ids) == _leak_one_by_one(files, withheld, ids)
