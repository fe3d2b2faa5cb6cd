"""Answers of commands on unchanged books, kept so that asking again costs no engine pass.

A treasurer runs ``funds``, ``trace`` and ``pipeline`` several times an hour on books that
did not change; Beancount's own cache still unpickles every entry to compute figures that
are the same.  This cache keeps each command's *answer* (its formatted rows and how many
errors the books have), keyed by everything that can change it:

* the command and its parameters (``--at``, the contributor, the format...);
* fundledger's version and its code files' sizes and times (an editable install changes
  without its version), Python's version, and the installed Beancount;
* every source file of the books (the ledger and every file it includes), by size and by
  a SHA-256 of its content (a file touched but not changed keeps its answer; a file
  changed with its size and time kept, as ``rsync -t`` or ``touch -r`` can, does not).
  Hashing even a 100k-transaction ledger costs a few tens of milliseconds, far less
  than a load; the modification time alone is not trusted.

An answer is written atomically and ignored (recomputed quietly) when it is missing,
corrupt, unreadable, or from another version.  ``check`` never uses it: the cache serves
answers, never verdicts.  ``BEANCOUNT_DISABLE_LOAD_CACHE`` (Beancount's own switch) or
``FUNDLEDGER_NO_CACHE`` turns it off.

This module imports nothing beyond the standard library: on a hit, the command answers
without importing Beancount or the engine at all.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fundledger import __version__

#: A file modified this close to (or after) the moment a command started reading the
#: books may have changed while it read them: its answer is not kept.
RACY_SECONDS = 2.0
#: Pickle protocol of the answer files (fixed, so a Python upgrade does not misread them).
PROTOCOL = 5


@dataclass
class Source:
    """One file of the books, as it was when the answer was computed."""

    path: str
    size: int
    mtime_ns: int
    digest: str


@dataclass
class Answer:
    """What a command printed, in data: it is printed again the same way on a hit."""

    value: Any
    #: How many errors the books had (the exit status and the warning follow from it).
    errors: int
    sources: list[Source] = field(default_factory=list)
    written: float = 0.0


def enabled() -> bool:
    return not (os.environ.get("BEANCOUNT_DISABLE_LOAD_CACHE")
                or os.environ.get("FUNDLEDGER_NO_CACHE"))


def folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "fundledger" / "answers"


def _environment() -> str:
    """What the answers depend on besides the books: the code that computes them.

    fundledger's version, Python's, the installed Beancount (its package file), and the
    size and time of every module of fundledger itself: in an editable install the code
    changes without the version (a stat of some hundred files, about a millisecond).
    """
    spec = importlib.util.find_spec("beancount")  # found, not imported
    beancount = ""
    if spec is not None and spec.origin:
        stat = os.stat(spec.origin)
        beancount = f"{spec.origin}:{stat.st_size}:{stat.st_mtime_ns}"
    return f"{__version__}|{sys.version}|{beancount}|{_own_code()}"


def _own_code() -> str:
    """A digest of the size and time of fundledger's code files (``.py``, compiled)."""
    hasher = hashlib.sha256()
    folders = [Path(__file__).parent]
    while folders:
        with os.scandir(folders.pop()) as found:
            for item in sorted(found, key=lambda e: e.name):
                if item.is_dir(follow_symlinks=False) and item.name != "__pycache__":
                    folders.append(Path(item.path))
                elif item.name.endswith((".py", ".so", ".po", ".j2")):
                    stat = item.stat()
                    hasher.update(f"{item.path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return hasher.hexdigest()


def _key(ledger: Path, command: str, params: Iterable[Any]) -> str:
    text = repr((str(ledger.resolve()), command, tuple(params), _environment()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _digest(path: str) -> str:
    hasher = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def _unchanged(source: Source) -> bool:
    try:
        stat = os.stat(source.path)
    except OSError:
        return False
    return stat.st_size == source.size and _digest(source.path) == source.digest


def lookup(ledger: Path, command: str, *params: Any) -> Answer | None:
    """The answer kept for this command on these books, if nothing it depends on changed."""
    if not enabled():
        return None
    try:
        with open(folder() / f"{_key(ledger, command, params)}.pickle", "rb") as handle:
            answer = pickle.load(handle)
        if not isinstance(answer, Answer) or not answer.sources:
            return None
        if all(_unchanged(source) for source in answer.sources):
            return answer
    except Exception:  # noqa: BLE001 - missing, corrupt, unreadable: recompute quietly
        return None
    return None


def started() -> float:
    """The moment a command starts reading the books (give it to :func:`store`)."""
    return time.time()


def store(ledger: Path, command: str, params: Iterable[Any], value: Any, errors: int,
          files: Iterable[str], since: float) -> None:
    """Keep a command's answer; silently does nothing where the cache cannot be written.

    ``files`` are the books' source files (Beancount's ``options["include"]``), ``since``
    the moment the command started reading them (:func:`started`).  A file modified after
    that moment, or within :data:`RACY_SECONDS` before it, may not be what the answer was
    computed from: then nothing is kept.
    """
    if not enabled():
        return
    try:
        sources = []
        for path in files:
            stat = os.stat(path)
            if stat.st_mtime_ns / 1e9 >= since - RACY_SECONDS:
                return
            sources.append(Source(path, stat.st_size, stat.st_mtime_ns, _digest(path)))
        answer = Answer(value, errors, sources, written=since)
        from fundledger.files import atomic_write

        target = folder() / f"{_key(ledger, command, tuple(params))}.pickle"
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, pickle.dumps(answer, protocol=PROTOCOL))
    except Exception:  # noqa: BLE001 - a cache that cannot be written is no error
        return
