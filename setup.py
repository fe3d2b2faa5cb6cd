"""Builds the engine's hot modules into C extensions with Cython: the pass
(``fundledger.engine.core``), what it calls on every entry (the model, the account
classifier, the rule families that read every transaction), the closing digest of every
entry of closed years (``fundledger.engine.closing``), the tracer's bookkeeping
(``fundledger.engine.tracing``) and contributor tracing's column kernels
(``fundledger.engine.lots``).

They are plain Python that Cython compiles unchanged (its pure-Python mode; only
``lots.py`` declares C types, the others are compiled without reading their type hints as
C types): where they cannot be compiled (no C compiler, no Python headers) an extension is
skipped with a warning and the same file runs as plain Python, slower but with the same
results.  Everything else about the package is in ``pyproject.toml``.
"""

import contextlib
import hashlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


def _stamp(ext: Extension) -> None:
    """Write the SHA-256 of the compiled source beside it (``lots.sha256``), so that an
    editable install notices when the source is edited after the build
    (``fundledger.engine.build``)."""
    source = Path(__file__).resolve().parent / "src" / Path(*ext.name.split(".")).with_suffix(".py")
    if source.is_file():
        digest = hashlib.sha256(source.read_bytes()).hexdigest()
        source.with_suffix(".sha256").write_text(digest + "\n", encoding="ascii")


class BuildExtOrSkip(build_ext):
    """``build_ext`` that skips an extension it cannot compile, also in editable installs
    (where setuptools does not honour ``Extension(optional=True)``)."""

    def initialize_options(self) -> None:
        super().initialize_options()
        self.skipped: set[str] = set()
        self.parallel = os.cpu_count() or 1  # a C file per core

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
            _stamp(ext)
        except Exception as exc:  # noqa: BLE001 (compiler errors come in many classes)
            self.skipped.add(ext.name)
            print(f"fundledger: {ext.name} not compiled ({exc}); it runs as plain Python",
                  file=sys.stderr)

    @contextlib.contextmanager
    def _only_built(self) -> Iterator[None]:
        """Within the block, the extensions are those that were compiled."""
        every = self.extensions
        self.extensions = [ext for ext in every if ext.name not in self.skipped]
        try:
            yield
        finally:
            self.extensions = every

    def copy_extensions_to_source(self) -> None:
        with self._only_built():
            super().copy_extensions_to_source()

    def get_outputs(self) -> list[str]:
        with self._only_built():
            return super().get_outputs()

    def get_output_mapping(self) -> dict[str, str]:
        with self._only_built():
            return super().get_output_mapping()


#: The engine's modules compiled as they are (their type hints are not C types).
PLAIN_PYTHON = ("core", "model", "accounts", "markers", "budget", "yearend", "sheltered",
                "receipts", "closing", "tracing")


def _engine(name: str) -> Extension:
    return Extension(f"fundledger.engine.{name}", [f"src/fundledger/engine/{name}.py"])


setup(
    ext_modules=(
        cythonize([_engine("lots")], build_dir="build/cython", quiet=True)
        + cythonize([_engine(name) for name in PLAIN_PYTHON], build_dir="build/cython",
                    quiet=True, compiler_directives={"annotation_typing": False})),
    cmdclass={"build_ext": BuildExtOrSkip},
)
