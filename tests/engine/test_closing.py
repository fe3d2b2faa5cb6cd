"""Closed periods: FL701, FL702, reopening, and the digest's stability across views."""

from __future__ import annotations

import datetime
import subprocess
import sys
from pathlib import Path

from beancount.core import data

from fundledger.engine import analyse
from fundledger.engine.closing import canonical, closing_from, closing_of, generated
from fundledger.ledger import load
from tests.engine.helpers import HEADER, codes, fund_line, normalise, write_ledger

END = datetime.date(2019, 12, 31)

YEAR = (fund_line("100.00", "general", date="2019-02-01")
        + fund_line("40.00", "zero", payee="Métropole", date="2019-12-31")
        + fund_line("7.00", "food", payee="Later", date="2020-01-01"))


def only(found: list[tuple[str, int]]) -> list[str]:
    return [code for code, _line in found]


def close_line(tmp_path: Path, body: str, end: datetime.date = END,
               on: str = "2020-03-20", note: str = "Comptes approuvés") -> str:
    """The period-close ``fundledger close`` would write for these books."""
    loaded = load(write_ledger(tmp_path, body))
    digest = closing_of(loaded.analysis(trace=False)).digest(end)
    return "\n" + digest.directive(datetime.date.fromisoformat(on), note)


def fundledger(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fundledger.cli", *map(str, args)],
                          capture_output=True, text=True, check=False)


def test_a_closed_period_unchanged_has_no_error(tmp_path: Path) -> None:
    assert codes(tmp_path, YEAR + close_line(tmp_path, YEAR)) == []


# FL701 -----------------------------------------------------------------------------------

def test_fl701_one_cent_on_the_periods_last_day(tmp_path: Path) -> None:
    closed = YEAR + close_line(tmp_path, YEAR)
    edited = closed.replace("40.00 EUR", "40.01 EUR")
    found = codes(tmp_path, edited)
    assert only(found) == ["FL701"]
    assert found[0][1] == normalise(edited).splitlines().index(
        next(line for line in normalise(edited).splitlines() if "period-close" in line)) + 1


def test_fl701_names_the_first_month_that_differs(tmp_path: Path) -> None:
    closed = YEAR + close_line(tmp_path, YEAR)
    edited = closed.replace('"Métropole"', '"Metropole"').replace('"Donor"', '"Donour"', 1)
    load_result = load(write_ledger(tmp_path, edited))
    messages = [e.message for e in load_result.errors]
    assert len(messages) == 1
    assert messages[0].startswith("FL701 ") and "2019-02 differs first" in messages[0]
    edited = closed.replace('"Métropole"', '"Metropole"')
    messages = [e.message for e in load(write_ledger(tmp_path, edited)).errors]
    assert len(messages) == 1 and "2019-12 differs first" in messages[0]


def test_fl701_an_entry_added_before_the_first_month(tmp_path: Path) -> None:
    closed = YEAR + close_line(tmp_path, YEAR)
    added = closed + fund_line("1.00", "general", date="2019-01-01")
    messages = [e.message for e in load(write_ledger(tmp_path, added)).errors]
    assert len(messages) == 1 and "2019-01 differs first" in messages[0]


def test_a_change_the_day_after_the_period_keeps_the_digest(tmp_path: Path) -> None:
    closed = YEAR + close_line(tmp_path, YEAR)
    edited = closed.replace("7.00 EUR", "7.01 EUR").replace('"Later"', '"Much later"')
    assert codes(tmp_path, edited) == []


def test_an_entry_dated_after_the_period_keeps_the_digest(tmp_path: Path) -> None:
    closed = YEAR + close_line(tmp_path, YEAR)
    assert codes(tmp_path, closed + fund_line("3.00", "general", date="2020-01-01")) == []
    assert only(codes(tmp_path, closed + fund_line("3.00", "general", date="2019-12-31"))
                ) == ["FL701"]


def test_fl701_metadata_tag_link_and_account(tmp_path: Path) -> None:
    body = """
    2019-06-01 * "Donor" "Contribution" #gala ^convention-2019
      fund: "general"
      ref: "R-1"
      Assets:Bank:Main  10.00 EUR
      Income:Contributions:Partners
    """
    closed = body + close_line(tmp_path, body)
    assert codes(tmp_path, closed) == []
    for old, new in (('"R-1"', '"R-2"'), ("#gala", "#fete"), ("^convention-2019", "^other"),
                     ("Contributions:Partners", "Contributions:Public"),
                     ("2019-06-01", "2019-06-02"), ('"Contribution"', '"Don"')):
        assert only(codes(tmp_path, closed.replace(old, new))) == ["FL701"], old


# FL702 -----------------------------------------------------------------------------------

