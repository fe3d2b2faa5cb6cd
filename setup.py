"""Builds contributor tracing (``fundledger.engine.tracing``) into a C extension.

The module is written in Cython's pure-Python mode: where no C compiler is at hand the
extension is skipped (``optional``) and the same file runs as plain Python, slower but
with the same results.  Everything else about the package is in ``pyproject.toml``.
"""

from Cython.Build import cythonize
from setuptools import Extension, setup

setup(ext_modules=cythonize(
    [Extension("fundledger.engine.tracing", ["src/fundledger/engine/tracing.py"],
               optional=True)],
    build_dir="build/cython", quiet=True))
