"""Every file the product writes (issue 19, cases 2, 6, 11): owner-only, whole or not at all,
never over the store; failures are one line, never a traceback, and leave nothing behind."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

import pytest

from stakeworks.domain.errors import InputError
from stakeworks.interchange import files

UNWRITABLE = Path("/sys")  # refuses new files even to root (tests here run as root, where chmod forbids nothing)


def _refuses_files(folder: Path) -> bool:
    try:
        fd, name = tempfile.mkstemp(dir=folder)
    except OSError:
        return True
    os.close(fd)
    os.unlink(name)
    return False


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_written_owner_only_under_a_permissive_umask(tmp_path: Path):
    old = os.umask(0o022)
    try:
        files.write_text(tmp_path / "map.md", "# Northwind\n")
        files.write_text(tmp_path / "existing.md", "old")
        (tmp_path / "existing.md").chmod(0o644)
        files.write_text(tmp_path / "existing.md", "new")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "map.md") == 0o600
    assert _mode(tmp_path / "existing.md") == 0o600 and (tmp_path / "existing.md").read_text() == "new"
    assert _leftovers(tmp_path) == []


def test_a_failure_part_way_leaves_the_old_file_and_no_temporary(tmp_path: Path):
    target = tmp_path / "export.json"
    target.write_text("the previous export")
    with pytest.raises(RuntimeError), files.atomic_writer(target) as fh:
        fh.write("half of the new one")
        raise RuntimeError("killed part-way")
    assert target.read_text() == "the previous export"
    assert _leftovers(tmp_path) == []


def test_a_full_disk_is_one_line_and_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(InputError, match="cannot write .*new.json: the disk is full; nothing was written"):
        files.write_text(tmp_path / "new.json", "{}")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not _refuses_files(UNWRITABLE), reason="no folder here refuses new files")
def test_a_folder_that_cannot_be_written_is_one_line():
    with pytest.raises(InputError, match="cannot write /sys/x.csv: that folder cannot be written"):
        files.write_text(UNWRITABLE / "x.csv", "a,b\n")
    with pytest.raises(InputError, match="that folder does not exist"):
        files.write_text(Path("/nonexistent-folder-i19/x.csv"), "a,b\n")


def test_exclusive_never_replaces_a_file(tmp_path: Path):
    target = tmp_path / "backup.db"
    files.write_bytes(target, b"first", exclusive=True)
    with pytest.raises(InputError, match="exists; choose a new file name"):
        files.write_bytes(target, b"second", exclusive=True)
    assert target.read_bytes() == b"first" and _leftovers(tmp_path) == []


def test_the_store_and_its_companions_are_never_an_output(tmp_path: Path):
    store = tmp_path / "store.db"
    store.write_bytes(b"SQLite format 3\x00")
    (tmp_path / "link.db").symlink_to(store)
    os.link(store, tmp_path / "hard.db")
    for name in ("store.db", "store.db-wal", "store.db-shm", "store.db-journal", "link.db", "hard.db"):
        with pytest.raises(InputError, match="is the database"):
            files.check_output(tmp_path / name, store)
    with pytest.raises(InputError, match="is a folder"):
        files.check_output(tmp_path, store)
    assert files.check_output(tmp_path / "export.json", store) == tmp_path / "export.json"
    other = tmp_path / "sub" / ".." / "store.db"
    (tmp_path / "sub").mkdir()
    with pytest.raises(InputError):
        files.check_output(other, store)
