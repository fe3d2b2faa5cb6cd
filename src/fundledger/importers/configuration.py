"""Finding and reading a foundation's import configuration.

The configuration is a beangulp script (``importers/config.py`` in the demo): it builds a
``CONFIG`` list of importers — the name Fava's import page reads — and runs
``beangulp.Ingest(CONFIG)`` when executed.  It may set ``OUTPUT``, the file (relative to
the ledger's folder) that ``--apply`` appends to instead of the ledger itself.

Order of discovery: ``--config FILE``; else ``importers/config.py`` in the ledger's folder
or a parent of it, up to the repository root (the first folder holding ``.git``); else
every built-in importer with no rules (all lines go to the suspense account).
"""

from __future__ import annotations

import runpy
import traceback
from dataclasses import dataclass
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


def find_config(ledger: Path) -> Path | None:
    """``importers/config.py`` beside the ledger or in a parent, up to the repository root."""
    for folder in ledger.resolve().parents:
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
        if (folder / ".git").exists():
            break
    return None


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
    output = namespace.get("OUTPUT")
    return ImportConfig(path, list(importers),
                        (ledger.parent / output) if output else None)


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