def test_fl702_close_without_digest(tmp_path: Path) -> None:
    body = YEAR + """
    2020-03-20 custom "period-close" 2019-12-31 "Comptes 2019"
    """
    assert only(codes(tmp_path, body)) == ["FL702"]


def test_fl702_close_ending_before_a_close_in_force(tmp_path: Path) -> None:
    later = close_line(tmp_path, YEAR, end=datetime.date(2020, 1, 1), on="2020-03-01")
    earlier = close_line(tmp_path, YEAR, end=END, on="2020-03-20")
    found = codes(tmp_path, YEAR + later + earlier)
    assert only(found) == ["FL702"]
    # Same end: a second close of the same period is no breach.
    again = close_line(tmp_path, YEAR, end=datetime.date(2020, 1, 1), on="2020-03-20")
    assert codes(tmp_path, YEAR + later + again) == []


def test_fl103_close_dated_before_its_end(tmp_path: Path) -> None:
    body = YEAR + """
    2019-12-30 custom "period-close" 2019-12-31 "Too early"
      digest: "sha256:00"
    """
    assert only(codes(tmp_path, body)) == ["FL103"]


# Reopening -------------------------------------------------------------------------------

REOPEN = """
2020-05-02 custom "period-reopen" 2019-12-31 "Erreur d'imputation"
"""


def test_reopen_lifts_the_close_then_a_new_close_seals_again(tmp_path: Path) -> None:
    closed = YEAR + close_line(tmp_path, YEAR)
    edited = closed.replace("40.00 EUR", "45.00 EUR")
    assert only(codes(tmp_path, edited)) == ["FL701"]
    assert codes(tmp_path, edited + REOPEN) == []
    reclosed = edited + REOPEN + close_line(tmp_path, edited + REOPEN, on="2020-05-03")
    assert codes(tmp_path, reclosed) == []
    assert only(codes(tmp_path, reclosed.replace("45.00 EUR", "45.01 EUR"))) == ["FL701"]


def test_reopen_allows_an_earlier_close_again(tmp_path: Path) -> None:
    later = close_line(tmp_path, YEAR, end=datetime.date(2020, 1, 1), on="2020-03-01")
    reopen = '\n2020-03-02 custom "period-reopen" 2020-01-01 "Erreur"\n'
    earlier = close_line(tmp_path, YEAR, end=END, on="2020-03-20")
    assert codes(tmp_path, YEAR + later + reopen + earlier) == []


def test_reopen_of_another_end_lifts_nothing(tmp_path: Path) -> None:
    closed = YEAR + close_line(tmp_path, YEAR).replace("40.00", "40.00")
    reopen = '\n2020-05-02 custom "period-reopen" 2019-06-30 "Wrong date"\n'
    edited = (closed + reopen).replace("40.00 EUR", "45.00 EUR")
    assert sorted(only(codes(tmp_path, edited))) == ["FL103", "FL701"]


def test_status_of_periods(tmp_path: Path) -> None:
    closed = YEAR + close_line(tmp_path, YEAR)
    entries = load(write_ledger(tmp_path, closed + REOPEN)).entries
    status = closing_from(entries).status(datetime.date(2019, 10, 1), END)
    assert not status.closed and status.reopened is not None
    assert status.reopened.date == datetime.date(2020, 5, 2)
    entries = load(write_ledger(tmp_path, closed)).entries
    closing = closing_from(entries)
    status = closing.status(datetime.date(2019, 10, 1), END)
    assert status.closed and status.close is not None
    assert status.close.note == "Comptes approuvés"
    assert closing.closed_through() == END
    assert closing.closed_through(datetime.date(2020, 3, 19)) is None
    assert not closing.status(datetime.date(2020, 1, 1), datetime.date(2020, 3, 31)).closed


# The digest is the user's entries, whichever view computes it -----------------------------

EXTRA_OPENS = ("2019-01-01 open Assets:Bank:Other EUR\n2019-01-01 open Equity:Opening EUR\n"
               "2019-01-01 open Assets:Endowment:Securities\n2019-01-01 open Assets:Loans")

OTHER_PLUGINS = HEADER.replace(
    'plugin "fundledger.plugins.funds"',
    'plugin "beancount.plugins.auto_accounts"\nplugin "beancount.plugins.implicit_prices"\n'
    'plugin "fundledger.plugins.funds"')

WITH_GENERATED = """
2019-01-01 commodity SICAV
2019-03-01 * "Broker" "Buy"
  Assets:Endowment:Securities  10 SICAV {100.00 EUR} @ 100.00 EUR
  Assets:Bank:Main
2019-04-01 pad Assets:Bank:Other Equity:Opening
2019-04-02 balance Assets:Bank:Other  500.00 EUR
2019-05-01 * "Donor" "Untitled account"
  fund: "general"
  Assets:Bank:Auto  5.00 EUR
  Income:Contributions:Partners
"""


