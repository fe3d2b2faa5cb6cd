"""Text a user reads speaks of the rule, never of our spec's sections (issue 22): command
help, the files `init` writes, every label of the reports, the site and the Fava pages."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from fundledger.cli import cli
from fundledger.engine.codes import CODES
from fundledger.i18n import DOMAIN, SITE, Labels

SPEC = re.compile(r"\bSPEC\b|§")


def _commands(group: click.Group, path: tuple[str, ...] = ()):
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


def test_no_command_help_names_the_spec() -> None:
    runner = CliRunner()
    seen = 0
    for path in [(), *_commands(cli)]:
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, path
        assert not SPEC.search(result.stdout), (path, result.stdout)
        seen += 1
    assert seen >= 12


def test_the_files_init_writes_do_not_name_the_spec(tmp_path: Path) -> None:
    for lang in ("fr", "it", "en"):
        folder = tmp_path / lang
        result = CliRunner().invoke(cli, ["init", str(folder), "--lang", lang])
        assert result.exit_code == 0, result.stderr
        files = [p for p in folder.rglob("*") if p.is_file()]
        assert len(files) >= 4
        for path in files:
            assert not SPEC.search(path.read_text(encoding="utf-8")), path


@pytest.mark.parametrize("domain", [DOMAIN, SITE])
def test_no_label_names_the_spec(domain: str) -> None:
    """Every text of the catalogs (reports, Fava pages, public site), in every language."""
    labels = Labels(domain)
    assert len(labels) > 50
    for key, texts in labels.items():
        for lang, text in texts.items():
            assert not SPEC.search(text), (key, lang, text)


def test_no_error_message_names_the_spec() -> None:
    for code, message in CODES.items():
        assert not SPEC.search(message), code
