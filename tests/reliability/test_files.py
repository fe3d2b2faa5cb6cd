"""fundledger.files: atomic writes, the orphan sweep and the ledger lock, in-process."""

from __future__ import annotations

import fcntl
import os
import stat
from pathlib import Path

import pytest

from fundledger.files import (
    FileBusy,
    FileChanged,
    atomic_write,
    lock_path,
    locked,
    sweep_temp_files,
)


def test_atomic_write_replaces_whole_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "main.beancount"
    target.write_text("ancien\n")
    target.chmod(0o640)
    atomic_write(target, "nouveau €\n")
    assert target.read_bytes() == "nouveau €\n".encode()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    atomic_write(tmp_path / "new.bin", b"\x00\x01")  # a new file, bytes
    assert (tmp_path / "new.bin").read_bytes() == b"\x00\x01"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["main.beancount", "new.bin"]


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "main.beancount"
    target.write_text("ancien\n")
    with pytest.raises(TypeError):
        atomic_write(target, 42)  # type: ignore[arg-type]
    assert target.read_text() == "ancien\n"
    assert [p.name for p in tmp_path.iterdir()] == ["main.beancount"]


def test_sweep_removes_orphans_but_not_a_live_writers_file(tmp_path: Path) -> None:
    target = tmp_path / "main.beancount"
    target.write_text("x\n")
    orphan = tmp_path / ".main.beancount.dead.tmp"
    orphan.write_text("half")
    live = tmp_path / ".main.beancount.live.tmp"
    live.write_text("being written")
    other = tmp_path / ".other.beancount.dead.tmp"  # another file's: not ours to sweep
    other.write_text("y")
    fd = os.open(live, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as atomic_write holds its temporary file
    try:
        assert sweep_temp_files(target) == [orphan]
        atomic_write(target, "z\n")  # a write sweeps too, and spares the live file
        assert live.exists() and other.exists() and not orphan.exists()
    finally:
        os.close(fd)
    assert sweep_temp_files(target) == [live]
    assert other.exists()


def test_locked_refuses_a_second_holder_then_frees(tmp_path: Path) -> None:
    ledger = tmp_path / "main.beancount"
    with locked(ledger, wait=0) as lock:
        assert lock == lock_path(ledger) == tmp_path / ".main.beancount.lock"
        busy = pytest.raises(FileBusy,
                             match=r"main\.beancount: another import or fundledger process")
        with busy, locked(ledger, wait=0.2):
            pass
    with locked(ledger, wait=0):  # released with the descriptor
        pass


def test_locked_names_the_lock_it_cannot_create(tmp_path: Path) -> None:
    refused = pytest.raises(FileBusy, match="cannot create the lock file")
    with refused, locked(tmp_path / "no-such-folder" / "main.beancount"):
        pass


def test_a_symlinked_ledger_is_written_through_and_shares_its_lock(tmp_path: Path) -> None:
    real = tmp_path / "books" / "main.beancount"
    real.parent.mkdir()
    real.write_text("ancien\n")
    link = tmp_path / "ledger.beancount"
    link.symlink_to(real)
    atomic_write(link, "nouveau\n")
    assert link.is_symlink() and real.read_text() == "nouveau\n"
    assert lock_path(link) == lock_path(real) == real.with_name(".main.beancount.lock")
    with locked(real), pytest.raises(FileBusy), locked(link, wait=0):
        pass


def test_expect_refuses_to_overwrite_a_change_made_meanwhile(tmp_path: Path) -> None:
    """A read-modify-write (an import's append) must not lose an editor's save."""
    ledger = tmp_path / "main.beancount"
    ledger.write_text("ancien\n")
    read = ledger.read_bytes()
    ledger.write_text("ancien\nsaisi dans Fava\n")  # another program saves meanwhile
    with pytest.raises(FileChanged, match=r"main\.beancount: changed by another program"):
        atomic_write(ledger, read + "importé\n".encode(), expect=read)
    assert ledger.read_text() == "ancien\nsaisi dans Fava\n"
    assert [p.name for p in tmp_path.iterdir()] == ["main.beancount"]
    now = ledger.read_bytes()
    atomic_write(ledger, now + "importé\n".encode(), expect=now)
    assert ledger.read_bytes() == now + "importé\n".encode()
    atomic_write(tmp_path / "new.beancount", b"x\n", expect=b"")  # absent counts as empty
    assert (tmp_path / "new.beancount").read_bytes() == b"x\n"


def test_a_new_file_gets_the_usual_mode_not_mkstemps_0600(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        atomic_write(tmp_path / "rapport.html", "<html></html>\n")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "rapport.html").stat().st_mode) == 0o640
