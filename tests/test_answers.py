"""The answers cache is never stale: every change to the books, the options, the version
or the cache file itself gives the figures of a fresh run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import fundledger
from fundledger import answers
from fundledger.cli import cli

MAIN = """option "operating_currency" "EUR"
plugin "fundledger.plugins.funds"
include "2025.beancount"
2025-01-01 open Assets:Bank:Main EUR
2025-01-01 open Income:Contributions:Partners
2025-01-01 open Expenses:Grants:Theme
2025-01-01 open Liabilities:GrantsPayable
2025-01-01 custom "fund" "theme" "restricted" "A theme"
"""
YEAR = """2025-02-01 * "Caisse d'Épargne" "Contribution"
  fund: "theme"
  Assets:Bank:Main                 1000.00 EUR
  Income:Contributions:Partners
"""
GRANT = """
2025-03-01 * "Vrac Solidaire" "Grant"
  fund: "theme"
  grant: "G-1"
  Expenses:Grants:Theme             300.00 EUR
  Liabilities:GrantsPayable
"""


@pytest.fixture()
def books(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("BEANCOUNT_DISABLE_LOAD_CACHE", raising=False)
    monkeypatch.delenv("FUNDLEDGER_NO_CACHE", raising=False)
    (tmp_path / "books").mkdir()
    main = tmp_path / "books" / "main.beancount"
    main.write_text(MAIN, encoding="utf-8")
    (tmp_path / "books" / "2025.beancount").write_text(YEAR, encoding="utf-8")
    _age(tmp_path / "books")
    return main


def _age(folder: Path) -> None:
    """Files last written a minute ago (an answer is only kept for files that settled)."""
    for path in folder.iterdir():
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - 60 * 10**9))


def funds(main: Path, *args: str) -> dict[str, dict[str, str]]:
    result = CliRunner().invoke(cli, ["funds", str(main), "--format", "json", *args],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return {row["fund"]: row for row in json.loads(result.output)}


def fresh(main: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> dict:
    with monkeypatch.context() as m:
        m.setenv("FUNDLEDGER_NO_CACHE", "1")
        return funds(main, *args)


def kept(main: Path) -> int:
    return len(list(Path(answers.folder()).glob("*.answer")))


def test_a_second_run_answers_from_the_cache(books: Path, monkeypatch) -> None:
    first = funds(books)
    assert kept(books) == 1
    from fundledger.ledger import Loaded

    monkeypatch.setattr(Loaded, "analysis", None)  # any engine use would now fail
    assert funds(books) == first
    assert first["theme"]["available"] == "1000.00"


@pytest.mark.parametrize("change", ["edit", "append", "replace", "option", "touch"])
def test_any_change_to_the_books_gives_fresh_figures(books: Path, change: str,
                                                     monkeypatch) -> None:
    funds(books)
    year = books.with_name("2025.beancount")
    stat = year.stat()
    if change == "edit":  # same size, same time: only the content tells
        year.write_text(YEAR.replace("1000.00", "2000.00"), encoding="utf-8")
        os.utime(year, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    elif change == "append":
        year.write_text(YEAR + GRANT, encoding="utf-8")
    elif change == "replace":
        replacement = year.with_name("new.beancount")
        replacement.write_text(YEAR.replace("1000.00", "1500.00"), encoding="utf-8")
        replacement.replace(year)
    elif change == "option":  # the main file names its expenses root otherwise
        books.write_text(MAIN.replace('"EUR"', '"EUR"\noption "name_expenses" "Charges"')
                         .replace("Expenses:", "Charges:"), encoding="utf-8")
    else:
        os.utime(year)
    assert funds(books) == fresh(books, monkeypatch)
    expected = {"edit": "2000.00", "append": "700.00", "replace": "1500.00",
                "option": "1000.00", "touch": "1000.00"}[change]
    assert funds(books)["theme"]["available"] == expected
    _age(books.parent)  # settled: the new answer is kept, then served
    assert funds(books)["theme"]["available"] == expected
    assert funds(books)["theme"]["available"] == expected and kept(books) == 1


def test_parameters_and_version_key_the_answer(books: Path, monkeypatch) -> None:
    year = books.with_name("2025.beancount")
    year.write_text(YEAR + GRANT, encoding="utf-8")
    _age(books.parent)
    assert funds(books, "--at", "2025-02-15")["theme"]["spent"] == "0.00"
    assert funds(books)["theme"]["spent"] == "300.00"
    before = kept(books)
    monkeypatch.setattr(fundledger, "__version__", "99.0")
    monkeypatch.setattr(answers, "__version__", "99.0")
    assert funds(books)["theme"]["spent"] == "300.00"
    assert kept(books) == before + 1  # another version, another answer


def test_a_corrupt_or_foreign_cache_is_ignored(books: Path, monkeypatch) -> None:
    expected = funds(books)
    for content in (b"", b"not a pickle", b"\x80\x05K\x01."):  # the last: a pickled int
        for path in Path(answers.folder()).glob("*.*"):
            path.write_bytes(content)
        assert funds(books) == expected


def test_two_processes_at_once(books: Path) -> None:
    command = [sys.executable, "-m", "fundledger.cli", "funds", str(books), "--format", "json"]
    env = dict(os.environ)
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, env=env) for _ in range(3)]
    outputs = [json.loads(run.communicate(timeout=120)[0]) for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert outputs[0] == outputs[1] == outputs[2]
    again = subprocess.run(command, capture_output=True, env=env, check=True)
    assert json.loads(again.stdout) == outputs[0]


def test_a_file_changed_while_reading_keeps_no_answer(books: Path) -> None:
    os.utime(books.with_name("2025.beancount"))  # modified just now: may be half-read
    funds(books)
    assert kept(books) == 0


def test_trace_answers_from_the_cache_too(books: Path) -> None:
    args = ["trace", str(books), "--contributor", "Caisse d'Épargne", "--format", "json"]
    first = CliRunner().invoke(cli, args, catch_exceptions=False)
    second = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert first.exit_code == second.exit_code == 0
    assert first.output == second.output and kept(books) == 1
    assert json.loads(second.output)["given"] == [{"fund": "theme", "amount": "1000.00"}]


#: Runs the console entry point in a fresh process and says, on stderr's last line,
#: whether click and Beancount were imported.
ENTRY = """
import sys
from fundledger import cli
sys.argv = ["fundledger", *sys.argv[1:]]
try:
    cli.main()
