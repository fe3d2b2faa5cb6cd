"""Writing files so that nothing is ever left half-written, and one writer at a time.

* :func:`atomic_write` writes a temporary file beside the target, flushes it to disk and
  renames it over the target: a reader, or a process killed at any instant, sees the old
  file or the new one, never a part of one.  Temporary files left behind by a writer that
  died (power cut, ``kill -9``) are swept by the next write to the same target.
* :func:`locked` serialises writers of one ledger through ``flock`` on a lock file beside
  it, so two ``--apply`` runs never read the same old ledger and both append to it.
* ``FUNDLEDGER_FAULT`` is a **test hook** (see :data:`FAULT_ENV`): it lets a subprocess
  test kill a writer at the worst moment, to prove the two points above.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

#: Test hook, read on every write.  ``after-temp-write`` ends the process with
#: :data:`FAULT_STATUS` (``os._exit``: no clean-up, like a crash) once the temporary file
#: is fully written and synced, before the rename; ``before-temp-write`` ends it right
#: after the empty temporary file is created.  Unset (the normal case) it costs nothing.
FAULT_ENV = "FUNDLEDGER_FAULT"
FAULT_STATUS = 70  # EX_SOFTWARE

#: How long :func:`locked` waits for another writer by default before refusing.
LOCK_WAIT = 60.0


class FileChanged(Exception):
    """A file changed under a read-modify-write; the one-line message names it."""


class FileBusy(Exception):
    """The lock of a file cannot be had; the one-line message names the file and the lock."""


class AppendRefused(Exception):
    """Text cannot be appended to a ledger; the one-line message names the file."""


def _fault(point: str) -> None:
    """Die here, as a crash would, if the test hook asks for this point."""
    if os.environ.get(FAULT_ENV) == point:
        os._exit(FAULT_STATUS)


def temp_prefix(target: Path) -> str:
    """Name prefix of ``target``'s temporary files: hidden, so ledger globs skip them."""
    return f".{target.name}."


def atomic_write(path: str | os.PathLike[str], content: bytes | str, *,
                 expect: bytes | None = None) -> None:
    """Write ``content`` to ``path`` through a temporary file in the same folder and a rename.

    Readers see the old file or the new one, never a part of it; on any failure the old
    file is untouched and the temporary file is removed.  The temporary file is held under
    ``flock`` while it exists, which tells :func:`sweep_temp_files` it is not abandoned.
    A symbolic link is written through: its target gets the new content, the link stays.

    ``expect`` guards a read-modify-write (an append) against a writer that takes no lock,
    such as Fava's editor: the file must still hold exactly ``expect`` (``b""`` for "must
    not exist or be empty") just before the rename, else :class:`FileChanged` is raised
    and nothing is written, instead of silently losing the other writer's change.
    """
    target = Path(os.path.realpath(path))
    payload = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = _locked_temp(target)
    try:
        _fault("before-temp-write")
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
            # mkstemp makes 0600 files: keep the target's mode, or give a new file the mode
            # open() would (0666 less the umask), so a report can be shared as usual.
            os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else _new_mode())
            if expect is not None and _current(target) != expect:
                raise FileChanged(f"{path}: changed by another program while fundledger was "
                                  "writing it; nothing written, run the command again")
            _fault("after-temp-write")
            os.replace(tmp, target)  # while still locked: no sweeper can take it
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_dir(target.parent)
    sweep_temp_files(target)


def _new_mode() -> int:
    """The mode ``open()`` gives a new file: 0666 less the process's umask."""
    mask = os.umask(0o022)  # reading the umask means setting it; put it back at once
    os.umask(mask)
    return 0o666 & ~mask


def _current(target: Path) -> bytes:
    try:
        return target.read_bytes()
    except FileNotFoundError:
        return b""


