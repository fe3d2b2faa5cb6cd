"""Finding and reading a foundation's import configuration.

The configuration is a beangulp script (``importers/config.py`` in the demo): it builds a
``CONFIG`` list of importers — the name Fava's import page reads — and runs
``beangulp.Ingest(CONFIG)`` when executed.  It may set ``OUTPUT``, the file (relative to
the ledger's folder) that ``--apply`` appends to instead of the ledger itself.

It may also set ``HOOKS``, functions run on what was extracted exactly as beangulp runs
them: ``hook(extracted, existing_entries) -> extracted``, ``extracted`` being a list of
``(filename, entries, account, importer)``.

Order of discovery: ``--config FILE``; else ``importers/config.py`` in the ledger's folder
or one of its parents, then in the current folder; else every built-in importer with no
rules (all lines go to the suspense account), which ``fundledger import`` says on stderr,
naming where it looked.
"""

from __future__ import annotations

import runpy
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import beangulp

from fundledger.importers.base import default_importers
from fundledger.importers.rules import RulesError

CONFIG_NAME = Path("importers") / "config.py"


class ConfigError(Exception):
    """The configuration cannot be used; the message is one line naming file and line."""


@dataclass
class ImportConfig:
    """The importers to try, in order, and where ``--apply`` writes."""

    path: Path | None
    importers: list[beangulp.Importer]
    output: Path | None = None
    hooks: list[Callable] = field(default_factory=list)


def search_folders(ledger: Path) -> list[Path]:
    """Where a configuration is looked for, in order: the ledger's folder and its
    parents, then the current folder."""
    folders = list(ledger.resolve().parents)
    here = Path.cwd().resolve()
    return folders if here in folders else [*folders, here]


def find_config(ledger: Path) -> Path | None:
    """``importers/config.py`` in the first of :func:`search_folders` that has one."""
    for folder in search_folders(ledger):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def not_found_message(ledger: Path) -> str:
    """What ``fundledger import`` says when it found no configuration: one line."""
    folders = search_folders(ledger)
    looked = f"{folders[0]} and its parents"
    if folders[-1] not in ledger.resolve().parents:
        looked += f", then the current folder {folders[-1]}"
    return (f"fundledger: no categorisation rule loaded: no {CONFIG_NAME} in {looked} "
            "(pass --config FILE); every line goes to the suspense account")


def load_config(path: Path | None, ledger: Path) -> ImportConfig:
    """Run a configuration script (without its ``__main__`` part) and take its CONFIG."""
    if path is None:
        return ImportConfig(None, list(default_importers()))
    if not path.is_file():
        raise ConfigError(f"{path}: no such configuration file")
    try:
        namespace = runpy.run_path(str(path), run_name="fundledger_import_config")
    except RulesError as exc:
        raise ConfigError(str(exc)) from None
    except (Exception, SystemExit) as exc:
        raise ConfigError(f"{_where(path, exc)}: {type(exc).__name__}: {exc}") from None
    importers = namespace.get("CONFIG")
    if not isinstance(importers, list | tuple) or not importers:
        raise ConfigError(f"{path}: defines no CONFIG list of importers")
    for importer in importers:
        if not isinstance(importer, beangulp.Importer):
            raise ConfigError(f"{path}: CONFIG holds {importer!r}, not a beangulp Importer")
    names = [getattr(importer, "name", None) for importer in importers]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise ConfigError(f"{path}: two importers are named {twice[0]!r}: give one of them "
                          "its own name (name=...)")
    hooks = namespace.get("HOOKS") or []
    if not isinstance(hooks, list | tuple) or not all(callable(h) for h in hooks):
        raise ConfigError(f"{path}: HOOKS must be a list of functions")
    output = namespace.get("OUTPUT")
    return ImportConfig(path, list(importers),
                        (ledger.parent / output) if output else None, list(hooks))


def _where(path: Path, exc: BaseException) -> str:
    """``FILE:LINE`` of the configuration line that raised, for a one-line message."""
    resolved = str(path.resolve())
    line = 0
    for frame in traceback.extract_tb(exc.__traceback__):
        if str(Path(frame.filename).resolve()) == resolved:
            line = frame.lineno or 0
    if isinstance(exc, SyntaxError) and exc.lineno:
        line = exc.lineno
    return f"{path}:{line}"