finally:
    print("imported:", "click" in sys.modules, "beancount" in sys.modules, file=sys.stderr)
"""


def console(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    run = subprocess.run([sys.executable, "-c", ENTRY, *args], capture_output=True,
                         text=True, cwd=cwd, env=dict(os.environ), timeout=120)
    return run.returncode, run.stdout, run.stderr.splitlines()[-1]


def test_the_same_command_line_answers_before_click_and_beancount(books: Path) -> None:
    args = ("funds", str(books), "--format", "csv")
    status, first, imported = console(*args)
    assert (status, imported) == (0, "imported: True True")
    status, second, imported = console(*args)
    assert (status, second, imported) == (0, first, "imported: False False")
    assert "theme,restricted,1000.00" in second
    books.with_name("2025.beancount").write_text(YEAR + GRANT, encoding="utf-8")
    status, third, imported = console(*args)  # changed books: the long way, fresh figures
    assert (status, imported) == (0, "imported: True True")
    assert "theme,restricted,1000.00,300.00" in third


def test_a_replayed_answer_keeps_the_exit_status_and_the_warning(books: Path) -> None:
    year = books.with_name("2025.beancount")
    year.write_text(YEAR + GRANT.replace("300.00", "3000.00"), encoding="utf-8")  # FL201
    _age(books.parent)
    first = console("funds", str(books))
    second = console("funds", str(books))
    assert first[0] == second[0] == 1 and second[2] == "imported: False False"
    assert first[1] == second[1]
    assert "the ledger has 1 error(s)" in subprocess.run(
        [sys.executable, "-m", "fundledger.cli", "funds", str(books)], capture_output=True,
        text=True, check=False).stderr


@pytest.mark.usefixtures("books")  # a cache folder of the test's own
def test_a_link_pointed_at_other_books_is_other_books(tmp_path: Path) -> None:
    standalone = MAIN.replace('include "2025.beancount"\n', "")
    (tmp_path / "a.beancount").write_text(standalone + YEAR, encoding="utf-8")
    (tmp_path / "b.beancount").write_text(standalone + YEAR.replace("1000.00", "40.00"),
                                          encoding="utf-8")
    _age(tmp_path)
    link = tmp_path / "books.beancount"
    link.symlink_to(tmp_path / "a.beancount")
    assert "theme,restricted,1000.00" in console("funds", str(link), "--format", "csv")[1]
    assert console("funds", str(link), "--format", "csv")[2] == "imported: False False"
    link.unlink()
    link.symlink_to(tmp_path / "b.beancount")
    status, output, _ = console("funds", str(link), "--format", "csv")
    assert status == 0 and "theme,restricted,40.00" in output


def test_a_relative_path_from_another_folder_is_another_ledger(books: Path,
                                                               tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "main.beancount").write_text(MAIN.replace('include "2025.beancount"\n', ""),
                                          encoding="utf-8")
    _age(other)
    assert "1000.00" in console("funds", "main.beancount", "--format", "csv",
                                cwd=books.parent)[1]
    status, output, _ = console("funds", "main.beancount", "--format", "csv", cwd=other)
    assert status == 0 and "theme,restricted,0.00" in output


def test_budget_and_pipeline_answers_are_kept(books: Path) -> None:
    for args in (("budget", str(books), "--year", "2025"), ("pipeline", str(books))):
        first = console(*args)
        second = console(*args)
        assert first[:2] == second[:2] and first[0] == 0
        assert second[2] == "imported: False False"


# -- Beancount's load cache, checked by content -------------------------------------------


def _available(main: Path) -> str:
    from fundledger.engine import round_to_cent
    from fundledger.ledger import load

    return str(round_to_cent(load(main).analysis(trace=False).figures["theme"].available))


def _beancount_cache(main: Path) -> list[Path]:
    return sorted(main.parent.glob(".*.picklecache"))


def test_beancount_cache_is_not_replayed_for_other_contents(books: Path,
                                                            monkeypatch) -> None:
    from beancount import loader

    monkeypatch.setattr(loader, "PICKLE_CACHE_THRESHOLD", 0)  # small books are cached too
    assert _available(books) == "1000.00" and len(_beancount_cache(books)) == 1
    assert _available(books) == "1000.00"  # a hit (the record matches)
    year = books.with_name("2025.beancount")
    stat = year.stat()
    year.write_text(YEAR.replace("1000.00", "2000.00"), encoding="utf-8")
    os.utime(year, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # Beancount would replay
    assert _available(books) == "2000.00"
    cache = _beancount_cache(books)[0]
    Path(f"{cache}.sources").write_bytes(b"garbage")  # a record not understood: not trusted
    year.write_text(YEAR.replace("1000.00", "3000.00"), encoding="utf-8")
    os.utime(year, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert _available(books) == "3000.00"


def test_beancount_cache_of_files_changing_while_read_is_dropped(books: Path,
                                                                 monkeypatch) -> None:
    from beancount import loader

    monkeypatch.setattr(loader, "PICKLE_CACHE_THRESHOLD", 0)
    os.utime(books.with_name("2025.beancount"))  # modified just now
    assert _available(books) == "1000.00"
    assert _beancount_cache(books) == []


def test_beancount_caches_of_older_code_are_deleted(books: Path, monkeypatch) -> None:
    from beancount import loader

    monkeypatch.setattr(loader, "PICKLE_CACHE_THRESHOLD", 0)
    old = books.with_name(f".{books.name}.fundledger-0.0.9-0123456789ab-x.picklecache")
    old.write_bytes(b"an older version's cache")
    Path(f"{old}.sources").write_bytes(b"its record")
    other = books.with_name(".2025.beancount.fundledger-0.0.9-x.picklecache")  # not ours
    other.write_bytes(b"another ledger's cache")
    assert _available(books) == "1000.00"
    assert [p.name for p in _beancount_cache(books)] != [old.name]
    assert len(_beancount_cache(books)) == 2 and other.exists()  # the new one and the other
    assert not old.exists() and not Path(f"{old}.sources").exists()