def _locked_temp(target: Path) -> tuple[int, str]:
    """A new temporary file beside ``target``, opened and exclusively locked.

    ``mkstemp`` and ``flock`` are two steps: a sweeper may take and delete the file in
    between.  The lock is then taken on a deleted file, which the inode check detects;
    a new file is made.
    """
    while True:
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".tmp", dir=target.parent)
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            if os.stat(tmp).st_ino == os.fstat(fd).st_ino:
                return fd, tmp
        except FileNotFoundError:
            pass
        os.close(fd)


def sweep_temp_files(target: str | os.PathLike[str]) -> list[Path]:
    """Delete the temporary files of ``target`` that their writer abandoned (it died).

    A live writer holds its temporary file locked; the kernel drops the lock when the
    writer dies, however it dies.  So a temporary file whose lock can be taken at once is
    an orphan.  Returns the files removed.
    """
    target = Path(target)
    prefix = temp_prefix(target)
    removed = []
    try:
        with os.scandir(target.parent) as listing:  # cheaper than glob in a big folder
            candidates = [Path(e.path) for e in listing
                          if e.name.startswith(prefix) and e.name.endswith(".tmp")]
    except OSError:
        return removed
    for candidate in candidates:
        try:
            fd = os.open(candidate, os.O_RDONLY)
        except OSError:
            continue  # gone already, or not ours to read
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue  # a live writer's
        try:
            if os.stat(candidate).st_ino == os.fstat(fd).st_ino:
                candidate.unlink()
                removed.append(candidate)
        except FileNotFoundError:
            pass
        finally:
            os.close(fd)
    return removed


def _sync_dir(folder: Path) -> None:
    """Make the rename itself durable (the directory entry), where the system allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as exc:  # some file systems refuse fsync on a directory
        if exc.errno not in (errno.EINVAL, errno.EBADF, errno.EACCES):
            raise
    finally:
        os.close(fd)


def lock_path(path: str | os.PathLike[str]) -> Path:
    """The lock file of ``path``: ``.NAME.lock`` beside it (hidden, never included).

    Symbolic links are followed, so every name of one ledger shares one lock.
    """
    target = Path(os.path.realpath(path))
    return target.with_name(f".{target.name}.lock")


@contextlib.contextmanager
def locked(path: str | os.PathLike[str], wait: float = LOCK_WAIT) -> Iterator[Path]:
    """Hold an exclusive ``flock`` on ``path``'s lock file for the ``with`` block.

    Waits up to ``wait`` seconds for another holder (0: refuse at once), then raises
    :class:`FileBusy`.  The lock dies with its holder, so a crashed writer never leaves
    the file locked; the lock file itself stays (removing it would race with a waiter).
    Same lock file as :func:`fundledger.importers.session.locked`, so both exclude each
    other.
    """
    lock = lock_path(path)
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise FileBusy(f"{path}: cannot create the lock file {lock}: {exc.strerror}") from None
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise FileBusy(f"{path}: another import or fundledger process is writing "
                                   "to it "
                                   f"(lock {lock} held for {wait:g} s)") from None
                time.sleep(0.05)
        yield lock
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def append_to_ledger(target: str | os.PathLike[str], text: str, before: bytes) -> None:
    """Append Beancount text to the ledger file ``target`` atomically, after checking it
    parses: the one way fundledger adds entries (``import --apply``, ``close``).

    ``before`` is what the target held when the caller read it (under :func:`locked`):
    if it holds anything else now (an editor that takes no lock saved it meanwhile),
    nothing is written and :class:`AppendRefused` says so.
    """
    from beancount.parser import parser  # only the writers need it

    _entries, errors, _options = parser.parse_string(text)
    if errors:  # our own printer's output: a failure here is a bug, never written out
        raise AppendRefused(f"{target}: generated entries do not parse: {errors[0].message}")
    separator = b"\n" if before and not before.endswith(b"\n") else b""
    content = before + separator + (b"\n" if before else b"") + text.encode("utf-8")
    try:
        atomic_write(target, content, expect=before)
    except FileChanged as exc:
        raise AppendRefused(str(exc)) from None
    except OSError as exc:
        raise AppendRefused(f"{target}: cannot write: {exc.strerror or exc}") from None
