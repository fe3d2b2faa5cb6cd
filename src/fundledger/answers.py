"""Answers of commands on unchanged books, kept so that asking again costs no engine pass.

A treasurer runs ``funds``, ``trace``, ``pipeline`` and ``budget`` several times an hour on
books that did not change; Beancount's own cache still unpickles every entry to compute
figures that are the same.  This cache keeps each command's *answer* (the text it printed
and how many errors the books have), keyed by everything that can change it:

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

The console entry point asks :func:`replay` first, with the raw command line: a second
run then answers before click, Beancount or the engine are even imported (Python's start,
this module and a hash of the books: a few tens of milliseconds).  For that, each answer
also gets a small *alias* file keyed by the command line as typed (with the working
folder and the environment variables that can change an output), naming the answer and
which argument was the ledger (its real path is checked again, so a link pointed
elsewhere is another ledger).  Answers are ``marshal`` data (plain tuples and strings):
the format is Python's own for that version, which is part of the key.

This module imports only light standard modules, for the same reason.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import time

from fundledger import __version__

#: A file modified this close to (or after) the moment a command started reading the
#: books may have changed while it read them: its answer is not kept.
RACY_SECONDS = 2.0
#: What an answer file holds, and its format's name (another name: recomputed).
FORMAT = "fundledger-answer-2"
#: The commands whose answers are kept (``check`` never: a verdict is always computed).
KEPT = frozenset({"funds", "trace", "pipeline", "budget"})
#: Environment variables (exact names, or prefixes ending in ``_``) an output may read.
ENVIRONMENT = ("FUNDLEDGER_", "LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")
#: The message that follows an answer on books with errors.
ERRORS_WARNING = ("fundledger: the ledger has {count} error(s); "
                  "run 'fundledger check' to list them")

#: The command line of this process, set by the console entry point (:func:`replay`):
#: an answer stored while it runs gets an alias under it.
invocation: tuple[str, ...] | None = None


class Answer:
    """What a command printed on stdout, and how many errors the books had (the exit status
    and the warning on stderr follow from it)."""

    __slots__ = ("output", "errors", "sources")

    def __init__(self, output: str, errors: int,
                 sources: tuple[tuple[str, int, str], ...] = ()) -> None:
        self.output = output
        self.errors = errors
        #: Each source file of the books as (path, size, SHA-256) when the answer was made.
        self.sources = sources

    def give(self) -> None:
        """Print the answer as the command did, and exit with its status (1 on errors)."""
        sys.stdout.write(self.output)
        sys.stdout.flush()
        if self.errors:
            sys.stderr.write(ERRORS_WARNING.format(count=self.errors) + "\n")
        sys.exit(1 if self.errors else 0)


def enabled() -> bool:
    return not (os.environ.get("BEANCOUNT_DISABLE_LOAD_CACHE")
                or os.environ.get("FUNDLEDGER_NO_CACHE"))


def folder() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "fundledger", "answers")


def _environment() -> str:
    """What the answers depend on besides the books: the code that computes them.

    fundledger's version, Python's, the installed Beancount (its package file), and the
    size and time of every module of fundledger itself: in an editable install the code
    changes without the version (a stat of some hundred files, about a millisecond).
    """
    from importlib.machinery import PathFinder  # already loaded by Python's start-up

    spec = PathFinder.find_spec("beancount")  # found, not imported
    beancount = ""
    if spec is not None and spec.origin:
        stat = os.stat(spec.origin)
        beancount = f"{spec.origin}:{stat.st_size}:{stat.st_mtime_ns}"
    return f"{FORMAT}|{__version__}|{sys.version}|{beancount}|{_own_code()}"


#: :func:`_own_code` of this process (the key of an answer, an alias and Beancount's cache
#: file name each need it: the code files are listed once).
_own_code_digest: str | None = None


def _own_code() -> str:
    """A digest of the size and time of fundledger's code files (``.py``, compiled)."""
    global _own_code_digest
    if _own_code_digest is None:
        _own_code_digest = _scan_own_code()
    return _own_code_digest


