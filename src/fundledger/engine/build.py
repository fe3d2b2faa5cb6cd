"""Which column kernels contributor tracing runs: the compiled extension, or the same file
as plain Python.

Tracing is plain Python (``tracing.py``) around its column kernels (``lots.py``), and
only the kernels are compiled.  ``setup.py`` compiles ``lots.py`` into an extension module
and writes, beside it, the SHA-256 of the source it compiled (``lots.sha256``).  In an
editable install the extension then sits next to its source, and Python imports the
extension first: after ``lots.py`` is edited, a stale build would silently run the old
code.  So the first
import compares the stamp with the source; on a mismatch it runs the source as plain
Python instead (same results, slower) and says once, on stderr, to reinstall.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

MODULE = "fundledger.engine.lots"
SOURCE = Path(__file__).with_name("lots.py")
STAMP = Path(__file__).with_name("lots.sha256")
#: Tracing's plain-Python side, compiled whole by earlier versions (see ``_plain_tracing``).
TRACING = "fundledger.engine.tracing"

#: Why the compiled kernels are not used although it is installed ("" when it is used).
stale_reason = ""


def source_digest(source: Path = SOURCE) -> str:
    return hashlib.sha256(source.read_bytes()).hexdigest()


def _is_extension(module: ModuleType) -> bool:
    return not str(getattr(module, "__file__", "")).endswith(".py")


def load_tracer(source: Path = SOURCE, stamp: Path = STAMP) -> ModuleType:
    """The column kernels: the compiled module if it was built from the present source."""
    global stale_reason
    module = importlib.import_module(MODULE)
    if not _is_extension(module) or not stamp.is_file() or not source.is_file():
        return module
    if stamp.read_text(encoding="ascii").strip() == source_digest(source):
        return module
    stale_reason = "its compiled build is older than lots.py; reinstall to recompile"
    print(f"fundledger: contributor tracing runs as plain Python: {stale_reason}",
          file=sys.stderr)
    spec = importlib.util.spec_from_file_location(MODULE, source)
    assert spec is not None and spec.loader is not None
    plain = importlib.util.module_from_spec(spec)
    sys.modules[MODULE] = plain
    spec.loader.exec_module(plain)
    sys.modules["fundledger.engine"].lots = plain  # type: ignore[attr-defined]
    return plain


def _plain_tracing() -> None:
    """Never run a ``tracing`` extension left over from before the kernels moved out.

    Earlier versions compiled ``tracing.py`` whole; an editable install upgraded in place
    keeps that build beside the source, and Python imports an extension before a source
    file, so the old tracer would run.  Its source is imported instead.
    """
    spec = importlib.util.find_spec(TRACING)
    if spec is None or spec.origin is None or spec.origin.endswith(".py"):
        return
    source = Path(__file__).with_name("tracing.py")
    spec = importlib.util.spec_from_file_location(TRACING, source)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[TRACING] = module
    spec.loader.exec_module(module)
    sys.modules["fundledger.engine"].tracing = module  # type: ignore[attr-defined]


def tracing_mode() -> str:
    """``compiled`` or ``plain`` (with why, when a stale build was set aside)."""
    module = sys.modules.get(MODULE) or load_tracer()
    if module.compiled():
        return "compiled"
    return f"plain ({stale_reason})" if stale_reason else "plain"


load_tracer()
_plain_tracing()
