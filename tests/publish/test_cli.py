"""`fundledger publish`: exit statuses, refusals, all-or-nothing replacement."""

from __future__ import annotations

from unittest import mock

from fundledger.publish import MARKER
from tests.publish.conftest import SMALL, readable, run, site_files, write_small


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".site."))


def test_output_is_required(tmp_path):
    ledger = write_small(tmp_path)
    result = run("publish", ledger)
    assert result.exit_code == 2
    assert "-o" in result.stderr


def test_missing_ledger_exits_2_and_writes_nothing(tmp_path):
    result = run("publish", tmp_path / "nope.beancount", "-o", tmp_path / "site")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"fundledger: {tmp_path / 'nope.beancount'}: no such ledger file"]
    assert not (tmp_path / "site").exists()


def test_unparsable_ledger_exits_2_naming_file_and_line(tmp_path):
    ledger = write_small(tmp_path, SMALL + "\n2024-13-45 * broken\n  Assets:Bank 10 EUR EUR\n")
    result = run("publish", ledger, "-o", tmp_path / "site")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"{ledger}:" in lines[0]
    assert "Traceback" not in result.output
    assert not (tmp_path / "site").exists() and _leftovers(tmp_path) == []


def test_ledger_with_errors_exits_1_with_a_notice(tmp_path):
    text = SMALL + """
2024-08-01 * "Quelqu'un" "Dépense sans fonds"
  Expenses:Programs:Accompaniment   10.00 EUR
  Assets:Bank:CaisseTest
"""
    ledger = write_small(tmp_path, text)
    result = run("publish", ledger, "-o", tmp_path / "site")
    assert result.exit_code == 1
    for lang, words in (("fr", "1 erreur(s)"), ("it", "1 errore/i"), ("en", "1 error(s)")):
        assert words in readable(tmp_path / "site" / lang / "index.html")
    assert "1 erreur(s)" in readable(tmp_path / "site" / "index.html")
    # The notice gives the count, never the error text (it names files and entries).
    assert "FL101" not in readable(tmp_path / "site" / "index.html")


def test_clean_ledger_has_no_notice(small_site):
    assert 'class="notice"' not in readable(small_site.site / "fr" / "index.html")


def test_refuses_a_folder_that_is_not_a_site(tmp_path):
    ledger = write_small(tmp_path)
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("keep me")
    result = run("publish", ledger, "-o", precious)
    assert result.exit_code == 2
    assert "not a fundledger site" in result.stderr
    assert sorted(p.name for p in precious.iterdir()) == ["thesis.txt"]
    assert _leftovers(tmp_path) == []


def test_refuses_a_file(tmp_path):
    ledger = write_small(tmp_path)
    target = tmp_path / "site"
    target.write_text("a file")
    assert run("publish", ledger, "-o", target).exit_code == 2
    assert target.read_text() == "a file"


def test_missing_parent_folder_exits_2(tmp_path):
    ledger = write_small(tmp_path)
    result = run("publish", ledger, "-o", tmp_path / "no" / "such" / "site")
    assert result.exit_code == 2
    assert "no such folder" in result.stderr


def test_empty_folder_is_accepted(tmp_path):
    ledger = write_small(tmp_path)
    (tmp_path / "site").mkdir()
    assert run("publish", ledger, "-o", tmp_path / "site").exit_code == 0
    assert (tmp_path / "site" / MARKER).is_file()


def test_previous_site_is_replaced_whole(tmp_path):
    ledger = write_small(tmp_path)
    site = tmp_path / "site"
    assert run("publish", ledger, "-o", site).exit_code == 0
    (site / "fr" / "grants" / "stale.html").write_text("old page")
    assert run("publish", ledger, "-o", site).exit_code == 0
    assert not (site / "fr" / "grants" / "stale.html").exists()
    assert _leftovers(tmp_path) == []
    assert (site / "index.html").stat().st_mode & 0o777 == 0o644


def test_failed_publish_leaves_the_previous_site(tmp_path):
    ledger = write_small(tmp_path)
    site = tmp_path / "site"
    assert run("publish", ledger, "-o", site).exit_code == 0
    before = site_files(site)
    with mock.patch("fundledger.publish.site.atomic_write", side_effect=OSError(28, "No space")):
        result = run("publish", ledger, "-o", site)
    assert result.exit_code == 2
    assert "No space" in result.stderr
    assert site_files(site) == before
    assert _leftovers(tmp_path) == []


def test_ledger_without_funds_or_language(tmp_path):
    """Nothing to show yet: the site is still whole, in English (no language option)."""
    ledger = tmp_path / "empty.beancount"
    ledger.write_text('option "operating_currency" "EUR"\nplugin "fundledger.plugins.funds"\n')
    assert run("publish", ledger, "-o", tmp_path / "site").exit_code == 0
    root = readable(tmp_path / "site" / "index.html")
    assert '<html lang="en">' in root and "Figures as at" not in root
    assert sorted(site_files(tmp_path / "site")) == sorted(
        [MARKER, "index.html", "style.css"]
        + [f"{lang}/{page}" for lang in ("en", "fr", "it")
           for page in ("contributors.html", "grants.html", "index.html", "opendata.html")])
