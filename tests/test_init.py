"""`fundledger init DIR`: a new foundation's books that pass `fundledger check`, written
all or nothing, never over anything that already exists."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from fundledger import scaffold
from fundledger.cli import cli

FILES = ["README.txt", "accounts.beancount", "funds.beancount", "importers/config.py",
         "importers/rules.toml", "journal.beancount", "main.beancount", "queries.beancount"]


@pytest.fixture(autouse=True)
def _no_load_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BEANCOUNT_DISABLE_LOAD_CACHE", "1")


def invoke(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def tree(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder`` with its content and modification time."""
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_init_writes_books_that_pass_check(tmp_path: Path) -> None:
    target = tmp_path / "new" / "fondation"
    result = invoke("init", target)
    assert result.exit_code == 0, result.output
    assert listing(target) == FILES
    assert (target / "statements").is_dir() and not any((target / "statements").iterdir())
    assert f"created {target / 'main.beancount'}" in result.output
    check = invoke("check", target / "main.beancount")
    assert check.exit_code == 0, check.output
    assert f"{target / 'main.beancount'}: no errors" in check.output
    # Nothing left beside the books: no staging folder.
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == ["fondation"]


@pytest.mark.parametrize(("lang", "funds"), [
    ("en", ["endowment", "general", "projects"]),
    ("fr", ["dotation", "general", "projets"]),
    ("it", ["dotazione", "generale", "progetti"]),
])
def test_init_speaks_the_foundation_language(tmp_path: Path, lang: str,
                                             funds: list[str]) -> None:
    target = tmp_path / lang
    result = invoke("init", target, "--lang", lang, "--title", 'Fondation "Essai"',
                    "--start", "2025-01-01")
    assert result.exit_code == 0, result.output
    main = (target / "main.beancount").read_text(encoding="utf-8")
    assert 'option "title" "Fondation \\"Essai\\""' in main
    assert f'2025-01-01 custom "fundledger-option" "language" "{lang}"' in main
    assert '2025-01-01 custom "fava-extension" "fundledger.fava"' in main
    rows = invoke("funds", target / "main.beancount", "--format", "json")
    assert rows.exit_code == 0, rows.output
    assert [(r["fund"], r["kind"], r["balance"]) for r in json.loads(rows.output)] == [
        (funds[0], "endowment", "0.00"), (funds[1], "unrestricted", "0.00"),
        (funds[2], "restricted", "0.00")]
    for name in FILES:
        text = (target / name).read_text(encoding="utf-8")
        assert not re.search(r"\$\{?[a-z_]", text), name  # every placeholder filled


def test_journal_examples_are_valid_entries(tmp_path: Path) -> None:
    """Uncommented, the journal's examples are a clean ledger: the syntax they teach works."""
    target = tmp_path / "books"
    assert invoke("init", target, "--lang", "fr", "--start", "2026-01-01").exit_code == 0
    journal = target / "journal.beancount"
    text = re.sub(r"(?m)^; (?=\d|  )", "", journal.read_text(encoding="utf-8"))
    journal.write_text(text, encoding="utf-8")
    check = invoke("check", target / "main.beancount")
    assert check.exit_code == 0, check.output
    assert "no errors" in check.output
    rows = {r["fund"]: r for r in json.loads(
        invoke("funds", target / "main.beancount", "--format", "json").output)}
    assert rows["dotation"]["received"] == "1025000.00"
    assert rows["dotation"]["balance"] == "1005000.00"
    assert rows["projets"]["spent"] == "30000.00"  # the example grant
    assert rows["projets"]["balance"] == "40000.00"


def test_importer_configuration_loads(tmp_path: Path) -> None:
    from fundledger.importers.configuration import load_config

    target = tmp_path / "books"
    assert invoke("init", target).exit_code == 0
    config = load_config(target / "importers" / "config.py", target / "main.beancount")
    assert len(config.importers) >= 4
    assert config.output == target / "journal.beancount"


@pytest.fixture
def occupied(tmp_path: Path) -> Iterator[Path]:
    target = tmp_path / "books"
    target.mkdir()
    (target / "main.beancount").write_text('option "title" "Mine"\n', encoding="utf-8")
    (target / "notes").mkdir()
    (target / "notes" / "todo.txt").write_text("keep me\n", encoding="utf-8")
    yield target


