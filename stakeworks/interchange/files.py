"""Every file the product writes: owner-only, whole or not at all, never over the store.

A file is written to a temporary file in the target's own folder (created owner-only, 0600,
so contact maps are never readable by others, not even for a moment), flushed and fsync'd,
then renamed over the target, and the folder is fsync'd so the rename survives a crash. A
failure part-way (full disk, a kill) leaves the target as it was and no temporary file
behind. An output path that is the open store, or its -wal/-shm/-journal companion, is
refused before anything is written: `export json store.db` must never overwrite the store.

Anything else already at the path (a character or block device such as /dev/null, /dev/full
or a terminal, a FIFO, a socket, an open descriptor such as /dev/stdout or /dev/fd/63, or `-`
for standard output) is a stream: written straight through, never renamed over, truncated
or deleted. A write error there is one line (a full device, an I/O error); a pipe whose
reader quit early (`| head`) raises BrokenPipeError for the command line to end quietly.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import shutil
import socket
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, BinaryIO

from stakeworks.domain.errors import InputError

COMPANIONS = ("", "-wal", "-shm", "-journal")
"""The store file and what SQLite keeps beside it while it is open."""


STDOUT = "-"
"""The target that means standard output (the command line's `-`)."""

# Paths that name an open descriptor of this process rather than a file: /dev/stdout links here.
_DESCRIPTOR_PATH = re.compile(r"^/(?:dev|proc/(?:self|thread-self|(\d+)))/fd/(\d+)$")


def _descriptor(target: Path | str) -> int | None:
    """The descriptor `target` names (`-` is 1; /dev/stdout, /dev/fd/N, /proc/self/fd/N), or None.

    Links are followed one by one and matched by name: asking the system where /dev/stdout
    leads answers with the file or pipe behind it, and a rename there would replace it."""
    if str(target) == STDOUT:
        return 1
    path = os.path.abspath(target)
    for _ in range(40):  # the system's own limit on links in a row
        found = _DESCRIPTOR_PATH.match(path)
        if found:
            pid = found.group(1)
            return int(found.group(2)) if pid is None or int(pid) == os.getpid() else None
        if not os.path.islink(path):
            return None
        path = os.path.normpath(os.path.join(os.path.dirname(path), os.readlink(path)))
    return None


def is_stream(target: Path | str) -> bool:
    """Whether `target` is written straight through: `-`, an open descriptor, or something at
    the path that is neither a regular file nor a folder (a device, a FIFO, a socket)."""
    if _descriptor(target) is not None:
        return True
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return False  # nothing there yet (or a dangling link): a new regular file
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def goes_to_stdout(target: Path | str) -> bool:
    """Whether what is written to `target` lands on our own standard output (then a command
    says nothing more there: `export json /dev/stdout | jq` reads the export alone)."""
    if _descriptor(target) == 1:
        return True
    if not is_stream(target):
        return False
    try:
        return os.path.samestat(os.stat(target), os.fstat(1))
    except OSError:
        return False


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


def write_error(exc: OSError, target: Path, *, stream: bool = False) -> InputError:
    """One line for the user: what could not be written, and why."""
    if stream:
        reason = "no space left on it (the device or disk is full)" if exc.errno == errno.ENOSPC else exc.strerror
        return InputError(f"cannot write {target}: {reason or exc}; the output is incomplete")
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
    if is_stream(target):  # SQLite's backup needs a file: made in the temp folder, then copied through
        with _stream_copy(target) as temp:
            yield temp
        return
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
def _stream_copy(target: Path) -> Iterator[Path]:
    fd, name = tempfile.mkstemp(prefix=".stakeworks-", suffix=".tmp")  # owner-only
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        with temp.open("rb") as source, stream_writer(target, binary=True) as sink:
            shutil.copyfileobj(source, sink)
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()


def _open_stream(target: Path) -> tuple[int, bool]:
    """A new descriptor writing into `target` (never created, truncated or replaced), and
    whether it is a pipe (whose reader may quit early)."""
    number = _descriptor(target)
    try:
        if number is not None:
            fd = os.dup(number)
        else:
            try:
                fd = os.open(target, os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC)
            except OSError as exc:
                if exc.errno != errno.ENXIO or not stat.S_ISSOCK(os.stat(target).st_mode):
                    raise
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                    sock.connect(str(target))
                    fd = sock.detach()
            if stat.S_ISREG(os.fstat(fd).st_mode):  # it became a regular file meanwhile
                os.close(fd)
                raise InputError(f"{target} changed while it was opened; nothing was written, try again")
    except OSError as exc:
        if exc.errno == errno.EBADF:
            raise InputError(f"cannot write {target}: descriptor {number} is not open") from None
        raise write_error(exc, target, stream=True) from None
    return fd, stat.S_ISFIFO(os.fstat(fd).st_mode)


@contextmanager
def stream_writer(target: Path | str, *, binary: bool = False, newline: str | None = None) -> Iterator[IO[Any]]:
    """An open file writing straight into a device, FIFO, socket or descriptor (`is_stream`)."""
    target = Path(target)
    if _descriptor(target) == 1:
        sys.stdout.flush()  # what was printed before comes first
    fd, pipe = _open_stream(target)
    raw: BinaryIO = os.fdopen(fd, "wb")
    fh: IO[Any] = raw if binary else io.TextIOWrapper(raw, encoding="utf-8", newline=newline)
    try:
        yield fh
        fh.flush()
    except BrokenPipeError:
        if pipe:
            raise  # the reader quit early (`| head`): the command line ends quietly
        raise write_error(BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE)), target, stream=True) from None
    except OSError as exc:
        raise write_error(exc, target, stream=True) from None
    finally:
        with contextlib.suppress(OSError, ValueError):  # after a failed write the buffer cannot flush
            fh.close()


@contextmanager
def atomic_writer(
    target: Path | str, *, binary: bool = False, newline: str | None = None, exclusive: bool = False
) -> Iterator[IO[Any]]:
    """An open file to write; `target` gets all of it or, on any error, stays as it was (a
    stream target, `is_stream`, is written straight through instead)."""
    target = Path(target)
    if is_stream(target):
        with stream_writer(target, binary=binary, newline=newline) as stream:
            yield stream
        return
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
