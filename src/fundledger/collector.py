"""Python's cycle collector, held back while fundledger builds many long-lived objects; and
memory freed handed back to the system."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector far less often within the block, or not at all in
    a one-shot command.

    Loading a ledger or importing a statement allocates millions of small objects that
    hold no reference cycles and live on (entries, postings, statement lines).  With the
    default thresholds the collector re-scans them over and over for almost no garbage: a
    sixth of a 100k-entry load, a third of a 50k-entry import.  Higher thresholds keep it
    from doing so, yet it still runs (memory stays bounded should cycles be made), and
    the previous thresholds come back afterwards.  A one-shot command (the console's)
    turns the collector off for the block: the load then costs 8-9 % less again, at 10k
    and at 100k transactions, with the same peak memory (measured: a load makes no cyclic
    garbage worth collecting), and whatever the block leaves alive is frozen after it
    (:func:`keep_for_good`).  Nested blocks are fine.  The end of the outermost block
    also turns the collector back on if the console held it off since the process
    started (:func:`one_shot_process`).
    """
    global _depth
    before = gc.get_threshold()
    enabled = gc.isenabled()
    if _one_shot:
        gc.disable()
    else:
        gc.set_threshold(100_000, 50, 100)
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        outermost = _depth == 0
        if outermost:
            # Out of the collector's sight before it runs again: its first collection
            # would otherwise walk every object the block made, all still in the youngest
            # generation (half a second after a 100k-transaction load).
            keep_for_good()
        gc.set_threshold(*before)
        if enabled:
            gc.enable()
        if outermost:
            release_collector()


#: Set by the console entry point: this process runs one command, then exits.
_one_shot = False
#: The collector is off since the process started (:func:`one_shot_process`).
_held = False
#: How many :func:`fewer_collections` blocks are open.
_depth = 0


def one_shot_process() -> None:
    """Say that this process runs one command and exits (``fundledger.cli.main``), and
    hold the collector off until its books are loaded (the end of the first
    :func:`fewer_collections` block), or until :func:`release_collector`.

    A command's imports (Beancount, click, the engine, 200 modules) and its load make
    long-lived objects and no cyclic garbage worth collecting: the collections the
    imports set off took some 10 ms of every command.
    """
    global _one_shot, _held
    _one_shot = True
    if gc.isenabled() and not _held:
        gc.disable()
        _held = True


def release_collector() -> None:
    """Turn the collector back on if :func:`one_shot_process` held it off: once a command
    has loaded its books, and at once in a process that lives on (``fundledger serve``)."""
    global _held
    if _held:
        _held = False
        gc.enable()


def keep_for_good() -> None:
    """Take every object alive now out of the collector's sight, for good (``gc.freeze``).

    For a one-shot command, at the end of its load (the outermost
    :func:`fewer_collections` block): the ledger's millions of objects live until the
    process ends, yet the first full collection afterwards would walk all of them (about a
    second at 100k transactions, while a trace or a report is built).  Anywhere else
    (Fava, tests calling commands in-process, a library user) it does nothing, since
    frozen objects are never collected.
    """
    if _one_shot:
        gc.freeze()


def give_memory_back() -> None:
    """Hand the memory freed so far back to the system (glibc's ``malloc_trim``).

    The lots tracing lets go (:meth:`~fundledger.engine.tracing.Tracer.freeze`) are
    mid-sized blocks of the C heap: the C library keeps them for later C allocations,
    while the objects made next (the annotated entries, Fava's pages, the next load) come
    from Python's own arenas.  Without this, memory freed would still count in a server's
    peak.  Elsewhere than glibc (macOS, musl) there is nothing to call, and nothing is
    done.
    """
    trim = _glibc("malloc_trim")
    if trim is not None:
        trim(0)


#: glibc's ``mallopt`` parameter for the number of C heaps ("arenas", ``M_ARENA_MAX``).
_M_ARENA_MAX = -8


def one_malloc_arena() -> None:
    """Make every thread of this process allocate from one C heap (glibc's ``M_ARENA_MAX``).

    A server's worker threads would each get a heap of their own (glibc makes up to eight
    per core), and each heap keeps what its requests let go: rounds of pages grew Fava's
    server on 100k transactions by some 50 MB, memory no one used again.  Python holds its
    lock while it allocates, so the threads gain nothing from heaps of their own.
    Elsewhere than glibc (macOS, musl) nothing is done.
    """
    mallopt = _glibc("mallopt")
    if mallopt is not None:
        mallopt(_M_ARENA_MAX, 1)


def _glibc(name: str) -> Any:
    """The C library's function ``name``, or None where it has none (not glibc)."""
    import ctypes  # only where memory is handed back: not on a command's start-up

    try:
        return getattr(ctypes.CDLL(None), name)
    except (OSError, AttributeError):
        return None