def test_plugin_view_and_loaded_view_give_one_digest(tmp_path: Path) -> None:
    body = YEAR + WITH_GENERATED
    path = write_ledger(tmp_path, body, header=OTHER_PLUGINS.replace(
        "2019-01-01 open Assets:Loans", EXTRA_OPENS))
    loaded = load(path)
    assert [e.message for e in loaded.errors] == []
    plugin_view = closing_of(loaded.analysis(trace=False)).digest(END)
    # The loaded entries: funds copied onto postings, auto opens, implicit prices, padding.
    final = analyse(loaded.entries, options=loaded.options, trace=False)
    assert closing_of(final).digest(END) == plugin_view
    kinds = {type(e).__name__ for e in loaded.entries if generated(e)}
    assert {"Open", "Price", "Transaction"} <= kinds
    # Loaded by Beancount alone (as bean-check and Fava do), the plugin annotates the
    # postings with their fund: the digest does not move either.
    from beancount import loader as beancount_loader

    entries, _errors, options = beancount_loader.load_file(str(path))
    annotated = [e for e in entries if isinstance(e, data.Transaction)
                 and e.payee == "Donor" and any("fund" in (p.meta or {}) for p in e.postings)]
    assert annotated
    assert closing_of(analyse(entries, options=options, trace=False)).digest(END) == plugin_view
    # Without the other plugins the user's entries are the same: so is the digest.
    bare = write_ledger(tmp_path, body.replace("Assets:Bank:Auto", "Assets:Bank:Main"),
                        header=HEADER.replace("2019-01-01 open Assets:Loans", EXTRA_OPENS))
    assert closing_of(load(bare).analysis(trace=False)).digest(END) != plugin_view  # account
    assert load(bare).errors == []


def test_canonical_form_ignores_precision_layout_and_positions() -> None:
    from beancount.parser import parser
    one = parser.parse_string('2019-01-01 * "A" "B"\n  ref: 1\n  Assets:X  10.0 EUR\n'
                              '  Assets:Y  -10 EUR\n')[0][0]
    two = parser.parse_string('\n\n; comment\n2019-01-01 *   "A"   "B"\n  ref:   1.00\n'
                              '  Assets:X    10.00 EUR ; note\n  Assets:Y  -10.00 EUR\n')[0][0]
    assert one.meta["lineno"] != two.meta["lineno"]
    assert canonical(one) == canonical(two)
    assert canonical(one) != canonical(one._replace(narration="C"))


# fundledger close ------------------------------------------------------------------------

def test_close_command_appends_a_clean_close(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, YEAR)
    result = fundledger("close", path, "--through", "2019-12-31", "--note",
                        'Comptes 2019 "approuvés"', "--on", "2020-03-20")
    assert result.returncode == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    assert '2020-03-20 custom "period-close" 2019-12-31 "Comptes 2019 \\"approuvés\\""' in text
    assert 'months-2019: "' in text and 'digest: "sha256:' in text
    check = fundledger("check", path)
    assert check.returncode == 0, check.stdout + check.stderr
    path.write_text(text.replace("40.00 EUR", "40.01 EUR"), encoding="utf-8")
    check = fundledger("check", path)
    assert check.returncode == 1 and "FL701" in check.stdout + check.stderr


def test_close_command_refusals(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, YEAR)
    before = path.read_bytes()
    early = fundledger("close", path, "--through", "2019-12-31", "--note", "x",
                       "--on", "2019-12-30")
    assert early.returncode == 2 and len(early.stderr.strip().splitlines()) == 1
    broken = write_ledger(tmp_path, YEAR + fund_line("1.00", "nowhere"))
    refused = fundledger("close", broken, "--through", "2019-12-31", "--note", "x",
                         "--on", "2020-03-20")
    assert refused.returncode == 2 and "1 error(s)" in refused.stderr
    path.write_bytes(before)
    assert fundledger("close", path, "--through", "2019-12-31", "--note", "x",
                      "--on", "2020-03-20").returncode == 0
    again = fundledger("close", path, "--through", "2019-06-30", "--note", "x",
                       "--on", "2020-03-21")
    assert again.returncode == 2 and "already closed through 2019-12-31" in again.stderr
    missing = fundledger("close", tmp_path / "nope.beancount", "--through", "2019-12-31",
                         "--note", "x")
    assert missing.returncode == 2 and "nope.beancount" in missing.stderr


# The demo books ----------------------------------------------------------------------------