def test_init_refuses_a_folder_that_holds_anything(occupied: Path) -> None:
    before = tree(occupied)
    siblings = sorted(p.name for p in occupied.parent.iterdir())
    result = invoke("init", occupied)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(occupied) in lines[0] and "not empty" in lines[0]
    assert "Traceback" not in result.output
    assert tree(occupied) == before
    assert sorted(p.name for p in occupied.parent.iterdir()) == siblings


def test_init_refuses_a_file(tmp_path: Path) -> None:
    target = tmp_path / "books"
    target.write_text("not a folder\n", encoding="utf-8")
    result = invoke("init", target)
    assert result.exit_code == 2
    assert str(target) in result.stderr and "not a folder" in result.stderr
    assert target.read_text(encoding="utf-8") == "not a folder\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["books"]


def test_init_fills_an_empty_folder(tmp_path: Path) -> None:
    target = tmp_path / "books"
    target.mkdir()
    result = invoke("init", target)
    assert result.exit_code == 0, result.output
    assert listing(target) == FILES
    assert sorted(p.name for p in tmp_path.iterdir()) == ["books"]


def test_a_failed_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    written: list[Path] = []
    real = scaffold.atomic_write

    def failing(path: Path, content: str) -> None:
        if len(written) == 3:
            raise OSError(28, "No space left on device")
        written.append(path)
        real(path, content)

    monkeypatch.setattr(scaffold, "atomic_write", failing)
    target = tmp_path / "books"
    result = invoke("init", target)
    assert result.exit_code == 2
    assert "No space left on device" in result.stderr and str(target) in result.stderr
    assert len(written) == 3
    assert list(tmp_path.iterdir()) == []  # neither the books nor a staging folder


def test_a_failed_write_into_an_empty_folder_leaves_it_empty(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = scaffold.atomic_write
    calls: list[Path] = []

    def failing(path: Path, content: str) -> None:
        calls.append(path)
        if len(calls) == 5:
            raise OSError(13, "Permission denied")
        real(path, content)

    monkeypatch.setattr(scaffold, "atomic_write", failing)
    target = tmp_path / "books"
    target.mkdir()
    result = invoke("init", target)
    assert result.exit_code == 2 and "Permission denied" in result.stderr
    assert list(target.iterdir()) == []
    assert [p.name for p in tmp_path.iterdir()] == ["books"]


def test_init_in_the_current_empty_folder(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    here = tmp_path / "fondation"
    here.mkdir()
    monkeypatch.chdir(here)
    result = invoke("init", ".", "--lang", "it")
    assert result.exit_code == 0, result.output
    assert listing(here) == FILES
    assert [p.name for p in tmp_path.iterdir()] == ["fondation"]
    assert invoke("check", "main.beancount").exit_code == 0


def test_unknown_language_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("init", tmp_path / "books", "--lang", "de")
    assert result.exit_code == 2
    assert not (tmp_path / "books").exists()


def test_fava_opens_the_books_with_its_import_page(tmp_path: Path) -> None:
    from fava.core import FavaLedger

    target = tmp_path / "books"
    assert invoke("init", target).exit_code == 0
    ledger = FavaLedger(str(target / "main.beancount"))
    assert ledger.errors == []
    assert ledger.ingest.loaded_config is not None
    assert len(ledger.ingest.loaded_config.importers) >= 4
    assert list(ledger.ingest.import_data()) == []  # statements/ is there, and empty


def test_templates_ship_as_package_data() -> None:
    """The templates are read through importlib.resources, as from an installed wheel."""
    rendered = scaffold.render(lang="en")
    assert [str(f.path) for f in rendered] == FILES
    assert all(f.text.strip() for f in rendered)


def test_every_template_has_a_suffix_the_wheel_ships() -> None:
    """pyproject's package-data patterns decide what a wheel holds: a template with another
    suffix would be missing from a plain `pip install` (checked once by building a wheel;
    this keeps it true without the slow build)."""
    import tomllib

    root = Path(__file__).resolve().parents[1]
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = project["tool"]["setuptools"]["package-data"]["fundledger"]
    suffixes = tuple(p.rsplit("*", 1)[-1] for p in patterns)
    templates = [p for p in (root / "src/fundledger/scaffold/template").rglob("*") if p.is_file()]
    assert len(templates) >= 7
    assert [p.name for p in templates if not p.name.endswith(suffixes)] == []