def _scan_own_code() -> str:
    hasher = hashlib.sha256()
    folders = [os.path.dirname(os.path.abspath(__file__))]
    while folders:
        with os.scandir(folders.pop()) as found:
            for item in sorted(found, key=lambda e: e.name):
                if item.is_dir(follow_symlinks=False) and item.name != "__pycache__":
                    folders.append(item.path)
                elif item.name.endswith((".py", ".so", ".po", ".j2")):
                    stat = item.stat()
                    hasher.update(f"{item.path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return hasher.hexdigest()


def code_digest() -> str:
    """A short digest of :func:`_environment`: names caches that the code's results fill."""
    return _hash(_environment())[:12]


def sources_of(files: list[str] | tuple[str, ...],
               since: float) -> tuple[tuple[str, int, str], ...] | None:
    """Each file as (path, size, SHA-256), or None when one was modified after ``since``
    or within :data:`RACY_SECONDS` before it (it may have changed while it was read)."""
    sources = []
    for path in files:
        stat = os.stat(path)
        if stat.st_mtime_ns / 1e9 >= since - RACY_SECONDS:
            return None
        sources.append((path, stat.st_size, _digest(path)))
    return tuple(sources)


def unchanged(sources: object) -> bool:
    """Whether every file of ``sources`` (from :func:`sources_of`) still has its content."""
    return bool(sources) and isinstance(sources, tuple) and all(
        _unchanged(tuple(source)) for source in sources)


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def _key(ledger: os.PathLike[str] | str, command: str, params: tuple[object, ...]) -> str:
    return _hash(repr((os.path.realpath(ledger), command, params, _environment())))


def _alias_key(argv: tuple[str, ...]) -> str:
    """The key of a command line as typed: the same words may name other books or ask for
    another output from another folder or with other settings in the environment."""
    settings = sorted((name, value) for name, value in os.environ.items()
                      if name.startswith(ENVIRONMENT[0]) or name in ENVIRONMENT[1:])
    return _hash(repr(("argv", os.getcwd(), argv, settings, _environment())))


def _digest(path: str) -> str:
    hasher = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def _unchanged(source: tuple[str, int, str]) -> bool:
    path, size, digest = source
    try:
        if os.stat(path).st_size != size:
            return False
        return _digest(path) == digest
    except OSError:
        return False


def read_data(path: str) -> object:
    """What :func:`write_data` wrote (raises on a missing or corrupt file)."""
    with open(path, "rb") as handle:
        return marshal.load(handle)


def _answer_at(key: str) -> Answer | None:
    """The answer stored under ``key``, if it is well formed and its books did not change."""
    data = read_data(os.path.join(folder(), f"{key}.answer"))
    if not (isinstance(data, tuple) and len(data) == 4 and data[0] == FORMAT):
        return None
    _, output, errors, sources = data
    if not (isinstance(output, str) and isinstance(errors, int) and sources):
        return None
    return Answer(output, errors, sources) if unchanged(sources) else None


def lookup(ledger: os.PathLike[str] | str, command: str, *params: object) -> Answer | None:
    """The answer kept for this command on these books, if nothing it depends on changed."""
    if not enabled():
        return None
    try:
        return _answer_at(_key(ledger, command, params))
    except Exception:  # noqa: BLE001 - missing, corrupt, unreadable: recompute quietly
        return None


def replay(argv: list[str]) -> Answer | None:
    """The answer kept for this very command line, if its books did not change.

    Called by the console entry point before anything heavy is imported; it also notes the
    command line (:data:`invocation`) so that an answer computed now gets its alias.
    """
    global invocation
    invocation = tuple(argv)
    if not (argv and argv[0] in KEPT and enabled()):
        return None
    try:
        data = read_data(os.path.join(folder(), f"{_alias_key(invocation)}.alias"))
        if not (isinstance(data, tuple) and len(data) == 4 and data[0] == FORMAT):
            return None
        _, position, ledger, key = data
        if os.path.realpath(argv[position]) != ledger:
            return None
        return _answer_at(key)
    except Exception:  # noqa: BLE001 - missing, corrupt, unreadable: answer the long way
        return None


def started() -> float:
    """The moment a command starts reading the books (give it to :func:`store`)."""
    return time.time()


def store(ledger: os.PathLike[str] | str, command: str, params: tuple[object, ...],
          answer: Answer, files: list[str] | tuple[str, ...], since: float) -> None:
    """Keep a command's answer; silently does nothing where the cache cannot be written.

    ``files`` are the books' source files (Beancount's ``options["include"]``), ``since``
    the moment the command started reading them (:func:`started`).  A file modified after
    that moment, or within :data:`RACY_SECONDS` before it, may not be what the answer was
    computed from: then nothing is kept.
    """
    if not enabled():
        return
    try:
        sources = sources_of(files, since)
        if not sources:
            return
        _write(f"{_key(ledger, command, params)}.answer",
               (FORMAT, answer.output, answer.errors, sources))
        alias(ledger, command, params)
    except Exception:  # noqa: BLE001 - a cache that cannot be written is no error
        return


def alias(ledger: os.PathLike[str] | str, command: str, params: tuple[object, ...]) -> None:
    """Name the answer of ``command`` on ``ledger`` after this process's command line, so
    that the next run of the same line is answered by :func:`replay`."""
    position = _ledger_position(ledger, command)
    if position is None or not enabled():
        return
    try:
        _write(f"{_alias_key(invocation)}.alias", (FORMAT, position, os.path.realpath(ledger),
                                                   _key(ledger, command, params)))
    except Exception:  # noqa: BLE001 - a cache that cannot be written is no error
        return


def _ledger_position(ledger: os.PathLike[str] | str, command: str) -> int | None:
    """Where the ledger is on this process's command line, if it runs ``command`` on it."""
    if not invocation or invocation[0] != command:
        return None
    target = os.path.realpath(ledger)
    for position, word in enumerate(invocation[1:], start=1):
        if not word.startswith("-") and os.path.realpath(word) == target:
            return position
    return None


def _write(name: str, data: tuple[object, ...]) -> None:
    os.makedirs(folder(), exist_ok=True)
    write_data(os.path.join(folder(), name), data)


def write_data(path: str, data: tuple[object, ...]) -> None:
    """Write ``data`` (tuples, strings, numbers) to ``path`` atomically."""
    from fundledger.files import atomic_write

    atomic_write(path, marshal.dumps(data))