def test_lyon_books_are_closed_2019_to_2025_with_their_notes() -> None:
    main = Path(__file__).resolve().parents[2] / "ledger" / "lyon" / "main.beancount"
    loaded = load(main)
    assert [e.message for e in loaded.errors] == []
    closing = closing_from(loaded.entries)
    assert closing.closed_through() == datetime.date(2025, 12, 31)
    for year in range(2019, 2026):
        status = closing.year(year)
        assert status.closed and status.close is not None, year
        assert status.close.note.startswith(f"Comptes {year} approuvés"), status.close.note
        assert status.close.date > datetime.date(year, 12, 31)
    assert not closing.year(2026).closed
    assert [r.end for r in closing.reopens] == [datetime.date(2023, 12, 31)]
    # The plugin sealed them and re-verifies them: the same digests, recomputed.
    periods = closing_of(analyse(loaded.entries, options=loaded.options, trace=False))
    for close in closing.in_force():
        assert periods.digest(close.end).full == close.digest


def test_fava_settings_and_saved_queries_are_outside_the_digest(tmp_path: Path) -> None:
    closed = YEAR + close_line(tmp_path, YEAR)
    extra = """
    2019-03-01 custom "fava-option" "language" "fr"
    2019-03-01 query "all" "SELECT *"
    """
    assert codes(tmp_path, closed + extra) == []
    assert only(codes(tmp_path, closed + """
    2019-03-01 custom "fundledger-option" "siren" "123456789"
    """)) == ["FL701"]


def test_close_killed_mid_write_leaves_the_ledger_as_it_was(tmp_path: Path) -> None:
    import os

    from fundledger.files import FAULT_ENV, FAULT_STATUS

    path = write_ledger(tmp_path, YEAR)
    before = path.read_bytes()
    crashed = subprocess.run(
        [sys.executable, "-m", "fundledger.cli", "close", str(path), "--through", "2019-12-31",
         "--note", "x", "--on", "2020-03-20"], capture_output=True, text=True, check=False,
        env={**os.environ, FAULT_ENV: "after-temp-write"})
    assert crashed.returncode == FAULT_STATUS
    assert path.read_bytes() == before
    assert fundledger("close", path, "--through", "2019-12-31", "--note", "x",
                      "--on", "2020-03-20").returncode == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    assert path.read_bytes().startswith(before)


def test_close_refuses_when_an_editor_saved_meanwhile(tmp_path: Path, monkeypatch) -> None:
    from click.testing import CliRunner

    from fundledger import files
    from fundledger.cli import cli

    path = write_ledger(tmp_path, YEAR)
    original = files.atomic_write
    saved = '\n2020-06-01 note Assets:Bank:Main "saisi dans Fava"\n'

    def editor_saves_first(target, content, **options):
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(saved)
        return original(target, content, **options)

    monkeypatch.setattr(files, "atomic_write", editor_saves_first)
    result = CliRunner().invoke(cli, ["close", str(path), "--through", "2019-12-31",
                                      "--note", "x", "--on", "2020-03-20"])
    assert result.exit_code == 2
    text = path.read_text(encoding="utf-8")
    assert saved in text and "period-close" not in text


def test_close_runs_the_engine_once(tmp_path: Path, monkeypatch) -> None:
    """``fundledger close`` digests the books of the plugin's own pass, cache or not."""
    import shutil

    from click.testing import CliRunner

    from fundledger.cli import cli
    from fundledger.engine import core

    counted: list[int] = []
    real = core._Pass.run

    def run(self: core._Pass, entries: object) -> None:
        counted.append(1)
        real(self, entries)

    monkeypatch.setattr(core._Pass, "run", run)
    root = Path(__file__).resolve().parents[2] / "ledger" / "lyon"
    for cache in ("off", "warm"):
        lyon = tmp_path / cache
        shutil.copytree(root, lyon)
        if cache == "off":
            monkeypatch.setenv("BEANCOUNT_DISABLE_LOAD_CACHE", "1")
        else:
            from beancount import loader

            monkeypatch.delenv("BEANCOUNT_DISABLE_LOAD_CACHE", raising=False)
            monkeypatch.setattr(loader, "PICKLE_CACHE_THRESHOLD", 0)
            CliRunner().invoke(cli, ["funds", str(lyon / "main.beancount")])
        counted.clear()
        result = CliRunner().invoke(cli, ["close", str(lyon / "main.beancount"), "--through",
                                          "2026-06-30", "--note", "Comptes intermédiaires",
                                          "--on", "2026-09-30"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert len(counted) == 1, cache
        counted.clear()
        check = CliRunner().invoke(cli, ["check", str(lyon / "main.beancount")])
        assert check.exit_code == 0, check.output
