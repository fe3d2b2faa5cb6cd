"""Which engine modules run compiled, and never a stale build of one.

The engine is plain Python, written so that Cython can compile it unchanged (its
pure-Python mode): ``setup.py`` compiles the hot modules (the pass in ``core.py``, the
rule families it calls on every transaction, contributor tracing's column kernels in
``lots.py``) into extension modules, and writes beside each the SHA-256 of the source it
compiled (``core.sha256``...).  Where no C compiler is at hand the extensions are skipped
and the same files run as plain Python: same results, slower.

In an editable install an extension sits next to its source, and Python imports the
extension first: after ``core.py`` is edited, a stale build would silently run the old
code.  So, before the engine's modules are imported, each stamp is compared with its
source; the modules whose build is stale are imported from their source instead (a
finder placed first on :data:`sys.meta_path`), and fundledger says once, on stderr, to
reinstall.  ``FUNDLEDGER_PLAIN_ENGINE=1`` runs every module from its source (to profile
or debug the engine line by line).
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

PACKAGE = "fundledger.engine"
FOLDER = Path(__file__).parent

#: Why some compiled modules are set aside ("" when none is).
stale_reason = ""


def source_digest(source: Path) -> str:
    return hashlib.sha256(source.read_bytes()).hexdigest()


def _extensions(folder: Path) -> dict[str, Path]:
    """Module name → the compiled extension of it that sits in ``folder``."""
    found = {}
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        for path in folder.glob(f"*{suffix}"):
            found.setdefault(path.name[: -len(suffix)], path)
    return found


def stale_builds(folder: Path = FOLDER) -> list[str]:
    """The modules of ``folder`` whose compiled build is not of their present source.

    An extension without a stamp is not one ``setup.py`` built (an earlier version's, such
    as a ``tracing`` compiled whole): it is set aside too.
    """
    stale = []
    for name in sorted(_extensions(folder)):
        source, stamp = folder / f"{name}.py", folder / f"{name}.sha256"
        if source.is_file() and (not stamp.is_file() or stamp.read_text(
                encoding="ascii").strip() != source_digest(source)):
            stale.append(name)
    return stale


def compiled_modules(folder: Path = FOLDER) -> list[str]:
    """The modules of ``folder`` that have a compiled build beside their source."""
    return sorted(name for name in _extensions(folder) if (folder / f"{name}.py").is_file())


class SourcesFirst:
    """Imports the named engine modules from their ``.py`` source, not their extension (a
    meta path finder: ``importlib.abc`` is not imported for it, which costs 5 ms)."""

    def __init__(self, names: Sequence[str], folder: Path = FOLDER) -> None:
        self.names = frozenset(names)
        self.folder = folder

    def find_spec(self, fullname: str, path: object = None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        package, _, name = fullname.rpartition(".")
        if package != PACKAGE or name not in self.names:
            return None
        return importlib.util.spec_from_file_location(fullname, self.folder / f"{name}.py")


def _set_aside_stale_builds() -> None:
    """Place :class:`SourcesFirst` for the stale builds (or all, on request); say why."""
    global stale_reason
    if os.environ.get("FUNDLEDGER_PLAIN_ENGINE"):
        names = compiled_modules()
        stale_reason = "FUNDLEDGER_PLAIN_ENGINE is set"
    else:
        names = stale_builds()
        if not names:
            return
        stale_reason = (f"the compiled build of {', '.join(names)} is older than its "
                        "source; reinstall to recompile")
        print(f"fundledger: the engine runs partly as plain Python: {stale_reason}",
              file=sys.stderr)
    if names:
        sys.meta_path.insert(0, SourcesFirst(names))


def _is_compiled(module_name: str) -> bool:
    module = importlib.import_module(module_name)  # the one already imported, if any
    return not str(getattr(module, "__file__", "")).endswith(".py")


def engine_mode() -> str:
    """``compiled``, ``plain``, or which modules run compiled; with why some do not.

    Told by the pass and the tracing kernels, the two whose speed matters most."""
    names = ["core", "lots"]
    built = [name for name in names if _is_compiled(f"{PACKAGE}.{name}")]
    mode = ("compiled" if len(built) == len(names) else "plain" if not built
            else f"compiled: {', '.join(built)} only")
    return f"{mode} ({stale_reason})" if stale_reason else mode


_set_aside_stale_builds()
