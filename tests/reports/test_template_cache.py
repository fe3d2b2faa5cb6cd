"""Compiled report templates are cached in the user's cache folder (like __pycache__)."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import pytest

from fundledger.engine import analyse
from fundledger.reports import base, quarterly
from fundledger.reports.base import ledger_info

Q3 = quarterly.Quarter(2025, 3)


def render(loaded) -> str:
    """The quarterly report, rendered by a fresh jinja2 environment (as a new process)."""
    base._ENV = None
    info = ledger_info(loaded.entries, loaded.options, [])
    return quarterly.render(analyse(loaded.entries, trace=False), info, Q3, "fr")


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch):
    """Each test starts and ends with no environment built, and a fixed preparation date."""
    monkeypatch.setattr(base, "_ENV", None)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1759276800")
    return monkeypatch


def test_cache_is_written_and_used(loaded, tmp_path: Path, fresh) -> None:
    fresh.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = tmp_path / "fundledger" / f"jinja-{jinja2.__version__}"
    assert base.template_cache_dir() == folder
    first = render(loaded)
    cached = sorted(folder.glob("*.cache"))
    assert len(cached) >= 3  # quarterly, base and macros templates

    def no_compiling(*_args, **_kwargs):
        raise AssertionError("a cached template was compiled again")

    fresh.setattr(jinja2.Environment, "compile", no_compiling)
    assert render(loaded) == first


def test_an_edited_template_is_never_served_stale(tmp_path: Path) -> None:
    """Jinja2 checks the source's checksum: a changed template is compiled anew."""
    cache = base.TemplateCache(tmp_path / "cache")

    def env(source: str) -> jinja2.Environment:
        return jinja2.Environment(loader=jinja2.DictLoader({"page.j2": source}),
                                  bytecode_cache=cache)

    assert env("first {{ 1 + 1 }}").get_template("page.j2").render() == "first 2"
    assert len(list((tmp_path / "cache").glob("*.cache"))) == 1
    assert env("second").get_template("page.j2").render() == "second"
    assert env("first {{ 1 + 1 }}").get_template("page.j2").render() == "first 2"


def test_unusable_cache_folder_still_renders(loaded, tmp_path: Path, fresh) -> None:
    fresh.setenv("XDG_CACHE_HOME", str(tmp_path))
    expected = render(loaded)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    fresh.setenv("XDG_CACHE_HOME", str(blocked))
    assert render(loaded) == expected
    assert blocked.is_file()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_cache_folder_still_renders(loaded, tmp_path: Path, fresh) -> None:
    home = tmp_path / "home"
    home.mkdir()
    fresh.setenv("XDG_CACHE_HOME", str(home))
    expected = render(loaded)
    readonly = tmp_path / "readonly"
    readonly.mkdir()
    readonly.chmod(0o500)
    try:
        fresh.setenv("XDG_CACHE_HOME", str(readonly))
        assert render(loaded) == expected
        assert list(readonly.iterdir()) == []
    finally:
        readonly.chmod(0o700)


def test_relative_or_empty_xdg_cache_home_means_the_default(fresh, tmp_path: Path) -> None:
    fresh.setenv("HOME", str(tmp_path))
    for value in ("", "relative/cache"):
        fresh.setenv("XDG_CACHE_HOME", value)
        assert base.template_cache_dir() == (
            tmp_path / ".cache" / "fundledger" / f"jinja-{jinja2.__version__}")


def test_cache_that_cannot_be_written_still_renders(loaded, tmp_path: Path, fresh) -> None:
    """As in a read-only home (simulated: the tests may run as root, who writes anyway)."""
    fresh.setenv("XDG_CACHE_HOME", str(tmp_path / "elsewhere"))
    expected = render(loaded)

    def refused(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    fresh.setenv("XDG_CACHE_HOME", str(tmp_path))
    fresh.setattr(jinja2.bccache.tempfile, "NamedTemporaryFile", refused)
    assert render(loaded) == expected
    assert list((tmp_path / "fundledger").rglob("*.cache")) == []
