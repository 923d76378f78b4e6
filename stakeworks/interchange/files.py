"""Every file the product writes: owner-only, whole or not at all, never over the store.

A file is written to a temporary file in the target's own folder (created owner-only, 0600,
so contact maps are never readable by others, not even for a moment), flushed and fsync'd,
then renamed over the target, and the folder is fsync'd so the rename survives a crash. A
failure part-way (full disk, a kill) leaves the target as it was and no temporary file
behind. An output path that is the open store, or its -wal/-shm/-journal companion, is
refused before anything is written: `export json store.db` must never overwrite the store.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from stakeworks.domain.errors import InputError

COMPANIONS = ("", "-wal", "-shm", "-journal")
"""The store file and what SQLite keeps beside it while it is open."""


def _same(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)  # a hard link, or another spelling of the same file
    except OSError:
        return False


def check_output(target: Path | str, store: Path | str | None) -> Path:
    """`target` if a file may be written there; refuses the store itself (or its companions)
    and folders, naming the path, before anything is written."""
    target = Path(target).expanduser()
    if store is not None:
        store = Path(store)
        for suffix in COMPANIONS:
            if _same(target, store.with_name(store.name + suffix)):
                what = "the database itself" if not suffix else f"the database's {suffix[1:]} file"
                raise InputError(f"{target} is {what} ({store}); choose another file to write")
    if target.is_dir():
        raise InputError(f"{target} is a folder; give a file name to write")
    return target


def write_error(exc: OSError, target: Path) -> InputError:
    """One line for the user: what could not be written, and why."""
    if exc.errno == errno.ENOSPC:
        reason = "the disk is full"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = "that folder cannot be written (permission denied or read-only)"
    elif exc.errno == errno.ENOENT:
        reason = "that folder does not exist"
    else:
        reason = exc.strerror or str(exc)
    return InputError(f"cannot write {target}: {reason}; nothing was written")


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (a no-op where folders cannot be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def new_temp(target: Path) -> Path:
    """A new, empty, owner-only (0600) file in `target`'s folder, named after it."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise write_error(exc, target) from None
    os.close(fd)
    return Path(name)


def fsync_file(path: Path) -> None:
    with path.open("rb+") as fh:
        os.fsync(fh.fileno())


@contextmanager
def private_temp(target: Path, *, exclusive: bool = False) -> Iterator[Path]:
    """A new, empty, owner-only file beside `target` for the caller to fill (for writers that
    need a path, such as SQLite's backup); on success it is fsync'd and renamed to `target`.

    `exclusive`: refuse when `target` exists, also if it appears meanwhile (the file is
    hard-linked into place, which never replaces an existing one).
    """
    target = Path(target)
    folder = target.parent
    if exclusive and (target.exists() or target.is_symlink()):
        raise InputError(f"{target} exists; choose a new file name")
    temp = new_temp(target)
    try:
        yield temp
        fsync_file(temp)
        _place(temp, target, exclusive=exclusive)
    except OSError as exc:
        raise write_error(exc, target) from None
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    fsync_folder(folder)


def _place(temp: Path, target: Path, *, exclusive: bool) -> None:
    if not exclusive:
        os.replace(temp, target)
        return
    try:
        os.link(temp, target)  # fails with EEXIST rather than replacing a file that appeared
    except FileExistsError:
        raise InputError(f"{target} exists; choose a new file name") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        if target.exists():  # a filesystem without hard links: check, then rename
            raise InputError(f"{target} exists; choose a new file name") from None
        os.replace(temp, target)


@contextmanager
def atomic_writer(
    target: Path | str, *, binary: bool = False, newline: str | None = None, exclusive: bool = False
) -> Iterator[IO[Any]]:
    """An open file to write; `target` gets all of it or, on any error, stays as it was."""
    target = Path(target)
    with private_temp(target, exclusive=exclusive) as temp:
        try:
            if binary:
                with temp.open("wb") as fh:
                    yield fh
            else:
                with temp.open("w", encoding="utf-8", newline=newline) as fh:
                    yield fh
        except OSError as exc:
            raise write_error(exc, target) from None


def write_text(target: Path | str, text: str, *, exclusive: bool = False) -> None:
    """`text` (UTF-8) into `target`, atomically and owner-only."""
    with atomic_writer(target, exclusive=exclusive) as fh:
        fh.write(text)


def write_bytes(target: Path | str, data: bytes, *, exclusive: bool = False) -> None:
    with atomic_writer(target, binary=True, exclusive=exclusive) as fh:
        fh.write(data)
