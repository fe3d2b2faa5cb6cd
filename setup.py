"""Builds contributor tracing (``fundledger.engine.tracing``) into a C extension.

The module is written in Cython's pure-Python mode: where it cannot be compiled (no C
compiler, no Python headers) the extension is skipped with a warning and the same file
runs as plain Python, slower but with the same results.  Everything else about the
package is in ``pyproject.toml``.
"""

import sys

from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class BuildExtOrSkip(build_ext):
    """``build_ext`` that skips an extension it cannot compile, also in editable installs
    (where setuptools does not honour ``Extension(optional=True)``)."""

    skipped: set[str] = set()

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except Exception as exc:  # noqa: BLE001 (compiler errors come in many classes)
            self.skipped.add(ext.name)
            print(f"fundledger: {ext.name} not compiled ({exc}); it runs as plain Python",
                  file=sys.stderr)

    def _built(self) -> list[Extension]:
        return [ext for ext in self.extensions if ext.name not in self.skipped]

    def copy_extensions_to_source(self) -> None:
        every, self.extensions = self.extensions, self._built()
        try:
            super().copy_extensions_to_source()
        finally:
            self.extensions = every

    def get_outputs(self) -> list[str]:
        every, self.extensions = self.extensions, self._built()
        try:
            return super().get_outputs()
        finally:
            self.extensions = every

    def get_output_mapping(self) -> dict[str, str]:
        every, self.extensions = self.extensions, self._built()
        try:
            return super().get_output_mapping()
        finally:
            self.extensions = every


setup(
    ext_modules=cythonize(
        [Extension("fundledger.engine.tracing", ["src/fundledger/engine/tracing.py"])],
        build_dir="build/cython", quiet=True),
    cmdclass={"build_ext": BuildExtOrSkip},
)
