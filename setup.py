"""Builds contributor tracing (``fundledger.engine.tracing``) into a C extension.

The module is written in Cython's pure-Python mode: where it cannot be compiled (no C
compiler, no Python headers) the extension is skipped with a warning and the same file
runs as plain Python, slower but with the same results.  Everything else about the
package is in ``pyproject.toml``.
"""

import contextlib
import sys
from collections.abc import Iterator

from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class BuildExtOrSkip(build_ext):
    """``build_ext`` that skips an extension it cannot compile, also in editable installs
    (where setuptools does not honour ``Extension(optional=True)``)."""

    def initialize_options(self) -> None:
        super().initialize_options()
        self.skipped: set[str] = set()

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
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


setup(
    ext_modules=cythonize(
        [Extension("fundledger.engine.tracing", ["src/fundledger/engine/tracing.py"])],
        build_dir="build/cython", quiet=True),
    cmdclass={"build_ext": BuildExtOrSkip},
)
